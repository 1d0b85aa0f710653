/**
 * Credentials and secrets through the real `pulumi` CLI: every cloud's keys
 * set with `pulumi config set --secret` in its own namespace, none in the
 * environment; the CLI's whole output and `pulumi stack export` hold none of
 * them, nor any secret input, and secret inputs stay secret in outputs.
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { CONFIG_CREDENTIALS, EXAMPLES, NO_CLOUD_ENV, configCredentialsConfig, projectName } from "../exampleCases";
import { CliResult } from "./cli";
import { cliFixture, describeCli, failed, leaked, ok, TEST_CREDENTIALS } from "./support";

describeCli("secrets and credentials", function () {
    this.timeout(240_000);

    it("credentials only in secret stack config: all four clouds work, and no credential reaches the CLI's output or the exported state", async () => {
        const fx = await cliFixture({ program: path.join(EXAMPLES, "config-credentials"), project: projectName("config-credentials"), env: NO_CLOUD_ENV });
        try {
            await fx.stack.init();
            await fx.stack.setConfig({ ...configCredentialsConfig(fx.emu), "pulumi-training:pollScale": "0.02" }, CONFIG_CREDENTIALS);
            const runs: CliResult[] = [];
            runs.push(ok(await fx.stack.preview()));
            runs.push(ok(await fx.stack.up("--skip-preview")));
            const o = await fx.stack.outputs();
            assert.deepEqual(o.configuredClouds, ["bailian", "tione", "polardb", "alaya"]);
            assert.equal(o.tioneStatus, "SUCCEED");
            assert.equal(o.polardbStatus, "COMPLETED");
            assert.equal(o.fineTuneStatus, "SUCCEEDED");
            assert.ok(fx.requests() > 0, "the clouds were called");
            runs.push(ok(await fx.stack.refresh("--skip-preview")));
            const exported = await fx.stack.exportRaw();
            // Decrypted, the training resources (inputs, outputs, `__provider`) hold no credential: the provider
            // reads keys from config at run time. The engine records the whole stack config as the inputs of the
            // default `pulumi-nodejs` provider (that is how a dynamic provider gets config), secrets as secrets.
            const deployment = await fx.stack.deployment();
            const trainingResources = JSON.stringify((deployment.resources ?? []).filter((r) => !r.type.startsWith("pulumi:providers:")));
            const provider = (deployment.resources ?? []).find((r) => r.type === "pulumi:providers:pulumi-nodejs");
            for (const key of ["dashscope:apiKey", "tencentcloud:secretKey", "alicloud:secretKey", "alaya:apiKey"]) {
                assert.equal(provider?.inputs?.[key]?.["4dabf18193072939515e22adb298388d"], "1b47061264138c4ac30d75fd1eb44270", `${key} is a secret in the provider's recorded config`);
            }
            runs.push(ok(await fx.stack.destroy("--skip-preview")));
            const shown = runs.map((r) => r.output).join("\n");
            assert.deepEqual(leaked(shown, TEST_CREDENTIALS), [], "no credential in anything the CLI printed");
            assert.deepEqual(leaked(exported, TEST_CREDENTIALS), [], "no credential in the exported state");
            assert.deepEqual(leaked(trainingResources, TEST_CREDENTIALS), [], "no credential in any training resource, even decrypted (__provider included)");
        } finally {
            await fx.close();
        }
    });

    it("a secret env value stays a secret in the template's outputs, in state and after a refresh", async () => {
        const WANDB = "wandb-cli-secret-77aa";
        const fx = await cliFixture({ program: path.join(EXAMPLES, "alaya-template"), project: projectName("alaya-template"), secretConfig: { wandbApiKey: WANDB } });
        try {
            const up = ok(await fx.stack.up("--skip-preview"));
            const refresh = ok(await fx.stack.refresh("--skip-preview"));
            const raw = await fx.stack.exportRaw();
            assert.deepEqual(leaked(raw + up.output + refresh.output, [WANDB]), []);
            const [template] = await fx.stack.resources();
            assert.equal(template.outputs?.env?.["4dabf18193072939515e22adb298388d"], "1b47061264138c4ac30d75fd1eb44270", "the output stays a secret after refresh");
            assert.equal((await fx.stack.outputs()).environment.WANDB_API_KEY, WANDB);
        } finally {
            await fx.close();
        }
    });
});

describeCli("secrets where people put them (issue 15, items 9 and 10)", function () {
    this.timeout(240_000);
    const PROGRAM = path.join(__dirname, "programs", "secrets.ts");
    const HUB_TOKEN = "hf_cliSecret5150aa77";

    /** Every secret value the scan looks for, in what the CLI printed and in the exported state (encrypted and decrypted). */
    async function assertNoPlaintext(fx: Awaited<ReturnType<typeof cliFixture>>, printed: string, secrets: string[]): Promise<void> {
        assert.deepEqual(leaked(printed, secrets), [], "nothing the CLI printed");
        const raw = await fx.stack.exportRaw();
        const found = leaked(raw, secrets);
        if (found.length) {
            const where: string[] = [];
            const walk = (v: unknown, at: string): void => {
                if (typeof v === "string") {
                    if (secrets.some((x) => v.includes(x))) where.push(at);
                } else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, `${at}.${k}`);
            };
            const state = JSON.parse(raw);
            walk(state, "");
            where.push(`(resources: ${(state.deployment?.resources ?? []).map((r: { urn: string }) => r.urn).join(", ")})`);
            assert.fail(`plaintext ${found.join(", ")} in the exported state at ${where.join("; ") || "(not in a resource's inputs or outputs)"}`);
        }
    }

    it("a pulumi.secret hyper-parameter stays secret in the echoed effectiveHyperParameters, and no marker hashes it", async () => {
        const fx = await cliFixture({ program: PROGRAM, project: "test" });
        try {
            const fileId = (await fx.control("POST", "/dashscope/files", { name: "train.jsonl" })).data.file_id;
            await fx.stack.init();
            await fx.stack.setConfig({ trainingFileId: fileId }, { hubToken: HUB_TOKEN });
            const up = ok(await fx.stack.up("--skip-preview"));
            const [job] = (await fx.stack.resources()).filter((r) => r.type.endsWith("bailian:FineTuneJob"));
            assert.equal(job.outputs?.effectiveHyperParameters?.["4dabf18193072939515e22adb298388d"], "1b47061264138c4ac30d75fd1eb44270", "effectiveHyperParameters is a secret");
            const marker = String((await fx.control("GET", "/dashscope/fine-tunes")).jobs[0].job_name);
            // Same resource, another token value: the marker is unchanged, so it says nothing about the token.
            await fx.stack.setConfig({}, { hubToken: "hf_anotherValue000111" });
            const preview = ok(await fx.stack.preview("--diff"));
            assert.match(preview.output, /replace/);
            assert.match(marker, /^tuned-[0-9a-f]{8}$/);
            await assertNoPlaintext(fx, up.output + preview.output, [HUB_TOKEN]);
        } finally {
            await fx.close();
        }
    });

    it("a failure reason and log tail that repeat a secret are masked in the error and secret in state", async () => {
        const fx = await cliFixture({ program: PROGRAM, project: "test", stepMs: 2500 });
        try {
            const fileId = (await fx.control("POST", "/dashscope/files", { name: "train.jsonl" })).data.file_id;
            await fx.stack.init();
            await fx.stack.setConfig({ trainingFileId: fileId }, { hubToken: HUB_TOKEN });
            const running = fx.stack.up("--skip-preview");
            let id: string | undefined;
            for (let i = 0; i < 400 && !id; i++) {
                id = (await fx.control("GET", "/dashscope/fine-tunes")).jobs[0]?.job_id;
                if (!id) await new Promise((r) => setTimeout(r, 50));
            }
            await fx.control("POST", `/dashscope/fine-tunes/${id}/force`, { status: "FAILED", code: "Unauthorized", message: `hub rejected token ${HUB_TOKEN}` });
            const up = failed(await running);
            assert.match(up.output, /ended FAILED: Unauthorized: hub rejected token \*\*\*/);
            const [job] = (await fx.stack.resources()).filter((r) => r.type.endsWith("bailian:FineTuneJob"));
            assert.equal(job.outputs?.failureReason?.["4dabf18193072939515e22adb298388d"], "1b47061264138c4ac30d75fd1eb44270", "failureReason is a secret");
            await assertNoPlaintext(fx, up.output, [HUB_TOKEN]);
        } finally {
            await fx.close();
        }
    });

    it("an Alaya template adopted with get() after a console edit put a token in its env and start command: both are secret in state", async () => {
        const WANDB = "wandb-cli-secret-9f3e";
        const CONSOLE_TOKEN = "hf_consoleToken4242zz";
        const maker = await cliFixture({ program: path.join(EXAMPLES, "alaya-template"), project: projectName("alaya-template"), secretConfig: { wandbApiKey: WANDB } });
        const adopter = await cliFixture({ program: PROGRAM, project: "test" });
        try {
            ok(await maker.stack.up("--skip-preview"));
            const [made] = await maker.stack.resources();
            await maker.control("POST", `/alaya/templates/${made.id}/edit`, {
                fields: { env: { ENV_MODE: "production", WANDB_API_KEY: WANDB, HF_TOKEN: CONSOLE_TOKEN }, startCommand: `huggingface-cli login --token ${CONSOLE_TOKEN} && python train.py` },
            });
            // The maker's refresh picks the edit up; the adopter reads the template with get().
            const refresh = ok(await maker.stack.refresh("--skip-preview"));
            adopter.stack.env = { ...adopter.stack.env, ALAYA_BASE_URL: maker.stack.env.ALAYA_BASE_URL };
            await adopter.stack.init();
            await adopter.stack.setConfig({ templateId: made.id! });
            const adopt = ok(await adopter.stack.up("--skip-preview"));
            for (const [fx, printed] of [[maker, refresh.output], [adopter, adopt.output]] as const) {
                const [template] = await fx.stack.resources();
                for (const field of ["env", "startCommand"]) {
                    assert.equal(template.outputs?.[field]?.["4dabf18193072939515e22adb298388d"], "1b47061264138c4ac30d75fd1eb44270", `${field} is a secret`);
                }
                await assertNoPlaintext(fx, printed, [WANDB, CONSOLE_TOKEN]);
            }
        } finally {
            await adopter.close();
            await maker.close();
        }
    });
});
