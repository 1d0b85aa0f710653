/**
 * The shared Alibaba RPC transport (sdk/alibaba/rpcClient.ts) against the
 * PolarDB emulator started in-process: the wire shape, ACS3 signing as the
 * emulator verifies it (each failure the gateway documents), the error
 * envelope, and which failures are retried.
 */
import { strict as assert } from "node:assert";
import * as http from "node:http";
import OpenApiUtil from "@alicloud/openapi-util";
import { Request as TeaRequest } from "@alicloud/tea-typescript";
import { CloudApiError } from "../../sdk/core/errors";
import { HttpRequest } from "../../sdk/core/http";
import { Redactor } from "../../sdk/core/redact";
import { AlibabaRpcClient, AlibabaRpcClientOptions, alibabaCredentialsFromEnv, decodeRpcResponse, decodedPath, normalizeEndpoint } from "../../sdk/alibaba/rpcClient";
import { hexSha256 } from "../../sdk/alibaba/signer";
import { EMULATOR_CREDENTIALS, RunningEmulator, emulatorEnv, startEmulator } from "../../emulator";
import { startEmulatorServer } from "../../emulator/core/server";
import { PolarDbEmulator } from "../../emulator/polardb";
import { expectCloudError } from "./cloudErrors";

const CLUSTER = "pc-2zerpctest000001";
const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 50 };

/** Sends a prepared request as is (to tamper with it after signing). */
function sendRaw(req: HttpRequest): Promise<{ status: number; body: any }> {
    return new Promise((resolve, reject) => {
        const r = http.request(req.url, { method: req.method, headers: req.headers }, (res) => {
            let text = "";
            res.on("data", (c) => (text += c));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
        });
        r.on("error", reject);
        r.end(req.body as string | undefined);
    });
}

