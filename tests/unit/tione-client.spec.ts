/**
 * The TI-ONE client (sdk/tione/client.ts) against the emulator started
 * in-process: signing as the emulator verifies it, the API 3.0 envelope,
 * error mapping, retries, paging and the rate budget.
 */
import { strict as assert } from "node:assert";
import { CloudApiError } from "../../sdk/core/errors";
import { TIONE_RATE_LIMIT, TioneClient, TioneClientOptions, classifyTioneError, parseTioneTime, tioneEndpoint, tioneOptionsFromEnv } from "../../sdk/tione/client";
import type { CreateTrainingTaskRequest } from "../../sdk/tione/types";
import { EMULATOR_CREDENTIALS, RunningEmulator, emulatorEnv, startEmulator } from "../../emulator";
import { startEmulatorServer } from "../../emulator/core/server";
import { TioneEmulator } from "../../emulator/tione";
import { expectCloudError } from "./cloudErrors";
import { tioneClientFor } from "../../provider/tione/tioneClient";

const REGION = "ap-guangzhou";
let seq = 0;

function task(overrides: Partial<CreateTrainingTaskRequest> = {}): CreateTrainingTaskRequest {
    return {
        Name: `client-test-${process.pid}-${++seq}`,
        ChargeType: "POSTPAID_BY_HOUR",
        ResourceConfigInfos: [{ Role: "WORKER", InstanceType: "TI.S.MEDIUM.POST", InstanceNum: 1 }],
        ...overrides,
    };
}

