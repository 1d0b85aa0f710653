"""Alibaba Cloud's official Python SDK for PolarDB (alibabacloud-polardb20170801)
against the emulator's PolarDB, served at the root of a port of its own as
the real host serves it. The SDK signs its requests itself and parses every
answer into its typed models. Prints one JSON object per step;
referee.spec.ts asserts them. Environment: POLARDB_ENDPOINT
(`127.0.0.1:<port>`), ALIBABA_CLOUD_ACCESS_KEY_ID,
ALIBABA_CLOUD_ACCESS_KEY_SECRET, REFEREE_CLUSTER (a `pc-` cluster the emulator knows).
"""
import json
import os

from alibabacloud_polardb20170801 import models
from alibabacloud_polardb20170801.client import Client
from alibabacloud_tea_openapi.models import Config

client = Client(Config(
    access_key_id=os.environ["ALIBABA_CLOUD_ACCESS_KEY_ID"],
    access_key_secret=os.environ["ALIBABA_CLOUD_ACCESS_KEY_SECRET"],
    endpoint=os.environ["POLARDB_ENDPOINT"],
    protocol="http",
    region_id="cn-beijing",
))
cluster = os.environ["REFEREE_CLUSTER"]


def call(step, method, request, pick=lambda body: {}):
    """Runs one action through the SDK; what it parsed, or the error code it raised."""
    try:
        body = getattr(client, method)(request).body
        out = {"step": step, "ok": True, "request_id": body.request_id}
        out.update(pick(body))
    except Exception as e:  # Tea raises TeaException (code, message, data)
        out = {"step": step, "ok": False, "code": getattr(e, "code", type(e).__name__), "message": str(getattr(e, "message", e))[:300]}
    print(json.dumps(out), flush=True)
    return out


running = json.dumps({"train_mode": "sft", "train_type": "lora", "num_epochs": 1})
created = call("CreateAIDBClusterTask", "create_aidbcluster_task", models.CreateAIDBClusterTaskRequest(
    dbcluster_id=cluster, region_id="cn-beijing", model_source="public", model_name="Qwen3-8B",
    dataset_path="pds-2zetrain001", running_parameter=running, kube_type="aitrain", task_name="referee-task"),
    lambda b: {"id": b.dbcluster_id, "order_id": b.order_id})
task_id = created.get("id")
call("DescribeAIDBClusterTaskAttribute", "describe_aidbcluster_task_attribute",
     models.DescribeAIDBClusterTaskAttributeRequest(dbcluster_id=task_id, region_id="cn-beijing", describe_type="RelatedAITask"),
     lambda b: {"id": b.dbcluster_id, "name": b.dbcluster_description, "status": b.dbcluster_status})
call("DescribeAIDBClusterTasks", "describe_aidbcluster_tasks",
     models.DescribeAIDBClusterTasksRequest(relative_dbcluster_id=cluster, region_id="cn-beijing", kube_type="aitrain"),
     lambda b: {"ids": [i.dbnode_id for i in (b.items or [])], "descriptions": [i.dbnode_description for i in (b.items or [])]})
call("DescribeAIDBClusterTaskAttribute unknown", "describe_aidbcluster_task_attribute",
     models.DescribeAIDBClusterTaskAttributeRequest(dbcluster_id="pm-0000000000000000", region_id="cn-beijing", describe_type="RelatedAITask"))
call("DeleteAIDBClusterTask", "delete_aidbcluster_task",
     models.DeleteAIDBClusterTaskRequest(dbcluster_id=task_id, region_id="cn-beijing"))
call("DescribeAIDBClusterTaskAttribute deleted", "describe_aidbcluster_task_attribute",
     models.DescribeAIDBClusterTaskAttributeRequest(dbcluster_id=task_id, region_id="cn-beijing", describe_type="RelatedAITask"))
