/**
 * The policy pack (`policy/`) as the real `pulumi` CLI runs it, with
 * `--policy-pack` and `--policy-pack-config`:
 *
 * - a mandatory resource violation stops `preview` and `up` before any API request;
 * - an advisory one warns and the update goes on;
 * - the remediation that wraps a plaintext secret env value reaches the
 *   provider (the cloud gets the value) and the state (stored as a secret);
 * - the stack-level GPU budget runs after the steps: `up --skip-preview`
 *   submits the jobs before it fails, `up` with its preview stops first;
 * - a realistic team config on a two-cloud program (tests/policy/programs/teamJobs.ts): a
 *   mandatory cost limit stops the preview with the estimate in the message, an advisory tag rule
 *   warns, a fine-tune's cost is unknown until its File is uploaded and then estimated from the
 *   File's size; a plain `"all": "mandatory"` reports a plaintext secret env value.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../../harness";
import { policyPackExecutable } from "./cli";
import { CliFixture, cliFixture, describeCli, failed, leaked, ok } from "./support";

const PROGRAM = path.join(__dirname, "programs", "guarded.ts");
const TEAM_PROGRAM = path.join(REPO_ROOT, "tests", "policy", "programs", "teamJobs.ts");
const DATASET = path.join(REPO_ROOT, "tests", "policy", "data", "train.jsonl");

/** A platform team's config: GPUs and cost are hard limits, tags are advice, unknown costs warn. */
const TEAM_CONFIG = {
    "max-gpus-per-job": { enforcementLevel: "mandatory", maxGpus: 8 },
    "max-estimated-cost": {
        enforcementLevel: "mandatory",
        hourlyPrices: { "TI.GN7.*": 30 },
        tokenPrices: { "qwen3-*": 0.05 },
        maxPerJob: 200,
        maxPerStack: 500,
        onUnknown: "warn",
    },
    "required-tags": { enforcementLevel: "advisory", requiredTags: ["owner", "cost-center"] },
    "no-plaintext-secret-env": { enforcementLevel: "remediate", onPlaintext: "wrap" },
};
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

describeCli("policy pack: a team's config on a two-cloud stack", function () {
    this.timeout(300_000);
    let fx: CliFixture;

    /** `--policy-pack` with the given config written to a file in the workspace. */
    function packArgs(config: object): string[] {
        const exe = policyPackExecutable(path.join(REPO_ROOT, "policy"), fx.stack.workspace);
        const configFile = path.join(fx.stack.workspace, "team-policy.json");
        fs.writeFileSync(configFile, JSON.stringify(config));
        return ["--policy-pack", exe, "--policy-pack-config", configFile];
    }

    beforeEach(async () => {
        fx = await cliFixture({ program: TEAM_PROGRAM, project: "team", stepMs: 150 });
        await fx.stack.init();
        await fx.stack.setConfig({ dataset: DATASET });
    });
    afterEach(() => fx.close());

    it("the mandatory cost limit stops preview and up before any request, with the estimate in the message", async () => {
        // 4 instances × 30/h × 2 h (completionTimeoutMinutes 120, stopped there) = 240, over 200 per job.
        await fx.stack.setConfig({ instances: "4" });
        const args = packArgs(TEAM_CONFIG);
        const preview = failed(await fx.stack.preview(...args));
        assert.match(preview.output, /max-estimated-cost/);
        assert.match(preview.output, /estimated at 240/);
        assert.match(preview.output, /the limit is 200 per job/);
        failed(await fx.stack.up(...args));
        assert.equal(fx.requests(), 0, "no API request");
        assert.deepEqual(await fx.stack.resources(), []);
    });

    it("within the limits the update goes on: the tag rule warns, the fine-tune's cost is unknown before its File is uploaded and estimated after", async () => {
        const args = packArgs(TEAM_CONFIG);
        const up = ok(await fx.stack.up(...args));
        assert.match(up.output, /required-tags/);
        assert.match(up.output, /cost-center/);
        assert.match(up.output, /bailian\.File 'support-data' is not uploaded yet/, "the preview cannot see the dataset's size, and says so");
        assert.equal((await fx.stack.resources()).filter((r) => /TrainingTask|FineTuneJob|File$/.test(r.type)).length, 3);
        // Now the File's sizeBytes is in the state: the next preview estimates the fine-tune from it.
        const preview = ok(await fx.stack.preview(...packArgs({ ...TEAM_CONFIG, "max-estimated-cost": { ...TEAM_CONFIG["max-estimated-cost"], reportEstimates: true } })));
        const bytes = fs.statSync(DATASET).size;
        assert.match(preview.output, new RegExp(`${bytes} bytes / 4 bytes per token`));
        assert.match(preview.output, /TI-ONE training task 'lora': estimated cost 60/);
        assert.doesNotMatch(preview.output, /not uploaded yet/);
    });

    it("a plain `\"all\": \"mandatory\"` config reports the plaintext secret env value and stops before any request", async () => {
        const preview = failed(await fx.stack.preview(...packArgs({ all: "mandatory" })));
        assert.match(preview.output, /no-plaintext-secret-env/);
        assert.match(preview.output, /WANDB_API_KEY/);
        assert.deepEqual(leaked(preview.output, ["wandb-plaintext-7c2a"]), [], "the value is never printed");
        assert.equal(fx.requests(), 0);
    });
});