describe("TI-ONE client against the emulator", () => {
    let emu: RunningEmulator;
    let env: Record<string, string>;

    const client = (o: Partial<TioneClientOptions> = {}) =>
        new TioneClient({ ...(tioneOptionsFromEnv(env) as TioneClientOptions), region: REGION, retry: { baseDelayMs: 5, maxDelayMs: 50 }, ...o });
    const apiRequests = (action: string) => emu.counts().byCloud.tione?.[action] ?? 0;

    before(async () => {
        emu = await startEmulator({ stepMs: 100 });
        env = emulatorEnv(emu);
    });
    after(() => emu.close());
    afterEach(() => emu.faults.clear());

    describe("signing", () => {
        it("a create signed over content-type;host (port included) is accepted and returns a train-<19 digits> id", async () => {
            const id = await client().createTrainingTask(task());
            assert.match(id, /^train-\d{19}$/);
        });

        it("a call signed over content-type;host;x-tc-action is accepted too", async () => {
            const id = await client().createTrainingTask(task());
            const detail = await client({ signActionHeader: true }).describeTrainingTask(id);
            assert.equal(detail.Id, id);
        });

        it("a wrong SecretKey gets AuthFailure.SignatureFailure, not retried, with the request id and without the key", async () => {
            const wrongKey = "definitely-not-the-emulator-key";
            const before = apiRequests("DescribeTrainingTasks");
            const e = await expectCloudError(client({ secretKey: wrongKey }).describeTrainingTasks(), "AuthFailure.SignatureFailure");
            assert.equal(e.retryable, false);
            assert.match(e.requestId ?? "", /^[0-9a-f-]{36}$/);
            assert.ok(e.message.includes(e.requestId!), e.message);
            assert.ok(!e.message.includes(wrongKey), e.message);
            assert.equal(apiRequests("DescribeTrainingTasks") - before, 1);
        });

        it("an unknown SecretId gets AuthFailure.SecretIdNotFound", async () => {
            await expectCloudError(client({ secretId: "AKIDnobodyHasThisId" }).describeTrainingTasks(), "AuthFailure.SecretIdNotFound");
        });

        it("a timestamp 10 minutes old gets AuthFailure.SignatureExpire and a hint about the clock", async () => {
            const e = await expectCloudError(client({ now: () => Date.now() - 10 * 60_000 }).describeTrainingTasks(), "AuthFailure.SignatureExpire");
            assert.match(e.message, /system clock/);
        });

        it("a timestamp 4 minutes off is still accepted", async () => {
            const res = await client({ now: () => Date.now() + 4 * 60_000 }).describeTrainingTasks({ Limit: 1 });
            assert.equal(typeof res.TotalCount, "number");
        });
    });

    describe("temporary credentials", () => {
        const secretId = "AKIDtemporaryCredential";
        const secretKey = "temporary-secret-key";
        const token = "session-token-value-123";
        let tokenEmu: Awaited<ReturnType<typeof startEmulatorServer>>;
        before(async () => {
            tokenEmu = await startEmulatorServer({ modules: [new TioneEmulator({ secrets: { [secretId]: secretKey }, sessionTokens: { [secretId]: token }, stepMs: 100 })] });
        });
        after(() => tokenEmu.close());
        const tokenClient = (sessionToken?: string) => new TioneClient({ secretId, secretKey, sessionToken, region: REGION, endpoint: `${tokenEmu.url}/tione/` });

        it("the session token is sent as X-TC-Token", async () => {
            const res = await tokenClient(token).describeTrainingTasks();
            assert.equal(res.TotalCount, 0);
        });

        it("a missing token gets AuthFailure.TokenFailure", async () => {
            await expectCloudError(tokenClient(undefined).describeTrainingTasks(), "AuthFailure.TokenFailure");
        });

        it("TENCENTCLOUD_SECURITY_TOKEN (Terraform's name) is read when TENCENTCLOUD_SESSION_TOKEN is absent", () => {
            assert.equal(tioneOptionsFromEnv({ TENCENTCLOUD_SECURITY_TOKEN: "tf-token" }).sessionToken, "tf-token");
            assert.equal(tioneOptionsFromEnv({ TENCENTCLOUD_SESSION_TOKEN: "sdk-token", TENCENTCLOUD_SECURITY_TOKEN: "tf-token" }).sessionToken, "sdk-token");
        });
    });

    describe("envelope and errors", () => {
        it("an unknown task id is ResourceNotFound with HTTP 200, not retryable", async () => {
            const before = apiRequests("DescribeTrainingTask");
            const e = await expectCloudError(client().describeTrainingTask("train-1000000000000000000"), "ResourceNotFound");
            assert.equal(e.httpStatus, 200);
            assert.equal(e.retryable, false);
            assert.equal(apiRequests("DescribeTrainingTask") - before, 1);
        });

        it("a task created in one region is not found from another", async () => {
            const id = await client().createTrainingTask(task());
            await expectCloudError(client({ region: "ap-shanghai" }).describeTrainingTask(id), "ResourceNotFound");
        });

        it("a 200 answer with Response.Error becomes a CloudApiError carrying code, message and request id", () => {
            const c = client();
            const text = JSON.stringify({ Response: { Error: { Code: "InvalidParameterValue.DuplicateName", Message: "name taken" }, RequestId: "ed93f3cb-f35e-473f-b9f3-0d451b8b79c6" } });
            assert.throws(
                () => c.decode({ status: 200, headers: {}, text }, "CreateTrainingTask"),
                (e: unknown) => e instanceof CloudApiError && e.code === "InvalidParameterValue.DuplicateName" && e.requestId === "ed93f3cb-f35e-473f-b9f3-0d451b8b79c6" && /name taken/.test(e.message),
            );
        });

        it("a body without Response is a MalformedResponse, not a success", () => {
            assert.throws(() => client().decode({ status: 200, headers: {}, text: "{}" }, "DescribeTrainingTask"), (e: unknown) => e instanceof CloudApiError && e.code === "MalformedResponse");
        });

        it("RequestLimitExceeded is retryable and rejected before applied; AuthFailure is not retryable; InternalError is retryable but its sub-codes are not", () => {
            assert.deepEqual(classifyTioneError("RequestLimitExceeded.UinLimitExceeded", 200), { retryable: true, rejectedBeforeApplied: true });
            assert.deepEqual(classifyTioneError("AuthFailure.SignatureFailure", 200), { retryable: false, rejectedBeforeApplied: false });
            assert.equal(classifyTioneError("InternalError", 200).retryable, true);
            assert.equal(classifyTioneError("InternalError.UnSubmittedStatusNotAllowStop", 200).retryable, false);
            assert.equal(classifyTioneError("FailedOperation", 502).retryable, true);
        });

        it("a duplicate Name gets FailedOperation.DuplicateNameTaskIsCreating", async () => {
            const req = task();
            await client().createTrainingTask(req);
            await expectCloudError(client().createTrainingTask(req), "FailedOperation.DuplicateNameTaskIsCreating");
        });
    });

    describe("retries", () => {
        it("a read throttled twice with RequestLimitExceeded is retried and succeeds on the third attempt", async () => {
            const id = await client().createTrainingTask(task());
            emu.faults.add([{ kind: "throttle", cloud: "tione", action: "DescribeTrainingTask", count: 2 }]);
            const before = apiRequests("DescribeTrainingTask");
            const detail = await client().describeTrainingTask(id);
            assert.equal(detail.Id, id);
            assert.equal(apiRequests("DescribeTrainingTask") - before, 3);
        });

        it("a throttled create is resent (the cloud did nothing) and creates exactly one task", async () => {
            const req = task();
            emu.faults.add([{ kind: "throttle", cloud: "tione", action: "CreateTrainingTask", count: 1 }]);
            const id = await client().createTrainingTask(req);
            const matches = [];
            for await (const t of client().listTrainingTasks({ Filters: [{ Name: "Name", Values: [req.Name] }] })) matches.push(t.Id);
            assert.deepEqual(matches, [id]);
        });

        it("a create answered with an InternalError outage is not resent (it may have been applied)", async () => {
            emu.faults.add([{ kind: "server-error", cloud: "tione", action: "CreateTrainingTask", count: 1 }]);
            const before = apiRequests("CreateTrainingTask");
            const e = await expectCloudError(client().createTrainingTask(task()), "InternalError");
            assert.equal(e.httpStatus, 500);
            assert.equal(apiRequests("CreateTrainingTask") - before, 1);
        });

        it("a read answered with an InternalError outage is retried", async () => {
            emu.faults.add([{ kind: "server-error", cloud: "tione", action: "DescribeTrainingTasks", count: 1 }]);
            const res = await client().describeTrainingTasks({ Limit: 1 });
            assert.equal(typeof res.TotalCount, "number");
        });
    });

    describe("DescribeTrainingTasks paging", () => {
        const region = "ap-paging";
        const paged = (o: Partial<TioneClientOptions> = {}) => client({ region, ...o });
        const names: string[] = [];
        before(async function () {
            this.timeout(30_000);
            for (let i = 0; i < 57; i++) names.push(`page-${String(i).padStart(2, "0")}`);
            await Promise.all(names.map((Name) => paged().createTrainingTask(task({ Name }))));
        });

        it("listTrainingTasks walks two pages of at most 50 and yields all 57 tasks once", async () => {
            const before = apiRequests("DescribeTrainingTasks");
            const seen: string[] = [];
            for await (const t of paged().listTrainingTasks()) seen.push(t.Name);
            assert.deepEqual([...seen].sort(), names);
            assert.equal(apiRequests("DescribeTrainingTasks") - before, 2);
        });

        it("Offset and Limit select a page and TotalCount counts every match", async () => {
            const res = await paged().describeTrainingTasks({ Offset: 50, Limit: 50, Order: "ASC", OrderField: "CreateTime" });
            assert.equal(res.TotalCount, 57);
            assert.equal(res.TrainingTaskSet.length, 7);
        });

        it("a Limit over 50 is refused locally without a request", async () => {
            const before = apiRequests("DescribeTrainingTasks");
            await assert.rejects(paged().describeTrainingTasks({ Limit: 51 }), RangeError);
            assert.equal(apiRequests("DescribeTrainingTasks") - before, 0);
        });

        it("the emulator answers a Limit over 50 with InvalidParameterValue.PageLimitExceeded", async () => {
            await expectCloudError(paged().call("DescribeTrainingTasks", { Limit: 51 }), "InvalidParameterValue.PageLimitExceeded");
        });

        it("filters select by Name exactly, by Name fuzzily, and negatively", async () => {
            const exact = await paged().describeTrainingTasks({ Filters: [{ Name: "Name", Values: ["page-01"] }] });
            assert.deepEqual(exact.TrainingTaskSet.map((t) => t.Name), ["page-01"]);
            const fuzzy = await paged().describeTrainingTasks({ Filters: [{ Name: "Name", Values: ["page-1"], Fuzzy: true }], Limit: 50 });
            assert.equal(fuzzy.TotalCount, 10);
            const negative = await paged().describeTrainingTasks({ Filters: [{ Name: "Name", Values: ["page-01"], Negative: true }] });
            assert.equal(negative.TotalCount, 56);
        });

        it("findTrainingTaskByName returns the exact match and undefined when there is none", async () => {
            assert.equal((await paged().findTrainingTaskByName("page-42"))?.Name, "page-42");
            assert.equal(await paged().findTrainingTaskByName("page-4"), undefined);
        });
    });

    describe("rate budget", () => {
        it("80 concurrent reads stay under the emulator's 20 requests/s window: no RequestLimitExceeded is answered", async function () {
            this.timeout(30_000);
            // An account of its own: the window counts per account and action across regions, and at the full 20/s
            // there is no room for the other tests' calls of the last second (their buckets are other regions').
            const [secretId, secretKey] = ["AKIDbudget0000000000", "budget-secret-key"];
            const own = await startEmulatorServer({ modules: [new TioneEmulator({ secrets: { [secretId]: secretKey }, stepMs: 100 })] });
            try {
                const c = client({ secretId, secretKey, endpoint: `${own.url}/tione/`, region: "ap-budget", retry: { maxAttempts: 1 } });
                await Promise.all(Array.from({ length: 80 }, () => c.describeTrainingTasks({ Limit: 1 })));
                const stats = (await (await fetch(`${own.url}/_control/tione/stats`)).json()) as { throttled: number };
                assert.equal(stats.throttled, 0);
            } finally {
                await own.close();
            }
        });

        it("a RequestLimitExceeded answer cuts that action's budget (AIMD), not the other actions'; the read is resent and succeeds", async () => {
            const c = client({ region: "ap-adapt" });
            assert.deepEqual({ ...c.http.rateLimit }, { ...TIONE_RATE_LIMIT }, "the default per action");
            const id = await c.createTrainingTask(task());
            emu.faults.add([{ kind: "throttle", cloud: "tione", action: "DescribeTrainingTask", count: 1 }]);
            assert.equal((await c.describeTrainingTask(id)).Id, id);
            assert.equal(c.http.bucketFor("DescribeTrainingTask").throttledCount, 1);
            assert.ok(c.http.bucketFor("DescribeTrainingTask").perSecond < TIONE_RATE_LIMIT.perSecond);
            assert.equal(c.http.bucketFor("DescribeTrainingTasks").perSecond, TIONE_RATE_LIMIT.perSecond);
            assert.equal(client({ region: "ap-adapt" }).http.bucketFor("DescribeTrainingTask").throttledCount, 1, "another client of the region shares the lesson");
        });

        it("the rateLimit option sets each action's budget", () => {
            const c = client({ region: "ap-configured", rateLimit: { perSecond: 5, burst: 1 } });
            assert.equal(c.http.bucketFor("CreateTrainingTask").perSecond, 5);
        });
    });

    describe("endpoints and times", () => {
        it("uses the documented host whatever the region (the region travels in X-TC-Region), and the override over it", () => {
            assert.equal(tioneEndpoint("ap-shanghai"), "https://tione.tencentcloudapi.com/");
            assert.equal(tioneEndpoint(undefined), "https://tione.tencentcloudapi.com/");
            assert.equal(tioneEndpoint("ap-shanghai", "http://127.0.0.1:4010/tione/"), "http://127.0.0.1:4010/tione/");
        });

        it("signs the Host it sends, port included", () => {
            const c = new TioneClient({ secretId: EMULATOR_CREDENTIALS.tencentSecretId, secretKey: "k", endpoint: "http://127.0.0.1:4010/tione/" });
            const req = c.build("DescribeTrainingTasks", Buffer.from("{}"));
            assert.equal(req.headers.Host, "127.0.0.1:4010");
            assert.equal(req.headers["X-TC-Region"], undefined);
            assert.equal(req.headers["X-TC-Token"], undefined);
        });

        it("refuses to start without credentials; the provider, which finds them, names both ways to set them", () => {
            assert.throws(() => new TioneClient({ secretId: "", secretKey: "" }), /needs a secretId and a secretKey/);
            const saved = { id: process.env.TENCENTCLOUD_SECRET_ID, key: process.env.TENCENTCLOUD_SECRET_KEY };
            delete process.env.TENCENTCLOUD_SECRET_ID;
            delete process.env.TENCENTCLOUD_SECRET_KEY;
            try {
                assert.throws(() => tioneClientFor("ap-guangzhou"), /TENCENTCLOUD_SECRET_ID.*tencentcloud:secretId/s);
            } finally {
                if (saved.id !== undefined) process.env.TENCENTCLOUD_SECRET_ID = saved.id;
                if (saved.key !== undefined) process.env.TENCENTCLOUD_SECRET_KEY = saved.key;
            }
        });

        it("parses the detail form with a bare +08 offset and the list form without a zone as China time", () => {
            assert.equal(parseTioneTime("2025-05-28T18:18:33+08")?.toISOString(), "2025-05-28T10:18:33.000Z");
            assert.equal(parseTioneTime("2025-05-28 18:18:33")?.toISOString(), "2025-05-28T10:18:33.000Z");
            assert.equal(parseTioneTime(""), undefined);
            assert.equal(parseTioneTime("not a time"), undefined);
        });
    });
});
