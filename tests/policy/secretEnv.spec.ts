import { Secret } from "@pulumi/policy";
import * as assert from "node:assert/strict";
import { looksSecret, nameWords } from "../../policy/secretEnv";
import { TRAINING_GUARD_DEFAULTS } from "../../policy/pack";
import { alayaTemplate, bailianFile, bailianJob, polardbTask, tioneTask, TYPE_TOKENS } from "./fixtures";
import {
    assertNoViolations,
    assertNotApplicable,
    assertViolation,
    resourceGuard,
    runResourcePolicy,
    secret,
    UNKNOWN,
    unwrapSecrets,
} from "./util";

const ALAYA = TYPE_TOKENS.alayaTrainingTemplate;
const TIONE = TYPE_TOKENS.tioneTrainingTask;

describe("policy: no-plaintext-secret-env", () => {
    describe("secret-looking names", () => {
        const defaults = TRAINING_GUARD_DEFAULTS.noPlaintextSecretEnv;

        it("splits names at separators and camelCase", () => {
            assert.deepEqual(nameWords("WANDB_API_KEY"), ["WANDB", "API", "KEY"]);
            assert.deepEqual(nameWords("hfToken"), ["HF", "TOKEN"]);
            assert.deepEqual(nameWords("db.password-2"), ["DB", "PASSWORD", "2"]);
        });

        it("flags secret words, not words that merely contain them", () => {
            for (const name of ["WANDB_API_KEY", "HF_TOKEN", "DB_PASSWORD", "apiKey", "OPENAI_APIKEY", "AWS_SECRET_ACCESS_KEY"]) {
                assert.ok(looksSecret(name, defaults), name);
            }
            for (const name of ["MONKEY", "TOKENIZERS_PARALLELISM", "EPOCHS", "KEYBOARD_LAYOUT"]) {
                assert.ok(!looksSecret(name, defaults), name);
            }
            assert.ok(!looksSecret("AWS_ACCESS_KEY_ID", { ...defaults, allowedNames: ["*_KEY_ID"] }));
        });
    });

    describe("default (advisory: warn)", () => {
        const policy = resourceGuard("noPlaintextSecretEnv");

        it("runs at the remediate level so that it can see secrets, and warns without changing anything", async () => {
            assert.equal(policy.enforcementLevel, "remediate");
            const run = await runResourcePolicy(policy, { type: ALAYA, props: await alayaTemplate({ env: { WANDB_API_KEY: "wk-123", EPOCHS: "3" } }) });
            const v = assertViolation(
                run,
                "Alaya training template sets WANDB_API_KEY (env.WANDB_API_KEY) in plaintext; its name looks secret, so its value would be stored unencrypted in the state and shown in previews. Pass it as a Pulumi secret (pulumi.secret(...) or config.requireSecret(...)), or, if it is not a secret, add the name to noPlaintextSecretEnv.allowedNames.",
            );
            assert.equal(v.enforcementLevel, "advisory");
            assert.ok(v.message.startsWith("Secrets in env, registry passwords, start commands and tuning parameters must be Pulumi secrets.\n"));
            assert.equal(run.remediatedProps, undefined);
        });

        it("passes secret values and non-secret names (Alaya map, TI-ONE list)", async () => {
            const alaya = await alayaTemplate({ env: { WANDB_API_KEY: secret("wk-123"), EPOCHS: "3" } });
            assertNoViolations(await runResourcePolicy(policy, { type: ALAYA, props: alaya }));
            const tione = await tioneTask({ envs: [{ name: "HF_TOKEN", value: secret("hf_x") }, { name: "EPOCHS", value: "3" }] });
            assertNoViolations(await runResourcePolicy(policy, { type: TIONE, props: tione }));
            const wholeMapSecret = await alayaTemplate({ env: secret({ HF_TOKEN: "hf_x" }) });
            assertNoViolations(await runResourcePolicy(policy, { type: ALAYA, props: wholeMapSecret }));
        });

        it("reports a credential under a harmless-looking name by the shape of its value: a URL with a password, a token", async () => {
            const alaya = await alayaTemplate({ env: { DATABASE_URL: "postgres://trainer:s3cr3t-pw@db.internal:5432/runs", TOKENIZER: "hf_AbCdEfGhIjKlMnOpQrStUvWx", EPOCHS: "3" } });
            const run = await runResourcePolicy(policy, { type: ALAYA, props: alaya });
            assertViolation(run, "sets DATABASE_URL (env.DATABASE_URL) in plaintext; its value looks like a URL with a password");
            assertViolation(run, "sets TOKENIZER (env.TOKENIZER) in plaintext; its value looks like a Hugging Face token");
        });

        it("passes URLs without a password and ordinary values under harmless names", async () => {
            const alaya = await alayaTemplate({ env: { DATA_URL: "https://data.example.com/alpaca.jsonl", MODEL: "qwen3-8b", EPOCHS: "3" } });
            assertNoViolations(await runResourcePolicy(policy, { type: ALAYA, props: alaya }));
        });

        it("reports a TI-ONE envs entry by its list path", async () => {
            const tione = await tioneTask({ envs: [{ name: "EPOCHS", value: "3" }, { name: "HF_TOKEN", value: "hf_x" }] });
            assertViolation(await runResourcePolicy(policy, { type: TIONE, props: tione }), "TI-ONE training task sets HF_TOKEN (envs[1].value) in plaintext");
        });

        it("skips values and names unknown at preview", async () => {
            const alaya = await alayaTemplate({ env: { HF_TOKEN: UNKNOWN.string } });
            assertNoViolations(await runResourcePolicy(policy, { type: ALAYA, props: alaya }));
            assertNoViolations(await runResourcePolicy(policy, { type: ALAYA, props: await alayaTemplate({ env: UNKNOWN.object }) }));
            const tione = await tioneTask({ envs: [{ name: UNKNOWN.string, value: "x" }] });
            assertNoViolations(await runResourcePolicy(policy, { type: TIONE, props: tione }));
        });
    });

    describe("mandatory (reject)", () => {
        it("blocks: the violation is reported as mandatory and nothing is changed", async () => {
            const policy = resourceGuard("noPlaintextSecretEnv", "mandatory");
            assert.equal(policy.enforcementLevel, "remediate");
            const run = await runResourcePolicy(policy, { type: ALAYA, props: await alayaTemplate({ env: { HF_TOKEN: "hf_x" } }) });
            assert.equal(assertViolation(run, "sets HF_TOKEN (env.HF_TOKEN) in plaintext").enforcementLevel, "mandatory");
            assert.equal(run.remediatedProps, undefined);
        });
    });

    describe("remediate (wrap)", () => {
        const policy = resourceGuard("noPlaintextSecretEnv", "remediate");

        it("turns plaintext secret-looking values into secrets and leaves everything else alone", async () => {
            const props = await alayaTemplate({ env: { HF_TOKEN: "hf_x", EPOCHS: "3", WANDB_API_KEY: secret("wk") } });
            const run = await runResourcePolicy(policy, { type: ALAYA, props });
            assertNoViolations(run);
            const env = run.remediatedProps!.env as Record<string, unknown>;
            assert.ok(env.HF_TOKEN instanceof Secret && env.HF_TOKEN.value === "hf_x");
            assert.equal(env.EPOCHS, "3");
            assert.ok(env.WANDB_API_KEY instanceof Secret);
            assert.deepEqual(unwrapSecrets(run.remediatedProps), unwrapSecrets(props));
        });

        it("wraps list entries by index (TI-ONE envs)", async () => {
            const props = await tioneTask({ envs: [{ name: "EPOCHS", value: "3" }, { name: "HF_TOKEN", value: "hf_x" }] });
            const run = await runResourcePolicy(policy, { type: TIONE, props });
            const envs = run.remediatedProps!.envs as { name: string; value: unknown }[];
            assert.equal(envs[0].value, "3");
            assert.ok(envs[1].value instanceof Secret);
        });

        it("returns nothing when there is nothing to wrap", async () => {
            const run = await runResourcePolicy(policy, { type: ALAYA, props: await alayaTemplate() });
            assert.equal(run.remediatedProps, undefined);
            assertNoViolations(run);
        });
    });

    describe("beyond env: registry passwords, start commands, tuning parameters", () => {
        const policy = resourceGuard("noPlaintextSecretEnv");
        const CUSTOM_IMAGE = { imageType: "CUSTOM", imageUrl: "registry.example.com/ml/trainer:1.0" };

        it("reports a plaintext TI-ONE registry password (imageInfo.imageSecret.password), never printing it", async () => {
            const props = await tioneTask({ imageInfo: { ...CUSTOM_IMAGE, imageSecret: { username: "ci", password: "cGFzc3dvcmQxMjM=" } } });
            const v = assertViolation(await runResourcePolicy(policy, { type: TIONE, props }), "TI-ONE training task sets imageInfo.imageSecret.password in plaintext; it is a password");
            assert.doesNotMatch(v.message, /cGFzc3dvcmQxMjM=/);
        });

        it("passes a registry password given as a secret", async () => {
            const props = await tioneTask({ imageInfo: { ...CUSTOM_IMAGE, imageSecret: { username: "ci", password: secret("cGFzc3dvcmQxMjM=") } } });
            assertNoViolations(await runResourcePolicy(policy, { type: TIONE, props }));
        });

        it("reports a TI-ONE start command that passes a token literally", async () => {
            const props = await tioneTask({ startCmdInfo: { startCmd: "export HF_TOKEN=hf_AbCdEfGhIjKlMnOpQrStUvWx && python train.py" } });
            const v = assertViolation(await runResourcePolicy(policy, { type: TIONE, props }), "sets startCmdInfo.startCmd in plaintext; it passes HF_TOKEN a literal value");
            assert.doesNotMatch(v.message, /AbCdEfGh/);
        });

        it("passes a start command that reads the token from the environment ($HF_TOKEN)", async () => {
            const props = await tioneTask({ startCmdInfo: { startCmd: "python train.py --hub-token $HF_TOKEN --epochs 3" } });
            assertNoViolations(await runResourcePolicy(policy, { type: TIONE, props }));
        });

        it("reports an Alaya start command that clones with a password in the URL", async () => {
            const props = await alayaTemplate({ startCommand: "git clone https://ci:s3cr3t-pw@git.example.com/ml/train.git && python train/run.py" });
            assertViolation(await runResourcePolicy(policy, { type: ALAYA, props }), "sets startCommand in plaintext; it contains a URL with a password");
        });

        it("reports a TI-ONE callbackUrl carrying a token in its query", async () => {
            const props = await tioneTask({ callbackUrl: "https://hooks.example.com/ti?job=1&token=abc123def456" });
            assertViolation(await runResourcePolicy(policy, { type: TIONE, props }), "sets callbackUrl in plaintext; it passes token a literal value");
        });

        it("reports a secret-named key in TI-ONE tuningParameters given as a JSON string", async () => {
            const props = await tioneTask({ tuningParameters: JSON.stringify({ lr: 0.0001, wandb_api_key: "wk-123456" }) });
            assertViolation(await runResourcePolicy(policy, { type: TIONE, props }), "sets tuningParameters.wandb_api_key in plaintext; its key looks secret");
        });

        it("reports a credential-shaped value in PolarDB runningParameter", async () => {
            const props = await polardbTask({ runningParameter: { train_mode: "sft", train_type: "lora", num_epochs: 3, batch_size: 8, hub_url: "https://u:pw123456@hub.example.com" } });
            assertViolation(await runResourcePolicy(policy, { type: TYPE_TOKENS.polardbAidbTask, props }), "PolarDB AIDB task sets runningParameter.hub_url in plaintext; its value looks like a URL with a password");
        });

        it("reports a secret-named key in Bailian extraHyperParameters", async () => {
            const props = await bailianJob({ extraHyperParameters: { reward_api_key: "rk-123456" } });
            assertViolation(await runResourcePolicy(policy, { type: TYPE_TOKENS.bailianFineTuneJob, props }), "Bailian fine-tune job sets extraHyperParameters.reward_api_key in plaintext; its key looks secret");
        });

        it("passes ordinary tuning parameters", async () => {
            assertNoViolations(await runResourcePolicy(policy, { type: TYPE_TOKENS.polardbAidbTask, props: await polardbTask() }));
            assertNoViolations(await runResourcePolicy(policy, { type: TIONE, props: await tioneTask({ tuningParameters: { lr: 0.0001, tokenizer: "qwen" } }) }));
        });

        it("wraps the field at the remediate level: the password becomes a secret, the rest of imageInfo stays plain", async () => {
            const props = await tioneTask({ imageInfo: { ...CUSTOM_IMAGE, imageSecret: { username: "ci", password: "cGFzc3dvcmQxMjM=" } } });
            const run = await runResourcePolicy(resourceGuard("noPlaintextSecretEnv", "remediate"), { type: TIONE, props });
            assertNoViolations(run);
            const image = run.remediatedProps!.imageInfo as { imageUrl: string; imageSecret: { username: string; password: unknown } };
            assert.ok(image.imageSecret.password instanceof Secret);
            assert.equal(image.imageSecret.username, "ci");
            assert.equal(image.imageUrl, CUSTOM_IMAGE.imageUrl);
            assert.deepEqual(unwrapSecrets(run.remediatedProps), unwrapSecrets(props));
        });

        it("wraps one key of a parameter object, not the whole object", async () => {
            const props = await bailianJob({ extraHyperParameters: { reward_api_key: "rk-123456", temperature: 0.7 } });
            const run = await runResourcePolicy(resourceGuard("noPlaintextSecretEnv", "remediate"), { type: TYPE_TOKENS.bailianFineTuneJob, props });
            const extra = run.remediatedProps!.extraHyperParameters as Record<string, unknown>;
            assert.ok(extra.reward_api_key instanceof Secret);
            assert.equal(extra.temperature, 0.7);
        });

        it("blocks a plaintext start-command token at mandatory", async () => {
            const props = await alayaTemplate({ startCommand: "python run.py --api-key=sk-abcdefghijklmnopqrstuv1234" });
            const run = await runResourcePolicy(resourceGuard("noPlaintextSecretEnv", "mandatory"), { type: ALAYA, props });
            assert.equal(assertViolation(run, "sets startCommand in plaintext; it passes api-key a literal value").enforcementLevel, "mandatory");
        });
    });

    describe("configuration", () => {
        it("takes name words, exceptions and the action from the engine's configuration", async () => {
            const policy = resourceGuard("noPlaintextSecretEnv");
            const props = await alayaTemplate({ env: { SESSION_COOKIE: "c", HF_TOKEN: "t" } });
            const run = await runResourcePolicy(policy, {
                type: ALAYA,
                props,
                config: { enforcementLevel: "remediate", secretNameWords: ["COOKIE", "TOKEN"], allowedNames: ["HF_*"], onPlaintext: "reject" },
            });
            assertViolation(run, "sets SESSION_COOKIE");
            assert.equal(run.violations.length, 1);
            assert.equal(run.violations[0].enforcementLevel, "mandatory");
        });

        it("rejects an unknown action with a clear error", async () => {
            await assert.rejects(
                runResourcePolicy(resourceGuard("noPlaintextSecretEnv"), {
                    type: ALAYA,
                    props: await alayaTemplate(),
                    config: { onPlaintext: "shred" },
                }),
                /config 'onPlaintext' must be one of 'warn', 'reject' or 'wrap', got "shred"/,
            );
        });

        it("fails closed when configured at mandatory directly (a plain `all: mandatory` config): a plaintext token is a mandatory violation", async () => {
            // Before: the policy declared itself not applicable here, and the plaintext token went unreported.
            const run = await runResourcePolicy(resourceGuard("noPlaintextSecretEnv"), {
                type: ALAYA,
                props: await alayaTemplate({ env: { HF_TOKEN: "hf_AbCdEfGhIjKlMnOpQrStUvWx" } }),
                config: { enforcementLevel: "mandatory" },
            });
            const v = assertViolation(run, /sets HF_TOKEN \(env\.HF_TOKEN\) in plaintext.*cannot see whether a value is already a Pulumi secret/);
            assert.equal(v.enforcementLevel, "mandatory");
            assert.equal(run.notApplicable, undefined);
            assert.doesNotMatch(v.message, /AbCdEfGh/, "the value itself is never printed");
        });

        it("passes a resource with nothing secret-looking when configured at mandatory directly", async () => {
            const clean = await runResourcePolicy(resourceGuard("noPlaintextSecretEnv"), {
                type: ALAYA,
                props: await alayaTemplate(),
                config: { enforcementLevel: "mandatory" },
            });
            assertNoViolations(clean);
        });
    });

    it("does nothing when disabled", async () => {
        const run = await runResourcePolicy(resourceGuard("noPlaintextSecretEnv", "disabled"), {
            type: ALAYA,
            props: await alayaTemplate({ env: { HF_TOKEN: "t" } }),
        });
        assert.equal(run.ran, false);
    });

    it("is not applicable to kinds with neither env nor secret-bearing fields (a Bailian file)", async () => {
        assertNotApplicable(await runResourcePolicy(resourceGuard("noPlaintextSecretEnv"), { type: TYPE_TOKENS.bailianFile, props: await bailianFile() }));
    });
});
