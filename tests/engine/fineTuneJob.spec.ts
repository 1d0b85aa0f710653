import * as assert from "node:assert/strict";
import { EngineFixture, TEST_CREDENTIALS, engineFixture, leakSurface, leaked } from "./support";

const TYPE = "pulumi-nodejs:dynamic/bailian:FineTuneJob";

describe("bailian.FineTuneJob through the Pulumi engine", function () {
    this.timeout(180_000);
    let fx: EngineFixture;
    let fileId: string;

    beforeEach(async () => {
        fx = await engineFixture("fineTuneJob.ts");
        fileId = (await fx.control("POST", "/dashscope/files", { name: "train.jsonl" })).data.file_id;
        fx.stack.config = { trainingFileId: fileId };
    });
    afterEach(() => fx.close());

    it("up submits the job, waits for SUCCEEDED and exports the fine-tuned model", async () => {
        const r = await fx.stack.up();
        assert.ok(r.ok, r.errors.join("\n"));
        assert.deepEqual(r.steps.map((s) => s.op), ["create"]);
        assert.equal(r.outputs.status, "SUCCEEDED");
        assert.match(r.outputs.jobId, /^ft-\d{12}-[0-9a-f]{4}$/);
        assert.match(r.outputs.finetunedOutput, /^qwen3-8b-/);
        assert.ok(r.hostLogs.some((l) => / -> SUCCEEDED \(\d+s elapsed\)/.test(l)), `progress lines name each state change: ${r.hostLogs.join("\n")}`);
    });

    it("a second up with the same program is a no-op that makes no create call", async () => {
        await fx.stack.up();
        const before = fx.emu.counts().byCloud.dashscope?.CreateFineTune;
        const r = await fx.stack.up();
        assert.ok(r.ok, r.errors.join("\n"));
        assert.deepEqual(r.steps.map((s) => s.op), ["same"]);
        assert.equal(fx.emu.counts().byCloud.dashscope?.CreateFineTune, before);
    });

    it("changing a local field (completionTimeoutMinutes) updates in place without any API call", async () => {
        await fx.stack.up();
        const before = fx.requests();
        fx.stack.config.timeout = "45";
        const r = await fx.stack.up();
        assert.ok(r.ok, r.errors.join("\n"));
        assert.deepEqual(r.steps.map((s) => s.op), ["update"]);
        assert.equal(fx.stack.outputsOf("tune").completionTimeoutMinutes, 45);
        // The update reads the job once to report its status; it submits, cancels and deletes nothing.
        const c = fx.emu.counts().byCloud.dashscope;
        assert.equal(c.CreateFineTune, 1);
        assert.equal(c.CancelFineTune, undefined);
        assert.ok(fx.requests() - before <= 1);
    });

    it("changing a replace field (nEpochs) creates a new job, then deletes the old one", async () => {
        const first = await fx.stack.up();
        fx.stack.config.epochs = "3";
        const r = await fx.stack.up();
        assert.ok(r.ok, r.errors.join("\n"));
        assert.deepEqual(r.steps.map((s) => s.op), ["replace", "create-replacement", "delete-replaced"]);
        assert.notEqual(r.outputs.jobId, first.outputs.jobId);
        assert.equal(fx.stack.outputsOf("tune").effectiveHyperParameters.nEpochs, 3);
    });

    it("refresh after the job failed out of band records FAILED, and the next preview plans a replacement", async () => {
        fx.stack.config.wait = "false";
        const up = await fx.stack.up();
        await fx.control("POST", `/dashscope/fine-tunes/${up.outputs.jobId}/force`, { status: "FAILED", message: "CUDA out of memory" });
        const refresh = await fx.stack.refresh();
        assert.ok(refresh.ok, refresh.errors.join("\n"));
        assert.equal(fx.stack.outputsOf("tune").status, "FAILED");
        const preview = await fx.stack.preview();
        assert.deepEqual(preview.steps.map((s) => s.op), ["replace"]);
        assert.ok(preview.steps[0].keys?.includes("status"));
    });

    it("an up after refresh found the job FAILED replaces it with a new job that succeeds", async () => {
        fx.stack.config.wait = "false";
        const submitted = await fx.stack.up();
        await fx.control("POST", `/dashscope/fine-tunes/${submitted.outputs.jobId}/force`, { status: "FAILED", message: "loss is NaN" });
        await fx.stack.refresh();
        fx.stack.config.wait = "true";
        const r = await fx.stack.up();
        assert.ok(r.ok, r.errors.join("\n"));
        assert.deepEqual(r.steps.map((s) => s.op), ["replace", "create-replacement", "delete-replaced"]);
        assert.notEqual(r.outputs.jobId, submitted.outputs.jobId);
        assert.equal(r.outputs.status, "SUCCEEDED");
    });

    it("a job forced FAILED during the wait fails the up with the cloud's reason, keeping the id in state", async () => {
        fx.stack.config.timeout = "30";
        // The emulator fails the job right after the request that creates it, whatever the machine's load.
        await fx.control("POST", "/outcomes", { cloud: "dashscope", kind: "fine-tune", outcomes: [{ status: "FAILED", reason: "loss is NaN" }] });
        const r = await fx.stack.up();
        const jobId = (await fx.control("GET", "/dashscope/fine-tunes")).jobs[0]?.job_id;
        assert.ok(jobId, "the job was submitted");
        assert.equal(r.ok, false);
        assert.match(r.errors.join("\n"), /ended FAILED: TrainingFailed: loss is NaN/);
        assert.match(r.errors.join("\n"), /last log lines/);
        const rec = fx.stack.state().resources[0];
        assert.equal(rec.id, jobId);
        assert.ok(rec.initErrors?.length);
    });

    it("a job that fails without code or message (emulator variant failureFields: none) fails the up with the reason from its log", async () => {
        await fx.control("POST", "/dashscope/variants", { failureFields: "none" });
        await fx.control("POST", "/outcomes", { cloud: "dashscope", kind: "fine-tune", outcomes: [{ status: "FAILED", reason: "loss is NaN at step 40" }] });
        const r = await fx.stack.up();
        assert.equal(r.ok, false);
        assert.match(r.errors.join("\n"), /ended FAILED.*last log lines:[\s\S]*loss is NaN at step 40/);
    });

    it("destroy of a running job cancels it, waits for CANCELED, and leaves the refused record with a warning", async () => {
        await fx.close();
        fx = await engineFixture("fineTuneJob.ts", { stepMs: 5000 });
        fileId = (await fx.control("POST", "/dashscope/files", { name: "train.jsonl" })).data.file_id;
        fx.stack.config = { trainingFileId: fileId, wait: "false" };
        await fx.stack.up();
        const r = await fx.stack.destroy();
        assert.ok(r.ok, r.errors.join("\n"));
        assert.equal(fx.emu.counts().byCloud.dashscope.CancelFineTune, 1);
        const job = (await fx.control("GET", "/dashscope/fine-tunes")).jobs[0];
        assert.equal(job.status, "CANCELED");
        assert.ok(r.hostLogs.some((l) => /refuses to delete/.test(l)));
        assert.equal(fx.stack.state().resources.length, 0);
    });

    it("a check failure names the field and the reason and makes no API call", async () => {
        fx.stack.config.epochs = "0";
        const r = await fx.stack.preview();
        assert.equal(r.ok, false);
        assert.match(r.errors.join("\n"), /hyperParameters\.nEpochs: must be at least 1/);
        assert.equal(fx.requests(), 0);
    });

    it("a wrong API key fails with the cloud's code and request id, and the key is in no message", async () => {
        const wrongKey = "sk-wrong-key-for-test";
        fx.stack.env.DASHSCOPE_API_KEY = wrongKey;
        const r = await fx.stack.up();
        assert.equal(r.ok, false);
        const text = r.errors.join("\n");
        assert.match(text, /InvalidApiKey/);
        assert.match(text, /request id [0-9a-f-]{36}/);
        assert.deepEqual(leaked(leakSurface(fx.stack, [r]), [wrongKey]), []);
    });

    it("API keys set through secret stack config are used and never written to state", async () => {
        const key = TEST_CREDENTIALS[0];
        delete fx.stack.env.DASHSCOPE_API_KEY;
        fx.stack.env.DASHSCOPE_API_KEY = "";
        fx.stack.secretConfig = { "dashscope:apiKey": key };
        const r = await fx.stack.up();
        assert.ok(r.ok, r.errors.join("\n"));
        assert.deepEqual(leaked(leakSurface(fx.stack, [r]), TEST_CREDENTIALS), []);
    });

    it("__provider is under 3 KB, carries no credential, and is the same for two jobs", async () => {
        fx.stack.config.trainingFileIds = JSON.stringify([fileId]);
        await fx.stack.up();
        const two = await engineFixture("twoFineTuneJobs.ts");
        try {
            const f = (await two.control("POST", "/dashscope/files", { name: "t.jsonl" })).data.file_id;
            two.stack.config = { trainingFileId: f, wait: "false" };
            const r = await two.stack.up();
            assert.ok(r.ok, r.errors.join("\n"));
            const providers = two.stack.state().resources.map((x) => x.inputs.__provider as string);
            assert.equal(providers.length, 2);
            assert.equal(providers[0], providers[1]);
            assert.ok(Buffer.byteLength(providers[0]) < 3072, `__provider is ${Buffer.byteLength(providers[0])} bytes`);
            assert.deepEqual(leaked(providers[0], TEST_CREDENTIALS), []);
        } finally {
            await two.close();
        }
    });

    it("an existing job is adopted with FineTuneJob.get and read into state without being deleted on destroy", async () => {
        fx.stack.config.wait = "false";
        const up = await fx.stack.up();
        const adopt = await engineFixture("adoptFineTuneJob.ts");
        await adopt.close();
        adopt.stack.env = { ...fx.stack.env };
        adopt.stack.config = { jobId: up.outputs.jobId };
        const r = await adopt.stack.up();
        assert.ok(r.ok, r.errors.join("\n"));
        assert.deepEqual(r.steps.map((s) => s.op), ["read"]);
        assert.equal(r.outputs.adoptedJobId, up.outputs.jobId);
        const d = await adopt.stack.destroy();
        assert.ok(d.ok);
        assert.equal(fx.emu.counts().byCloud.dashscope.CancelFineTune, undefined, "destroying the adopting stack leaves the job alone");
    });
});

