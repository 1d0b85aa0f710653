/**
 * Bounded automatic retries and the log tail through the real `pulumi` CLI
 * (issue 20): a job whose first two attempts fail on a retryable cause
 * succeeds in one `up` with `maxAttempts: 3`; a crash during attempt 2,
 * followed by `up`, submits nothing twice; a failure no pattern allows stops
 * at once. The emulator's planned outcomes end each new job as the test says.
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { interrupt } from "./cli";
import { CliFixture, cliFixture, describeCli, failed, ok } from "./support";

const PROGRAM = path.join(__dirname, "..", "engine", "programs", "retried.ts");
const TOKEN = "retry-cli-token-0123456789";

async function tasks(fx: CliFixture): Promise<Array<{ id: string; status: string }>> {
    return (await fx.control("GET", "/objects?cloud=polardb&kind=task")).objects;
}

describeCli("retry and logTail", function () {
    this.timeout(240_000);
    let fx: CliFixture;

    async function stack(extra: Record<string, string> = {}, stepMs = 150): Promise<CliFixture> {
        fx = await cliFixture({ program: PROGRAM, project: "retry", secretConfig: { apiToken: TOKEN }, stepMs });
        await fx.stack.init();
        await fx.stack.setConfig({ kind: "polardb", dbClusterId: "pc-2ze0000000000000", maxAttempts: "3", ...extra });
        return fx;
    }
    const submits = () => fx.emu.counts().byCloud.polardb?.CreateAIDBClusterTask ?? 0;
    afterEach(() => fx?.close());

    it("two retryable failures, then success, in one up: three attempts recorded, the failed ones deleted, the log tail in the outputs", async () => {
        await stack();
        await fx.control("POST", "/outcomes", { cloud: "polardb", kind: "task", outcomes: [{ status: "FAILED", reason: "node lost" }, { status: "FAILED", reason: "node lost" }] });
        const up = ok(await fx.stack.up("--skip-preview"));
        assert.match(up.output, /attempt 1 of 3 ended FAILED/);
        assert.match(up.output, /retrying as attempt 2 of 3/);
        assert.equal(submits(), 3);
        const outputs = await fx.stack.outputs();
        assert.deepEqual(
            (outputs.attempts as Array<{ attempt: number; cleanup: string }>).map((a) => [a.attempt, a.cleanup]),
            [
                [1, "deleted"],
                [2, "deleted"],
                [3, "recorded"],
            ],
        );
        assert.deepEqual((await tasks(fx)).map((t) => t.id), [outputs.jobId]);
        assert.ok(Array.isArray(outputs.logTail) && outputs.logTail.length > 0, "logTail recorded");
        const raw = await fx.stack.exportRaw();
        assert.doesNotMatch(raw, new RegExp(TOKEN));
        assert.doesNotMatch(raw, /node lost/, "attempts and the log tail are stored encrypted");
    });

    it("a crash during attempt 2, then up: attempt 2 is resumed, nothing is submitted twice", async () => {
        await stack({}, 1500);
        await fx.control("POST", "/outcomes", { cloud: "polardb", kind: "task", outcomes: [{ status: "FAILED", reason: "node lost" }] });
        const run = await fx.stack.startUp();
        for (let i = 0; i < 600 && submits() < 2; i++) await new Promise((r) => setTimeout(r, 100));
        assert.equal(submits(), 2, "attempt 2 was submitted");
        interrupt(run, "crash", fx.stack.workspace);
        await run.done;
        ok(await fx.stack.run(["cancel", "--yes"]));

        const next = ok(await fx.stack.up("--skip-preview"));
        assert.match(next.output, /attempt 2 of 3: found the job an earlier, interrupted run submitted/);
        assert.equal(submits(), 2, "nothing submitted again");
        const outputs = await fx.stack.outputs();
        assert.deepEqual(
            (outputs.attempts as Array<{ attempt: number }>).map((a) => a.attempt),
            [1, 2],
        );
        assert.deepEqual((await tasks(fx)).map((t) => t.id), [outputs.jobId]);
    });

    it("a failure no retryableReasons pattern matches stops at once", async () => {
        await stack({ retryableReasons: JSON.stringify(["node lost"]) });
        await fx.control("POST", "/outcomes", { cloud: "polardb", kind: "task", outcomes: [{ status: "FAILED", reason: "CUDA out of memory" }] });
        const up = failed(await fx.stack.up("--skip-preview"));
        assert.match(up.output, /none of retry.retryableReasons matches/);
        assert.equal(submits(), 1);
    });
});
