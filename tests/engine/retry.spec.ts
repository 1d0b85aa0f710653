/**
 * Bounded automatic retries through the engine (issue 20): for every kind
 * that waits, a job whose first two attempts fail on a retryable cause
 * succeeds in one `up` with `maxAttempts: 3`, with three attempts recorded
 * and the failed ones cleaned up; a failure no pattern allows stops at once.
 * The emulator's planned outcomes (`/_control/outcomes`) end each new job as
 * the test says, right after the request that created it.
 */
import * as assert from "node:assert/strict";
import { EngineFixture, engineFixture } from "./support";

interface Case {
    kind: "tione" | "bailian" | "polardb";
    cloud: string;
    objectKind: string;
    failed: string;
    submit: string;
    /** Whether a failed attempt's record is deleted (DashScope keeps finished fine-tunes). */
    deletes: boolean;
    /** Whether the cloud has a log API the provider reads. */
    logs: boolean;
    setUp(fx: EngineFixture): Promise<Record<string, string>>;
}

const CASES: Case[] = [
    { kind: "tione", cloud: "tione", objectKind: "task", failed: "FAILED", submit: "CreateTrainingTask", deletes: true, logs: true, setUp: async () => ({}) },
    {
        kind: "bailian",
        cloud: "dashscope",
        objectKind: "fine-tune",
        failed: "FAILED",
        submit: "CreateFineTune",
        deletes: false,
        logs: true,
        setUp: async (fx) => ({ trainingFileId: (await fx.control("POST", "/dashscope/files", { name: "train.jsonl" })).data.file_id }),
    },
    { kind: "polardb", cloud: "polardb", objectKind: "task", failed: "FAILED", submit: "CreateAIDBClusterTask", deletes: true, logs: true, setUp: async () => ({ dbClusterId: "pc-2ze0000000000000" }) },
];

async function objects(fx: EngineFixture, c: Case): Promise<Array<{ id: string; status: string }>> {
    return (await fx.control("GET", `/objects?cloud=${c.cloud}&kind=${c.objectKind}`)).objects;
}

describe("retry through the engine: each attempt a new job, the count on the cloud", function () {
    this.timeout(120_000);

    for (const c of CASES) {
        it(`${c.kind}: two retryable failures, then success, in one up with maxAttempts 3`, async () => {
            const fx = await engineFixture("retried.ts");
            try {
                fx.stack.config = { kind: c.kind, maxAttempts: "3", ...(await c.setUp(fx)) };
                fx.stack.secretConfig = { apiToken: "retry-token-0123456789" };
                await fx.control("POST", "/outcomes", { cloud: c.cloud, kind: c.objectKind, outcomes: [{ status: c.failed, reason: "node lost" }, { status: c.failed, reason: "node lost" }] });

                const up = await fx.stack.up();
                assert.ok(up.ok, up.errors.join("\n"));
                assert.equal(fx.emu.counts().byCloud[c.cloud][c.submit], 3, "three submits");
                const attempts = up.outputs.attempts as Array<{ attempt: number; id: string; status: string; failureReason?: string; cleanup: string }>;
                assert.deepEqual(
                    attempts.map((a) => a.attempt),
                    [1, 2, 3],
                );
                assert.equal(attempts[2].id, up.outputs.jobId, "the last attempt is the job the stack records");
                assert.match(attempts[0].failureReason ?? "", /node lost/);
                const left = (await objects(fx, c)).map((o) => o.id);
                if (c.deletes) assert.deepEqual(left, [up.outputs.jobId], "failed attempts deleted");
                else assert.deepEqual(attempts.slice(0, 2).map((a) => a.cleanup), ["kept", "kept"], "the cloud keeps finished records");
                if (c.logs) assert.ok(Array.isArray(up.outputs.logTail) && up.outputs.logTail.length > 0, "logTail recorded");
                assert.doesNotMatch(fx.stack.checkpoint.raw(), /retry-token-0123456789/);

                const again = await fx.stack.up();
                assert.ok(again.ok, again.errors.join("\n"));
                assert.equal(fx.emu.counts().byCloud[c.cloud][c.submit], 3, "a second up submits nothing");
            } finally {
                await fx.close();
            }
        });

        it(`${c.kind}: a failure no retryableReasons pattern matches fails the up after one attempt`, async () => {
            const fx = await engineFixture("retried.ts");
            try {
                fx.stack.config = { kind: c.kind, maxAttempts: "3", retryableReasons: JSON.stringify(["node lost"]), ...(await c.setUp(fx)) };
                fx.stack.secretConfig = { apiToken: "retry-token-0123456789" };
                await fx.control("POST", "/outcomes", { cloud: c.cloud, kind: c.objectKind, outcomes: [{ status: c.failed, reason: "CUDA out of memory" }] });
                const up = await fx.stack.up();
                assert.equal(up.ok, false);
                assert.equal(fx.emu.counts().byCloud[c.cloud][c.submit], 1, "one submit");
                assert.match(up.errors.join("\n"), /out of memory/);
            } finally {
                await fx.close();
            }
        });
    }
});
