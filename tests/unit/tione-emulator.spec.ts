/**
 * The TI-ONE emulator module (emulator/tione) as a model of the cloud:
 * signature checks, validation, the task status flow on the emulator clock,
 * stop/delete rules, forced outcomes and the per-action rate limit. Requests
 * are built by hand (signed with the signer, whose own spec pins it to the
 * official vectors) so that each test controls exactly what is sent.
 */
import { strict as assert } from "node:assert";
import * as http from "node:http";
import { signTc3 } from "../../sdk/tione/signer";
import { TokenBucket } from "../../sdk/core/rateLimiter";
import { EMULATOR_CREDENTIALS, RunningEmulator, startEmulator } from "../../emulator";
import { TioneEmulator } from "../../emulator/tione";
import { EmulatorClock } from "../../emulator/core/clock";
import { RateWindow } from "../../emulator/core/rateWindow";

const { tencentSecretId: SECRET_ID, tencentSecretKey: SECRET_KEY } = EMULATOR_CREDENTIALS;
/** One minute per status: wall time spent by the test never moves a task; only `advance` does. */
const STEP = 60_000;

interface RawOptions {
    action: string;
    params?: unknown;
    region?: string | null;
    /** Host to sign when it should differ from the one sent. */
    signHost?: string;
    signActionHeader?: boolean;
    version?: string;
    secretKey?: string;
    /** Replace the Authorization header (null: omit it). */
    authorization?: string | null;
    /** Skip the test-side pacing (the rate-limit test wants bursts). */
    unpaced?: boolean;
}

type Answer = { Response: Record<string, any> };

let emu: RunningEmulator;

/** Paces the hand-built calls under the emulator's 20/s per action, as any client must. */
const pace = new TokenBucket({ perSecond: 18, burst: 2 });

/** One hand-built signed POST to the emulator; resolves with the parsed body. */
async function raw(o: RawOptions): Promise<Answer> {
    if (!o.unpaced) await pace.take();
    const body = Buffer.from(JSON.stringify(o.params ?? {}), "utf8");
    const host = `127.0.0.1:${emu.port}`;
    const timestamp = Math.floor(Date.now() / 1000);
    const { authorization } = signTc3({
        secretId: SECRET_ID,
        secretKey: o.secretKey ?? SECRET_KEY,
        service: "tione",
        host: o.signHost ?? host,
        action: o.action,
        signActionHeader: o.signActionHeader,
        timestamp,
        payload: body,
        contentType: "application/json",
    });
    const headers: Record<string, string> = {
        Host: host,
        "Content-Type": "application/json",
        "X-TC-Action": o.action,
        "X-TC-Version": o.version ?? "2021-11-11",
        "X-TC-Timestamp": String(timestamp),
        "Content-Length": String(body.length),
    };
    if (o.region !== null) headers["X-TC-Region"] = o.region ?? "ap-guangzhou";
    if (o.authorization !== null) headers.Authorization = o.authorization ?? authorization;
    return new Promise((resolve, reject) => {
        const req = http.request({ host: "127.0.0.1", port: emu.port, path: "/tione/", method: "POST", headers }, (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => {
                try {
                    assert.equal(res.statusCode, 200, "business answers use HTTP 200");
                    resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
                } catch (e) {
                    reject(e);
                }
            });
        });
        req.on("error", reject);
        req.end(body);
    });
}

const errorCode = (a: Answer) => a.Response.Error?.Code as string | undefined;

let seq = 0;
function createParams(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        Name: `emu-${process.pid}-${++seq}`,
        ChargeType: "POSTPAID_BY_HOUR",
        ResourceConfigInfos: [{ Role: "WORKER", InstanceType: "TI.S6.MEDIUM2.POST", InstanceNum: 1 }],
        ...overrides,
    };
}

async function create(overrides: Record<string, unknown> = {}): Promise<string> {
    const a = await raw({ action: "CreateTrainingTask", params: createParams(overrides) });
    assert.equal(errorCode(a), undefined, JSON.stringify(a));
    return a.Response.Id;
}

