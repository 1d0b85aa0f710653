/**
 * The polardb.AidbTask kind (provider/polardb/aidbTask.kind.ts): the wire
 * request (RunningParameter serialization above all), the idempotency
 * marker, outputs parsed from the detail answer, the field table, and the
 * diff it drives.
 */
import { WAIT_FIELDS } from "../../provider/core/defaults";
import { strict as assert } from "node:assert";
import type { AidbTaskAttribute } from "../../sdk/polardb/types";
import { UNKNOWN } from "../../provider/core/unknown";
import { aidbTaskSchema } from "../../provider/polardb/aidbTask.schema";
import {
    AIDB_TASK_FIELDS,
    type AidbTaskInputs,
    aidbTaskKind,
    createRequest,
    parseAccessInfo,
    serializeRunningParameter,
    splitModelPaths,
    taskMarker,
    taskOutputs,
} from "../../provider/polardb/aidbTask.kind";
import aidbTaskLifecycle = require("../../provider/polardb/aidbTask.lifecycle");

const inputs = (): AidbTaskInputs => ({
    pulumiName: "grpo",
    dbClusterId: "pc-2ze0000000000000",
    modelSource: "public",
    modelName: "Qwen3-8B",
    datasetPath: "pds-2zetrain001",
    kubeType: "aitrain",
    runningParameter: { train_mode: "grpo", train_type: "lora", num_epochs: 1, learning_rate: "1e-6" },
});

describe("polardb.AidbTask RunningParameter serialization", () => {
    it("is compact JSON, the shape of the documented vector", () => {
        assert.equal(serializeRunningParameter({ num_epochs: 1 }), '{"num_epochs":1}');
    });

    it("sorts keys, so the same object always gives the same string", () => {
        assert.equal(serializeRunningParameter({ train_type: "lora", num_epochs: 1, train_mode: "sft" }), '{"num_epochs":1,"train_mode":"sft","train_type":"lora"}');
    });

    it("keeps each value's JSON type: a string learning rate stays a string, numbers stay numbers", () => {
        assert.deepEqual(JSON.parse(serializeRunningParameter({ learning_rate: "1e-6", lora_rank: 8, gpu_memory_utilization: 0.4 })), { learning_rate: "1e-6", lora_rank: 8, gpu_memory_utilization: 0.4 });
    });

    it("passes unknown keys and nested objects through unchanged", () => {
        const rp = { train_mode: "sft", max_length: 4096, deepspeed: { stage: 2, offload: false }, tags: ["a", "b"] };
        assert.deepEqual(JSON.parse(serializeRunningParameter(rp)), rp);
    });

    it("drops keys whose value is undefined (an unset optional input)", () => {
        assert.equal(serializeRunningParameter({ num_epochs: 1, batch_size: undefined }), '{"num_epochs":1}');
    });

    it("is what createRequest sends as RunningParameter", () => {
        assert.equal(createRequest(inputs(), "t").RunningParameter, '{"learning_rate":"1e-6","num_epochs":1,"train_mode":"grpo","train_type":"lora"}');
    });
});

describe("polardb.AidbTask create request", () => {
    it("maps inputs to the documented parameter names (VPCId, VSwitchId, DBInstanceClass, ...)", () => {
        const req = createRequest({ ...inputs(), vpcId: "vpc-1", vSwitchId: "vsw-1", securityGroupId: "sg-1", zoneId: "cn-beijing-i", dbInstanceClass: "polar.pg.g6.4xlarge.guh", tuneArch: "x", modelType: "qwen3", evalDatasetPath: "pds-e" }, "name-1");
        assert.deepEqual(
            { ...req, RunningParameter: undefined },
            {
                DBClusterId: "pc-2ze0000000000000",
                ModelSource: "public",
                ModelName: "Qwen3-8B",
                RunningParameter: undefined,
                KubeType: "aitrain",
                ModelType: "qwen3",
                DatasetPath: "pds-2zetrain001",
                EvalDatasetPath: "pds-e",
                TaskName: "name-1",
                ZoneId: "cn-beijing-i",
                VPCId: "vpc-1",
                VSwitchId: "vsw-1",
                SecurityGroupId: "sg-1",
                DBInstanceClass: "polar.pg.g6.4xlarge.guh",
                TuneArch: "x",
            },
        );
    });

    it("sends KubeType aitrain when the input is unset", () => {
        const { kubeType: _k, ...rest } = inputs();
        assert.equal(createRequest(rest, "t").KubeType, "aitrain");
    });
});

