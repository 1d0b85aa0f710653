/**
 * The clouds document no list order. A failed job replaced by an up that is
 * interrupted leaves two jobs with one marker (the failed one and its running
 * replacement); whichever order the list gives them in, the next up adopts
 * the running replacement and submits nothing. (Issue 15, item 5.)
 */
import * as assert from "node:assert/strict";
import { engineFixture } from "./support";

const CASES = [
    { name: "bailian.FineTuneJob", program: "fineTuneJob.ts", cloud: "dashscope", submit: "CreateFineTune", list: "/dashscope/fine-tunes", key: "jobs", id: (j: any) => j.job_id, force: (id: string) => `/dashscope/fine-tunes/${id}/force` },
    { name: "polardb.AidbTask", program: "polardbAidbTask.ts", cloud: "polardb", submit: "CreateAIDBClusterTask", list: "/polardb/tasks", key: "tasks", id: (t: any) => t.id, force: (id: string) => `/polardb/tasks/${id}/force` },
];

describe("two jobs with one marker, in either list order", function () {
    this.timeout(120_000);

    for (const c of CASES) {
        for (const listOrder of ["oldest-first", "newest-first"]) {
            it(`${c.name} (${listOrder}): after an interrupted replacement of a failed job, the next up adopts the running replacement`, async () => {
                const fx = await engineFixture(c.program, { stepMs: 2500 });
                try {
                    await fx.control("POST", `/${c.cloud}/variants`, { listOrder });
                    const config: Record<string, string> = c.cloud === "polardb" ? { dbClusterId: "pc-2ze0000000000000" } : { trainingFileId: (await fx.control("POST", "/dashscope/files", { name: "train.jsonl" })).data.file_id };
                    fx.stack.config = config;
                    const ids = async (): Promise<string[]> => (await fx.control("GET", c.list))[c.key].map(c.id);
                    const waitFor = async (n: number) => {
                        for (let i = 0; i < 300 && (await ids()).length < n; i++) await new Promise((r) => setTimeout(r, 50));
                        return ids();
                    };

                    // 1. The job is submitted, then fails on the cloud while the up waits.
                    const first = fx.stack.up();
                    const [failedId] = await waitFor(1);
                    await fx.control("POST", c.force(failedId), { status: "FAILED" });
                    assert.equal((await first).ok, false);
                    // 2. The next up replaces it (same inputs, same marker) and is interrupted while the replacement runs.
                    const second = fx.stack.up();
                    const running = (await waitFor(2)).find((id) => id !== failedId)!;
                    fx.stack.interrupt();
                    await second;
                    const submits = fx.emu.counts().byCloud[c.cloud][c.submit];
                    // 3. The up after that adopts the running replacement instead of submitting a third job.
                    const third = await fx.stack.up();
                    assert.ok(third.ok, third.errors.join("\n"));
                    assert.equal(fx.emu.counts().byCloud[c.cloud][c.submit], submits, "nothing submitted again");
                    const recorded = fx.stack.state().resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/")).map((r) => r.id);
                    assert.deepEqual(recorded, [running]);
                } finally {
                    await fx.close();
                }
            });
        }
    }
});
