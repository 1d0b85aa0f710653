import * as assert from "node:assert/strict";
import { z } from "zod";
import { dottedPath, validate } from "../../provider/core/check";
import { profiled, setting } from "../../provider/core/config";
import { compareFields, effectOf } from "../../provider/core/fields";
import { canonicalJson, inputHash } from "../../provider/core/marker";
import { UNKNOWN } from "../../provider/core/unknown";
import { scaledSchedule, DEFAULT_POLL } from "../../provider/core/wait";
import { fineTuneJobKind } from "../../provider/bailian/fineTuneJob.kind";
import { createRequest } from "../../provider/bailian/fineTuneJob.kind";

describe("provider/core", () => {
    const table = { model: "replace", tags: "update", waitForCompletion: "local" } as const;

    it("a field table sorts changed inputs into replaces, updates and local changes", () => {
        const c = compareFields(table, { model: "a", tags: ["x"], waitForCompletion: true }, { model: "b", tags: ["y"], waitForCompletion: false });
        assert.deepEqual(c, { changed: ["model", "tags", "waitForCompletion"], replaces: ["model"], updates: ["tags"], local: ["waitForCompletion"] });
    });

    it("absent and undefined are the same, and deep-equal objects are unchanged", () => {
        const c = compareFields(table, { model: "a", tags: [{ k: 1 }] }, { model: "a", tags: [{ k: 1 }], waitForCompletion: undefined });
        assert.deepEqual(c.changed, []);
    });

    it("an unknown new value counts as a change", () => {
        assert.deepEqual(compareFields(table, { model: "a" }, { model: UNKNOWN }).replaces, ["model"]);
    });

    it("check failures carry dotted paths with array indexes", () => {
        assert.equal(dottedPath(["resourceConfigInfos", 0, "gpu"]), "resourceConfigInfos[0].gpu");
        const schema = z.object({ items: z.array(z.object({ gpu: z.number().min(0, "must not be negative") })) });
        assert.deepEqual(validate(schema, { items: [{ gpu: 1 }, { gpu: -1 }] }), [{ property: "items[1].gpu", reason: "must not be negative" }]);
    });

    it("check lets unknown values through at preview, also inside objects", () => {
        const schema = z.object({ n: z.number(), o: z.object({ s: z.string() }) }).strict();
        assert.deepEqual(validate(schema, { n: UNKNOWN, o: UNKNOWN }), []);
        assert.deepEqual(validate(schema, { n: 1, o: { s: UNKNOWN } }), []);
    });

    it("check ignores the engine's __provider input", () => {
        assert.deepEqual(validate(z.object({ a: z.string() }).strict(), { a: "x", __provider: "exports.handler = ..." }), []);
    });

    it("the marker hash ignores key order and changes with the resource name or inputs", () => {
        assert.equal(canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] }), '{"a":[2,{"c":4,"d":3}],"b":1}');
        assert.equal(inputHash("job", { a: 1, b: 2 }), inputHash("job", { b: 2, a: 1 }));
        assert.notEqual(inputHash("job", { a: 1 }), inputHash("job2", { a: 1 }));
        assert.notEqual(inputHash("job", { a: 1 }), inputHash("job", { a: 2 }));
    });

    it("the default poll schedule spends at most 70 requests on a one-hour job and notices its end within 60 s", () => {
        let t = 0, polls = 0, interval = DEFAULT_POLL.initialMs;
        while (t < 3_600_000) {
            t += interval;
            polls++;
            interval = Math.min(DEFAULT_POLL.maxMs, interval * DEFAULT_POLL.factor);
        }
        assert.ok(polls <= 70, `${polls} polls`);
        assert.ok(DEFAULT_POLL.maxMs <= 60_000);
        assert.equal(scaledSchedule(0.5).maxMs, 30_000);
    });
});

