/**
 * The policy pack (`policy/`) as the real `pulumi` CLI runs it, with
 * `--policy-pack` and `--policy-pack-config`:
 *
 * - a mandatory resource violation stops `preview` and `up` before any API request;
 * - an advisory one warns and the update goes on;
 * - the remediation that wraps a plaintext secret env value reaches the
 *   provider (the cloud gets the value) and the state (stored as a secret);
 * - the stack-level GPU budget runs after the steps: `up --skip-preview`
 *   submits the jobs before it fails, `up` with its preview stops first.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../../harness";
import { policyPackExecutable } from "./cli";
import { CliFixture, cliFixture, describeCli, failed, leaked, ok } from "./support";

const PROGRAM = path.join(__dirname, "programs", "guarded.ts");
const WANDB = "wandb-plaintext-4e1d";

const CONFIG = {
    "max-gpus-per-job": { enforcementLevel: "mandatory", maxGpus: 8 },
    "max-gpus-per-stack": { enforcementLevel: "mandatory", maxGpus: 4 },
    "no-plaintext-secret-env": { enforcementLevel: "remediate", onPlaintext: "wrap" },
    "required-tags": { enforcementLevel: "advisory", requiredTags: ["owner", "cost-center"] },
};

describeCli("policy pack", function () {
    this.timeout(240_000);
    let fx: CliFixture;
    let policyArgs: string[];

    beforeEach(async () => {
        fx = await cliFixture({ program: PROGRAM, project: "guarded", stepMs: 2000 });
        const exe = policyPackExecutable(path.join(REPO_ROOT, "policy"), fx.stack.workspace);
        const configFile = path.join(fx.stack.workspace, "policy-config.json");
        fs.writeFileSync(configFile, JSON.stringify(CONFIG));
        policyArgs = ["--policy-pack", exe, "--policy-pack-config", configFile];
        await fx.stack.init();
    });
    afterEach(() => fx.close());

    it("a mandatory violation (16 GPUs for one job, limit 8) fails preview and up before any API request", async () => {
        await fx.stack.setConfig({ gpu: "1600" });
        const preview = failed(await fx.stack.preview(...policyArgs));
        assert.match(preview.output, /max-gpus-per-job/);
        assert.match(preview.output, /mandatory/);
        const up = failed(await fx.stack.up(...policyArgs));
        assert.match(up.output, /max-gpus-per-job/);
        assert.equal(fx.requests(), 0, "no API request");
        assert.deepEqual(await fx.stack.resources(), []);
    });

    it("an advisory violation (a missing cost-center tag) warns and the update goes on", async () => {
        const up = ok(await fx.stack.up(...policyArgs));
        assert.match(up.output, /advisory/);
        assert.match(up.output, /required-tags/);
        assert.match(up.output, /cost-center/);
        assert.equal((await fx.stack.resources()).length, 1);
    });

    it("the remediation that wraps a plaintext secret env value reaches the provider and the state", async () => {
        const up = ok(await fx.stack.up(...policyArgs));
        assert.match(up.output, /no-plaintext-secret-env/);
        const [task] = (await fx.control("GET", "/tione/tasks")).tasks;
        assert.deepEqual(task.Envs, [{ Name: "WANDB_API_KEY", Value: WANDB }], "the cloud got the value");
        const raw = await fx.stack.exportRaw();
        assert.deepEqual(leaked(raw, [WANDB]), [], "the value is encrypted in state");
        assert.deepEqual(leaked(up.output, [WANDB]), [], "and never printed");
        const [resource] = await fx.stack.resources();
        assert.equal(resource.inputs?.envs?.[0]?.value?.["4dabf18193072939515e22adb298388d"], "1b47061264138c4ac30d75fd1eb44270", "the input is a secret in state");
    });

    it("the stack GPU budget runs after the steps: `up --skip-preview` submits every job, then fails; `up` with its preview submits nothing", async () => {
        await fx.stack.setConfig({ tasks: "5" });
        const up = failed(await fx.stack.up(...policyArgs));
        assert.match(up.output, /max-gpus-per-stack/);
        assert.equal(fx.requests(), 0, "the preview's stack analysis stops `up` before any submission");

        const skipped = failed(await fx.stack.up("--skip-preview", ...policyArgs));
        assert.match(skipped.output, /max-gpus-per-stack/);
        assert.equal((await fx.control("GET", "/tione/tasks")).tasks.length, 5, "with --skip-preview the jobs were submitted before the stack policy ran");
        assert.equal((await fx.stack.resources()).length, 5, "and they are recorded in the stack");
    });
});