const describeTask = async (id: string) => (await raw({ action: "DescribeTrainingTask", params: { Id: id } })).Response.TrainingTaskDetail as Record<string, any>;
const advance = (steps: number) => emu.clock.advance(steps * STEP);
const control = async (method: string, path: string, body?: unknown) =>
    (await fetch(`${emu.url}/_control/tione${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) })).json() as Promise<any>;

describe("TI-ONE emulator", () => {
    before(async () => {
        emu = await startEmulator({ stepMs: STEP });
    });
    after(() => emu.close());

    describe("authentication", () => {
        it("a signature over the Host without its port (the Node SDK's habit; on the cloud's port 443 the two are one value) is accepted", async () => {
            const a = await raw({ action: "DescribeTrainingTasks", signHost: "127.0.0.1" });
            assert.equal(errorCode(a), undefined);
        });

        it("a signature over another host than the one sent is rejected with AuthFailure.SignatureFailure", async () => {
            const a = await raw({ action: "DescribeTrainingTasks", signHost: "tione.tencentcloudapi.com" });
            assert.equal(errorCode(a), "AuthFailure.SignatureFailure");
        });

        it("a signature over content-type;host;x-tc-action with the action lower-cased is accepted", async () => {
            const a = await raw({ action: "DescribeTrainingTasks", signActionHeader: true });
            assert.equal(errorCode(a), undefined);
        });

        it("a request without Authorization gets AuthFailure.InvalidAuthorization", async () => {
            assert.equal(errorCode(await raw({ action: "DescribeTrainingTasks", authorization: null })), "AuthFailure.InvalidAuthorization");
        });

        it("a signature that lists a header it does not send is rejected", async () => {
            const good = signTc3({ secretId: SECRET_ID, secretKey: SECRET_KEY, service: "tione", host: `127.0.0.1:${emu.port}`, timestamp: Math.floor(Date.now() / 1000), payload: "{}", contentType: "application/json" });
            const forged = good.authorization.replace("SignedHeaders=content-type;host", "SignedHeaders=content-type;host;x-tc-missing");
            assert.equal(errorCode(await raw({ action: "DescribeTrainingTasks", authorization: forged })), "AuthFailure.SignatureFailure");
        });

        it("every error answer carries a RequestId", async () => {
            const a = await raw({ action: "DescribeTrainingTasks", secretKey: "wrong" });
            assert.match(a.Response.RequestId, /^[0-9a-f-]{36}$/);
        });
    });

    describe("common parameters", () => {
        it("an unknown version gets NoSuchVersion", async () => {
            assert.equal(errorCode(await raw({ action: "DescribeTrainingTasks", version: "2019-10-22" })), "NoSuchVersion");
        });

        it("an action the emulator does not model gets InvalidAction", async () => {
            assert.equal(errorCode(await raw({ action: "ModifyTrainingTask" })), "InvalidAction");
        });

        it("a missing X-TC-Region gets MissingParameter", async () => {
            assert.equal(errorCode(await raw({ action: "DescribeTrainingTasks", region: null })), "MissingParameter");
        });

        it("an unknown parameter name (a lower-camel `name`) gets UnknownParameter", async () => {
            const a = await raw({ action: "CreateTrainingTask", params: { ...createParams(), name: "x" } });
            assert.equal(errorCode(a), "UnknownParameter");
        });
    });

    describe("CreateTrainingTask validation", () => {
        const cases: Array<[string, Record<string, unknown>, string]> = [
            ["a missing Name", { Name: undefined }, "MissingParameter"],
            ["a Name starting with `_`", { Name: "_bad" }, "InvalidParameterValue"],
            ["a Name of 61 characters", { Name: "a".repeat(61) }, "InvalidParameterValue"],
            ["an unknown ChargeType", { ChargeType: "SPOT" }, "InvalidParameterValue"],
            ["PREPAID without ResourceGroupId", { ChargeType: "PREPAID" }, "MissingParameter"],
            ["PREPAID without Cpu/Memory", { ChargeType: "PREPAID", ResourceGroupId: "trsg-1", ResourceConfigInfos: [{ Role: "WORKER" }] }, "InvalidParameterValue.ResourceConfigIllegal"],
            ["POSTPAID without InstanceType", { ResourceConfigInfos: [{ Role: "WORKER", InstanceNum: 1 }] }, "InvalidParameterValue.ResourceConfigIllegal"],
            ["an unknown Role", { ResourceConfigInfos: [{ Role: "CHIEF", InstanceType: "TI.S.MEDIUM.POST" }] }, "InvalidParameterValue.ResourceConfigIllegal"],
            ["a fractional Gpu", { ResourceConfigInfos: [{ Role: "WORKER", InstanceType: "TI.S.MEDIUM.POST", Gpu: 0.5 }] }, "InvalidParameter"],
            ["11 DataConfigs", { DataConfigs: Array.from({ length: 11 }, () => ({ DataSourceType: "DATASET", DataSetSource: { Id: "ds-1" } })) }, "InvalidParameterValue.DatasetNumLimitExceeded"],
            ["a COS DataConfig without COSSource", { DataConfigs: [{ DataSourceType: "COS" }] }, "InvalidParameterValue.UnsupportedDataConfig"],
            ["two COS paths", { Output: { Bucket: "b-1", Region: "ap-guangzhou", Paths: ["/a", "/b"] } }, "InvalidParameterValue.PathIllegal"],
            ["TuningParameters of 2049 characters", { TuningParameters: "x".repeat(2049) }, "InvalidParameterValue.ParamLengthExceedLimit"],
            ["a Remark of 1025 characters", { Remark: "x".repeat(1025) }, "InvalidParameterValue.ParamLengthExceedLimit"],
            ["an unknown ImageType", { ImageInfo: { ImageType: "DOCKERHUB", ImageUrl: "x" } }, "InvalidParameterValue.ImageIllegal"],
            ["EncodedStartCmdInfo that is not base64", { EncodedStartCmdInfo: { StartCmdInfo: "python train.py" } }, "InvalidParameterValue"],
            ["an unknown DataSource", { DataSource: "NAS" }, "InvalidParameterValue"],
        ];
        for (const [what, overrides, code] of cases) {
            it(`${what} gets ${code}`, async () => {
                const params = createParams(overrides);
                for (const k of Object.keys(params)) if (params[k] === undefined) delete params[k];
                assert.equal(errorCode(await raw({ action: "CreateTrainingTask", params })), code);
            });
        }

        it("a second task with the same Name gets FailedOperation.DuplicateNameTaskIsCreating, and the Name is free again after delete", async () => {
            const params = createParams();
            const first = await raw({ action: "CreateTrainingTask", params });
            assert.equal(errorCode(await raw({ action: "CreateTrainingTask", params })), "FailedOperation.DuplicateNameTaskIsCreating");
            await control("POST", `/tasks/${first.Response.Id}/force`, { status: "STOPPED" });
            assert.equal(errorCode(await raw({ action: "DeleteTrainingTask", params: { Id: first.Response.Id } })), undefined);
            assert.equal(errorCode(await raw({ action: "CreateTrainingTask", params })), undefined);
        });
    });

    describe("task lifecycle", () => {
        it("moves SUBMITTING -> PENDING -> STARTING -> RUNNING -> SUCCEED one step at a time, the detail reporting PENDING as SUBMITTING (its enum has no PENDING)", async () => {
            const id = await create();
            const seen: string[] = [];
            for (let i = 0; i < 5; i++) {
                seen.push((await describeTask(id)).Status);
                advance(1);
            }
            assert.deepEqual(seen, ["SUBMITTING", "SUBMITTING", "STARTING", "RUNNING", "SUCCEED"]);
        });

        it("the list reports the queued step as PENDING, with AppId a string and Envs an array (TrainingTaskSetItem)", async () => {
            const id = await create();
            advance(1);
            const items = (await raw({ action: "DescribeTrainingTasks", params: { Filters: [{ Name: "Id", Values: [id] }] } })).Response.TrainingTaskSet as Array<Record<string, any>>;
            assert.equal(items[0].Status, "PENDING");
            assert.equal(typeof items[0].AppId, "string");
            assert.ok(Array.isArray(items[0].Envs));
        });

        it("a finished task reports start, end, runtime, instance id and billing the way the detail example does", async () => {
            const id = await create();
            const submitted = await describeTask(id);
            // Unset fields read as "" (the vendor's detail examples), not null.
            assert.equal(submitted.StartTime, "");
            assert.equal(submitted.LatestInstanceId, "");
            advance(3);
            assert.equal((await describeTask(id)).ChargeStatus, "BILLING");
            advance(20);
            const done = await describeTask(id);
            assert.equal(done.Status, "SUCCEED");
            assert.equal(done.ChargeStatus, "NOT_BILLING");
            assert.match(done.CreateTime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08$/);
            assert.match(done.EndTime, /\+08$/);
            assert.match(done.LatestInstanceId, new RegExp(`^${id}-[a-z0-9]{12}$`));
            assert.equal(done.RuntimeInSeconds, 120, "STARTING and RUNNING, one minute each");
            assert.equal(done.BillingInfo, "2.00元/小时 (按量计费)");
            assert.deepEqual(done.ResourceConfigInfos[0], { Role: "WORKER", Cpu: 2000, Memory: 2048, GpuType: "", Gpu: 0, InstanceType: "TI.S6.MEDIUM2.POST", InstanceTypeAlias: "2C2G", InstanceNum: 1, RDMAConfig: { Enable: false } });
        });

        it("the detail carries every documented TrainingTaskDetail field, the system createdBy tag and empty COS paths as objects", async () => {
            const d = await describeTask(await create({ Tags: [{ TagKey: "team", TagValue: "nlp" }] }));
            const documented = [
                "Id", "Name", "Uin", "SubUin", "SubUinName", "Region", "FrameworkName", "FrameworkVersion", "FrameworkEnvironment", "ChargeType",
                "ResourceGroupId", "ResourceConfigInfos", "Tags", "TrainingMode", "CodePackagePath", "StartCmdInfo", "DataSource", "DataConfigs",
                "TuningParameters", "Output", "LogEnable", "LogConfig", "VpcId", "SubnetId", "ImageInfo", "RuntimeInSeconds", "CreateTime", "StartTime",
                "ChargeStatus", "LatestInstanceId", "TensorBoardId", "Remark", "FailureReason", "UpdateTime", "EndTime", "BillingInfo",
                "ResourceGroupName", "Message", "Status", "CallbackUrl", "CodeRepos", "ExposeNetworkConfig", "OperatorInfo",
            ];
            assert.deepEqual(documented.filter((k) => !(k in d)), []);
            assert.deepEqual(d.Tags, [{ TagKey: "team", TagValue: "nlp" }, { TagKey: "qcs:tag:createdBy", TagValue: "CAMUser:100000000001" }]);
            assert.deepEqual(d.Output, { Bucket: "", Region: "", Paths: [] });
        });

        it("EncodedStartCmdInfo is decoded and returned in the plain StartCmdInfo form, special characters intact", async () => {
            const cmd = { StartCmd: "", PsStartCmd: "", WorkerStartCmd: `python train.py --msg "héllo & <bye>" 'q' \\n $HOME` };
            const id = await create({ EncodedStartCmdInfo: { StartCmdInfo: Buffer.from(JSON.stringify(cmd)).toString("base64") } });
            const d = await describeTask(id);
            assert.deepEqual(d.StartCmdInfo, cmd);
            assert.equal("EncodedStartCmdInfo" in d, false);
        });

        it("stop while SUBMITTING gets InternalError.UnSubmittedStatusNotAllowStop", async () => {
            const id = await create();
            assert.equal(errorCode(await raw({ action: "StopTrainingTask", params: { Id: id } })), "InternalError.UnSubmittedStatusNotAllowStop");
        });

        it("stop while RUNNING goes STOPPING then STOPPED, and a second stop of a STOPPED task is refused", async () => {
            const id = await create();
            advance(3);
            assert.equal((await describeTask(id)).Status, "RUNNING");
            assert.equal(errorCode(await raw({ action: "StopTrainingTask", params: { Id: id } })), undefined);
            assert.equal((await describeTask(id)).Status, "STOPPING");
            advance(1);
            const stopped = await describeTask(id);
            assert.equal(stopped.Status, "STOPPED");
            assert.notEqual(stopped.EndTime, null);
            assert.equal(errorCode(await raw({ action: "StopTrainingTask", params: { Id: id } })), "InternalError.NotAllow");
        });

        it("delete of a running task is refused with InternalError.NotAllow; after it ends, delete removes it", async () => {
            const id = await create();
            advance(3);
            assert.equal(errorCode(await raw({ action: "DeleteTrainingTask", params: { Id: id } })), "InternalError.NotAllow");
            advance(5);
            assert.equal(errorCode(await raw({ action: "DeleteTrainingTask", params: { Id: id } })), undefined);
            assert.equal(errorCode(await raw({ action: "DescribeTrainingTask", params: { Id: id } })), "ResourceNotFound");
        });

        it("the control API forces FAILED with a reason, which Describe reports as FailureReason", async () => {
            const id = await create();
            advance(3);
            await control("POST", `/tasks/${id}/force`, { status: "FAILED", reason: "CUDA out of memory" });
            const d = await describeTask(id);
            assert.equal(d.Status, "FAILED");
            assert.equal(d.FailureReason, "CUDA out of memory");
            advance(10);
            assert.equal((await describeTask(id)).Status, "FAILED", "a forced outcome is final");
        });

        it("the control API forces SUBMIT_FAILED", async () => {
            const id = await create();
            await control("POST", `/tasks/${id}/force`, { status: "SUBMIT_FAILED" });
            assert.equal((await describeTask(id)).Status, "SUBMIT_FAILED");
        });

        it("DescribeTrainingTasks filters by Status and by tag", async () => {
            const tag = `t${process.pid}${++seq}`;
            const a = await create({ Tags: [{ TagKey: "suite", TagValue: tag }] });
            const b = await create({ Tags: [{ TagKey: "suite", TagValue: tag }] });
            await control("POST", `/tasks/${b}/force`, { status: "FAILED" });
            const list = await raw({
                action: "DescribeTrainingTasks",
                params: { Filters: [{ Name: "Status", Values: ["FAILED"] }], TagFilters: [{ TagKey: "suite", TagValues: [tag] }] },
            });
            assert.deepEqual(list.Response.TrainingTaskSet.map((t: any) => t.Id), [b]);
            assert.notEqual(a, b);
        });

        it("an unknown filter name gets InvalidParameterValue", async () => {
            assert.equal(errorCode(await raw({ action: "DescribeTrainingTasks", params: { Filters: [{ Name: "TaskStatus", Values: ["Running"] }] } })), "InvalidParameterValue");
        });
    });

    describe("rate limit", () => {
        /** The server's clock control (`/_control/clock/...`), which the rate window reads. */
        const clockControl = async (method: string, path: string, body?: unknown) =>
            (await fetch(`${emu.url}/_control/clock${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) })).json() as Promise<any>;
        const describeTasks = () => raw({ action: "DescribeTrainingTasks", params: { Limit: 1 }, unpaced: true });
        const limited = (answers: Answer[]) => answers.filter((a) => errorCode(a) === "RequestLimitExceeded").length;

        // Frozen, every call lands at one instant however slowly a loaded machine serves the burst.
        beforeEach(() => clockControl("POST", "/freeze"));
        afterEach(() => clockControl("DELETE", "/freeze"));

        it("answers the 21st call of one action within a second with RequestLimitExceeded, while another action still passes, and lets it pass once the second is over", async () => {
            // Every earlier call is at or before the frozen instant: one second on, the window is empty.
            await clockControl("POST", "/advance", { ms: 1000 });
            const throttledBefore = (await control("GET", "/stats")).throttledByAction.DescribeTrainingTasks ?? 0;
            const answers = await Promise.all(Array.from({ length: 21 }, describeTasks));
            const other = await raw({ action: "DescribeTrainingTask", params: { Id: "train-1" } });
            assert.equal(limited(answers), 1);
            assert.equal(errorCode(other), "ResourceNotFound");
            const stats = await control("GET", "/stats");
            assert.equal(stats.throttledByAction.DescribeTrainingTasks, throttledBefore + 1);

            // The window is one second, sliding: 1 ms short of it the action is still refused, at it the action passes again.
            await clockControl("POST", "/advance", { ms: 999 });
            assert.equal(errorCode(await describeTasks()), "RequestLimitExceeded");
            await clockControl("POST", "/advance", { ms: 1 });
            assert.equal(errorCode(await describeTasks()), undefined);
        });
    });

    describe("persistence", () => {
        it("a restored snapshot continues every task's timeline", () => {
            const ctx = { clock: new EmulatorClock(), rate: new RateWindow(), markDirty: () => undefined };
            const original = new TioneEmulator({ secrets: {}, stepMs: STEP });
            const now = ctx.clock.now();
            original.restore({ tasks: { "train-1": { id: "train-1", region: "ap-guangzhou", request: { Name: "x", ChargeType: "POSTPAID_BY_HOUR", ResourceConfigInfos: [] }, created: now, touched: now, phases: [{ status: "SUBMITTING", at: now }, { status: "SUCCEED", at: now + STEP }], instanceSuffix: "abcdefabcdef" } } });
            const copy = new TioneEmulator({ secrets: {}, stepMs: STEP });
            copy.restore(JSON.parse(JSON.stringify(original.snapshot())));
            ctx.clock.advance(2 * STEP);
            const listed = copy.control("GET", "/tasks", undefined, ctx)?.body as { tasks: Array<{ Status: string }> };
            assert.equal(listed.tasks[0].Status, "SUCCEED");
        });
    });
});
