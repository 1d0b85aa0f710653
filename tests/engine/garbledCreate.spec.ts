/**
 * A create the cloud accepts but answers with a body that cannot be read (a
 * proxy's HTML page, a cut-off body, HTTP 200) has an unknown outcome: the
 * provider looks for the job by its marker and adopts it, on all four clouds,
 * instead of failing with a job running that the stack does not record.
 */
import * as assert from "node:assert/strict";
import { engineFixture } from "./support";

const CASES = [
    { program: "tione.ts", cloud: "tione", action: "CreateTrainingTask", secretConfig: { apiToken: "garbled-token" }, list: "/tione/tasks", key: "tasks" },
    { program: "polardbAidbTask.ts", cloud: "polardb", action: "CreateAIDBClusterTask", config: { dbClusterId: "pc-2ze0000000000000" }, list: "/polardb/tasks", key: "tasks" },
    { program: "alaya.ts", cloud: "alaya", action: "CreateTemplate", secretConfig: { apiToken: "garbled-token" }, list: "/alaya/templates", key: "data" },
    { program: "fineTuneJob.ts", cloud: "dashscope", action: "CreateFineTune", fineTune: true, list: "/dashscope/fine-tunes", key: "jobs" },
];

describe("a create answered 200 with an unreadable body", function () {
    this.timeout(120_000);

    for (const c of CASES) {
        it(`${c.cloud}: the job is found by its marker and recorded, not reported as a plain failure nor submitted twice`, async () => {
            const fx = await engineFixture(c.program);
            try {
                const config: Record<string, string> = { ...(c.config ?? {}) };
                if (c.fineTune) config.trainingFileId = (await fx.control("POST", "/dashscope/files", { name: "train.jsonl" })).data.file_id;
                fx.stack.config = config;
                fx.stack.secretConfig = c.secretConfig ?? {};
                await fx.control("POST", "/faults", { kind: "garbled-response", cloud: c.cloud, action: c.action, count: 1 });
                const r = await fx.stack.up();
                assert.ok(r.ok, r.errors.join("\n"));
                const listed = (await fx.control("GET", c.list))[c.key];
                assert.equal(listed.length, 1, "exactly one job exists");
                assert.equal(fx.emu.counts().byCloud[c.cloud][c.action], 1, "submitted once");
                assert.equal(fx.stack.state().resources.filter((x) => x.type.startsWith("pulumi-nodejs:dynamic/")).length, 1, "and the stack records it");
            } finally {
                await fx.close();
            }
        });
    }
});