describe("polardb.AidbTask marker", () => {
    it("is <taskName or resource name>-<8 hex>", () => {
        assert.match(taskMarker(inputs()), /^grpo-[0-9a-f]{8}$/);
        assert.match(taskMarker({ ...inputs(), taskName: "nightly" }), /^nightly-[0-9a-f]{8}$/);
    });

    it("is the same for the same inputs whatever their key order", () => {
        const a = inputs();
        const b: AidbTaskInputs = { ...a, runningParameter: { learning_rate: "1e-6", num_epochs: 1, train_type: "lora", train_mode: "grpo" } };
        assert.equal(taskMarker(a), taskMarker(b));
    });

    it("changes when an API input changes, so a replacement never adopts the old task", () => {
        assert.notEqual(taskMarker(inputs()), taskMarker({ ...inputs(), runningParameter: { ...inputs().runningParameter, num_epochs: 2 } }));
    });

    it("ignores the wait settings", () => {
        assert.equal(taskMarker(inputs()), taskMarker({ ...inputs(), waitForCompletion: false, completionTimeoutMinutes: 5 }));
    });

    it("differs between two stacks declaring the same resource (the URN seeds it), so neither adopts the other's task", () => {
        const urn = (stack: string) => `urn:pulumi:${stack}::training::pulumi-nodejs:dynamic/polardb:AidbTask::grpo`;
        assert.notEqual(taskMarker({ ...inputs(), pulumiUrn: urn("dev") }), taskMarker({ ...inputs(), pulumiUrn: urn("prod") }));
    });

    it("cuts a long name on code points, never inside a surrogate pair", () => {
        const marker = taskMarker({ ...inputs(), taskName: "𝔸".repeat(200) });
        assert.ok(!/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(marker), `no lone high surrogate in ${marker}`);
        assert.ok(Buffer.from(marker, "utf8").toString("utf8") === marker, "the marker survives UTF-8");
    });
});

