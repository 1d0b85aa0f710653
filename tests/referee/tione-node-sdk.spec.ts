/**
 * The official Tencent Cloud Node SDK (`tencentcloud-sdk-nodejs`, TI-ONE
 * 2021-11-11 client) as a referee of the emulator's TI-ONE. Nobody here
 * wrote it: it signs TC3 its own way (service = the endpoint's first label,
 * host = the URL's hostname without the port, `src/common/sign.ts`), sends
 * the region as `X-TC-Region`, and hands the parsed JSON over as its typed
 * models, which ./sdkModels.ts checks field by field. Every call and error
 * path must work through it as it would against the cloud.
 *
 * It is configured as a user configures it for the cloud: endpoint
 * `tione.tencentcloudapi.com` (with the emulator's TI-ONE port, plain HTTP),
 * and a standard `http.Agent` whose resolver sends that name to 127.0.0.1.
 * Pointed at `127.0.0.1:<port>` instead it would sign service `127`, which
 * the cloud would refuse as well.
 */
import * as assert from "node:assert/strict";
import * as http from "node:http";
import * as path from "node:path";
import { EMULATOR_CREDENTIALS, RunningEmulator, startEmulator } from "../../emulator";
import { conformance, loadModels } from "./sdkModels";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { tione } = require("tencentcloud-sdk-nodejs/tencentcloud/services/tione") as typeof import("tencentcloud-sdk-nodejs/tencentcloud/services/tione");

type TioneClient = InstanceType<typeof tione.v20211111.Client>;

const MODELS = loadModels(path.join(path.dirname(require.resolve("tencentcloud-sdk-nodejs/tencentcloud/services/tione/v20211111/tione_client")), "tione_models.d.ts"));
const REGION = "ap-guangzhou";
const STEP = 60_000;

