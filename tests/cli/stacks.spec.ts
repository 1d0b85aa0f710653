/**
 * A job belongs to exactly one stack: two stacks of one program (dev and
 * prod in one account, the common setup), and two projects declaring the same
 * resource, each submit their own job through the real `pulumi` CLI, and
 * destroying one never touches the other's.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { CliStack } from "./cli";
import { PROGRAMS } from "./kinds";
import { cliFixture, describeCli, ok } from "./support";

describeCli("one job per stack", function () {
    this.timeout(180_000);

    it("dev and prod of one program in one account each submit their own fine-tune; destroying dev leaves prod's job alone", async () => {
        const fx = await cliFixture({ program: path.join(PROGRAMS, "fineTuneJob.ts"), project: "test", stack: "dev" });
        try {
            const trainingFileId = (await fx.control("POST", "/dashscope/files", { name: "train.jsonl" })).data.file_id;
            await fx.stack.init();
            await fx.stack.setConfig({ trainingFileId });
            const prod = new CliStack({ program: path.join(PROGRAMS, "fineTuneJob.ts"), project: "test", stack: "prod", workspace: fx.stack.workspace, env: fx.stack.env, config: { trainingFileId } });

            ok(await fx.stack.up("--skip-preview"));
            ok(await prod.up("--skip-preview"));
            const [devJob] = await fx.stack.resources();
            const [prodJob] = await prod.resources();
            assert.notEqual(prodJob.id, devJob.id, "prod did not adopt dev's job");
            assert.equal(fx.emu.counts().byCloud.dashscope.CreateFineTune, 2);

            ok(await fx.stack.destroy("--skip-preview"));
            const jobs = (await fx.control("GET", "/dashscope/fine-tunes")).jobs.map((j: any) => j.job_id);
            assert.ok(jobs.includes(prodJob.id), "prod's job is still there");
            assert.deepEqual((await prod.resources()).map((r) => r.id), [prodJob.id]);
        } finally {
            await fx.close();
        }
    });

    it("a second `pulumi up` of the same stack while the first runs is refused by the backend's lock, and no job is submitted twice", async () => {
        const fx = await cliFixture({ program: path.join(PROGRAMS, "tione.ts"), project: "test", secretConfig: { apiToken: "concurrent-token" }, stepMs: 2500 });
        try {
            const first = await fx.stack.startUp();
            for (let i = 0; i < 400 && (await fx.control("GET", "/tione/tasks")).tasks.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
            const second = await fx.stack.up("--skip-preview");
            assert.notEqual(second.code, 0);
            assert.match(second.output, /the stack is currently locked/);
            ok(await first.done);
            assert.equal(fx.emu.counts().byCloud.tione.CreateTrainingTask, 1);
            assert.equal((await fx.stack.resources()).length, 1);
        } finally {
            await fx.close();
        }
    });

    it("two projects declaring the same resource in one account never share a file", async () => {
        const data = path.join(fs.mkdtempSync(path.join(require("node:os").tmpdir(), "pt-stacks-")), "train.jsonl");
        fs.writeFileSync(data, '{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]}\n');
        const a = await cliFixture({ program: path.join(PROGRAMS, "bailianFile.ts"), project: "team-a", config: { source: data } });
        try {
            const b = new CliStack({ program: path.join(PROGRAMS, "bailianFile.ts"), project: "team-b", env: a.stack.env, config: { source: data } });
            try {
                ok(await a.stack.up("--skip-preview"));
                ok(await b.up("--skip-preview"));
                const [fileA] = await a.stack.resources();
                const [fileB] = await b.resources();
                assert.notEqual(fileB.id, fileA.id, "team-b did not adopt team-a's upload");
                ok(await b.destroy("--skip-preview"));
                const files = (await a.control("GET", "/dashscope/files")).files.map((f: any) => f.file_id);
                assert.deepEqual(files, [fileA.id], "team-a's file survives team-b's destroy");
            } finally {
                b.dispose();
            }
        } finally {
            await a.close();
        }
    });
});
