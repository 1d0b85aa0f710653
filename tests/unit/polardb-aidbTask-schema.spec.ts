/**
 * `check` rules of polardb.AidbTask (provider/polardb/aidbTask.schema.ts),
 * through the shared `validate`: each failure names the property path, and
 * values unknown at preview pass.
 */
import { strict as assert } from "node:assert";
import { validate } from "../../provider/core/check";
import { UNKNOWN } from "../../provider/core/unknown";
import { aidbTaskSchema } from "../../provider/polardb/aidbTask.schema";
import aidbTaskLifecycle = require("../../provider/polardb/aidbTask.lifecycle");

const valid = () => ({
    dbClusterId: "pc-2ze0000000000000",
    modelSource: "public",
    modelName: "Qwen3-8B",
    datasetPath: "pds-2zetrain001",
    runningParameter: { train_mode: "grpo", train_type: "lora", num_epochs: 1, learning_rate: "1e-6", split_dataset_ratio: 0.1 },
});

/** The properties that fail, in order. */
const failing = (inputs: Record<string, unknown>) => validate(aidbTaskSchema, inputs).map((f) => f.property);

describe("polardb.AidbTask check", () => {
    it("accepts the documented GRPO example", () => {
        assert.deepEqual(failing(valid()), []);
    });

    it("accepts an evaluation task with only evalDatasetPath and no train mode", () => {
        const { datasetPath: _d, ...rest } = valid();
        assert.deepEqual(failing({ ...rest, evalDatasetPath: "pds-2zeeval001", runningParameter: { eval_batch_size: 2 } }), []);
    });

    it("requires dbClusterId", () => {
        const { dbClusterId: _c, ...rest } = valid();
        assert.deepEqual(failing(rest), ["dbClusterId"]);
    });

    it("rejects a dbClusterId that is not a pc- cluster (a task id pm-… by mistake)", () => {
        assert.deepEqual(failing({ ...valid(), dbClusterId: "pm-2ze99abc" }), ["dbClusterId"]);
    });

    it("rejects modelSource outside public|custom", () => {
        assert.deepEqual(failing({ ...valid(), modelSource: "private" }), ["modelSource"]);
    });

    it("requires modelName", () => {
        const { modelName: _m, ...rest } = valid();
        assert.deepEqual(failing(rest), ["modelName"]);
    });

    it("requires runningParameter", () => {
        const { runningParameter: _r, ...rest } = valid();
        assert.deepEqual(failing(rest), ["runningParameter"]);
    });

    it("rejects kubeType other than aitrain", () => {
        assert.deepEqual(failing({ ...valid(), kubeType: "ainode" }), ["kubeType"]);
    });

    it("requires datasetPath when fine-tuning (train_mode set)", () => {
        const { datasetPath: _d, ...rest } = valid();
        const failures = validate(aidbTaskSchema, rest);
        assert.deepEqual(failures.map((f) => f.property), ["datasetPath"]);
        assert.match(failures[0].reason, /fine-tuning/);
    });

    it("requires some data: datasetPath or evalDatasetPath", () => {
        const { datasetPath: _d, ...rest } = valid();
        assert.deepEqual(failing({ ...rest, runningParameter: {} }), ["datasetPath"]);
    });

    it("rejects num_epochs below 1 at runningParameter.num_epochs", () => {
        assert.deepEqual(failing({ ...valid(), runningParameter: { train_mode: "sft", num_epochs: 0 } }), ["runningParameter.num_epochs"]);
    });

    it("rejects a fractional batch_size", () => {
        assert.deepEqual(failing({ ...valid(), runningParameter: { batch_size: 2.5 } }), ["runningParameter.batch_size"]);
    });

    it("rejects split_dataset_ratio outside 0..1", () => {
        assert.deepEqual(failing({ ...valid(), runningParameter: { train_mode: "sft", split_dataset_ratio: 1.5 } }), ["runningParameter.split_dataset_ratio"]);
    });

    it("rejects gpu_memory_utilization of 0", () => {
        assert.deepEqual(failing({ ...valid(), runningParameter: { gpu_memory_utilization: 0 } }), ["runningParameter.gpu_memory_utilization"]);
    });

    it("rejects a learning_rate string that is not a positive number", () => {
        assert.deepEqual(failing({ ...valid(), runningParameter: { learning_rate: "fast" } }), ["runningParameter.learning_rate"]);
    });

    it("rejects train_mode outside sft|grpo and train_type outside lora|full", () => {
        assert.deepEqual(failing({ ...valid(), runningParameter: { train_mode: "dpo", train_type: "qlora" } }), ["runningParameter.train_mode", "runningParameter.train_type"]);
    });

    it("passes keys it does not know through (max_length, a nested object)", () => {
        assert.deepEqual(failing({ ...valid(), runningParameter: { train_mode: "sft", max_length: 4096, deepspeed: { stage: 2, offload: false } } }), []);
    });

    it("rejects a value JSON cannot carry (NaN) under an unknown key, naming the key", () => {
        assert.deepEqual(failing({ ...valid(), runningParameter: { train_mode: "sft", temperature: Number.NaN } }), ["runningParameter.temperature"]);
    });

    it("rejects a function inside runningParameter", () => {
        assert.deepEqual(failing({ ...valid(), runningParameter: { train_mode: "sft", callback: () => 1 } }), ["runningParameter.callback"]);
    });

    it("rejects a vpcId that is not vpc-…", () => {
        assert.deepEqual(failing({ ...valid(), vpcId: "vsw-2zeabc" }), ["vpcId"]);
    });

    it("rejects a taskName longer than 55 characters (the marker must fit)", () => {
        assert.deepEqual(failing({ ...valid(), taskName: "t".repeat(56) }), ["taskName"]);
    });

    it("rejects completionTimeoutMinutes of 0", () => {
        assert.deepEqual(failing({ ...valid(), completionTimeoutMinutes: 0 }), ["completionTimeoutMinutes"]);
    });

    it("rejects an argument the resource does not have", () => {
        assert.deepEqual(failing({ ...valid(), numEpochs: 3 }), ["(resource)"]);
    });

    describe("values unknown at preview", () => {
        it("an unknown dbClusterId passes", () => {
            assert.deepEqual(failing({ ...valid(), dbClusterId: UNKNOWN }), []);
        });

        it("an unknown runningParameter passes, and the datasetPath rule waits for it", () => {
            const { datasetPath: _d, ...rest } = valid();
            assert.deepEqual(failing({ ...rest, runningParameter: UNKNOWN }), []);
        });

        it("an unknown value inside runningParameter passes", () => {
            assert.deepEqual(failing({ ...valid(), runningParameter: { train_mode: "sft", num_epochs: UNKNOWN } }), []);
        });

        it("an unknown datasetPath passes", () => {
            assert.deepEqual(failing({ ...valid(), datasetPath: UNKNOWN }), []);
        });
    });

    describe("through the lifecycle's check", () => {
        it("fills kubeType with its default aitrain", async () => {
            const r = await aidbTaskLifecycle.check({}, valid());
            assert.deepEqual(r.failures, []);
            assert.equal(r.inputs?.kubeType, "aitrain");
        });

        it("reports failures with their reasons and makes no network call (no credentials set)", async () => {
            const r = await aidbTaskLifecycle.check({}, { ...valid(), modelSource: "private" });
            assert.deepEqual(r.failures?.map((f) => f.property), ["modelSource"]);
            assert.match(String(r.failures?.[0].reason), /public.*custom/);
        });
    });
});
