/**
 * Hostile and malformed answers, for each of the four clients: a scripted
 * server answers HTML error pages, empty and truncated bodies, wrong content
 * types, JSON of the wrong shape, unknown statuses, extra fields, error codes
 * named like Object.prototype properties, answers that trickle in forever,
 * redirects, and error messages that echo the caller's credentials. Every
 * client must come back with the value or a clear CloudApiError (service,
 * action, code), in bounded time, without crashing and without a credential
 * in the message. tests/unit/core-http.spec.ts covers the shared HTTP core
 * against a generic decoder; this suite covers each cloud's own decoding.
 * The last part drives the job kinds' lifecycles against unknown statuses.
 */
import * as assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { EMULATOR_CREDENTIALS } from "../../emulator";
import { CloudApiError } from "../../sdk/core/errors";
import { DashScopeClient } from "../../sdk/dashscope/client";
import { TioneClient } from "../../sdk/tione/client";
import { PolarDbClient } from "../../sdk/polardb/client";
import { AlayaClient } from "../../sdk/alaya/client";
import { SecretsLedger, add, record } from "./support";

const C = EMULATOR_CREDENTIALS;
const TIMEOUT_MS = 400;
const RETRY = { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 };
const S = "hostile answers";

type Cloud = "DashScope" | "TI-ONE" | "PolarDB" | "Alaya";
const CLOUDS: Cloud[] = ["DashScope", "TI-ONE", "PolarDB", "Alaya"];

type Answer = (res: http.ServerResponse, req: http.IncomingMessage) => void;

/** One server for the whole suite; each test sets what it answers. */
class Scripted {
    answer: Answer = (res) => res.end();
    hits = 0;
    url = "";
    private server = http.createServer((req, res) => {
        req.resume();
        req.on("end", () => {
            this.hits++;
            this.answer(res, req);
        });
    });
    async start(): Promise<void> {
        await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
        this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    }
    close(): Promise<void> {
        this.server.closeAllConnections();
        return new Promise((r) => this.server.close(() => r()));
    }
}

const send = (status: number, body: string | object, contentType = "application/json", headers: Record<string, string> = {}): Answer => (res) => {
    res.writeHead(status, { "content-type": contentType, ...headers });
    res.end(typeof body === "string" ? body : JSON.stringify(body));
};

/** The call each client makes, and its cloud's envelopes. */
interface CloudCase {
    call(url: string): Promise<unknown>;
    ok(status: string, extra?: Record<string, unknown>): object;
    error(code: string, message: string): { status: number; body: object };
    /** A success envelope without the object the call asked for. */
    missing?: object;
    statusOf(value: unknown): unknown;
}

