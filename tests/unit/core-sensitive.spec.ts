import * as assert from "node:assert/strict";
import { resourceHash } from "../../provider/core/marker";
import { secretOutputNames, sensitiveRedactor, withSecretSensitiveInputs, withoutSensitiveValues } from "../../provider/core/sensitive";

describe("provider/core sensitive inputs", () => {
    describe("withoutSensitiveValues (what a marker hashes)", () => {
        it("masks every string under a sensitive input and keeps keys, list lengths and numbers", () => {
            const masked = withoutSensitiveValues({ env: { HF_TOKEN: "hf_abc", DEBUG: "1" }, args: ["--lr", 3], model: "qwen" }, ["env", "args"]);
            assert.deepEqual(masked, { env: { HF_TOKEN: "***", DEBUG: "***" }, args: ["***", 3], model: "qwen" });
        });

        it("gives one marker whatever the secret value, and another when an env var is added", () => {
            const urn = { pulumiUrn: "urn:pulumi:dev::p::t::a" };
            const hash = (env: Record<string, string>) => resourceHash(urn, { env }, ["env"]);
            assert.equal(hash({ TOKEN: "one-secret" }), hash({ TOKEN: "another-secret" }));
            assert.notEqual(hash({ TOKEN: "one-secret" }), hash({ TOKEN: "one-secret", EXTRA: "x" }));
        });
    });

    describe("sensitiveRedactor (what errors and progress lines show)", () => {
        it("masks a whole sensitive value wherever it appears", () => {
            const redact = sensitiveRedactor({ env: { WANDB_API_KEY: "wandb-key-value" } }, ["env"]);
            assert.equal(redact("auth failed for wandb-key-value."), "auth failed for ***.");
        });

        it("masks a token inside a start command but leaves words and paths readable", () => {
            const redact = sensitiveRedactor({ startCommand: "python train.py --data /mnt/data/train.jsonl --hub-token=hf_9aZq7Lm2Xc4Vb8" }, ["startCommand"]);
            assert.equal(redact("train.py: 401 for token hf_9aZq7Lm2Xc4Vb8 reading /mnt/data/train.jsonl"), "train.py: 401 for token *** reading /mnt/data/train.jsonl");
        });

        it("leaves short values such as true or 1 alone, so messages stay readable", () => {
            const redact = sensitiveRedactor({ env: { DEBUG: "1", FLAG: "true" } }, ["env"]);
            assert.equal(redact("flag is true, level 1"), "flag is true, level 1");
        });

        it("ignores inputs that are not sensitive", () => {
            const redact = sensitiveRedactor({ model: "qwen-plus-latest" }, ["env"]);
            assert.equal(redact("model qwen-plus-latest"), "model qwen-plus-latest");
        });
    });

    describe("a dotted path: a secret inside an input whose other fields are not secret", () => {
        const inputs = { imageInfo: { imageType: "CUSTOM", imageUrl: "registry.example.com/team/trainer:1", imageSecret: { username: "ci-bot", password: "cmVnaXN0cnktcGFzc3dvcmQ=" } } };
        const paths = ["imageInfo.imageSecret"];

        it("masks only the values under the path in what a marker hashes", () => {
            assert.deepEqual(withoutSensitiveValues(inputs, paths), { imageInfo: { ...inputs.imageInfo, imageSecret: { username: "***", password: "***" } } });
        });

        it("masks the login in text but leaves the image URL readable", () => {
            const redact = sensitiveRedactor(inputs, paths);
            assert.equal(redact("pull registry.example.com/team/trainer:1 as ci-bot with cmVnaXN0cnktcGFzc3dvcmQ= failed"), "pull registry.example.com/team/trainer:1 as *** with *** failed");
        });

        it("wraps each value under the path as a secret in a read's inputs, and nothing else", () => {
            const wrapped = withSecretSensitiveInputs(inputs, paths) as any;
            assert.equal(wrapped.imageInfo.imageUrl, inputs.imageInfo.imageUrl);
            assert.equal(wrapped.imageInfo.imageSecret.password.value, inputs.imageInfo.imageSecret.password);
            assert.equal(wrapped.imageInfo.imageSecret.password["4dabf18193072939515e22adb298388d"], "1b47061264138c4ac30d75fd1eb44270");
        });

        it("names the top-level output that holds it, for additionalSecretOutputs", () => {
            assert.deepEqual(secretOutputNames(["envs", "imageInfo.imageSecret", "imageInfo.other"]), ["envs", "imageInfo"]);
        });
    });
});
