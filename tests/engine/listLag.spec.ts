/**
 * A create whose answer was lost, against a cloud whose list shows new jobs
 * late and that accepts a second job with the same name (DashScope, PolarDB):
 * an absent list entry proves nothing, so the create stops with an error
 * instead of submitting a second paid job, and the next up, once the list
 * shows the job, adopts it. (Issue 15, item 4.)
 */
import * as assert from "node:assert/strict";
import { engineFixture } from "./support";

const CASES = [
    { name: "bailian.FineTuneJob", program: "fineTuneJob.ts", cloud: "dashscope", submit: "CreateFineTune", list: "/dashscope/fine-tunes", key: "jobs" },
    { name: "polardb.AidbTask", program: "polardbAidbTask.ts", cloud: "polardb", submit: "CreateAIDBClusterTask", list: "/polardb/tasks", key: "tasks" },
];

describe("a lost create answer and a list that lags", function () {
    this.timeout(120_000);

    for (const c of CASES) {
        it(`${c.name}: the up stops saying the job may exist instead of submitting it twice, and the next up adopts it`, async () => {
            // Two-second requests: the provider looks for the marker for twice that before it decides.
            const fx = await engineFixture(c.program, { env: { PULUMI_TRAINING_REQUEST_TIMEOUT_MS: "2000" } });
            try {
                fx.stack.config = c.cloud === "polardb" ? { dbClusterId: "pc-2ze0000000000000" } : { trainingFileId: (await fx.control("POST", "/dashscope/files", { name: "train.jsonl" })).data.file_id };
                await fx.control("POST", `/${c.cloud}/variants`, { listLagMs: 60_000 });
                await fx.control("POST", "/faults", { kind: "lost-response", cloud: c.cloud, action: c.submit, count: 1 });

                const first = await fx.stack.up();
                assert.equal(first.ok, false);
                assert.match(first.errors.join("\n"), /may have been created, although none with marker \S+ is listed yet\. It is not submitted again/);
                assert.equal(fx.emu.counts().byCloud[c.cloud][c.submit], 1, "submitted once");
                assert.equal((await fx.control("GET", c.list))[c.key].length, 1, "one job exists");

                // The list catches up; the next up finds the job by its marker.
                await fx.control("POST", `/${c.cloud}/variants`, { listLagMs: 0 });
                const second = await fx.stack.up();
                assert.ok(second.ok, second.errors.join("\n"));
                assert.equal(fx.emu.counts().byCloud[c.cloud][c.submit], 1, "nothing submitted again");
                assert.ok(second.hostLogs.some((l) => /adopting the job an earlier attempt submitted/.test(l)));
            } finally {
                await fx.close();
            }
        });
    }

    it("tione.TrainingTask: the cloud refuses a second task with the same name, so a dropped submit is sent again and one task results", async () => {
        const fx = await engineFixture("tione.ts", { env: { PULUMI_TRAINING_REQUEST_TIMEOUT_MS: "2000" } });
        try {
            fx.stack.secretConfig = { apiToken: "list-lag-token" };
            await fx.control("POST", "/faults", { kind: "drop", cloud: "tione", action: "CreateTrainingTask", count: 1 });
            const r = await fx.stack.up();
            assert.ok(r.ok, r.errors.join("\n"));
            assert.equal((await fx.control("GET", "/tione/tasks")).tasks.length, 1);
            assert.ok(r.hostLogs.some((l) => /the cloud refuses a second one with this name, submitting again/.test(l)));
        } finally {
            await fx.close();
        }
    });
});