describe("Alibaba RPC client against the PolarDB emulator", () => {
    let emu: RunningEmulator;
    let endpoint: string;

    const client = (o: Partial<AlibabaRpcClientOptions> = {}) =>
        new AlibabaRpcClient({
            service: "PolarDB",
            version: "2017-08-01",
            endpoint,
            credentials: { accessKeyId: EMULATOR_CREDENTIALS.alibabaAccessKeyId, accessKeySecret: EMULATOR_CREDENTIALS.alibabaAccessKeySecret },
            bucketKey: "polardb:rpc-test",
            rateLimit: { perSecond: 1000 },
            retry: FAST_RETRY,
            ...o,
        });
    const list = (c: AlibabaRpcClient) => c.call<{ Items: unknown[] }>("DescribeAIDBClusterTasks", { RelativeDBClusterId: CLUSTER, KubeType: "aitrain" }, { idempotent: true });
    const apiRequests = (action: string) => emu.counts().byCloud.polardb?.[action] ?? 0;
    const control = async (method: string, path: string, body?: unknown) =>
        (await fetch(`${emu.url}/_control${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) })).json();

    before(async () => {
        emu = await startEmulator({ stepMs: 100 });
        endpoint = emulatorEnv(emu).ALIBABA_CLOUD_POLARDB_ENDPOINT;
        await control("POST", "/polardb/clusters", { dbClusterId: CLUSTER, regionId: "cn-beijing" });
    });
    after(() => emu.close());
    afterEach(() => emu.faults.clear());

    describe("wire shape", () => {
        it("builds POST <endpoint path> with every parameter in a sorted RFC 3986 query and no body", () => {
            const req = client().buildRequest("DescribeAIDBClusterTasks", { RelativeDBClusterId: CLUSTER, KubeType: "aitrain", Skipped: undefined, Note: "a b*~" });
            const url = new URL(req.url);
            assert.equal(req.method, "POST");
            assert.equal(url.pathname, "/polardb/");
            assert.equal(url.search, `?KubeType=aitrain&Note=a%20b%2A~&RelativeDBClusterId=${CLUSTER}`);
            assert.equal(req.body, undefined);
        });

        it("signs host with the port, action, version, date, nonce, body hash and content type", () => {
            const req = client().buildRequest("DescribeAIDBClusterTasks", {});
            assert.equal(req.headers.host, `127.0.0.1:${emu.port}`);
            assert.equal(req.headers["x-acs-version"], "2017-08-01");
            assert.match(req.headers["x-acs-signature-nonce"], /^[0-9a-f]{32}$/);
            assert.match(
                req.headers.authorization,
                /^ACS3-HMAC-SHA256 Credential=LTAIemulatorPolar,SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=[0-9a-f]{64}$/,
            );
        });

        it("a signed call is accepted and answers with an upper-case UUID RequestId", async () => {
            const res = await list(client());
            assert.match(res.RequestId ?? "", /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
            assert.ok(Array.isArray(res.Items));
        });

        it("an STS token is sent as a signed x-acs-security-token (with x-acs-accesskey-id) and accepted", async () => {
            const c = client({ credentials: { accessKeyId: EMULATOR_CREDENTIALS.alibabaAccessKeyId, accessKeySecret: EMULATOR_CREDENTIALS.alibabaAccessKeySecret, securityToken: "sts-token-123" } });
            const req = c.buildRequest("DescribeAIDBClusterTasks", {});
            assert.equal(req.headers["x-acs-security-token"], "sts-token-123");
            assert.match(req.headers.authorization, /SignedHeaders=[^,]*x-acs-accesskey-id;[^,]*x-acs-security-token;/);
            await list(c);
        });

        it("each attempt gets a fresh nonce, so two identical calls are not replays", async () => {
            const c = client();
            await list(c);
            await list(c);
        });
    });

    describe("signature failures", () => {
        it("a wrong secret gets SignatureDoesNotMatch (403), not retried, with the request id and without the secret", async () => {
            const secret = "not-the-emulator-secret-at-all";
            const before = apiRequests("DescribeAIDBClusterTasks");
            const e = await expectCloudError(list(client({ credentials: { accessKeyId: EMULATOR_CREDENTIALS.alibabaAccessKeyId, accessKeySecret: secret } })), "SignatureDoesNotMatch");
            assert.equal(e.httpStatus, 403);
            assert.equal(e.retryable, false);
            assert.ok(e.requestId && e.message.includes(e.requestId), e.message);
            assert.ok(!e.message.includes(secret), e.message);
            assert.equal(apiRequests("DescribeAIDBClusterTasks") - before, 1);
        });

        it("an unknown AccessKey id gets InvalidAccessKeyId.NotFound (404)", async () => {
            const e = await expectCloudError(list(client({ credentials: { accessKeyId: "LTAInobodyHasThisKey", accessKeySecret: "whatever-secret" } })), "InvalidAccessKeyId.NotFound");
            assert.equal(e.httpStatus, 404);
            assert.equal(e.retryable, false);
        });

        it("an x-acs-date 20 minutes old gets InvalidTimeStamp.Expired", async () => {
            const e = await expectCloudError(list(client({ now: () => new Date(Date.now() - 20 * 60_000) })), "InvalidTimeStamp.Expired");
            assert.equal(e.retryable, false);
        });

        it("an x-acs-date 10 minutes off is still inside the 15-minute window", async () => {
            await list(client({ now: () => new Date(Date.now() - 10 * 60_000) }));
        });

        it("a nonce sent twice gets SignatureNonceUsed on the second call", async () => {
            const fixed = `nonce${Date.now()}${process.pid}`;
            const c = client({ nonce: () => fixed });
            await list(c);
            const e = await expectCloudError(list(c), "SignatureNonceUsed");
            assert.equal(e.httpStatus, 400);
        });

        it("a query changed after signing gets SignatureDoesNotMatch", async () => {
            const req = client().buildRequest("DescribeAIDBClusterTasks", { RelativeDBClusterId: CLUSTER });
            const res = await sendRaw({ ...req, url: req.url.replace(CLUSTER, "pc-2zeotherclusterxx") });
            assert.equal(res.status, 403);
            assert.equal(res.body.Code, "SignatureDoesNotMatch");
        });

        it("a request without an ACS3 Authorization header gets IncompleteSignature", async () => {
            const req = client().buildRequest("DescribeAIDBClusterTasks", {});
            const { authorization: _dropped, ...headers } = req.headers;
            const res = await sendRaw({ ...req, headers });
            assert.equal(res.status, 400);
            assert.equal(res.body.Code, "IncompleteSignature");
        });

        it("an unsigned x-acs-* header gets IncompleteSignature (every qualifying header must be signed)", async () => {
            const req = client().buildRequest("DescribeAIDBClusterTasks", {});
            const res = await sendRaw({ ...req, headers: { ...req.headers, "x-acs-extra": "1" } });
            assert.equal(res.body.Code, "IncompleteSignature");
        });
    });

    describe("error envelope and retries", () => {
        it("maps {RequestId, HostId, Code, Message, Recommend} to CloudApiError with service, action, status and request id", async () => {
            const e = await expectCloudError(
                client().call("DescribeAIDBClusterTaskAttribute", { DBClusterId: "pm-2zenosuchtask0000" }, { idempotent: true }),
                "InvalidDBClusterId.NotFound",
            );
            assert.equal(e.service, "PolarDB");
            assert.equal(e.action, "DescribeAIDBClusterTaskAttribute");
            assert.equal(e.httpStatus, 404);
            assert.match(e.requestId ?? "", /^[0-9A-F-]{36}$/);
            assert.ok(e.message.includes("https://api.aliyun.com/troubleshoot"), e.message);
        });

        it("Throttling.User (HTTP 400) is retried and the call then succeeds", async () => {
            emu.faults.add([{ kind: "throttle", cloud: "polardb", action: "DescribeAIDBClusterTasks", count: 2 }]);
            const before = apiRequests("DescribeAIDBClusterTasks");
            await list(client());
            assert.equal(apiRequests("DescribeAIDBClusterTasks") - before, 3);
        });

        it("a Throttling answer cuts the shared budget (AIMD) of every client of the key, and the call still succeeds", async () => {
            emu.faults.add([{ kind: "throttle", cloud: "polardb", action: "DescribeAIDBClusterTasks", count: 1 }]);
            const c = client({ bucketKey: "polardb:rpc-adapt" });
            await list(c);
            const shared = client({ bucketKey: "polardb:rpc-adapt" }).http.bucketFor("DescribeAIDBClusterTasks");
            assert.equal(shared.throttledCount, 1);
            assert.ok(shared.perSecond < 1000, `rate ${shared.perSecond}`);
        });

        it("waits at least the x-acs-retry-after the throttling answer gives (100 ms each)", async () => {
            emu.faults.add([{ kind: "throttle", cloud: "polardb", action: "DescribeAIDBClusterTasks", count: 2 }]);
            const started = Date.now();
            await list(client({ retry: { baseDelayMs: 1, maxDelayMs: 1 } }));
            assert.ok(Date.now() - started >= 200, `took ${Date.now() - started} ms`);
        });

        it("a throttled create is resent although creates are not idempotent: the cloud rejected it before applying it", async () => {
            emu.faults.add([{ kind: "throttle", cloud: "polardb", action: "CreateAIDBClusterTask", count: 1 }]);
            const before = apiRequests("CreateAIDBClusterTask");
            const res = await client().call<{ DBClusterId: string }>(
                "CreateAIDBClusterTask",
                { DBClusterId: CLUSTER, ModelSource: "public", ModelName: "Qwen3-8B", KubeType: "aitrain", RunningParameter: "{}", EvalDatasetPath: "pds-eval" },
                { idempotent: false },
            );
            assert.match(res.DBClusterId, /^pm-/);
            assert.equal(apiRequests("CreateAIDBClusterTask") - before, 2);
        });

        it("an InternalError (500) is retried for an idempotent call", async () => {
            emu.faults.add([{ kind: "server-error", cloud: "polardb", action: "DescribeAIDBClusterTasks", count: 1 }]);
            const before = apiRequests("DescribeAIDBClusterTasks");
            await list(client());
            assert.equal(apiRequests("DescribeAIDBClusterTasks") - before, 2);
        });

        it("an InternalError on a create is not resent: the task may exist, the caller must look it up", async () => {
            emu.faults.add([{ kind: "server-error", cloud: "polardb", action: "CreateAIDBClusterTask", count: 1 }]);
            const before = apiRequests("CreateAIDBClusterTask");
            const e = await expectCloudError(
                client().call("CreateAIDBClusterTask", { DBClusterId: CLUSTER, ModelSource: "public", ModelName: "m", KubeType: "aitrain", RunningParameter: "{}" }, { idempotent: false }),
                "InternalError",
            );
            assert.equal(e.retryable, true);
            assert.equal(apiRequests("CreateAIDBClusterTask") - before, 1);
        });
    });
});

/**
 * An endpoint behind a gateway's path prefix whose characters need encoding.
 * ACS3 signs each raw path segment RFC 3986-encoded once (signing.md §2.2);
 * the vendor SDK encodes its path with `getEncodePath` and signs that string
 * as it sends it (`@alicloud/openapi-util` `getAuthorization`). The emulator
 * is mounted behind each prefix (its `prefix` is the path as it arrives on
 * the wire) and verifies the signature as the gateway does.
 */
describe("Alibaba RPC client behind a path-prefixed endpoint", () => {
    const PREFIXES = [
        { name: "a non-ASCII segment", raw: "/网关/polardb", wire: "/%E7%BD%91%E5%85%B3/polardb" },
        { name: "a segment with a space", raw: "/api gateway/polardb", wire: "/api%20gateway/polardb" },
        { name: 'a segment with { } " < >', raw: '/gw{1}"<x>/polardb', wire: "/gw%7B1%7D%22%3Cx%3E/polardb" },
    ];
    const credentials = { accessKeyId: EMULATOR_CREDENTIALS.alibabaAccessKeyId, accessKeySecret: EMULATOR_CREDENTIALS.alibabaAccessKeySecret };
    const client = (endpoint: string) =>
        new AlibabaRpcClient({ service: "PolarDB", version: "2017-08-01", endpoint, credentials, bucketKey: "polardb:prefix-test", rateLimit: { perSecond: 1000 }, retry: FAST_RETRY });

    for (const p of PREFIXES) {
        it(`a call through an endpoint with ${p.name} (${p.raw}/) is accepted by the emulator mounted there`, async () => {
            const module = new PolarDbEmulator({ accessKeys: { [credentials.accessKeyId]: credentials.accessKeySecret }, prefix: p.wire });
            const server = await startEmulatorServer({ modules: [module] });
            try {
                const res = await client(`${server.url}${p.raw}/`).call<{ Items: unknown[] }>("DescribeAIDBClusterTasks", { RelativeDBClusterId: "pc-2ze0000000000000", KubeType: "aitrain" }, { idempotent: true });
                assert.ok(Array.isArray(res.Items));
            } finally {
                await server.close();
            }
        });
    }

    it("sends and signs the path the vendor SDK would: each raw segment encoded once, | and ^ included", () => {
        const raw = "/网关/a b/{x}|^'*/";
        const req = client(`http://gateway.internal${raw}`).buildRequest("DescribeAIDBClusterTasks", { KubeType: "aitrain" });
        const vendorPath = OpenApiUtil.getEncodePath(raw);
        assert.equal(new URL(req.url).pathname, vendorPath);

        const signed: Record<string, string> = {};
        for (const name of Object.keys(req.headers)) if (name === "host" || name === "content-type" || name.startsWith("x-acs-")) signed[name] = req.headers[name];
        const vendor = new TeaRequest();
        vendor.method = "POST";
        vendor.pathname = vendorPath;
        vendor.query = { KubeType: "aitrain" };
        vendor.headers = signed;
        assert.equal(req.headers.authorization, OpenApiUtil.getAuthorization(vendor, "ACS3-HMAC-SHA256", hexSha256(""), credentials.accessKeyId, credentials.accessKeySecret));
    });

    it("decodedPath undoes the URL parser's encoding segment by segment", () => {
        assert.equal(decodedPath(normalizeEndpoint("http://gateway.internal/网关/api gateway/polardb")), "/网关/api gateway/polardb/");
    });

    it("refuses an endpoint whose path encodes a / inside a segment, which a raw path cannot express", () => {
        assert.throws(() => client("http://gateway.internal/a%2Fb/polardb/"), /encodes a "\/"/);
    });

    it("refuses an endpoint whose path is not valid percent-encoding", () => {
        assert.throws(() => client("http://gateway.internal/100%/polardb/"), /not valid percent-encoded UTF-8/);
    });
});