describe("bailian.FineTuneJob across an interrupted up", function () {
    this.timeout(180_000);

    it("an up killed while waiting loses no job: the next up adopts the job in flight by its marker and waits for it", async () => {
        const fx = await engineFixture("fineTuneJob.ts", { stepMs: 2500 });
        try {
            const fileId = (await fx.control("POST", "/dashscope/files", { name: "train.jsonl" })).data.file_id;
            fx.stack.config = { trainingFileId: fileId };
            const interrupted = fx.stack.up();
            let submitted: string | undefined;
            for (let i = 0; i < 200 && !submitted; i++) {
                await new Promise((res) => setTimeout(res, 50));
                submitted = (await fx.control("GET", "/dashscope/fine-tunes")).jobs[0]?.job_id;
            }
            assert.ok(submitted, "the job was submitted before the interruption");
            fx.stack.interrupt();
            const r1 = await interrupted;
            assert.equal(r1.ok, false);
            assert.equal(fx.stack.state().resources.length, 0, "the interrupted create never reached the checkpoint");

            const r2 = await fx.stack.up();
            assert.ok(r2.ok, r2.errors.join("\n"));
            assert.equal(r2.outputs.jobId, submitted, "the job in flight was adopted, not submitted again");
            assert.equal(r2.outputs.status, "SUCCEEDED");
            assert.equal(fx.emu.counts().byCloud.dashscope.CreateFineTune, 1);
            assert.ok(r2.hostLogs.some((l) => /adopting the job an earlier attempt submitted/.test(l)));
        } finally {
            await fx.close();
        }
    });

    it("a create whose response was lost is found by its marker instead of being submitted twice", async () => {
        const fx = await engineFixture("fineTuneJob.ts");
        try {
            const fileId = (await fx.control("POST", "/dashscope/files", { name: "train.jsonl" })).data.file_id;
            fx.stack.config = { trainingFileId: fileId };
            await fx.control("POST", "/faults", { kind: "lost-response", cloud: "dashscope", action: "CreateFineTune", count: 1 });
            const r = await fx.stack.up();
            assert.ok(r.ok, r.errors.join("\n"));
            const jobs = (await fx.control("GET", "/dashscope/fine-tunes")).jobs;
            assert.equal(jobs.length, 1, "exactly one job exists");
            assert.equal(r.outputs.jobId, jobs[0].job_id);
        } finally {
            await fx.close();
        }
    });
});

