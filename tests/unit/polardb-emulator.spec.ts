/**
 * The PolarDB emulator itself (emulator/polardb): its signature check
 * accepts what the vendor's own signing function produces, flow control,
 * the gateway's answers to malformed calls, the log action's parameter
 * rules, the control API and persistence. Requests here are signed with
 * `@alicloud/openapi-util` (a test-only oracle, signing.md §4), not with
 * the project's signer, so the emulator is checked independently of it.
 */
import { strict as assert } from "node:assert";
import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import OpenApiUtil from "@alicloud/openapi-util";
import { Request as TeaRequest } from "@alicloud/tea-typescript";
import { EMULATOR_CREDENTIALS, RunningEmulator, startEmulator } from "../../emulator";
import { startEmulatorServer } from "../../emulator/core/server";
import { DEMO_CLUSTER, PolarDbEmulator } from "../../emulator/polardb";

const KEY_ID = EMULATOR_CREDENTIALS.alibabaAccessKeyId;
const SECRET = EMULATOR_CREDENTIALS.alibabaAccessKeySecret;

interface Answer {
    status: number;
    headers: Headers;
    body: any;
}

/**
 * Signs with the vendor's getAuthorization and sends with fetch. `rawPrefix`
 * is the path the API is mounted at, unencoded; it is encoded with the
 * vendor's getEncodePath and that string is sent and signed, as the vendor
 * SDK does with its paths.
 */
async function vendorCall(
    baseUrl: string,
    action: string,
    query: Record<string, string>,
    o: { method?: string; version?: string; secret?: string; rawPrefix?: string } = {},
): Promise<Answer> {
    const method = o.method ?? "POST";
    const url = new URL(`${baseUrl}${OpenApiUtil.getEncodePath(`${o.rawPrefix ?? "/polardb"}/`)}`);
    const headers: Record<string, string> = {
        host: url.host,
        "x-acs-action": action,
        "x-acs-version": o.version ?? "2017-08-01",
        "x-acs-date": new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
        "x-acs-signature-nonce": randomBytes(16).toString("hex"),
        "x-acs-content-sha256": createHash("sha256").update("").digest("hex"),
    };
    const req = new TeaRequest();
    req.method = method;
    req.pathname = url.pathname;
    req.query = query;
    req.headers = headers;
    const authorization = OpenApiUtil.getAuthorization(req, "ACS3-HMAC-SHA256", headers["x-acs-content-sha256"], KEY_ID, o.secret ?? SECRET);
    // Insertion order, not sorted, as the vendor SDK sends it: the emulator must canonicalize.
    const qs = Object.entries(query)
        .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
        .join("&");
    const res = await fetch(`${url.origin}${url.pathname}${qs ? `?${qs}` : ""}`, { method, headers: { ...headers, authorization } });
    return { status: res.status, headers: res.headers, body: await res.json() };
}