describe("bailian.FineTuneJob kind", () => {
    /** The hyper-parameters DashScope requires on every fine-tune. */
    const REQUIRED = { nEpochs: 1, batchSize: 8, maxLength: 2048 };

    it("every API field replaces: DashScope cannot modify a fine-tune; only the inputs that settle an unproven identical job are local", () => {
        assert.deepEqual(
            Object.entries(fineTuneJobKind.fields)
                .filter(([, rule]) => effectOf(rule) !== "replace")
                .map(([k]) => k)
                .sort(),
            ["adoptJobId", "allowIdenticalJob"],
        );
    });

    it("the request maps camelCase hyper-parameters and datasets to the snake_case wire names", () => {
        const body = createRequest(
            {
                model: "qwen3-8b",
                trainingDatasets: [{ dataSourceType: "oss_mount", mountStorage: { region: "cn-beijing", bucket: "b", filePath: "d/data.jsonl" } }],
                hyperParameters: { nEpochs: 3, batchSize: 16, maxLength: 2048, learningRate: "1e-5", loraRank: 64 },
                extraHyperParameters: { prompt_loss: 0 },
                trainingType: "efficient_sft",
            },
            "tune-0123abcd",
        );
        assert.deepEqual(body.hyper_parameters, { prompt_loss: 0, n_epochs: 3, batch_size: 16, max_length: 2048, learning_rate: "1e-5", lora_rank: 64 });
        assert.deepEqual(body.training_datasets, [{ data_source_type: "oss_mount", file_id: undefined, mount_storage: { region: "cn-beijing", bucket: "b", file_path: "d/data.jsonl" } }]);
        assert.equal(body.job_name, "tune-0123abcd");
    });

    it("the schema rejects a LoRA parameter on a full fine-tune and names the field", () => {
        const f = validate(fineTuneJobKind.schema, { model: "m", trainingFileIds: ["f"], trainingType: "sft", hyperParameters: { ...REQUIRED, loraRank: 8 } });
        assert.deepEqual(f, [{ property: "hyperParameters.loraRank", reason: 'applies only to trainingType "efficient_sft" or "dpo_lora", not "sft"' }]);
    });

    it("the schema requires training data and rejects both shapes at once", () => {
        assert.deepEqual(validate(fineTuneJobKind.schema, { model: "m", hyperParameters: REQUIRED }).map((f) => f.property), ["trainingFileIds"]);
        assert.deepEqual(validate(fineTuneJobKind.schema, { model: "m", trainingFileIds: ["a"], trainingDatasets: [{ dataSourceType: "file_id", fileId: "a" }], hyperParameters: REQUIRED }).map((f) => f.property), ["trainingDatasets"]);
    });

    it("the schema accepts learningRate as a number or a numeric string and rejects other strings", () => {
        assert.deepEqual(validate(fineTuneJobKind.schema, { model: "m", trainingFileIds: ["a"], hyperParameters: { ...REQUIRED, learningRate: 1e-5 } }), []);
        assert.deepEqual(validate(fineTuneJobKind.schema, { model: "m", trainingFileIds: ["a"], hyperParameters: { ...REQUIRED, learningRate: "2e-5" } }), []);
        assert.equal(validate(fineTuneJobKind.schema, { model: "m", trainingFileIds: ["a"], hyperParameters: { ...REQUIRED, learningRate: "fast" } })[0].property, "hyperParameters.learningRate");
    });

    it("an unknown hyper-parameter is rejected with its name, pointing to extraHyperParameters", () => {
        const f = validate(fineTuneJobKind.schema, { model: "m", trainingFileIds: ["a"], hyperParameters: { ...REQUIRED, epochs: 3 } });
        assert.equal(f[0].property, "hyperParameters");
        assert.match(f[0].reason, /epochs/);
    });
});

describe("credential profiles (core/config.ts)", () => {
    it("a profile reads its own config namespace and variable prefix", () => {
        assert.deepEqual(profiled("intl", ["dashscope:apiKey"], ["DASHSCOPE_API_KEY"]), { configKeys: ["dashscope-intl:apiKey"], envNames: ["INTL_DASHSCOPE_API_KEY"] });
        assert.deepEqual(profiled("team-b", ["tencentcloud:secretId"], ["TENCENTCLOUD_SECRET_ID"]), { configKeys: ["tencentcloud-team-b:secretId"], envNames: ["TEAM_B_TENCENTCLOUD_SECRET_ID"] });
    });

    it("without a profile the names are as given", () => {
        assert.deepEqual(profiled(undefined, ["alaya:apiKey"], ["ALAYA_API_KEY"]), { configKeys: ["alaya:apiKey"], envNames: ["ALAYA_API_KEY"] });
    });

    it("a profiled setting never falls back to the default account's", () => {
        const saved = { a: process.env.DASHSCOPE_API_KEY, b: process.env.INTL_DASHSCOPE_API_KEY };
        process.env.DASHSCOPE_API_KEY = "sk-default";
        delete process.env.INTL_DASHSCOPE_API_KEY;
        try {
            assert.equal(setting(["dashscope:apiKey"], ["DASHSCOPE_API_KEY"], "intl"), undefined);
            process.env.INTL_DASHSCOPE_API_KEY = "sk-intl";
            assert.equal(setting(["dashscope:apiKey"], ["DASHSCOPE_API_KEY"], "intl"), "sk-intl");
        } finally {
            for (const [k, v] of [["DASHSCOPE_API_KEY", saved.a], ["INTL_DASHSCOPE_API_KEY", saved.b]] as const) v === undefined ? delete process.env[k] : (process.env[k] = v);
        }
    });

    it("check refuses a profile name that cannot be a config namespace, naming the field", () => {
        assert.deepEqual(validate(fineTuneJobKind.schema, { model: "m", trainingFileIds: ["f"], hyperParameters: { nEpochs: 1, batchSize: 8, maxLength: 2048 }, profile: "Team B" }).map((f) => f.property), ["profile"]);
    });
});