describe("bailian.FineTuneJob whose finetuned_output is reported after SUCCEEDED", function () {
    this.timeout(120_000);

    async function withLag(lagMs: number) {
        const fx = await engineFixture("fineTuneJob.ts");
        const fileId = (await fx.control("POST", "/dashscope/files", { name: "train.jsonl" })).data.file_id;
        fx.stack.config = { trainingFileId: fileId };
        await fx.control("POST", "/dashscope/variants", { finetunedOutputLagMs: lagMs });
        return fx;
    }

    it("the up waits for finetuned_output a little after SUCCEEDED and exports it", async () => {
        const fx = await withLag(400);
        try {
            const r = await fx.stack.up();
            assert.ok(r.ok, r.errors.join("\n"));
            assert.equal(r.outputs.status, "SUCCEEDED");
            assert.match(String(r.outputs.finetunedOutput), /^qwen3-8b-/);
            assert.ok(r.hostLogs.some((l) => /succeeded; waiting for the cloud to report finetunedOutput/.test(l)));
        } finally {
            await fx.close();
        }
    });

    it("when it is still missing the up fails saying so, keeping the job, and the next up fills it in without submitting again", async () => {
        const fx = await withLag(3_600_000);
        try {
            const first = await fx.stack.up();
            assert.equal(first.ok, false);
            assert.match(first.errors.join("\n"), /succeeded, but the cloud does not report finetunedOutput yet/);
            await fx.control("POST", "/dashscope/variants", { finetunedOutputLagMs: 0 });
            const second = await fx.stack.up();
            assert.ok(second.ok, second.errors.join("\n"));
            assert.match(String(second.outputs.finetunedOutput), /^qwen3-8b-/);
            assert.equal(fx.emu.counts().byCloud.dashscope.CreateFineTune, 1, "one job");
        } finally {
            await fx.close();
        }
    });
});