describe("TI-ONE: the official tencentcloud-sdk-nodejs client (2021-11-11) against the emulator", function () {
    this.timeout(60_000);
    let emu: RunningEmulator;
    let port: number;
    const agent = new http.Agent({
        // The SDK's endpoint host, resolved to the emulator; every other name as usual.
        lookup: ((host: string, opts: any, cb: any) =>
            host === "tione.tencentcloudapi.com" ? (opts?.all ? cb(null, [{ address: "127.0.0.1", family: 4 }]) : cb(null, "127.0.0.1", 4)) : require("node:dns").lookup(host, opts, cb)) as any,
    });
    const client = (secretKey: string = EMULATOR_CREDENTIALS.tencentSecretKey): TioneClient =>
        new tione.v20211111.Client({
            credential: { secretId: EMULATOR_CREDENTIALS.tencentSecretId, secretKey },
            region: REGION,
            profile: { httpProfile: { endpoint: `tione.tencentcloudapi.com:${port}`, protocol: "http://", agent, reqTimeout: 20 } },
        });
    const control = async (method: string, p: string, body?: unknown) => (await fetch(`${emu.url}/_control${p}`, { method, body: body === undefined ? undefined : JSON.stringify(body) })).json() as Promise<any>;
    /** The error code a call rejects with through the SDK (its TencentCloudSDKHttpException). */
    const codeOf = async (call: Promise<unknown>): Promise<string | undefined> => {
        try {
            await call;
            return undefined;
        } catch (e) {
            return (e as { code?: string }).code;
        }
    };
    let seq = 0;
    const spec = (name: string) => ({
        Name: name,
        ChargeType: "POSTPAID_BY_HOUR",
        ResourceConfigInfos: [{ Role: "WORKER", InstanceType: "TI.S.MEDIUM.POST", InstanceNum: 1 }],
        StartCmdInfo: { StartCmd: "python train.py" },
        Envs: [{ Name: "MODE", Value: "referee" }],
    });
    /** A new task through the SDK; its id. */
    const created = async (name = `node-referee-${seq++}`): Promise<string> => {
        const res = await client().CreateTrainingTask(spec(name) as any);
        assert.deepEqual(conformance(MODELS, "CreateTrainingTaskResponse", res), []);
        return res.Id as string;
    };

    before(async () => {
        emu = await startEmulator({ stepMs: STEP, cloudPorts: true });
        port = Number(new URL(emu.cloudUrls.tione).port);
        await control("POST", "/clock/freeze");
    });
    after(async () => {
        agent.destroy();
        await emu.close();
    });

    it("the model check is not vacuous: it reports the list item mismatches issue 16 found (AppId a number, Envs null) and a field the model lacks", () => {
        const problems = conformance(MODELS, "DescribeTrainingTasksResponse", { TotalCount: 1, TrainingTaskSet: [{ Id: "train-1", AppId: 1250000000, Envs: null, Invented: true }] });
        assert.equal(problems.length, 3, problems.join("\n"));
    });

    it("creates a task: the answer is a CreateTrainingTaskResponse with a train-<19 digits> Id", async () => {
        assert.match(await created(), /^train-\d{19}$/);
    });

    it("describes it: the detail conforms to TrainingTaskDetail, field by field, and carries what was sent", async () => {
        const id = await created("node-referee-detail");
        const res = await client().DescribeTrainingTask({ Id: id });
        assert.deepEqual(conformance(MODELS, "DescribeTrainingTaskResponse", res), []);
        assert.deepEqual([res.TrainingTaskDetail?.Id, res.TrainingTaskDetail?.Name, res.TrainingTaskDetail?.StartCmdInfo?.StartCmd], [id, "node-referee-detail", "python train.py"]);
    });

    it("lists it by name: the list conforms to DescribeTrainingTasksResponse (AppId a string, Envs an array)", async () => {
        const id = await created("node-referee-list");
        const res = await client().DescribeTrainingTasks({ Filters: [{ Name: "Name", Values: ["node-referee-list"] }] });
        assert.deepEqual(conformance(MODELS, "DescribeTrainingTasksResponse", res), []);
        assert.deepEqual(
            res.TrainingTaskSet?.map((t) => [t.Id, t.Envs?.map((e) => e.Name)]),
            [[id, ["MODE"]]],
        );
    });

    it("a detail read after the task failed conforms too (FailureReason and Message filled)", async () => {
        const id = await created();
        await control("POST", `/objects/tione/task/${id}/force`, { status: "FAILED", reason: "NCCL timeout" });
        const res = await client().DescribeTrainingTask({ Id: id });
        assert.deepEqual(conformance(MODELS, "DescribeTrainingTaskResponse", res), []);
        assert.equal(res.TrainingTaskDetail?.Status, "FAILED");
    });

    it("under the unsetFields=null variant, every null the emulator sends is one the models allow", async () => {
        await control("POST", "/tione/variants", { unsetFields: "null" });
        try {
            const id = await created();
            assert.deepEqual(conformance(MODELS, "DescribeTrainingTaskResponse", await client().DescribeTrainingTask({ Id: id })), []);
        } finally {
            await control("POST", "/tione/variants", { unsetFields: "empty" });
        }
    });

    it("reads a running task's log: DescribeLogs (Service TRAIN, ServiceId = LatestInstanceId) conforms to DescribeLogsResponse, newest first", async () => {
        const id = await created();
        await control("POST", "/clock/advance", { ms: 4 * STEP });
        const instance = (await client().DescribeTrainingTask({ Id: id })).TrainingTaskDetail?.LatestInstanceId;
        assert.ok(instance, "a started task has a LatestInstanceId");
        const res = await client().DescribeLogs({ Service: "TRAIN", ServiceId: instance!, Limit: 3 });
        assert.deepEqual(conformance(MODELS, "DescribeLogsResponse", res), []);
        assert.equal(res.Content?.length, 3);
        const times = (res.Content ?? []).map((l) => Date.parse(l.Timestamp ?? ""));
        assert.deepEqual(times, [...times].sort((a, b) => b - a), "newest first, the documented default order");
    });

    it("stops a running task, and the detail then reads STOPPING or STOPPED", async () => {
        const id = await created();
        await control("POST", "/clock/advance", { ms: 3 * STEP });
        assert.equal((await client().DescribeTrainingTask({ Id: id })).TrainingTaskDetail?.Status, "RUNNING");
        const res = await client().StopTrainingTask({ Id: id });
        assert.deepEqual(conformance(MODELS, "StopTrainingTaskResponse", res), []);
        assert.match(String((await client().DescribeTrainingTask({ Id: id })).TrainingTaskDetail?.Status), /^STOPP(ING|ED)$/);
    });

    it("deletes a stopped task, after which a read answers ResourceNotFound", async () => {
        const id = await created();
        await control("POST", "/clock/advance", { ms: 3 * STEP });
        await client().StopTrainingTask({ Id: id });
        await control("POST", "/clock/advance", { ms: 2 * STEP });
        const res = await client().DeleteTrainingTask({ Id: id });
        assert.deepEqual(conformance(MODELS, "DeleteTrainingTaskResponse", res), []);
        assert.equal(await codeOf(client().DescribeTrainingTask({ Id: id })), "ResourceNotFound");
    });

    it("a stop before the task is submitted reaches the SDK as InternalError.UnSubmittedStatusNotAllowStop", async () => {
        const id = await created();
        assert.equal(await codeOf(client().StopTrainingTask({ Id: id })), "InternalError.UnSubmittedStatusNotAllowStop");
    });

    for (const duplicateNameCode of ["FailedOperation.DuplicateNameTaskIsCreating", "InvalidParameterValue.DuplicateName"]) {
        it(`a taken name reaches the SDK as ${duplicateNameCode} (duplicateNameCode variant)`, async () => {
            await control("POST", "/tione/variants", { duplicateNameCode });
            const name = `node-referee-dup-${seq++}`;
            await created(name);
            assert.equal(await codeOf(client().CreateTrainingTask(spec(name) as any)), duplicateNameCode);
        });
    }

    it("an unknown id reaches the SDK as ResourceNotFound", async () => {
        assert.equal(await codeOf(client().DescribeTrainingTask({ Id: "train-0000000000000000000" })), "ResourceNotFound");
    });

    it("a create without ResourceConfigInfos reaches the SDK as MissingParameter", async () => {
        assert.equal(await codeOf(client().CreateTrainingTask({ Name: "node-referee-broken", ChargeType: "POSTPAID_BY_HOUR" } as any)), "MissingParameter");
    });

    it("a signature made with the wrong SecretKey reaches the SDK as AuthFailure.SignatureFailure", async () => {
        assert.equal(await codeOf(client("not-the-secret-key").DescribeTrainingTasks({})), "AuthFailure.SignatureFailure");
    });
});
