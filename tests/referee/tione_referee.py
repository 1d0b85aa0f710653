"""The official Tencent Cloud Python SDK (tencentcloud-sdk-python-tione,
API 2021-11-11) against the emulator's TI-ONE, served at the root of a port
of its own as the real host serves it. The SDK signs TC3 over the host it is
given, the service it knows (`tione`) and path `/`, and parses every answer
into its typed models. Prints one JSON object per step; referee.spec.ts
asserts them. Environment: TIONE_ENDPOINT (`127.0.0.1:<port>`),
TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY.
"""
import json
import os

from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.tione.v20211111 import models, tione_client

http = HttpProfile(endpoint=os.environ["TIONE_ENDPOINT"], protocol="http")
client = tione_client.TioneClient(
    credential.Credential(os.environ["TENCENTCLOUD_SECRET_ID"], os.environ["TENCENTCLOUD_SECRET_KEY"]),
    "ap-guangzhou",
    ClientProfile(httpProfile=http),
)


def call(step, action, params, pick=lambda r: {}):
    """Runs one action through the SDK's typed request and response models."""
    req = getattr(models, action + "Request")()
    req.from_json_string(json.dumps(params))
    try:
        resp = getattr(client, action)(req)
        out = {"step": step, "ok": True, "request_id": resp.RequestId}
        out.update(pick(resp))
    except TencentCloudSDKException as e:
        out = {"step": step, "ok": False, "code": e.get_code(), "message": e.get_message(), "request_id": e.get_request_id()}
    print(json.dumps(out), flush=True)
    return out


spec = {"Name": "referee-task", "ChargeType": "POSTPAID_BY_HOUR", "ResourceConfigInfos": [{"Role": "WORKER", "InstanceType": "TI.S.MEDIUM.POST", "InstanceNum": 1}],
        "StartCmdInfo": {"StartCmd": "python train.py"}, "Envs": [{"Name": "MODE", "Value": "referee"}]}
created = call("CreateTrainingTask", "CreateTrainingTask", spec, lambda r: {"id": r.Id})
task_id = created.get("id")
call("DescribeTrainingTask", "DescribeTrainingTask", {"Id": task_id},
     lambda r: {"id": r.TrainingTaskDetail.Id, "name": r.TrainingTaskDetail.Name, "status": r.TrainingTaskDetail.Status,
                "start_cmd": r.TrainingTaskDetail.StartCmdInfo.StartCmd if r.TrainingTaskDetail.StartCmdInfo else None})
call("DescribeTrainingTasks", "DescribeTrainingTasks", {"Filters": [{"Name": "Name", "Values": ["referee-task"]}]},
     lambda r: {"total": r.TotalCount, "ids": [t.Id for t in r.TrainingTaskSet], "statuses": [t.Status for t in r.TrainingTaskSet],
                "envs": [[e.Name for e in (t.Envs or [])] for t in r.TrainingTaskSet], "app_ids": [t.AppId for t in r.TrainingTaskSet]})
call("CreateTrainingTask duplicate", "CreateTrainingTask", spec)
call("DescribeTrainingTask unknown", "DescribeTrainingTask", {"Id": "train-0000000000000000000"})
call("CreateTrainingTask without ResourceConfigInfos", "CreateTrainingTask", {"Name": "referee-broken", "ChargeType": "POSTPAID_BY_HOUR"})
call("StopTrainingTask while submitting", "StopTrainingTask", {"Id": task_id})
call("DeleteTrainingTask while submitting", "DeleteTrainingTask", {"Id": task_id})
