import { Secret } from "@pulumi/policy";
import * as assert from "node:assert/strict";
import { looksSecret, nameWords } from "../../policy/secretEnv";
import { TRAINING_GUARD_DEFAULTS } from "../../policy/pack";
import { alayaTemplate, bailianJob, tioneTask, TYPE_TOKENS } from "./fixtures";
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
            const run = await runResourcePolicy(policy, { type: ALAYA, props: alayaTemplate({ env: { WANDB_API_KEY: "wk-123", EPOCHS: "3" } }) });
            const v = assertViolation(
                run,
                "Alaya training template sets WANDB_API_KEY (env.WANDB_API_KEY) in plaintext; its name looks secret, so its value would be stored unencrypted in the state and shown in previews. Pass it as a Pulumi secret (pulumi.secret(...) or config.requireSecret(...)), or, if it is not a secret, add the name to noPlaintextSecretEnv.allowedNames.",
            );
            assert.equal(v.enforcementLevel, "advisory");
            assert.ok(v.message.startsWith("Environment variables whose names look secret must be Pulumi secrets.\n"));
            assert.equal(run.remediatedProps, undefined);
        });

        it("passes secret values and non-secret names (Alaya map, TI-ONE list)", async () => {
            const alaya = alayaTemplate({ env: { WANDB_API_KEY: secret("wk-123"), EPOCHS: "3" } });
            assertNoViolations(await runResourcePolicy(policy, { type: ALAYA, props: alaya }));
            const tione = tioneTask({ envs: [{ name: "HF_TOKEN", value: secret("hf_x") }, { name: "EPOCHS", value: "3" }] });
            assertNoViolations(await runResourcePolicy(policy, { type: TIONE, props: tione }));
            const wholeMapSecret = alayaTemplate({ env: secret({ HF_TOKEN: "hf_x" }) });
            assertNoViolations(await runResourcePolicy(policy, { type: ALAYA, props: wholeMapSecret }));
        });

        it("reports a credential under a harmless-looking name by the shape of its value: a URL with a password, a token", async () => {
            const alaya = alayaTemplate({ env: { DATABASE_URL: "postgres://trainer:s3cr3t-pw@db.internal:5432/runs", TOKENIZER: "hf_AbCdEfGhIjKlMnOpQrStUvWx", EPOCHS: "3" } });
            const run = await runResourcePolicy(policy, { type: ALAYA, props: alaya });
            assertViolation(run, "sets DATABASE_URL (env.DATABASE_URL) in plaintext; its value looks like a URL with a password");
            assertViolation(run, "sets TOKENIZER (env.TOKENIZER) in plaintext; its value looks like a Hugging Face token");
        });

        it("passes URLs without a password and ordinary values under harmless names", async () => {
            const alaya = alayaTemplate({ env: { DATA_URL: "https://data.example.com/alpaca.jsonl", MODEL: "qwen3-8b", EPOCHS: "3" } });
            assertNoViolations(await runResourcePolicy(policy, { type: ALAYA, props: alaya }));
        });

        it("reports a TI-ONE envs entry by its list path", async () => {
            const tione = tioneTask({ envs: [{ name: "EPOCHS", value: "3" }, { name: "HF_TOKEN", value: "hf_x" }] });
            assertViolation(await runResourcePolicy(policy, { type: TIONE, props: tione }), "TI-ONE training task sets HF_TOKEN (envs[1].value) in plaintext");
        });

        it("skips values and names unknown at preview", async () => {
            const alaya = alayaTemplate({ env: { HF_TOKEN: UNKNOWN.string } });
            assertNoViolations(await runResourcePolicy(policy, { type: ALAYA, props: alaya }));
            assertNoViolations(await runResourcePolicy(policy, { type: ALAYA, props: alayaTemplate({ env: UNKNOWN.object }) }));
            const tione = tioneTask({ envs: [{ name: UNKNOWN.string, value: "x" }] });
            assertNoViolations(await runResourcePolicy(policy, { type: TIONE, props: tione }));
        });
    });

    describe("mandatory (reject)", () => {
        it("blocks: the violation is reported as mandatory and nothing is changed", async () => {
            const policy = resourceGuard("noPlaintextSecretEnv", "mandatory");
            assert.equal(policy.enforcementLevel, "remediate");
            const run = await runResourcePolicy(policy, { type: ALAYA, props: alayaTemplate({ env: { HF_TOKEN: "hf_x" } }) });
            assert.equal(assertViolation(run, "sets HF_TOKEN (env.HF_TOKEN) in plaintext").enforcementLevel, "mandatory");
            assert.equal(run.remediatedProps, undefined);
        });
    });

    describe("remediate (wrap)", () => {
        const policy = resourceGuard("noPlaintextSecretEnv", "remediate");

        it("turns plaintext secret-looking values into secrets and leaves everything else alone", async () => {
            const props = alayaTemplate({ env: { HF_TOKEN: "hf_x", EPOCHS: "3", WANDB_API_KEY: secret("wk") } });
            const run = await runResourcePolicy(policy, { type: ALAYA, props });
            assertNoViolations(run);
            const env = run.remediatedProps!.env as Record<string, unknown>;
            assert.ok(env.HF_TOKEN instanceof Secret && env.HF_TOKEN.value === "hf_x");
            assert.equal(env.EPOCHS, "3");
            assert.ok(env.WANDB_API_KEY instanceof Secret);
            assert.deepEqual(unwrapSecrets(run.remediatedProps), unwrapSecrets(props));
        });

        it("wraps list entries by index (TI-ONE envs)", async () => {
            const props = tioneTask({ envs: [{ name: "EPOCHS", value: "3" }, { name: "HF_TOKEN", value: "hf_x" }] });
            const run = await runResourcePolicy(policy, { type: TIONE, props });
            const envs = run.remediatedProps!.envs as { name: string; value: unknown }[];
            assert.equal(envs[0].value, "3");
            assert.ok(envs[1].value instanceof Secret);
        });

        it("returns nothing when there is nothing to wrap", async () => {
            const run = await runResourcePolicy(policy, { type: ALAYA, props: alayaTemplate() });
            assert.equal(run.remediatedProps, undefined);
            assertNoViolations(run);
        });
    });

    describe("configuration", () => {
        it("takes name words, exceptions and the action from the engine's configuration", async () => {
            const policy = resourceGuard("noPlaintextSecretEnv");
            const props = alayaTemplate({ env: { SESSION_COOKIE: "c", HF_TOKEN: "t" } });
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
                    props: alayaTemplate(),
                    config: { onPlaintext: "shred" },
                }),
                /config 'onPlaintext' must be one of 'warn', 'reject' or 'wrap', got "shred"/,
            );
        });

        it("says it cannot judge, rather than guessing, when configured at advisory/mandatory directly", async () => {
            const run = await runResourcePolicy(resourceGuard("noPlaintextSecretEnv"), {
                type: ALAYA,
                props: alayaTemplate({ env: { HF_TOKEN: secret("t") } }),
                config: { enforcementLevel: "mandatory" },
            });
            assertNotApplicable(run, /cannot tell whether HF_TOKEN are secrets.*enforcementLevel "remediate"/);
            const clean = await runResourcePolicy(resourceGuard("noPlaintextSecretEnv"), {
                type: ALAYA,
                props: alayaTemplate(),
                config: { enforcementLevel: "mandatory" },
            });
            assertNoViolations(clean);
        });
    });

    it("does nothing when disabled", async () => {
        const run = await runResourcePolicy(resourceGuard("noPlaintextSecretEnv", "disabled"), {
            type: ALAYA,
            props: alayaTemplate({ env: { HF_TOKEN: "t" } }),
        });
        assert.equal(run.ran, false);
    });

    it("is not applicable to kinds without env", async () => {
        assertNotApplicable(await runResourcePolicy(resourceGuard("noPlaintextSecretEnv"), { type: TYPE_TOKENS.bailianFineTuneJob, props: bailianJob() }));
    });
});
