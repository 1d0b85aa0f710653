/**
 * Interrupted applies through the real `pulumi` CLI, while jobs wait:
 *
 * - One Ctrl-C (SIGINT to the CLI's process group): the engine stops starting
 *   steps but lets every provider call in flight finish, and the dynamic-provider
 *   host has no Cancel hook, so a create waiting for its job returns when the
 *   job ends. The job is recorded once; nothing is pending.
 * - A crash (the CLI, the language host and every plugin SIGKILLed, as when a
 *   CI runner dies): the file backend keeps its lock (`pulumi cancel` releases
 *   it) and the checkpoint a pending `creating` operation with no id. The next
 *   `up` warns about it and adopts the job in flight by its marker, submitting
 *   nothing; `pulumi refresh --clear-pending-creates` clears the warning.
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { interrupt, nameOf } from "./cli";
import { CliFixture, cliFixture, describeCli, failed, ok, summary } from "./support";

const PROGRAMS = path.join(__dirname, "..", "engine", "programs");

interface JobCase {
    token: string;
    program: string;
    config(fx: CliFixture): Promise<Record<string, string>>;
    secretConfig?: Record<string, string>;
    /** The ids of the jobs in the emulator. */
    jobs(fx: CliFixture): Promise<string[]>;
    /** The submit action, as the emulator counts it. */
    cloud: string;
    submit: string;
    /** The cloud refuses a second job with the same name, so a resumed create submits first (the kind's `namesAreUnique`). */
    namesAreUnique?: boolean;
}

const CASES: JobCase[] = [
    {
        token: "tione:TrainingTask",
        program: "tione.ts",
        config: async () => ({}),
        secretConfig: { apiToken: "tione-cli-api-token" },
        jobs: async (fx) => (await fx.control("GET", "/tione/tasks")).tasks.map((t: any) => t.Id),
        cloud: "tione",
        submit: "CreateTrainingTask",
        namesAreUnique: true,
    },
    {
        token: "polardb:AidbTask",
        program: "polardbAidbTask.ts",
        config: async () => ({ dbClusterId: "pc-2ze0000000000000" }),
        jobs: async (fx) => (await fx.control("GET", "/polardb/tasks")).tasks.map((t: any) => t.id),
        cloud: "polardb",
        submit: "CreateAIDBClusterTask",
    },
    {
        token: "bailian:FineTuneJob",
        program: "fineTuneJob.ts",
        config: async (fx) => ({ trainingFileId: (await fx.control("POST", "/dashscope/files", { name: "train.jsonl" })).data.file_id }),
        jobs: async (fx) => (await fx.control("GET", "/dashscope/fine-tunes")).jobs.map((j: any) => j.job_id),
        cloud: "dashscope",
        submit: "CreateFineTune",
    },
];

async function submitted(fx: CliFixture, c: JobCase): Promise<string> {
    for (let i = 0; i < 600; i++) {
        const [id] = await c.jobs(fx);
        if (id) return id;
        await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error("no job was submitted");
}

for (const c of CASES) {
    describeCli(`${c.token} across an interrupted up`, function () {
        this.timeout(180_000);
        let fx: CliFixture;

        beforeEach(async () => {
            // Slow enough that the job is still running when the interruption comes.
            fx = await cliFixture({ program: path.join(PROGRAMS, c.program), project: "test", secretConfig: c.secretConfig, stepMs: 2500 });
            await fx.stack.init();
            await fx.stack.setConfig(await c.config(fx));
        });
        afterEach(() => fx.close());

        const submits = () => fx.emu.counts().byCloud[c.cloud]?.[c.submit] ?? 0;

        it("one Ctrl-C while the job waits: the CLI lets the create finish, records the job once, and leaves nothing pending", async () => {
            const run = await fx.stack.startUp();
            const id = await submitted(fx, c);
            interrupt(run, "SIGINT", fx.stack.workspace);
            const r = failed(await run.done);
            assert.match(r.output, /update canceled/);
            const d = await fx.stack.deployment();
            assert.deepEqual(d.pending_operations ?? [], []);
            assert.deepEqual(
                (d.resources ?? []).filter((x) => x.custom && x.type.startsWith("pulumi-nodejs:dynamic/")).map((x) => x.id),
                [id],
            );
            const again = ok(await fx.stack.up("--skip-preview"));
            assert.deepEqual(summary(again), { unchanged: 2 });
            assert.equal(submits(), 1);
            assert.deepEqual(await c.jobs(fx), [id]);
        });

        it("a crash while the job waits: after `pulumi cancel`, the next up adopts the job in flight (zero duplicates) and refresh --clear-pending-creates clears the pending create", async () => {
            const run = await fx.stack.startUp();
            const id = await submitted(fx, c);
            interrupt(run, "crash", fx.stack.workspace);
            await run.done;

            const locked = failed(await fx.stack.up("--skip-preview"));
            assert.match(locked.output, /the stack is currently locked/);
            ok(await fx.stack.run(["cancel", "--yes"]));
            const pending = (await fx.stack.deployment()).pending_operations ?? [];
            assert.deepEqual(pending.map((p) => [p.type, nameOf(p.resource)]), [["creating", nameOf({ urn: pending[0]?.resource.urn ?? "" })]]);

            const next = ok(await fx.stack.up("--skip-preview"));
            assert.match(next.output, /1 pending operations from previous deployment/);
            assert.match(next.output, /adopting the job an earlier attempt submitted/);
            assert.doesNotMatch(next.output, /\] submitted/, "an adopted job is not announced as submitted");
            // Where names are unique (TI-ONE) the resumed create submits first and the cloud refuses it as a
            // duplicate, creating nothing; elsewhere the marker lookup comes first and nothing is sent.
            assert.equal(submits(), c.namesAreUnique ? 2 : 1, "the job in flight was adopted, not submitted again");
            assert.deepEqual(await c.jobs(fx), [id]);
            assert.deepEqual((await fx.stack.resources()).map((r) => r.id), [id]);

            ok(await fx.stack.refresh("--skip-preview", "--clear-pending-creates"));
            assert.deepEqual((await fx.stack.deployment()).pending_operations ?? [], []);
            const clean = ok(await fx.stack.up("--skip-preview"));
            assert.doesNotMatch(clean.output, /pending operations/);
        });
    });
}
