/**
 * `Completion` through the engine harness: one step that waits for a group of
 * jobs declared with `waitForCompletion: false`, reading each job's status
 * through the job kind's own client, and submitting nothing itself.
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import type { RunResult } from "../../harness";
import { EngineFixture, TEST_CREDENTIALS, engineFixture, leakSurface, leaked } from "./support";

const PROGRAM = path.join(__dirname, "..", "cli", "programs", "completion.ts");
const TOKEN = "sk-completion-secret-9f8e7d6c5b4a";

const explain = (r: RunResult): string =>
    r.errors.length ? r.errors.join("\n") : [...r.logs.map((l) => l.message), ...r.hostLogs].slice(-20).join("\n") || "failed without errors or logs";
const tasks = async (fx: EngineFixture): Promise<Array<{ Id: string; Status: string }>> => (await fx.control("GET", "/tione/tasks")).tasks;
const tioneCalls = (fx: EngineFixture, action: string): number => fx.emu.counts().byCloud.tione?.[action] ?? 0;
const completionSteps = (r: RunResult) => r.steps.filter((s) => s.urn.endsWith("::all")).map((s) => s.op);

/** Polls the emulator until `n` tasks besides `old` exist (the up is still running). */
async function submitted(fx: EngineFixture, n: number, old: readonly string[] = []): Promise<string[]> {
    for (let i = 0; i < 400; i++) {
        const found = (await tasks(fx)).map((t) => t.Id).filter((id) => !old.includes(id));
        if (found.length >= n) return found;
        await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`fewer than ${n} tasks were submitted`);
}

