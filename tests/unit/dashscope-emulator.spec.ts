/**
 * The DashScope emulator module (emulator/dashscope) as a model of the
 * fine-tune create: the hyper-parameters the 2026 API requires, and the
 * per-user quota of running fine-tunes with its documented 429
 * (reference/bailian-finetune.md §3, §7). Requests are sent by hand so that
 * each test controls exactly what is sent.
 */
import { strict as assert } from "node:assert";
import { EMULATOR_CREDENTIALS, RunningEmulator, startEmulator } from "../../emulator";
import { startEmulatorServer } from "../../emulator/core/server";
import { DashScopeEmulator } from "../../emulator/dashscope";

const KEY: string = EMULATOR_CREDENTIALS.dashscopeApiKey;
/** One minute per status: wall time spent by the test never moves a job; only `clock.advance` does. */
const STEP = 60_000;
const REQUIRED = { n_epochs: 2, batch_size: 8, max_length: 2048 };

interface Answer {
    status: number;
    body: any;
}

async function call(emu: RunningEmulator, method: string, path: string, body?: unknown, key = KEY): Promise<Answer> {
    const res = await fetch(`${emu.url}/dashscope/api/v1${path}`, {
        method,
        headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
}

async function control(emu: RunningEmulator, method: string, path: string, body?: unknown): Promise<Answer> {
    const res = await fetch(`${emu.url}/_control${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: await res.json() };
}

/** A training file the creates can name. */
async function trainingFile(emu: RunningEmulator): Promise<string> {
    return (await control(emu, "POST", "/dashscope/files", { name: "train.jsonl" })).body.data.file_id;
}

describe("DashScope emulator: fine-tune create", () => {
    let emu: RunningEmulator;
    let fileId: string;
    const create = (hyperParameters: Record<string, unknown> | undefined, key = KEY) =>
        call(emu, "POST", "/fine-tunes", { model: "qwen3-8b", training_file_ids: [fileId], hyper_parameters: hyperParameters }, key);
    const jobCount = async () => (await control(emu, "GET", "/dashscope/fine-tunes")).body.jobs.length;

    beforeEach(async () => {
        emu = await startEmulator({ stepMs: STEP });
        fileId = await trainingFile(emu);
    });
    afterEach(() => emu.close());

    describe("required hyper-parameters (n_epochs, batch_size, max_length)", () => {
        for (const missing of Object.keys(REQUIRED)) {
            it(`a create without ${missing} is refused with HTTP 400 InvalidParameter naming ${missing}, and no job is made`, async () => {
                const rest: Record<string, unknown> = { ...REQUIRED };
                delete rest[missing];
                const r = await create(rest);
                assert.equal(r.status, 400);
                assert.equal(r.body.code, "InvalidParameter");
                assert.match(r.body.message, new RegExp(`^Missing hyper_parameters\\.${missing}\\b`));
                assert.equal(typeof r.body.request_id, "string");
                assert.equal(r.body.output, undefined, "the error envelope has no output");
                assert.equal(await jobCount(), 0);
            });
        }

        it("a create without hyper_parameters at all is refused with HTTP 400 InvalidParameter", async () => {
            const r = await create(undefined);
            assert.equal(r.status, 400);
            assert.equal(r.body.code, "InvalidParameter");
            assert.match(r.body.message, /n_epochs/);
        });

        it("only a create with all three is accepted, and its job echoes the hyper-parameters sent", async () => {
            assert.equal((await create({ n_epochs: 2, batch_size: 8 })).status, 400, "n_epochs and batch_size alone are not enough");
            const r = await create({ ...REQUIRED, lora_rank: 8 });
            assert.equal(r.status, 200);
            const got = await call(emu, "GET", `/fine-tunes/${r.body.output.job_id}`);
            // The service adds the defaults it used (the learning rate); everything sent comes back as sent.
            const { learning_rate, ...sent } = got.body.output.hyper_parameters;
            assert.deepEqual(sent, { ...REQUIRED, lora_rank: 8 });
            assert.equal(typeof learning_rate, "number");
        });
    });

    describe("the running-job quota", () => {
        it("past runningJobLimit running fine-tunes, a create gets HTTP 429 Throttling with the documented message", async () => {
            assert.equal((await control(emu, "POST", "/dashscope/variants", { runningJobLimit: 1 })).status, 200);
            assert.equal((await create(REQUIRED)).status, 200);
            const r = await create(REQUIRED);
            assert.equal(r.status, 429);
            assert.equal(r.body.code, "Throttling");
            assert.equal(r.body.message, "Too many fine-tune job in running, please retry later.");
            assert.equal(await jobCount(), 1, "the refused create made no job");
        });

        it("a job that finished frees its place: the next create is accepted", async () => {
            await control(emu, "POST", "/dashscope/variants", { runningJobLimit: 1 });
            await create(REQUIRED);
            assert.equal((await create(REQUIRED)).status, 429, "the first job holds the only place");
            emu.clock.advance(10 * STEP);
            assert.equal((await create(REQUIRED)).status, 200);
        });

        it("a canceled job frees its place too", async () => {
            await control(emu, "POST", "/dashscope/variants", { runningJobLimit: 1 });
            const first = (await create(REQUIRED)).body.output.job_id;
            assert.equal((await create(REQUIRED)).status, 429, "the first job holds the only place");
            await call(emu, "POST", `/fine-tunes/${first}/cancel`);
            emu.clock.advance(STEP);
            assert.equal((await create(REQUIRED)).status, 200);
        });

        it("runningJobLimit must be a whole number, 0 or more", async () => {
            const r = await control(emu, "POST", "/dashscope/variants", { runningJobLimit: -1 });
            assert.equal(r.status, 400);
            assert.match(r.body.message, /runningJobLimit/);
        });

        it("an injected throttling fault is request-rate throttling: HTTP 429 Throttling whose message names no quota", async () => {
            await control(emu, "POST", "/faults", { kind: "throttle", cloud: "dashscope", action: "CreateFineTune", count: 1 });
            const r = await create(REQUIRED);
            assert.equal(r.status, 429);
            assert.equal(r.body.code, "Throttling");
            assert.doesNotMatch(r.body.message, /fine-tune job in running|allowed per user/i);
        });
    });
});

describe("DashScope emulator: the running-job quota is per API key", () => {
    const OTHER = "sk-emulator-dashscope-other-user";

    it("when one key is at its limit, another key still creates", async () => {
        const emu = await startEmulatorServer({ modules: [new DashScopeEmulator({ apiKeys: [KEY, OTHER], stepMs: STEP, runningJobLimit: 1 })] });
        try {
            const fileId = await trainingFile(emu);
            const create = (key: string) => call(emu, "POST", "/fine-tunes", { model: "qwen3-8b", training_file_ids: [fileId], hyper_parameters: REQUIRED }, key);
            assert.equal((await create(KEY)).status, 200);
            assert.equal((await create(KEY)).status, 429, "the first key is at its limit");
            assert.equal((await create(OTHER)).status, 200);
        } finally {
            await emu.close();
        }
    });
});

describe("DashScope emulator: the job_name variant", () => {
    let emu: RunningEmulator;
    let fileId: string;
    const create = () => call(emu, "POST", "/fine-tunes", { model: "qwen3-8b", training_file_ids: [fileId], hyper_parameters: REQUIRED, job_name: "tune-0123abcd" });

    beforeEach(async () => {
        emu = await startEmulator({ stepMs: STEP });
        fileId = await trainingFile(emu);
    });
    afterEach(() => emu.close());

    it("by default (echoed) a job answers with the job_name it was sent", async () => {
        const r = await create();
        assert.equal(r.body.output.job_name, "tune-0123abcd");
    });

    it("under ignored, the create answer, the read and the list carry job_name equal to job_id", async () => {
        assert.equal((await control(emu, "POST", "/dashscope/variants", { jobName: "ignored" })).body.jobName, "ignored");
        const id = (await create()).body.output.job_id;
        const read = await call(emu, "GET", `/fine-tunes/${id}`);
        const list = await call(emu, "GET", "/fine-tunes");
        assert.deepEqual([read.body.output.job_name, list.body.output.jobs[0].job_name], [id, id]);
    });

    it("refuses a jobName value it does not know, naming the values", async () => {
        const r = await control(emu, "POST", "/dashscope/variants", { jobName: "random" });
        assert.equal(r.status, 400);
        assert.match(r.body.message, /jobName/);
    });
});
