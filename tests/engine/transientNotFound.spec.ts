/**
 * A "not found" is believed only when it persists: one read that wrongly
 * misses (a lagging replica, a transient answer) must not drop a running job
 * from the stack on refresh, nor end a destroy with the job left running.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { engineFixture } from "./support";

const dataset = () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pt-nf-")), "train.jsonl");
    fs.writeFileSync(file, '{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]}\n');
    return file;
};

const CASES = [
    { name: "tione.TrainingTask", program: "tione.ts", cloud: "tione", read: "DescribeTrainingTask", config: { wait: "false" }, secretConfig: { apiToken: "nf-token" }, list: "/tione/tasks", key: "tasks" },
    { name: "polardb.AidbTask", program: "polardbAidbTask.ts", cloud: "polardb", read: "DescribeAIDBClusterTaskAttribute", config: { dbClusterId: "pc-2ze0000000000000", wait: "false" }, list: "/polardb/tasks", key: "tasks" },
    { name: "bailian.FineTuneJob", program: "fineTuneJob.ts", cloud: "dashscope", read: "GetFineTune", config: { wait: "false" }, fineTune: true, list: "/dashscope/fine-tunes", key: "jobs" },
    { name: "alaya.TrainingTemplate", program: "alaya.ts", cloud: "alaya", read: "GetTemplate", secretConfig: { apiToken: "nf-token" }, list: "/alaya/templates", key: "data" },
    { name: "bailian.File", program: "bailianFile.ts", cloud: "dashscope", read: "GetFile", config: { source: dataset() }, list: "/dashscope/files", key: "files" },
];

describe("a transient not-found is not believed", function () {
    this.timeout(120_000);

    for (const c of CASES) {
        async function fixture() {
            const fx = await engineFixture(c.program, { stepMs: 3000 });
            const config: Record<string, string> = { ...((c.config ?? {}) as Record<string, string>) };
            if (c.fineTune) config.trainingFileId = (await fx.control("POST", "/dashscope/files", { name: "train.jsonl" })).data.file_id;
            fx.stack.config = config;
            fx.stack.secretConfig = c.secretConfig ?? {};
            const up = await fx.stack.up();
            assert.ok(up.ok, up.errors.join("\n"));
            return fx;
        }
        const dynamic = (fx: Awaited<ReturnType<typeof fixture>>) => fx.stack.state().resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"));

        it(`${c.name}: a refresh that meets one not-found keeps the resource`, async () => {
            const fx = await fixture();
            try {
                await fx.control("POST", "/faults", { kind: "not-found", cloud: c.cloud, action: c.read, count: 1 });
                const r = await fx.stack.refresh();
                assert.ok(r.ok, r.errors.join("\n"));
                assert.equal(dynamic(fx).length, 1, "still in the stack");
            } finally {
                await fx.close();
            }
        });

        it(`${c.name}: a destroy that meets one not-found still deletes the record`, async () => {
            const fx = await fixture();
            try {
                const before = (await fx.control("GET", c.list))[c.key].length;
                await fx.control("POST", "/faults", { kind: "not-found", cloud: c.cloud, action: c.read, count: 1 });
                const r = await fx.stack.destroy();
                assert.ok(r.ok, r.errors.join("\n"));
                assert.deepEqual(dynamic(fx), []);
                const after = (await fx.control("GET", c.list))[c.key];
                // DashScope keeps a finished fine-tune's record (it refuses the delete); it must at least not be running.
                if (c.name === "bailian.FineTuneJob") assert.ok(after.every((j: any) => ["CANCELED", "SUCCEEDED", "FAILED"].includes(j.status)), JSON.stringify(after));
                else assert.equal(after.length, before - (c.name === "bailian.File" ? 1 : before), "the record was deleted");
            } finally {
                await fx.close();
            }
        });
    }
});