describe("decodeRpcResponse", () => {
    const redactor = new Redactor();
    const res = (status: number, body: unknown, headers: Record<string, string> = {}) => ({ status, headers, text: typeof body === "string" ? body : JSON.stringify(body) });
    const decodeError = (status: number, body: unknown): CloudApiError => {
        try {
            decodeRpcResponse(res(status, body), "PolarDB", "X", redactor);
        } catch (e) {
            assert.ok(e instanceof CloudApiError);
            return e;
        }
        assert.fail("expected an error");
    };

    it("returns a 2xx JSON object as is", () => {
        assert.deepEqual(decodeRpcResponse(res(200, { RequestId: "R", Items: [] }), "PolarDB", "X", redactor), { RequestId: "R", Items: [] });
    });

    it("ServiceUnavailable (503) is retryable but not known to be unapplied", () => {
        const e = decodeError(503, { RequestId: "R", Code: "ServiceUnavailable", Message: "The request has failed due to a temporary failure of the server." });
        assert.deepEqual([e.code, e.retryable, e.rejectedBeforeApplied, e.requestId], ["ServiceUnavailable", true, false, "R"]);
    });

    it("any code containing Throttling (Rejected.Throttling) is retryable and rejected before applied", () => {
        const e = decodeError(400, { Code: "Rejected.Throttling", Message: "slow down" });
        assert.deepEqual([e.retryable, e.rejectedBeforeApplied], [true, true]);
    });

    it("SignatureDoesNotMatch tells people to check the AccessKey secret", () => {
        assert.match(decodeError(403, { Code: "SignatureDoesNotMatch", Message: "Specified signature is not matched with our calculation." }).message, /Check the AccessKey secret/);
    });

    it("InvalidTimeStamp.Expired tells people to synchronise the clock", () => {
        assert.match(decodeError(400, { Code: "InvalidTimeStamp.Expired", Message: "Specified time stamp or date value is expired." }).message, /clock/);
    });

    it("Forbidden.RAM (403) is not retryable", () => {
        assert.equal(decodeError(403, { Code: "Forbidden.RAM", Message: "User not authorized" }).retryable, false);
    });

    it("an HTML error page becomes MalformedResponse quoting its start", () => {
        const e = decodeError(404, "<html><body>Not Found</body></html>");
        assert.equal(e.code, "MalformedResponse");
        assert.ok(e.message.includes("<html>"), e.message);
    });

    it("takes the request id from x-acs-request-id when the body has none", () => {
        try {
            decodeRpcResponse(res(500, { Code: "InternalError", Message: "boom" }, { "x-acs-request-id": "HDR-ID" }), "PolarDB", "X", redactor);
            assert.fail("expected an error");
        } catch (e) {
            assert.equal((e as CloudApiError).requestId, "HDR-ID");
        }
    });
});