describe("PolarDB emulator", () => {
    let emu: RunningEmulator;
    before(async () => {
        emu = await startEmulator({ stepMs: 100 });
    });
    after(() => emu.close());

    const control = async (method: string, p: string, body?: unknown) => {
        const res = await fetch(`${emu.url}/_control${p}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
        return { status: res.status, body: (await res.json()) as Record<string, any> };
    };
    const create = (query: Record<string, string> = {}) =>
        vendorCall(emu.url, "CreateAIDBClusterTask", {
            RegionId: "cn-beijing",
            DBClusterId: DEMO_CLUSTER.dbClusterId,
            ModelSource: "public",
            ModelName: "Qwen3-8B",
            KubeType: "aitrain",
            RunningParameter: '{"train_mode":"sft","train_type":"lora","num_epochs":1}',
            DatasetPath: "pds-2zetrain001",
            ...query,
        });

    it("accepts a POST signed by the vendor's getAuthorization, with the query in insertion order", async () => {
        const res = await create();
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.match(res.body.DBClusterId, /^pm-2ze[a-z0-9]{13}$/);
    });

    it("accepts GET as well as POST (RPC gateways take both)", async () => {
        const res = await vendorCall(emu.url, "DescribeAIDBClusterTasks", { RelativeDBClusterId: DEMO_CLUSTER.dbClusterId }, { method: "GET" });
        assert.equal(res.status, 200, JSON.stringify(res.body));
    });

    it("rejects a vendor-signed request with the wrong secret as SignatureDoesNotMatch, in the documented envelope", async () => {
        const res = await vendorCall(emu.url, "DescribeAIDBClusterTasks", {}, { secret: "wrong-secret" });
        assert.equal(res.status, 403);
        assert.deepEqual(Object.keys(res.body).sort(), ["Code", "HostId", "Message", "Recommend", "RequestId"]);
        assert.equal(res.body.Code, "SignatureDoesNotMatch");
        assert.equal(res.headers.get("x-acs-request-id"), res.body.RequestId);
    });

    it("answers PUT with UnsupportedHTTPMethod (403)", async () => {
        const res = await vendorCall(emu.url, "DescribeAIDBClusterTasks", {}, { method: "PUT" });
        assert.deepEqual([res.status, res.body.Code], [403, "UnsupportedHTTPMethod"]);
    });

    it("answers an action it does not have with InvalidAction (403)", async () => {
        const res = await vendorCall(emu.url, "StopAIDBClusterTask", { DBClusterId: "pm-x" });
        assert.deepEqual([res.status, res.body.Code], [403, "InvalidAction"]);
    });

    it("answers another API version with InvalidParameter", async () => {
        const res = await vendorCall(emu.url, "DescribeAIDBClusterTasks", {}, { version: "2014-08-15" });
        assert.deepEqual([res.status, res.body.Code], [400, "InvalidParameter"]);
    });

    it("knows the demo cluster out of the box", async () => {
        const res = await control("GET", "/polardb/clusters");
        assert.ok(res.body.clusters.some((c: { dbClusterId: string }) => c.dbClusterId === DEMO_CLUSTER.dbClusterId));
    });

    it("seeds a cluster through the control API with a generated pc- id", async () => {
        const res = await control("POST", "/polardb/clusters", { regionId: "cn-hangzhou" });
        assert.match(res.body.dbClusterId, /^pc-bp1[a-z0-9]{13}$/);
    });

    it("refuses to seed a cluster id that does not look like pc-…", async () => {
        assert.equal((await control("POST", "/polardb/clusters", { dbClusterId: "rm-123" })).status, 400);
    });

    it("lists an active task as RUNNING while its detail says ACTIVATION, as the docs' examples do", async () => {
        const id = (await create()).body.DBClusterId;
        const list = await vendorCall(emu.url, "DescribeAIDBClusterTasks", { RelativeDBClusterId: DEMO_CLUSTER.dbClusterId, KubeType: "aitrain" });
        const detail = await vendorCall(emu.url, "DescribeAIDBClusterTaskAttribute", { DBClusterId: id, DescribeType: "RelatedAITask" });
        assert.equal(list.body.Items.find((i: { DBNodeId: string }) => i.DBNodeId === id).DBNodeStatus, "RUNNING");
        assert.equal(detail.body.DBClusterStatus, "ACTIVATION");
    });

    it("forcing COMPLETED through control ends the task with AccessInfo as a JSON string", async () => {
        const id = (await create()).body.DBClusterId;
        await control("POST", `/polardb/tasks/${id}/force`, { status: "COMPLETED" });
        const detail = await vendorCall(emu.url, "DescribeAIDBClusterTaskAttribute", { DBClusterId: id });
        assert.equal(detail.body.DBClusterStatus, "COMPLETED");
        assert.equal(JSON.parse(detail.body.AccessInfo).port, "8000");
    });

    it("forcing a task that already ended is refused with 409", async () => {
        const id = (await create()).body.DBClusterId;
        await control("POST", `/polardb/tasks/${id}/force`, { status: "FAILED" });
        assert.equal((await control("POST", `/polardb/tasks/${id}/force`, { status: "COMPLETED" })).status, 409);
    });

    describe("DBNodeDescription of list items (variant listItemDescription)", () => {
        const TASK_NAME = "named-by-the-caller";
        let id: string;
        const listed = async () => {
            const list = await vendorCall(emu.url, "DescribeAIDBClusterTasks", { RelativeDBClusterId: DEMO_CLUSTER.dbClusterId, KubeType: "aitrain" });
            return list.body.Items.find((i: { DBNodeId: string }) => i.DBNodeId === id);
        };
        before(async () => {
            id = (await create({ TaskName: TASK_NAME })).body.DBClusterId;
        });
        afterEach(async () => {
            await control("POST", "/polardb/variants", { listItemDescription: "other" });
        });

        it("by default is the SDK model's example node description `test`, not the TaskName", async () => {
            assert.equal((await listed()).DBNodeDescription, "test");
        });

        it("the detail names the task in DBClusterDescription, the documented task name", async () => {
            const detail = await vendorCall(emu.url, "DescribeAIDBClusterTaskAttribute", { DBClusterId: id });
            assert.equal(detail.body.DBClusterDescription, TASK_NAME);
        });

        it("task-name shows the TaskName given at create", async () => {
            await control("POST", "/polardb/variants", { listItemDescription: "task-name" });
            assert.equal((await listed()).DBNodeDescription, TASK_NAME);
        });

        it("empty shows an empty string", async () => {
            await control("POST", "/polardb/variants", { listItemDescription: "empty" });
            assert.equal((await listed()).DBNodeDescription, "");
        });

        it("absent leaves the field out", async () => {
            await control("POST", "/polardb/variants", { listItemDescription: "absent" });
            assert.ok(!("DBNodeDescription" in (await listed())));
        });

        it("the variants call answers every list variant, listOrder, listLagMs and taskPaging included", async () => {
            const res = await control("POST", "/polardb/variants", { listItemDescription: "empty" });
            assert.deepEqual(res.body, { listOrder: "newest-first", listLagMs: 0, listItemDescription: "empty", taskPaging: "paged", deleteRunning: "allowed" });
        });

        it("an unknown value is refused with 400 and changes nothing", async () => {
            const res = await control("POST", "/polardb/variants", { listItemDescription: "task-id", listLagMs: 5 });
            assert.equal(res.status, 400);
            assert.equal((await listed()).DBNodeDescription, "test");
            assert.equal((await control("POST", "/polardb/variants", {})).body.listLagMs, 0);
        });
    });

    describe("DeleteAIDBClusterTask", () => {
        it("deletes without RelativeDBClusterId, which the SDK model marks optional", async () => {
            const id = (await create()).body.DBClusterId;
            const res = await vendorCall(emu.url, "DeleteAIDBClusterTask", { DBClusterId: id });
            assert.equal(res.status, 200, JSON.stringify(res.body));
            assert.deepEqual([res.body.DBClusterId, res.body.RelativeDBClusterId], [id, DEMO_CLUSTER.dbClusterId]);
            assert.equal((await vendorCall(emu.url, "DescribeAIDBClusterTaskAttribute", { DBClusterId: id })).status, 404);
        });

        it("deletes with the task's own cluster as RelativeDBClusterId", async () => {
            const id = (await create()).body.DBClusterId;
            const res = await vendorCall(emu.url, "DeleteAIDBClusterTask", { DBClusterId: id, RelativeDBClusterId: DEMO_CLUSTER.dbClusterId });
            assert.equal(res.status, 200, JSON.stringify(res.body));
        });

        it("answers not found, and keeps the task, when RelativeDBClusterId names another cluster", async () => {
            const id = (await create()).body.DBClusterId;
            const res = await vendorCall(emu.url, "DeleteAIDBClusterTask", { DBClusterId: id, RelativeDBClusterId: "pc-2zeotherclusterxx" });
            assert.deepEqual([res.status, res.body.Code], [404, "InvalidDBClusterId.NotFound"]);
            assert.equal((await vendorCall(emu.url, "DescribeAIDBClusterTaskAttribute", { DBClusterId: id })).status, 200);
        });

        it("still requires DBClusterId", async () => {
            const res = await vendorCall(emu.url, "DeleteAIDBClusterTask", { RelativeDBClusterId: DEMO_CLUSTER.dbClusterId });
            assert.deepEqual([res.status, res.body.Code], [400, "MissingParameter"]);
        });
    });

    describe("DescribeAIDBClusterTaskLogFiles parameters", () => {
        const window = { StartTime: "2026-01-01T00:00:00Z", EndTime: "2099-01-01T00:00:00Z" };
        let id: string;
        before(async () => {
            id = (await create()).body.DBClusterId;
        });

        it("requires StartTime", async () => {
            const res = await vendorCall(emu.url, "DescribeAIDBClusterTaskLogFiles", { DBClusterId: id, EndTime: window.EndTime, LogType: "sls" });
            assert.equal(res.body.Code, "MissingParameter");
            assert.ok(res.body.Message.includes('"StartTime"'));
        });

        it("accepts only LogType sls", async () => {
            const res = await vendorCall(emu.url, "DescribeAIDBClusterTaskLogFiles", { DBClusterId: id, ...window, LogType: "oss" });
            assert.equal(res.body.Code, "InvalidParameter");
        });

        it("accepts only PageSize 30, 50 or 100", async () => {
            const res = await vendorCall(emu.url, "DescribeAIDBClusterTaskLogFiles", { DBClusterId: id, ...window, LogType: "sls", PageSize: "20" });
            assert.equal(res.body.Code, "InvalidParameter");
        });

        it("defaults to PageSize 100 and answers Items.SlsLogItems with LogTime, Message and Timestamp", async () => {
            const res = await vendorCall(emu.url, "DescribeAIDBClusterTaskLogFiles", { DBClusterId: id, ...window, LogType: "sls" });
            assert.equal(res.body.PageSize, 100);
            assert.deepEqual(Object.keys(res.body.Items.SlsLogItems[0]).sort(), ["LogTime", "Message", "Timestamp"]);
            assert.match(res.body.Items.SlsLogItems[0].Timestamp, /^\d{10}$/);
        });
    });
});

describe("PolarDB emulator behind a gateway's path prefix", () => {
    // The signature covers the path (signing.md §2.2); the vendor sends and signs getEncodePath of the raw path.
    for (const rawPrefix of ["/网关/polardb", "/api gateway/polardb", "/gw{1}|^'*/polardb"]) {
        it(`accepts a vendor-signed request sent to ${rawPrefix}/`, async () => {
            const module = new PolarDbEmulator({ accessKeys: { [KEY_ID]: SECRET }, prefix: OpenApiUtil.getEncodePath(rawPrefix) });
            const server = await startEmulatorServer({ modules: [module] });
            try {
                const res = await vendorCall(server.url, "DescribeAIDBClusterTasks", { RelativeDBClusterId: DEMO_CLUSTER.dbClusterId }, { rawPrefix });
                assert.equal(res.status, 200, JSON.stringify(res.body));
            } finally {
                await server.close();
            }
        });
    }

    it("rejects a request that signed its path encoded twice as SignatureDoesNotMatch", async () => {
        const rawPrefix = "/网关/polardb";
        const module = new PolarDbEmulator({ accessKeys: { [KEY_ID]: SECRET }, prefix: OpenApiUtil.getEncodePath(rawPrefix) });
        const server = await startEmulatorServer({ modules: [module] });
        try {
            // Signed over getEncodePath(getEncodePath(raw)) while sent as getEncodePath(raw): the double encoding of issue 16.
            const sent = OpenApiUtil.getEncodePath(`${rawPrefix}/`);
            const headers: Record<string, string> = {
                host: new URL(server.url).host,
                "x-acs-action": "DescribeAIDBClusterTasks",
                "x-acs-version": "2017-08-01",
                "x-acs-date": new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
                "x-acs-signature-nonce": randomBytes(16).toString("hex"),
                "x-acs-content-sha256": createHash("sha256").update("").digest("hex"),
            };
            const req = new TeaRequest();
            req.method = "POST";
            req.pathname = OpenApiUtil.getEncodePath(sent);
            req.query = {};
            req.headers = headers;
            const authorization = OpenApiUtil.getAuthorization(req, "ACS3-HMAC-SHA256", headers["x-acs-content-sha256"], KEY_ID, SECRET);
            const res = await fetch(`${server.url}${sent}`, { method: "POST", headers: { ...headers, authorization } });
            assert.deepEqual([res.status, ((await res.json()) as { Code: string }).Code], [403, "SignatureDoesNotMatch"]);
        } finally {
            await server.close();
        }
    });

    it("refuses a prefix that does not start with / or ends with one", () => {
        assert.throws(() => new PolarDbEmulator({ accessKeys: {}, prefix: "polardb" }), /prefix must start with/);
        assert.throws(() => new PolarDbEmulator({ accessKeys: {}, prefix: "/polardb/" }), /prefix must start with/);
    });
});

describe("PolarDB emulator flow control and persistence", () => {
    it("answers past its per-AccessKey rate with Throttling.User (400) and an x-acs-retry-after", async () => {
        const module = new PolarDbEmulator({ accessKeys: { [KEY_ID]: SECRET }, requestsPerSecond: 2, retryAfterMs: 250 });
        const server = await startEmulatorServer({ modules: [module] });
        try {
            // A frozen clock keeps the three calls in one window however slowly they arrive.
            await fetch(`${server.url}/_control/clock/freeze`, { method: "POST" });
            const answers = await Promise.all([1, 2, 3].map(() => vendorCall(server.url, "DescribeAIDBClusterTasks", {})));
            const throttled = answers.filter((a) => a.status !== 200);
            assert.equal(throttled.length, 1);
            assert.deepEqual([throttled[0].status, throttled[0].body.Code], [400, "Throttling.User"]);
            assert.equal(throttled[0].headers.get("x-acs-retry-after"), "250");
        } finally {
            await server.close();
        }
    });

    it("keeps clusters and tasks across a restart with a state file", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "polardb-emu-"));
        const stateFile = path.join(dir, "state.json");
        const first = await startEmulator({ stepMs: 100, stateFile });
        const id = (
            await vendorCall(first.url, "CreateAIDBClusterTask", {
                DBClusterId: DEMO_CLUSTER.dbClusterId,
                ModelSource: "public",
                ModelName: "Qwen3-8B",
                KubeType: "aitrain",
                RunningParameter: "{}",
                EvalDatasetPath: "pds-eval001",
            })
        ).body.DBClusterId;
        await first.close();
        const second = await startEmulator({ stepMs: 100, stateFile });
        try {
            const detail = await vendorCall(second.url, "DescribeAIDBClusterTaskAttribute", { DBClusterId: id });
            assert.equal(detail.status, 200, JSON.stringify(detail.body));
            assert.equal(detail.body.DBClusterId, id);
        } finally {
            await second.close();
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
