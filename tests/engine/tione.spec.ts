import * as assert from "node:assert/strict";
import { EMULATOR_CREDENTIALS } from "../../emulator";
import { TioneClient } from "../../sdk/tione/client";
import type { RunResult } from "../../harness";
import { EngineFixture, TEST_CREDENTIALS, engineFixture, leakSurface, leaked } from "./support";

const API_TOKEN = "tione-engine-api-token-value";

interface TaskView {
    Id: string;
    Name: string;
    Status: string;
    Tags: Array<{ TagKey: string; TagValue: string }>;
    StartCmdInfo: { StartCmd: string } | null;
}

async function fixture(opts: { stepMs?: number } = {}): Promise<EngineFixture> {
    const fx = await engineFixture("tione.ts", opts);
    fx.stack.secretConfig = { apiToken: API_TOKEN };
    return fx;
}

const tasks = async (fx: EngineFixture): Promise<TaskView[]> => (await fx.control("GET", "/tione/tasks")).tasks;
/** Why a run failed: the engine's errors, else what the program and provider printed. */
const explain = (r: RunResult): string =>
    r.errors.length ? r.errors.join("\n") : [...r.logs.map((l) => l.message), ...r.hostLogs].slice(-20).join("\n") || "failed without errors or logs";
const calls = (fx: EngineFixture, action: string): number => fx.emu.counts().byCloud.tione?.[action] ?? 0;