describe("training.Completion through the Pulumi engine", function () {
    this.timeout(180_000);
    let fx: EngineFixture;

    afterEach(() => fx?.close());

    it("up submits every job, then the Completion waits until all have SUCCEED and reports each status", async () => {
        fx = await engineFixture(PROGRAM, { config: { count: "3" } });
        const r = await fx.stack.up();
        assert.ok(r.ok, explain(r));
        assert.equal(r.outputs.outcome, "succeeded");
        assert.deepEqual(Object.keys(r.outputs.statuses).sort(), [...r.outputs.jobIds].sort());
        assert.deepEqual(Object.values(r.outputs.statuses), ["SUCCEED", "SUCCEED", "SUCCEED"]);
        assert.ok(Date.parse(r.outputs.endedAt) > 0);
        assert.deepEqual((await tasks(fx)).map((t) => t.Status), ["SUCCEED", "SUCCEED", "SUCCEED"]);
    });

    it("the Completion submits nothing: exactly one CreateTrainingTask per job", async () => {
        fx = await engineFixture(PROGRAM, { config: { count: "3" } });
        const r = await fx.stack.up();
        assert.ok(r.ok, explain(r));
        assert.equal(tioneCalls(fx, "CreateTrainingTask"), 3);
    });

    it("a preview of a new stack and a preview after up make no API call", async () => {
        fx = await engineFixture(PROGRAM, { config: { count: "3" } });
        const first = await fx.stack.preview();
        assert.ok(first.ok, explain(first));
        assert.equal(fx.requests(), 0);
        assert.ok(completionSteps(first).includes("create"));
        assert.ok((await fx.stack.up()).ok);
        const before = fx.requests();
        const again = await fx.stack.preview();
        assert.ok(again.ok, explain(again));
        assert.equal(fx.requests(), before);
    });

    it("a second up with the same program is a no-op that makes no API call", async () => {
        fx = await engineFixture(PROGRAM, { config: { count: "2" } });
        assert.ok((await fx.stack.up()).ok);
        const before = fx.requests();
        const r = await fx.stack.up();
        assert.ok(r.ok, explain(r));
        assert.deepEqual([...new Set(r.steps.map((s) => s.op))], ["same"]);
        assert.equal(fx.requests(), before);
    });

    it("a job that fails fails the Completion with the job's reason, its secret inputs masked, and the Completion stays recorded", async () => {
        fx = await engineFixture(PROGRAM, { config: { count: "2" }, secretConfig: { token: TOKEN }, stepMs: 60_000 });
        const up = fx.stack.up();
        const [failing] = await submitted(fx, 2);
        await fx.control("POST", `/tione/tasks/${failing}/force`, { status: "FAILED", reason: `NCCL timeout on rank 3 (started with --token ${TOKEN})` });
        for (const id of (await tasks(fx)).map((t) => t.Id).filter((x) => x !== failing)) await fx.control("POST", `/tione/tasks/${id}/force`, { status: "SUCCEED" });
        const r = await up;
        assert.equal(r.ok, false);
        const error = r.errors.join("\n");
        assert.match(error, new RegExp(`tione:TrainingTask ${failing} \\("task-\\d{3}"\\) ended FAILED: NCCL timeout on rank 3`));
        assert.match(error, /pulumi up --refresh/);
        assert.deepEqual(leaked(leakSurface(fx.stack, [r]), [TOKEN, ...TEST_CREDENTIALS]), []);
        const recorded = fx.stack.outputsOf("all");
        assert.equal(recorded.outcome, "failed");
        assert.equal(recorded.statuses[failing], "FAILED");
    });

    it("after a failure, refresh records the failed job; the next up replaces it and a new Completion waits for the new set", async () => {
        fx = await engineFixture(PROGRAM, { config: { count: "2" }, stepMs: 60_000 });
        const up = fx.stack.up();
        const [failing, other] = await submitted(fx, 2);
        await fx.control("POST", `/tione/tasks/${failing}/force`, { status: "FAILED", reason: "OOM" });
        await fx.control("POST", `/tione/tasks/${other}/force`, { status: "SUCCEED" });
        assert.equal((await up).ok, false);
        const refresh = await fx.stack.refresh();
        assert.ok(refresh.ok, explain(refresh));
        const again = fx.stack.up();
        const [replacement] = await submitted(fx, 1, [failing, other]);
        await fx.control("POST", `/tione/tasks/${replacement}/force`, { status: "SUCCEED" });
        const r = await again;
        assert.ok(r.ok, explain(r));
        assert.ok(completionSteps(r).includes("replace") || completionSteps(r).includes("create-replacement"), `Completion steps: ${completionSteps(r).join(", ")}`);
        assert.equal(r.outputs.outcome, "succeeded");
        assert.deepEqual(Object.keys(r.outputs.statuses).sort(), [other, replacement].sort());
    });

    it("past its deadline the Completion fails naming the jobs still running, and the next up resumes waiting", async () => {
        fx = await engineFixture(PROGRAM, { config: { count: "2", timeout: "0.002" }, stepMs: 60_000 });
        const first = await fx.stack.up();
        assert.equal(first.ok, false);
        assert.match(first.errors.join("\n"), /2 jobs are still running after completionTimeoutMinutes=0\.002: .*They keep running; the next `pulumi up` resumes waiting/);
        assert.equal(fx.stack.outputsOf("all").outcome, "running");
        for (const t of await tasks(fx)) await fx.control("POST", `/tione/tasks/${t.Id}/force`, { status: "SUCCEED" });
        fx.stack.config.timeout = "30";
        const r = await fx.stack.up();
        assert.ok(r.ok, explain(r));
        assert.deepEqual(completionSteps(r), ["update"]);
        assert.equal(r.outputs.outcome, "succeeded");
        assert.equal(tioneCalls(fx, "CreateTrainingTask"), 2);
    });

    it("refresh re-reads every job's status", async () => {
        fx = await engineFixture(PROGRAM, { config: { count: "2", timeout: "0.002" }, stepMs: 60_000 });
        assert.equal((await fx.stack.up()).ok, false);
        const [a, b] = (await tasks(fx)).map((t) => t.Id);
        await fx.control("POST", `/tione/tasks/${a}/force`, { status: "SUCCEED" });
        await fx.control("POST", `/tione/tasks/${b}/force`, { status: "FAILED", reason: "loss is NaN" });
        const r = await fx.stack.refresh();
        assert.ok(r.ok, explain(r));
        const outs = fx.stack.outputsOf("all");
        assert.deepEqual(outs.statuses, { [a]: "SUCCEED", [b]: "FAILED" });
        assert.equal(outs.outcome, "failed");
    });

    it("deleting the Completion does nothing to its jobs", async () => {
        fx = await engineFixture(PROGRAM, { config: { count: "2" } });
        assert.ok((await fx.stack.up()).ok);
        const before = fx.requests();
        fx.stack.config.completion = "false";
        const r = await fx.stack.up();
        assert.ok(r.ok, explain(r));
        assert.deepEqual(completionSteps(r), ["delete"]);
        assert.equal(fx.requests(), before, "no API call");
        assert.equal((await tasks(fx)).length, 2);
    });

    it("a changed job (a new id) replaces the Completion, which waits for the new set", async () => {
        fx = await engineFixture(PROGRAM, { config: { count: "2" } });
        const first = await fx.stack.up();
        assert.ok(first.ok, explain(first));
        fx.stack.config.remark = "second sweep";
        const r = await fx.stack.up();
        assert.ok(r.ok, explain(r));
        assert.deepEqual(completionSteps(r).filter((op) => op !== "delete-replaced"), ["replace", "create-replacement"]);
        assert.notDeepEqual(Object.keys(r.outputs.statuses).sort(), Object.keys(first.outputs.statuses).sort());
        assert.deepEqual(Object.keys(r.outputs.statuses).sort(), [...r.outputs.jobIds].sort());
    });

    it("jobs of different clouds and regions are read each through its own client", async () => {
        fx = await engineFixture(PROGRAM, { config: { count: "1", region: "ap-shanghai" } });
        const cluster = (await fx.control("POST", "/polardb/clusters", { regionId: "cn-beijing" })).dbClusterId;
        fx.stack.config.dbClusterId = cluster;
        const r = await fx.stack.up();
        assert.ok(r.ok, explain(r));
        assert.equal(r.outputs.outcome, "succeeded");
        assert.equal(Object.keys(r.outputs.statuses).length, 2);
        const placements = fx.stack.outputsOf("all").jobPlacements as Record<string, { region?: string }>;
        assert.deepEqual(Object.values(placements).map((p) => p.region).sort(), ["ap-shanghai", "cn-beijing"]);
    });

    it("a job in the group that still waits for itself gets a warning naming it and waitForCompletion: false", async () => {
        fx = await engineFixture(PROGRAM, { config: { count: "1", jobsWait: "true" } });
        const r = await fx.stack.preview();
        assert.ok(r.ok, explain(r));
        const warnings = r.logs.filter((l) => l.severity === "warning").map((l) => l.message);
        assert.ok(warnings.some((w) => /training:Completion "all" waits for task-000, which also waits for itself .*Set waitForCompletion: false on it/.test(w)), warnings.join("\n"));
    });

    it("jobs declared with waitForCompletion: false get no such warning", async () => {
        fx = await engineFixture(PROGRAM, { config: { count: "1" } });
        const r = await fx.stack.preview();
        assert.ok(r.ok, explain(r));
        assert.deepEqual(r.logs.filter((l) => /also waits for itself/.test(l.message)), []);
    });
});