describe("bailian.FineTuneJob destroyed, then declared again", function () {
    this.timeout(120_000);

    it("the next up trains again instead of adopting the finished job DashScope kept, and a note in Files says why", async () => {
        const fx = await engineFixture("fineTuneJob.ts");
        try {
            const fileId = (await fx.control("POST", "/dashscope/files", { name: "train.jsonl" })).data.file_id;
            fx.stack.config = { trainingFileId: fileId };
            const first = await fx.stack.up();
            assert.ok(first.ok, first.errors.join("\n"));
            const destroy = await fx.stack.destroy();
            assert.ok(destroy.ok, destroy.errors.join("\n"));
            const files = (await fx.control("GET", "/dashscope/files")).files.map((f: { name: string }) => f.name);
            assert.ok(files.includes(`pulumi-training-released-${first.outputs.jobId}.jsonl`), files.join(", "));

            const again = await fx.stack.up();
            assert.ok(again.ok, again.errors.join("\n"));
            assert.notEqual(again.outputs.jobId, first.outputs.jobId, "a new job");
            assert.equal(fx.emu.counts().byCloud.dashscope.CreateFineTune, 2);
        } finally {
            await fx.close();
        }
    });
});

describe("bailian.FineTuneJob at DashScope's quota of running fine-tunes", function () {
    this.timeout(120_000);
    let fx: EngineFixture;

    /** Two fine-tunes in one stack, with room for one running job: a minute per status, so none finishes unless the clock is advanced. */
    beforeEach(async () => {
        fx = await engineFixture("twoFineTuneJobs.ts", { stepMs: 60_000 });
        const fileId = (await fx.control("POST", "/dashscope/files", { name: "train.jsonl" })).data.file_id;
        fx.stack.config = { trainingFileId: fileId, wait: "false" };
        await fx.control("POST", "/dashscope/variants", { runningJobLimit: 1 });
    });
    afterEach(() => fx.close());

    it("up creates one job and fails the other with a clear quota error, submitting nothing twice", async () => {
        const r = await fx.stack.up();
        assert.equal(r.ok, false);
        const text = r.errors.join("\n");
        assert.match(text, /Throttling: Too many fine-tune job in running/);
        assert.match(text, /quota of fine-tunes running at once is used up/);
        assert.match(text, /Wait for running fine-tunes to finish, or cancel some, then run `pulumi up` again/);
        assert.equal(fx.emu.counts().byCloud.dashscope.CreateFineTune, 2, "one create per resource: the refused one was not resent");
        const jobs = (await fx.control("GET", "/dashscope/fine-tunes")).jobs;
        assert.equal(jobs.length, 1);
        const recorded = fx.stack.state().resources.filter((x) => x.type === TYPE);
        assert.deepEqual(recorded.map((x) => x.id), [jobs[0].job_id], "the created job is in state");
    });

    it("once the running job finished, the next up creates the other one and leaves the first alone", async () => {
        await fx.stack.up();
        await fx.control("POST", "/clock/advance", { ms: 10 * 60_000 });
        const r = await fx.stack.up();
        assert.ok(r.ok, r.errors.join("\n"));
        assert.deepEqual(r.steps.map((s) => s.op).sort(), ["create", "same"]);
        assert.equal(fx.emu.counts().byCloud.dashscope.CreateFineTune, 3, "two creates in the first up, one in the second");
        assert.equal((await fx.control("GET", "/dashscope/fine-tunes")).jobs.length, 2);
    });
});