/** Polls the emulator until the stack's task exists (the up is still running). */
async function submittedTask(fx: EngineFixture): Promise<string> {
    for (let i = 0; i < 200; i++) {
        const id = (await tasks(fx))[0]?.Id;
        if (id) return id;
        await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error("no task was submitted");
}

describe("tione.TrainingTask through the Pulumi engine", function () {
    this.timeout(180_000);
    let fx: EngineFixture;

    beforeEach(async () => {
        fx = await fixture();
    });
    afterEach(() => fx.close());

    it("up submits the task, waits for SUCCEED and exports its outputs", async () => {
        const r = await fx.stack.up();
        assert.ok(r.ok, explain(r));
        assert.deepEqual(r.steps.map((s) => s.op), ["create"]);
        assert.equal(r.outputs.status, "SUCCEED");
        assert.match(r.outputs.taskId, /^train-\d{19}$/);
        assert.equal(r.outputs.consoleUrl, `https://console.cloud.tencent.com/tione/v2/job/detail/${r.outputs.taskId}?regionId=1`);
        assert.match(r.outputs.latestInstanceId, new RegExp(`^${r.outputs.taskId}-[a-z0-9]{12}$`));
        assert.ok(Date.parse(r.outputs.endTime) >= Date.parse(r.outputs.startTime));
        assert.ok(r.hostLogs.some((l) => / -> SUCCEED \(\d+s elapsed\)/.test(l)), `progress lines name each state change: ${r.hostLogs.join("\n")}`);
        const [task] = await tasks(fx);
        assert.equal(task.Name, "lora", "the Name defaults to the resource name");
        assert.equal(task.StartCmdInfo?.StartCmd, `python train.py --prompt "it's \\"quoted\\"" && echo 训练 $HOME`, "the start command arrives intact");
        assert.ok(task.Tags.some((t) => t.TagKey === "pulumi-training-marker" && /^[0-9a-f]{8}$/.test(t.TagValue)));
    });

    it("a second up with the same program is a no-op that submits nothing", async () => {
        await fx.stack.up();
        const before = calls(fx, "CreateTrainingTask");
        const r = await fx.stack.up();
        assert.ok(r.ok, explain(r));
        assert.deepEqual(r.steps.map((s) => s.op), ["same"]);
        assert.equal(calls(fx, "CreateTrainingTask"), before);
    });

    it("changing a field (remark) replaces the task, deleting the old one before submitting the new one of the same Name", async () => {
        const first = await fx.stack.up();
        fx.stack.config.remark = "second attempt";
        const r = await fx.stack.up();
        assert.ok(r.ok, explain(r));
        assert.deepEqual(r.steps.map((s) => s.op), ["replace", "delete-replaced", "create-replacement"]);
        assert.notEqual(r.outputs.taskId, first.outputs.taskId);
        const left = await tasks(fx);
        assert.deepEqual(left.map((t) => [t.Id, t.Name]), [[r.outputs.taskId, "lora"]]);
        assert.equal(calls(fx, "DeleteTrainingTask"), 1);
    });

    it("changing a wait setting (completionTimeoutMinutes) updates in place without submitting or deleting", async () => {
        await fx.stack.up();
        fx.stack.config.timeout = "45";
        const r = await fx.stack.up();
        assert.ok(r.ok, explain(r));
        assert.deepEqual(r.steps.map((s) => s.op), ["update"]);
        assert.equal(fx.stack.outputsOf("lora").completionTimeoutMinutes, 45);
        assert.equal(calls(fx, "CreateTrainingTask"), 1);
        assert.equal(calls(fx, "DeleteTrainingTask"), 0);
    });

    it("refresh after the task failed out of band records FAILED with its reason, and the next preview plans a replacement", async () => {
        fx.stack.config.wait = "false";
        const up = await fx.stack.up();
        await fx.control("POST", `/tione/tasks/${up.outputs.taskId}/force`, { status: "FAILED", reason: "CUDA out of memory" });
        const refresh = await fx.stack.refresh();
        assert.ok(refresh.ok, explain(refresh));
        assert.equal(fx.stack.outputsOf("lora").status, "FAILED");
        assert.equal(fx.stack.outputsOf("lora").failureReason, "CUDA out of memory");
        const preview = await fx.stack.preview();
        assert.deepEqual(preview.steps.map((s) => s.op), ["replace"]);
        assert.ok(preview.steps[0].keys?.includes("status"));
    });

    it("refresh after the task was deleted out of band (before it succeeded) removes it from the stack", async () => {
        fx.stack.config.wait = "false";
        const up = await fx.stack.up();
        await fx.control("POST", `/tione/tasks/${up.outputs.taskId}/force`, { status: "STOPPED" });
        await new TioneClient({ secretId: EMULATOR_CREDENTIALS.tencentSecretId, secretKey: EMULATOR_CREDENTIALS.tencentSecretKey, region: "ap-guangzhou", endpoint: `${fx.emu.url}/tione/` }).deleteTrainingTask(up.outputs.taskId);
        const r = await fx.stack.refresh();
        assert.ok(r.ok, explain(r));
        assert.deepEqual(r.steps.map((s) => s.op), ["discard"]);
        assert.equal(fx.stack.state().resources.length, 0);
    });

    it("a task forced FAILED during the wait fails the up with TI-ONE's reason, keeping the id in state", async () => {
        const upPromise = fx.stack.up();
        const id = await submittedTask(fx);
        await fx.control("POST", `/tione/tasks/${id}/force`, { status: "FAILED", reason: "NCCL timeout on rank 3" });
        const r = await upPromise;
        assert.equal(r.ok, false);
        assert.match(r.errors.join("\n"), /ended FAILED: NCCL timeout on rank 3/);
        const rec = fx.stack.state().resources[0];
        assert.equal(rec.id, id);
        assert.ok(rec.initErrors?.length);
    });

    it("destroy of a running task stops it, waits for STOPPED, then deletes it", async () => {
        await fx.close();
        fx = await fixture({ stepMs: 1500 });
        fx.stack.config.wait = "false";
        const up = await fx.stack.up();
        await fx.control("POST", `/tione/tasks/${up.outputs.taskId}/force`, { status: "RUNNING" });
        const r = await fx.stack.destroy();
        assert.ok(r.ok, explain(r));
        assert.deepEqual(r.steps.map((s) => s.op), ["delete"]);
        assert.equal(calls(fx, "StopTrainingTask"), 1);
        assert.equal(calls(fx, "DeleteTrainingTask"), 1);
        assert.ok(r.hostLogs.some((l) => /cancelling \(RUNNING\)/.test(l)), r.hostLogs.join("\n"));
        assert.ok(r.hostLogs.some((l) => /STOPPING -> STOPPED/.test(l)), r.hostLogs.join("\n"));
        assert.deepEqual(await tasks(fx), []);
        assert.equal(fx.stack.state().resources.length, 0);
    });

    it("destroy right after submission waits until TI-ONE accepts the stop (not while SUBMITTING), then deletes", async () => {
        await fx.close();
        // Long phases: the destroy must reach the task while it is still SUBMITTING, also on a loaded machine.
        fx = await fixture({ stepMs: 6000 });
        fx.stack.config.wait = "false";
        await fx.stack.up();
        const r = await fx.stack.destroy();
        assert.ok(r.ok, explain(r));
        assert.ok(calls(fx, "StopTrainingTask") >= 2, "the stop was refused while SUBMITTING and sent again");
        assert.deepEqual(await tasks(fx), []);
    });

    it("a check failure names the field path and the unit, and makes no API call", async () => {
        fx.stack.config.gpu = "0.5";
        const r = await fx.stack.up();
        assert.equal(r.ok, false);
        assert.match(r.errors.join("\n"), /resourceConfigInfos\[0\]\.gpu: must be a whole number of 1\/100 cards/);
        assert.equal(fx.requests(), 0);
    });

    it("a wrong SecretKey fails with the cloud's code and request id, and the key is in no message", async () => {
        const wrongKey = "wrong-tione-secret-key-for-test";
        fx.stack.env.TENCENTCLOUD_SECRET_KEY = wrongKey;
        const r = await fx.stack.up();
        assert.equal(r.ok, false);
        const text = r.errors.join("\n");
        assert.match(text, /AuthFailure\.SignatureFailure/);
        assert.match(text, /request id [0-9a-f-]{36}/);
        assert.deepEqual(leaked(leakSurface(fx.stack, [r]), [wrongKey]), []);
        assert.deepEqual(await tasks(fx), []);
    });

    it("credentials from secret tencentcloud: config are used and never written to state, logs or errors", async () => {
        fx.stack.env.TENCENTCLOUD_SECRET_ID = "";
        fx.stack.env.TENCENTCLOUD_SECRET_KEY = "";
        fx.stack.config["tencentcloud:secretId"] = EMULATOR_CREDENTIALS.tencentSecretId;
        fx.stack.secretConfig["tencentcloud:secretKey"] = EMULATOR_CREDENTIALS.tencentSecretKey;
        const r = await fx.stack.up();
        assert.ok(r.ok, explain(r));
        assert.deepEqual(leaked(leakSurface(fx.stack, [r]), [EMULATOR_CREDENTIALS.tencentSecretKey, ...TEST_CREDENTIALS.filter((c) => c !== EMULATOR_CREDENTIALS.tencentSecretId)]), []);
    });

    it("a registry password written in plaintext (imageInfo.imageSecret): the imageInfo output is encrypted, and no log line shows it", async () => {
        const password = "cmVnaXN0cnktcGFzc3dvcmQtOTk=";
        fx.stack.config.registryPassword = password;
        const r = await fx.stack.up();
        assert.ok(r.ok, r.errors.join("\n"));
        const [task] = JSON.parse(fx.stack.checkpoint.raw()).resources;
        assert.equal(typeof task.outputs.imageInfo.ciphertext, "string", "the imageInfo output is secret");
        assert.ok(!r.hostLogs.join("\n").includes(password));
        // Known gap: the engine records the program's inputs as written, so a password the program does not
        // mark with pulumi.secret is still plaintext among the state's inputs (see the README, "Secrets by schema").
    });

    it("a secret env value stays encrypted in the checkpoint", async () => {
        const r = await fx.stack.up();
        assert.ok(r.ok, explain(r));
        assert.deepEqual(leaked(fx.stack.checkpoint.raw(), [API_TOKEN]), []);
    });

    it("a same-named task this stack did not create is not adopted: the up names it and creates nothing", async () => {
        const client = new TioneClient({ secretId: EMULATOR_CREDENTIALS.tencentSecretId, secretKey: EMULATOR_CREDENTIALS.tencentSecretKey, region: "ap-guangzhou", endpoint: `${fx.emu.url}/tione/` });
        const foreign = await client.createTrainingTask({ Name: "lora", ChargeType: "POSTPAID_BY_HOUR", ResourceConfigInfos: [{ Role: "WORKER", InstanceType: "TI.S.MEDIUM.POST" }] });
        const r = await fx.stack.up();
        assert.equal(r.ok, false);
        assert.match(r.errors.join("\n"), new RegExp(`a task named "lora" exists \\(${foreign}.*not created by this resource.*TrainingTask\\.get`));
        // TI-ONE refuses a second task with the name, so the provider submits first (one request fewer per
        // create) and looks the name up on the duplicate answer: the refused submit created nothing.
        assert.deepEqual((await tasks(fx)).map((t) => t.Id), [foreign], "only the foreign task exists");
    });

    it("a create whose response was lost is found by its marker instead of being submitted twice", async () => {
        await fx.control("POST", "/faults", { kind: "lost-response", cloud: "tione", action: "CreateTrainingTask", count: 1 });
        const r = await fx.stack.up();
        assert.ok(r.ok, explain(r));
        const all = await tasks(fx);
        assert.equal(all.length, 1, "exactly one task exists");
        assert.equal(r.outputs.taskId, all[0].Id);
    });

    it("an existing task is adopted with TrainingTask.get and left alone by destroy", async () => {
        fx.stack.config.wait = "false";
        const up = await fx.stack.up();
        const adopt = await engineFixture("tioneAdopt.ts");
        await adopt.close();
        adopt.stack.env = { ...fx.stack.env };
        adopt.stack.config = { taskId: up.outputs.taskId };
        const r = await adopt.stack.up();
        assert.ok(r.ok, explain(r));
        assert.deepEqual(r.steps.map((s) => s.op), ["read"]);
        assert.equal(r.outputs.adoptedTaskId, up.outputs.taskId);
        const d = await adopt.stack.destroy();
        assert.ok(d.ok, explain(d));
        assert.equal(calls(fx, "StopTrainingTask") + calls(fx, "DeleteTrainingTask"), 0, "destroying the adopting stack leaves the task alone");
    });
});

/**
 * LOAD: 200 tasks in one stack. Every create looks its Name up, submits and
 * reads, so the up makes at least 600 calls; the provider's process-wide
 * budget per action (19.5/s, burst 1) must keep every action under TI-ONE's
 * 20 requests/s without ever being throttled. Takes about a minute.
 */
describe("tione.TrainingTask at scale (load: 200 tasks, about a minute)", function () {
    this.timeout(600_000);

    it("200 tasks in one stack all SUCCEED and the emulator never answers RequestLimitExceeded", async () => {
        const fx = await engineFixture("tioneMany.ts", { stepMs: 50 });
        try {
            fx.stack.config = { count: "200" };
            const started = Date.now();
            const r = await fx.stack.up();
            const seconds = (Date.now() - started) / 1000;
            assert.ok(r.ok, r.errors.slice(0, 5).join("\n"));
            assert.equal(r.steps.filter((s) => s.op === "create").length, 200);
            assert.deepEqual([...new Set(r.outputs.statuses)], ["SUCCEED"]);
            const stats = await fx.control("GET", "/tione/stats");
            assert.equal(stats.throttled, 0, `throttled by action: ${JSON.stringify(stats.throttledByAction)}`);
            assert.equal(calls(fx, "CreateTrainingTask"), 200);
            // The budget is the limit: 200 submits cannot finish faster than 20 a second.
            assert.ok(seconds >= 200 / 20, `finished in ${seconds}s`);
        } finally {
            await fx.close();
        }
    });
});