describe("Alibaba RPC configuration", () => {
    it("a bare host becomes https://<host>/", () => {
        assert.equal(normalizeEndpoint("polardb.aliyuncs.com").toString(), "https://polardb.aliyuncs.com/");
    });

    it("an endpoint URL keeps its scheme, port and path, with a trailing slash", () => {
        assert.equal(normalizeEndpoint("http://127.0.0.1:4010/polardb").toString(), "http://127.0.0.1:4010/polardb/");
    });

    it("reads ALIBABA_CLOUD_ACCESS_KEY_ID/SECRET/SECURITY_TOKEN", () => {
        assert.deepEqual(alibabaCredentialsFromEnv({ ALIBABA_CLOUD_ACCESS_KEY_ID: "id", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "secret", ALIBABA_CLOUD_SECURITY_TOKEN: "tok" }), {
            accessKeyId: "id",
            accessKeySecret: "secret",
            securityToken: "tok",
        });
    });

    it("falls back to the Terraform/Pulumi ALICLOUD_ACCESS_KEY/SECRET_KEY names", () => {
        assert.deepEqual(alibabaCredentialsFromEnv({ ALICLOUD_ACCESS_KEY: "id2", ALICLOUD_SECRET_KEY: "secret2" }), { accessKeyId: "id2", accessKeySecret: "secret2", securityToken: undefined });
    });

    it("no key pair in the environment gives undefined", () => {
        assert.equal(alibabaCredentialsFromEnv({ ALIBABA_CLOUD_ACCESS_KEY_ID: "id" }), undefined);
    });
});