describe("polardb.AidbTask outputs", () => {
    const detail = (o: Partial<AidbTaskAttribute> = {}): AidbTaskAttribute => ({
        DBClusterId: "pm-2ze99abc",
        DBClusterDescription: "grpo-0123abcd",
        DBClusterStatus: "COMPLETED",
        CreateTime: "2025-11-12T03:45:13Z",
        ModelPath: "/models_train/pm-2ze99abc/merged_models_checkpoint-10,/models_train/pm-2ze99abc/merged_models_checkpoint-5",
        AccessInfo: '{"networkInterfaceId":"eni-2zea1","port":"8000","host":"192.168.1.2"}',
        DataSets: [{ DatasetName: "dataset02", Path: "polardb_ai/datasets/train/grpo/dataset02/test.jsonl#1000", SplitDatasetRatio: "0.1", Type: "train" }],
        TaskInfo: [{ StartTime: "2025-11-12T03:46:00Z", CompletedTime: "2025-11-12T05:00:00Z" }],
        ...o,
    });

    it("splits ModelPath into an array of paths", () => {
        assert.deepEqual(taskOutputs(detail()).modelPaths, ["/models_train/pm-2ze99abc/merged_models_checkpoint-10", "/models_train/pm-2ze99abc/merged_models_checkpoint-5"]);
    });

    it("an empty ModelPath is an empty array", () => {
        assert.deepEqual(splitModelPaths(""), []);
    });

    it("parses AccessInfo into an object", () => {
        assert.deepEqual(taskOutputs(detail()).accessInfo, { networkInterfaceId: "eni-2zea1", port: "8000", host: "192.168.1.2" });
    });

    it("parses the doubly escaped AccessInfo of the documented example", () => {
        assert.deepEqual(parseAccessInfo('{\\"networkInterfaceId\\":\\"eni-2zea***\\",\\"port\\":\\"8000\\",\\"host\\":\\"192.**.**.**\\"}'), { networkInterfaceId: "eni-2zea***", port: "8000", host: "192.**.**.**" });
    });

    it("parses AccessInfo that is a JSON-encoded string of JSON", () => {
        assert.deepEqual(parseAccessInfo(JSON.stringify('{"port":"8000"}')), { port: "8000" });
    });

    it("leaves an unreadable AccessInfo undefined instead of failing", () => {
        assert.equal(parseAccessInfo("not json"), undefined);
    });

    it("reports times from TaskInfo and datasets in camelCase", () => {
        const o = taskOutputs(detail());
        assert.deepEqual([o.taskId, o.status, o.createTime, o.startTime, o.completedTime], ["pm-2ze99abc", "COMPLETED", "2025-11-12T03:45:13Z", "2025-11-12T03:46:00Z", "2025-11-12T05:00:00Z"]);
        assert.deepEqual(o.datasets, [{ datasetName: "dataset02", path: "polardb_ai/datasets/train/grpo/dataset02/test.jsonl#1000", splitDatasetRatio: "0.1", type: "train" }]);
    });
});

describe("polardb.AidbTask field table and lifecycle", () => {
    it("lists every API input of the schema, each as replace (no modify API)", () => {
        const apiInputs = Object.keys(aidbTaskSchema.shape).filter((k) => !(k in WAIT_FIELDS) && k !== "pulumiName");
        assert.deepEqual(Object.keys(AIDB_TASK_FIELDS).sort(), apiInputs.sort());
        assert.ok(Object.values(AIDB_TASK_FIELDS).every((e) => e === "replace"));
    });

    it("has no cancel: there is no stop action, destroy deletes directly", () => {
        assert.equal(aidbTaskKind.run?.cancel, undefined);
        assert.equal(aidbTaskKind.update, undefined);
    });

    it("uses the token pulumi-nodejs:dynamic/polardb:AidbTask", () => {
        assert.equal(aidbTaskKind.token, "polardb:AidbTask");
    });

    const olds = () => ({ ...inputs(), taskId: "pm-1", status: "COMPLETED", waitForCompletion: true });

    it("diff: an unchanged COMPLETED task has no changes", async () => {
        const d = await aidbTaskLifecycle.diff("pm-1", olds(), { ...inputs(), waitForCompletion: true });
        assert.equal(d.changes, false);
    });

    it("diff: a changed runningParameter replaces", async () => {
        const d = await aidbTaskLifecycle.diff("pm-1", olds(), { ...inputs(), runningParameter: { ...inputs().runningParameter, num_epochs: 3 }, waitForCompletion: true });
        assert.deepEqual(d.replaces, ["runningParameter"]);
    });

    it("diff: a changed wait setting is a change without replacement", async () => {
        const d = await aidbTaskLifecycle.diff("pm-1", olds(), { ...inputs(), waitForCompletion: false });
        assert.deepEqual([d.changes, d.replaces], [true, []]);
    });

    it("diff: a FAILED task is replaced although no input changed", async () => {
        const d = await aidbTaskLifecycle.diff("pm-1", { ...olds(), status: "FAILED" }, { ...inputs(), waitForCompletion: true });
        assert.deepEqual(d.replaces, ["status"]);
    });

    it("diff: an input unknown at preview counts as a replacement", async () => {
        const d = await aidbTaskLifecycle.diff("pm-1", olds(), { ...inputs(), modelName: UNKNOWN, waitForCompletion: true });
        assert.deepEqual(d.replaces, ["modelName"]);
    });
});
