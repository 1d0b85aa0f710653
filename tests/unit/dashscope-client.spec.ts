/**
 * The DashScope fine-tune client (sdk/dashscope/client.ts) on HTTP 429. The
 * 429 answers the reference documents are per-user quotas, not request rates
 * (reference/bailian-finetune.md §7): a create that meets one ends at once,
 * unsent again, with an error that names the quota and says what to do. A 429
 * that names no quota is request-rate throttling and is still resent.
 */
import { strict as assert } from "node:assert";
import { EMULATOR_CREDENTIALS, RunningEmulator, emulatorEnv, startEmulator } from "../../emulator";
import { CloudApiError } from "../../sdk/core/errors";
import { DashScopeClient } from "../../sdk/dashscope/client";
import type { CreateFineTuneRequest } from "../../sdk/dashscope/types";

/** One minute per status: no job finishes while a test runs. */
const STEP = 60_000;

describe("DashScope client: HTTP 429 on CreateFineTune", () => {
    let emu: RunningEmulator;
    let client: DashScopeClient;
    let request: CreateFineTuneRequest;
    const creates = () => emu.counts().byCloud.dashscope?.CreateFineTune ?? 0;
    const control = (method: string, path: string, body?: unknown) => fetch(`${emu.url}/_control${path}`, { method, body: JSON.stringify(body ?? {}) }).then((r) => r.json() as Promise<any>);

    beforeEach(async () => {
        emu = await startEmulator({ stepMs: STEP });
        client = new DashScopeClient({ apiKey: EMULATOR_CREDENTIALS.dashscopeApiKey, baseUrl: emulatorEnv(emu).DASHSCOPE_HTTP_BASE_URL, retry: { baseDelayMs: 1, maxDelayMs: 5 } });
        const fileId = (await control("POST", "/dashscope/files", { name: "train.jsonl" })).data.file_id;
        request = { model: "qwen3-8b", training_file_ids: [fileId], hyper_parameters: { n_epochs: 1, batch_size: 8, max_length: 2048 } };
    });
    afterEach(() => emu.close());

    it("the running-job quota ends the create unsent again: the emulator sees exactly one create, and the error names the quota and what to do", async () => {
        await control("POST", "/dashscope/variants", { runningJobLimit: 1 });
        await client.createFineTune({ ...request, job_name: "first" });
        const before = creates();
        const e = await client.createFineTune({ ...request, job_name: "second" }).then(
            () => assert.fail("the create was accepted past the quota"),
            (err: unknown) => err,
        );
        assert.equal(creates() - before, 1, "the refused create was sent once");
        assert.ok(e instanceof CloudApiError);
        assert.equal(e.code, "Throttling");
        assert.equal(e.httpStatus, 429);
        assert.equal(e.retryable, false);
        assert.match(e.message, /Too many fine-tune job in running/);
        assert.match(e.message, /quota of fine-tunes running at once/);
        assert.match(e.message, /Wait for running fine-tunes to finish, or cancel some/);
        assert.match(e.message, /a limit of the service/);
    });

    it("the quota of fine-tunes running or succeeded per user ends the create too, saying to cancel or remove jobs", () => {
        const body = { code: "Throttling", message: "Only 20 fine-tune job in running or succeeded allowed per user.", request_id: "r-1" };
        let e: unknown;
        try {
            client.decode({ status: 429, headers: {}, text: JSON.stringify(body) }, "CreateFineTune");
        } catch (err) {
            e = err;
        }
        assert.ok(e instanceof CloudApiError);
        assert.equal(e.retryable, false);
        assert.match(e.message, /quota of fine-tunes running or succeeded/);
        assert.match(e.message, /Cancel running fine-tunes or remove succeeded ones/);
    });

    it("a 429 on create that names no quota is request-rate throttling: it is resent and the create succeeds", async () => {
        await control("POST", "/faults", { kind: "throttle", cloud: "dashscope", action: "CreateFineTune", count: 1 });
        const job = await client.createFineTune({ ...request, job_name: "throttled" });
        assert.match(job.job_id, /^ft-/);
        assert.equal(creates(), 2, "the throttled create and its resend");
    });

    it("a throttling 429 cuts the client's budget (AIMD); a quota 429 says nothing about the rate and does not", async () => {
        const bucket = client.http.bucketFor("CreateFineTune");
        assert.equal(bucket.perSecond, 10, "the assumed default");
        await control("POST", "/faults", { kind: "throttle", cloud: "dashscope", action: "CreateFineTune", count: 1 });
        await client.createFineTune({ ...request, job_name: "throttled" });
        assert.equal(bucket.throttledCount, 1);
        assert.equal(bucket.perSecond, 8);
        await control("POST", "/dashscope/variants", { runningJobLimit: 1 });
        await assert.rejects(client.createFineTune({ ...request, job_name: "over-quota" }), (e: CloudApiError) => e.httpStatus === 429 && !e.retryable);
        assert.equal(bucket.throttledCount, 1, "the quota answer did not count");
    });

    it("the rateLimit option sets the client's budget", () => {
        const c = new DashScopeClient({ apiKey: EMULATOR_CREDENTIALS.dashscopeApiKey, baseUrl: emulatorEnv(emu).DASHSCOPE_HTTP_BASE_URL, rateLimit: { perSecond: 3 } });
        assert.equal(c.http.bucketFor("ListFineTunes").perSecond, 3);
    });
});
