/**
 * 24 jobs and one Completion under the real CLI's default `--parallel`: the
 * jobs do not wait for themselves, so no job's step holds an engine slot, and
 * every job is submitted while all of them still run; the one Completion step
 * holds `up` open until the last one ends (issue 18).
 */
import * as assert from "node:assert/strict";
import * as os from "node:os";
import * as path from "node:path";
import { cliFixture, describeCli, ok, summary } from "./support";

const PROGRAM = path.join(__dirname, "programs", "completion.ts");
/** At least 24, and more than the default --parallel (4 × CPUs) here, so that waiting jobs would leave some unsubmitted. */
const JOBS = Math.max(24, 4 * os.availableParallelism() + 1);

describeCli("training.Completion under the default --parallel", function () {
    this.timeout(300_000);

    it("every one of 24 (or more) jobs is submitted while all still run, and up returns only after the Completion saw all of them end", async () => {
        // 10 minutes per emulator step: no job ends on its own, so a job step that held a slot would keep jobs 9-24 from ever being submitted.
        const fx = await cliFixture({ program: PROGRAM, project: "completion", stepMs: 600_000, config: { count: String(JOBS) } });
        try {
            await fx.stack.init();
            let finished = false;
            const up = fx.stack.up("--skip-preview").then((r) => {
                finished = true;
                return r;
            });
            let seen: Array<{ Id: string; Status: string }> = [];
            while (seen.length < JOBS) {
                assert.equal(finished, false, "up ended before every job was submitted");
                await new Promise((r) => setTimeout(r, 200));
                seen = (await fx.control("GET", "/tione/tasks")).tasks;
            }
            assert.deepEqual(seen.filter((t) => ["SUCCEED", "FAILED", "STOPPED"].includes(t.Status)), [], "no job has ended yet");
            await new Promise((r) => setTimeout(r, 1_000));
            assert.equal(finished, false, "up waits while the jobs run");
            for (const t of seen) await fx.control("POST", `/tione/tasks/${t.Id}/force`, { status: "SUCCEED" });
            const r = ok(await up);
            assert.equal(summary(r).created, JOBS + 2, `the stack, the jobs and the Completion: ${r.output.slice(-2000)}`);
            const outs = await fx.stack.outputs();
            assert.equal(outs.outcome, "succeeded");
            assert.deepEqual(Object.keys(outs.statuses).sort(), seen.map((t) => t.Id).sort());
        } finally {
            await fx.close();
        }
    });

    it("a preview of the jobs and the Completion makes no API call and gives no --parallel warning", async () => {
        const fx = await cliFixture({ program: PROGRAM, project: "completion", config: { count: String(JOBS) } });
        try {
            const r = ok(await fx.stack.preview());
            assert.doesNotMatch(r.output, /wait for completion, and the engine runs at most/);
            assert.match(r.output, /training:Completion/);
            assert.equal(fx.requests(), 0);
        } finally {
            await fx.close();
        }
    });
});
