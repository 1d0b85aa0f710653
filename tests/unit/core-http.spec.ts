import * as assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { CloudApiError } from "../../sdk/core/errors";
import { ServiceClient, parseJsonBody } from "../../sdk/core/http";
import { Redactor } from "../../sdk/core/redact";

/** A scripted server: each request takes the next answer. */
async function scripted(answers: Array<(res: http.ServerResponse, req: http.IncomingMessage) => void>) {
    let i = 0;
    const server = http.createServer((req, res) => {
        req.resume();
        req.on("end", () => (answers[Math.min(i++, answers.length - 1)])(res, req));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    return { url, hits: () => i, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

const json = (status: number, body: unknown) => (res: http.ServerResponse) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
};
const drop = (_res: http.ServerResponse, req: http.IncomingMessage) => req.socket.destroy();

function client(key = "secret-api-key-1234", timeoutMs = 2000) {
    return new ServiceClient({ service: "Test", bucketKey: `test:${Math.random()}`, rateLimit: { perSecond: 1000 }, redactor: new Redactor().add(key), timeoutMs, retry: { baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 4 } });
}

/** Decoder in the DashScope style: 2xx JSON is the value; anything else a CloudApiError. */
function decoder(c: ServiceClient) {
    return (res: { status: number; headers: Record<string, string>; text: string }, action: string) => {
        const body = parseJsonBody(res, "Test", action, c.redactor) as any;
        if (res.status < 300) return body;
        throw new CloudApiError({ service: "Test", action, code: body.code, message: c.redactor.redact(body.message), httpStatus: res.status, retryable: res.status >= 500 || res.status === 429, rejectedBeforeApplied: res.status === 429 });
    };
}

describe("sdk/core ServiceClient", () => {
    it("retries an idempotent call after a 5xx and returns the later success", async () => {
        const s = await scripted([json(500, { code: "InternalError", message: "boom" }), json(200, { ok: 1 })]);
        const c = client();
        const out = await c.call("Get", () => ({ method: "GET", url: s.url, headers: {} }), decoder(c), { idempotent: true });
        assert.deepEqual(out, { ok: 1 });
        assert.equal(s.hits(), 2);
        await s.close();
    });

    it("does not resend a non-idempotent call after a dropped connection", async () => {
        const s = await scripted([drop, json(200, { ok: 1 })]);
        const c = client();
        await assert.rejects(c.call("Create", () => ({ method: "POST", url: s.url, headers: {}, body: "{}" }), decoder(c), { idempotent: false }), (e: CloudApiError) => e.code === "NetworkError" && e.transport);
        assert.equal(s.hits(), 1);
        await s.close();
    });

    it("resends a non-idempotent call the cloud rejected as throttled", async () => {
        const s = await scripted([json(429, { code: "Throttling", message: "slow down" }), json(200, { id: "x" })]);
        const c = client();
        const out = await c.call("Create", () => ({ method: "POST", url: s.url, headers: {}, body: "{}" }), decoder(c), { idempotent: false });
        assert.deepEqual(out, { id: "x" });
        assert.equal(s.hits(), 2);
        await s.close();
    });

    it("does not retry a non-retryable error and names service, action, code and status", async () => {
        const s = await scripted([json(401, { code: "InvalidApiKey", message: "Invalid API-key provided." })]);
        const c = client();
        await assert.rejects(c.call("Get", () => ({ method: "GET", url: s.url, headers: {} }), decoder(c), { idempotent: true }), /^CloudApiError: Test Get failed: InvalidApiKey: Invalid API-key provided\. \(HTTP 401\)$/);
        assert.equal(s.hits(), 1);
        await s.close();
    });

    it("turns an HTML error page into a clear MalformedResponse error quoting its start", async () => {
        const s = await scripted([(res) => { res.writeHead(403, { "content-type": "text/html" }); res.end("<html><body>Forbidden by gateway</body></html>"); }]);
        const c = client();
        await assert.rejects(c.call("Get", () => ({ method: "GET", url: s.url, headers: {} }), decoder(c), { idempotent: true }), (e: CloudApiError) => e.code === "MalformedResponse" && /text\/html: <html><body>Forbidden/.test(e.message));
        await s.close();
    });

    it("reports an empty body and truncated JSON without crashing", async () => {
        const s = await scripted([(res) => { res.writeHead(200); res.end(""); }, (res) => { res.writeHead(200); res.end('{"output": {"job'); }]);
        const c = client();
        await assert.rejects(c.call("Get", () => ({ method: "GET", url: s.url, headers: {} }), decoder(c), { idempotent: true }), /\(empty body\)/);
        await assert.rejects(c.call("Get", () => ({ method: "GET", url: s.url, headers: {} }), decoder(c), { idempotent: true }), /expected JSON/);
        await s.close();
    });

    it("gives up on a silent server after the timeout with RequestTimeout", async () => {
        const s = await scripted([() => undefined]);
        const c = client("secret-api-key-1234", 200);
        await assert.rejects(c.call("Create", () => ({ method: "POST", url: s.url, headers: {}, body: "{}" }), decoder(c), { idempotent: false }), (e: CloudApiError) => e.code === "RequestTimeout");
        await s.close();
    });

    it("redacts a known key and bearer tokens from cloud messages", async () => {
        const s = await scripted([json(400, { code: "Bad", message: "key secret-api-key-1234 rejected; Authorization: Bearer sk-abc.def" })]);
        const c = client();
        await assert.rejects(c.call("Get", () => ({ method: "GET", url: s.url, headers: {} }), decoder(c), { idempotent: true }), (e: Error) => !e.message.includes("secret-api-key-1234") && !e.message.includes("sk-abc.def"));
        await s.close();
    });
});
