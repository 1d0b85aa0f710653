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
import { cliFixture, describeCli, leaked, ok, TEST_CREDENTIALS } from "./support";

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
            assert.equal(template.outputs?.env?.WANDB_API_KEY?.["4dabf18193072939515e22adb298388d"], "1b47061264138c4ac30d75fd1eb44270", "the output stays a secret after refresh");
            assert.equal((await fx.stack.outputs()).environment.WANDB_API_KEY, WANDB);
        } finally {
            await fx.close();
        }
    });
});