const CASES: Record<Cloud, CloudCase> = {
    DashScope: {
        call: (url) => new DashScopeClient({ apiKey: C.dashscopeApiKey, baseUrl: `${url}/api/v1`, timeoutMs: TIMEOUT_MS, retry: RETRY }).getFineTune("ft-1"),
        ok: (status, extra = {}) => ({ request_id: "r-1", output: { job_id: "ft-1", job_name: "j", status, model: "qwen3-8b", ...extra } }),
        error: (code, message) => ({ status: 400, body: { code, message, request_id: "r-1" } }),
        missing: { request_id: "r-1", output: null },
        statusOf: (v) => (v as { status: string }).status,
    },
    "TI-ONE": {
        call: (url) => new TioneClient({ secretId: C.tencentSecretId, secretKey: C.tencentSecretKey, region: "ap-guangzhou", endpoint: `${url}/`, timeoutMs: TIMEOUT_MS, retry: RETRY }).describeTrainingTask("train-1"),
        ok: (status, extra = {}) => ({ Response: { TrainingTaskDetail: { Id: "train-1", Name: "n", Status: status, ...extra }, RequestId: "r-1" } }),
        error: (code, message) => ({ status: 200, body: { Response: { Error: { Code: code, Message: message }, RequestId: "r-1" } } }),
        missing: { Response: { RequestId: "r-1" } },
        statusOf: (v) => (v as { Status: string }).Status,
    },
    PolarDB: {
        call: (url) =>
            new PolarDbClient({ credentials: { accessKeyId: C.alibabaAccessKeyId, accessKeySecret: C.alibabaAccessKeySecret }, regionId: "cn-beijing", endpoint: `${url}/`, timeoutMs: TIMEOUT_MS, retry: RETRY, rateLimit: { perSecond: 1000, burst: 1000 } }).describeTask("pm-1"),
        ok: (status, extra = {}) => ({ RequestId: "R-1", DBClusterId: "pm-1", DBClusterStatus: status, TaskInfo: [], ...extra }),
        error: (code, message) => ({ status: 400, body: { RequestId: "R-1", Code: code, Message: message } }),
        statusOf: (v) => (v as { DBClusterStatus: string }).DBClusterStatus,
    },
    Alaya: {
        call: (url) => new AlayaClient({ apiKey: C.alayaApiKey, baseUrl: url, timeoutMs: TIMEOUT_MS, retry: RETRY, rateLimit: { perSecond: 1000, burst: 1000 } }).listProducts(),
        ok: (status, extra = {}) => ({ status: 200, message: "OK", data: [{ productCode: "PRD-QTT", state: status, ...extra }] }),
        error: (code, message) => ({ status: 400, body: { status: 400, message: `${code}: ${message}`, data: {} } }),
        statusOf: (v) => (v as Array<{ state: string }>)[0].state,
    },
};

/** What a hostile answer must come to. */
type Expect = { value: (cloud: Cloud, v: unknown) => void } | { error: RegExp; retried?: boolean };

interface Scenario {
    name: string;
    answer: (cloud: Cloud) => Answer;
    expect: Expect;
    only?: Cloud[];
}

const isCredentialFree = (text: string) => !Object.values(C).some((c) => text.includes(c));

/** The credentials each client holds: the only ones it can know to hide. */
const OWN: Record<Cloud, string[]> = {
    DashScope: [C.dashscopeApiKey],
    "TI-ONE": [C.tencentSecretId, C.tencentSecretKey],
    PolarDB: [C.alibabaAccessKeyId, C.alibabaAccessKeySecret],
    Alaya: [C.alayaApiKey],
};

const SCENARIOS: Scenario[] = [
    {
        name: "a 502 HTML page from a gateway is retried, then reported with its status and the page's start",
        answer: () => send(502, "<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>", "text/html"),
        expect: { error: /HTTP 502.*|502 Bad Gateway/, retried: true },
    },
    {
        name: "a 200 HTML page (a captive portal) is a clear error, not a value",
        answer: () => send(200, "<!DOCTYPE html><html><body>Please sign in to the Wi-Fi</body></html>", "text/html"),
        expect: { error: /(MalformedResponse|HTTP200).*(text\/html|DOCTYPE|envelope|expected)/ },
    },
    { name: "an empty 200 body is a clear error", answer: () => send(200, "", "application/json"), expect: { error: /empty body|expected JSON|no \{status/ } },
    { name: "truncated JSON is a clear error quoting what came", answer: (c) => send(200, JSON.stringify(CASES[c].ok("RUNNING")).slice(0, 25)), expect: { error: /expected JSON, got application\/json: / } },
    {
        name: "the right JSON under a wrong content type (text/plain) is still read",
        answer: (c) => send(200, CASES[c].ok("RUNNING"), "text/plain"),
        expect: { value: (c, v) => assert.equal(CASES[c].statusOf(v), "RUNNING") },
    },
    { name: "XML under a JSON content type is a clear error", answer: () => send(200, '<?xml version="1.0"?><Error><Code>Oops</Code></Error>'), expect: { error: /expected JSON, got application\/json: <\?xml/ } },
    { name: "a JSON null is a clear error, not a crash", answer: () => send(200, "null"), expect: { error: /MalformedResponse|HTTP200|envelope/ } },
    { name: "a JSON array where an object belongs is a clear error", answer: () => send(200, "[1,2,3]"), expect: { error: /MalformedResponse|HTTP200|envelope/ } },
    { name: "a bare JSON string is a clear error", answer: () => send(200, '"ok"'), expect: { error: /MalformedResponse|HTTP200|envelope/ } },
    {
        name: "a success envelope without the object asked for is a clear error, not a missing job",
        answer: (c) => send(200, CASES[c].missing!),
        expect: { error: /MalformedResponse.*(has no|no job|without)/ },
        only: ["DashScope", "TI-ONE"],
    },
    {
        name: "an unknown status is passed through as it is",
        answer: (c) => send(200, CASES[c].ok("WARMING_UP")),
        expect: { value: (c, v) => assert.equal(CASES[c].statusOf(v), "WARMING_UP") },
    },
    {
        name: "a status named like an Object.prototype property is passed through as a plain string",
        answer: (c) => send(200, CASES[c].ok("constructor")),
        expect: { value: (c, v) => assert.equal(CASES[c].statusOf(v), "constructor") },
    },
    {
        name: "extra fields the documentation does not know are tolerated",
        answer: (c) => send(200, CASES[c].ok("RUNNING", { FutureField: { nested: [1, 2] }, x_debug: "y" })),
        expect: { value: (c, v) => assert.equal(CASES[c].statusOf(v), "RUNNING") },
    },
    {
        name: "an error code named like an Object.prototype property reads as that code, with no hint from the prototype",
        answer: (c) => {
            const e = CASES[c].error("constructor", "strange");
            return send(e.status, e.body);
        },
        expect: { error: /failed: (constructor|400): .*strange/ },
    },
    {
        name: "an answer that trickles in forever ends with RequestTimeout, in bounded time",
        answer: () => (res) => {
            res.writeHead(200, { "content-type": "application/json" });
            res.write("{");
            const t = setInterval(() => res.write(" "), 50);
            res.on("close", () => clearInterval(t));
        },
        expect: { error: /RequestTimeout: no complete answer within 400 ms/, retried: true },
    },
    {
        name: "a redirect to another host is not followed and is a clear error",
        answer: () => send(302, "<html>Moved</html>", "text/html", { location: "http://attacker.invalid/steal" }),
        expect: { error: /302|MalformedResponse|expected JSON/ },
    },
    {
        name: "an error message that echoes the caller's credentials is reported without them",
        answer: (c) => (res, req) => {
            const echo = `denied for ${OWN[c].join(" and ")} with headers ${JSON.stringify(req.headers)}`;
            const e = CASES[c].error("AccessDenied", echo);
            res.writeHead(e.status, { "content-type": "application/json" });
            res.end(JSON.stringify(e.body));
        },
        expect: { error: /denied for/ },
    },
    {
        name: "a gateway page that echoes the request headers is reported without the credentials",
        answer: () => (res, req) => {
            res.writeHead(403, { "content-type": "text/html" });
            res.end(`authorization: ${req.headers.authorization}\n<html>Forbidden</html>`);
        },
        expect: { error: /403|MalformedResponse|expected JSON/ },
    },
];

describe("reliability: the four clients under hostile and malformed answers", function () {
    this.timeout(30_000);
    const server = new Scripted();
    const ledger = new SecretsLedger(S);
    before(() => server.start());
    after(async () => {
        ledger.report();
        record(S, "scenarios", SCENARIOS.length);
        await server.close();
    });

    for (const s of SCENARIOS) {
        for (const cloud of s.only ?? CLOUDS) {
            it(`${cloud}: ${s.name}`, async () => {
                server.answer = s.answer(cloud);
                server.hits = 0;
                const t0 = Date.now();
                let value: unknown;
                let error: unknown;
                try {
                    value = await CASES[cloud].call(server.url);
                } catch (e) {
                    error = e;
                }
                const ms = Date.now() - t0;
                add(S, "answers tried", 1);
                assert.ok(ms < RETRY.maxAttempts * (TIMEOUT_MS + 200) + 500, `took ${ms} ms`);
                if ("value" in s.expect) {
                    assert.equal(error, undefined, `expected a value, got ${(error as Error)?.stack}`);
                    s.expect.value(cloud, value);
                    return;
                }
                assert.ok(error, `expected an error, got ${JSON.stringify(value)}`);
                assert.ok(error instanceof CloudApiError, `a CloudApiError, not ${(error as Error).stack}`);
                const msg = (error as Error).message;
                ledger.scan(`${cloud}: ${s.name}`, msg);
                assert.match(msg, new RegExp(`^${cloud.replace("-", "\\-")} \\S+ failed: `), msg);
                assert.match(msg, s.expect.error);
                assert.ok(!/native code|\[object Object\]|undefined/.test(msg), msg);
                assert.ok(isCredentialFree(msg), `a credential in: ${msg}`);
                if (s.expect.retried !== undefined) assert.equal(server.hits, s.expect.retried ? RETRY.maxAttempts : 1, `${server.hits} requests`);
            });
        }
    }

    describe("job kinds reading an unknown status", () => {
        const saved: Record<string, string | undefined> = {};
        const ENV = () => ({
            DASHSCOPE_API_KEY: C.dashscopeApiKey,
            DASHSCOPE_HTTP_BASE_URL: `${server.url}/api/v1`,
            TENCENTCLOUD_SECRET_ID: C.tencentSecretId,
            TENCENTCLOUD_SECRET_KEY: C.tencentSecretKey,
            TENCENTCLOUD_TIONE_ENDPOINT: `${server.url}/`,
            ALIBABA_CLOUD_ACCESS_KEY_ID: C.alibabaAccessKeyId,
            ALIBABA_CLOUD_ACCESS_KEY_SECRET: C.alibabaAccessKeySecret,
            ALIBABA_CLOUD_POLARDB_ENDPOINT: `${server.url}/`,
        });
        before(() => {
            for (const [k, v] of Object.entries(ENV())) {
                saved[k] = process.env[k];
                process.env[k] = v;
            }
        });
        after(() => {
            for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
            else process.env[k] = v;
        });

        const KINDS = [
            { name: "bailian.FineTuneJob", cloud: "DashScope" as Cloud, lifecycle: () => require("../../provider/bailian/fineTuneJob.lifecycle"), id: "ft-1", props: { model: "qwen3-8b", trainingFileIds: ["f"] } },
            { name: "tione.TrainingTask", cloud: "TI-ONE" as Cloud, lifecycle: () => require("../../provider/tione/trainingTask.lifecycle"), id: "train-1", props: { chargeType: "POSTPAID_BY_HOUR" } },
            { name: "polardb.AidbTask", cloud: "PolarDB" as Cloud, lifecycle: () => require("../../provider/polardb/aidbTask.lifecycle"), id: "pm-1", props: { dbClusterId: "pc-1", regionId: "cn-beijing" } },
        ];
        for (const k of KINDS) {
            for (const status of ["WARMING_UP", "constructor"]) {
                it(`${k.name}: refresh of a job in the unknown status ${status} keeps it, with that status`, async () => {
                    server.answer = send(200, CASES[k.cloud].ok(status));
                    const r = await k.lifecycle().read(k.id, { ...k.props, status: "RUNNING" });
                    assert.equal(r.id, k.id);
                    assert.equal(r.props.status, status);
                });

                it(`${k.name}: the next preview does not replace a job in the unknown status ${status} (it may still succeed)`, async () => {
                    const d = await k.lifecycle().diff(k.id, { ...k.props, status }, { ...k.props });
                    assert.ok(!(d.replaces ?? []).includes("status"), JSON.stringify(d));
                });
            }
        }
    });

    describe("secrets scan", () => {
        it("no credential appears in any error message the hostile answers produced", () => {
            assert.ok(ledger.surfaces > 20, `${ledger.surfaces} messages scanned`);
            assert.deepEqual(ledger.hits, []);
        });
    });
});
