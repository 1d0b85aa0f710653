/**
 * The Alaya client (sdk/alaya/client.ts) against the Alaya emulator, in process.
 * Documented facts: reference/alaya-templates.md §1; assumed list/detail: sdk/alaya/assumptions.ts.
 */
import { strict as assert } from "node:assert";
import { AlayaClient, AlayaClientOptions, DUPLICATE_NAME_CODE } from "../../sdk/alaya/client";
import { ContractMismatchError, DEFAULT_ALAYA_CONTRACT } from "../../sdk/alaya/assumptions";
import type { CreateTemplateRequest } from "../../sdk/alaya/types";
import { CloudApiError } from "../../sdk/core/errors";
import { EMULATOR_CREDENTIALS, RunningEmulator, emulatorEnv, startEmulator } from "../../emulator";

describe("Alaya client against the emulator", () => {
    let emu: RunningEmulator;
    let baseUrl: string;
    let seq = 0;
    const uniqueName = (prefix: string) => `${prefix}-${process.pid}-${++seq}`;

    /** A client for the emulator; fast rate and retries so the suite stays quick. */
    const client = (over: Partial<AlayaClientOptions> = {}) =>
        new AlayaClient({ apiKey: EMULATOR_CREDENTIALS.alayaApiKey, baseUrl, rateLimit: { perSecond: 1000, burst: 1000 }, retry: { baseDelayMs: 1, maxDelayMs: 5 }, ...over });

    const body = (name: string, extra: Partial<CreateTemplateRequest> = {}): CreateTemplateRequest => ({
        name,
        desc: "常用2卡训练模板",
        aidcId: 2,
        trainingType: "PRE_TRAINING",
        trainingFramwork: "TensorFlow",
        imageType: "general",
        image: "harbor.zetyun.cn/anc-public/general/tensorflow:2.16.1-gpu-jupyter",
        env: { ENV_MODE: "production", MAX_CONN: "200" },
        resource: { type: "worker", gpuName: "NVIDIA-L40S-PCIE-48G", cpuCores: "1", gpuCount: "1", memoryGB: "2", productCode: "PRD-QTT", workerCount: 1, productPrice: "0.0002B" },
        priority: 3,
        ...extra,
    });

    const control = async (method: string, path: string, payload?: unknown) => {
        const res = await fetch(`${emu.url}/_control${path}`, { method, body: payload === undefined ? undefined : JSON.stringify(payload) });
        return (await res.json()) as { status: number; data: any };
    };
    const injectFault = (rule: Record<string, unknown>) => control("POST", "/faults", { cloud: "alaya", ...rule });

    before(async () => {
        emu = await startEmulator();
        baseUrl = emulatorEnv(emu).ALAYA_BASE_URL;
    });
    after(async () => emu.close());
    afterEach(async () => {
        await control("DELETE", "/faults");
    });

    it("create answers no id (documented data: {}), and the template is then found by name through the list", async () => {
        const c = client();
        const name = uniqueName("create");
        const created = await c.createTemplate(body(name));
        assert.equal(created.id, undefined);
        const found = await c.findTemplateByName(name);
        assert.ok(found, "template not found by name");
        assert.match(found.id, /^tpl_[0-9a-f]{20}$/);
        assert.equal(found.settings.trainingFramwork, "TensorFlow");
        assert.equal(found.desc, "常用2卡训练模板");
    });

    it("the detail call returns the template with the fields sent, and the resource numbers as the strings sent", async () => {
        const c = client();
        const name = uniqueName("detail");
        await c.createTemplate(body(name));
        const id = (await c.findTemplateByName(name))!.id;
        const t = await c.getTemplate(id);
        assert.equal(t?.id, id);
        assert.equal(t?.name, name);
        assert.deepEqual(t?.settings.resource, body(name).resource);
        assert.ok(t?.createTime && t.updateTime, "times missing");
    });

    it("delete removes the template; a second delete is a not-found error the client recognises", async () => {
        const c = client();
        const name = uniqueName("delete");
        await c.createTemplate(body(name));
        const id = (await c.findTemplateByName(name))!.id;
        await c.deleteTemplate(id);
        assert.equal(await c.getTemplate(id), undefined);
        const err = await c.deleteTemplate(id).then(() => undefined, (e) => e);
        assert.ok(c.isNotFound(err), `expected not-found, got ${err}`);
    });

    it("a wrong key is refused with the documented {status: 403, message: \"Forbidden\"} and the key is not printed", async () => {
        const c = client({ apiKey: "wrong-key-0123456789" });
        const err = await c.listProducts().then(() => undefined, (e) => e);
        assert.ok(err instanceof CloudApiError);
        assert.equal(err.code, "403");
        assert.equal(err.cloudMessage, "Forbidden");
        assert.equal(err.retryable, false);
        assert.ok(!err.message.includes("wrong-key-0123456789"));
    });

    it("a second create with the same name is refused as DuplicateName and not retried", async () => {
        const c = client();
        const name = uniqueName("dup");
        await c.createTemplate(body(name));
        const before = c.http.requestCount;
        const err = await c.createTemplate(body(name)).then(() => undefined, (e) => e);
        assert.ok(err instanceof CloudApiError);
        assert.equal(err.code, DUPLICATE_NAME_CODE);
        assert.equal(c.http.requestCount - before, 1);
        assert.equal((await c.findTemplatesByName(name)).length, 1);
    });

    it("names are unique per account only: another key may reuse a name and does not see the first account's templates", async () => {
        const name = uniqueName("acct");
        // The emulator treats each accepted key as an account; a second emulator holds a second key.
        const { AlayaEmulator } = await import("../../emulator/alaya");
        const { startEmulatorServer } = await import("../../emulator/core/server");
        const two = await startEmulatorServer({ modules: [new AlayaEmulator({ apiKeys: ["key-a-000000", "key-b-000000"] })] });
        try {
            const a = new AlayaClient({ apiKey: "key-a-000000", baseUrl: `${two.url}/alaya`, rateLimit: { perSecond: 1000 } });
            const b = new AlayaClient({ apiKey: "key-b-000000", baseUrl: `${two.url}/alaya`, rateLimit: { perSecond: 1000 } });
            await a.createTemplate(body(name));
            await b.createTemplate(body(name));
            assert.equal((await a.findTemplatesByName(name)).length, 1);
            assert.notEqual((await a.findTemplateByName(name))!.id, (await b.findTemplateByName(name))!.id);
        } finally {
            await two.close();
        }
    });

    it("an envelope error on create (status 500) carries the message and is not resent, since create is not idempotent", async () => {
        const c = client();
        await injectFault({ kind: "server-error", action: "CreateTemplate", count: 1 });
        const before = c.http.requestCount;
        const err = await c.createTemplate(body(uniqueName("fail"))).then(() => undefined, (e) => e);
        assert.ok(err instanceof CloudApiError);
        assert.equal(err.code, "500");
        assert.equal(err.cloudMessage, "Internal Server Error");
        assert.equal(err.retryable, true);
        assert.equal(c.http.requestCount - before, 1);
    });

    it("a throttled list (status 429) is retried and succeeds", async () => {
        const c = client();
        await injectFault({ kind: "throttle", action: "ListTemplates", count: 2 });
        const before = c.http.requestCount;
        const page = await c.listTemplates();
        assert.ok(Array.isArray(page.items));
        assert.equal(c.http.requestCount - before, 3);
    });

    it("a throttled list (status 429) cuts the client's budget (AIMD) as well", async () => {
        // An emulator of its own: this suite already comes close to the shared one's 50 requests/s per account.
        const { AlayaEmulator } = await import("../../emulator/alaya");
        const { startEmulatorServer } = await import("../../emulator/core/server");
        const own = await startEmulatorServer({ modules: [new AlayaEmulator({ apiKeys: ["key-throttle-000000"] })] });
        try {
            const c = new AlayaClient({ apiKey: "key-throttle-000000", baseUrl: `${own.url}/alaya`, rateLimit: { perSecond: 1000 }, retry: { baseDelayMs: 1, maxDelayMs: 5 } });
            own.faults.add([{ kind: "throttle", cloud: "alaya", action: "ListTemplates", count: 1 }]);
            await c.listTemplates();
            assert.equal(c.http.bucketFor("ListTemplates").throttledCount, 1);
            assert.ok(c.http.bucketFor("ListTemplates").perSecond < 1000);
        } finally {
            await own.close();
        }
    });

    it("lists page by page with the assumed pageNo/pageSize and stops at totalRows", async () => {
        const c = client();
        const prefix = uniqueName("page");
        for (let i = 0; i < 5; i++) await c.createTemplate(body(`${prefix}-${i}`));
        const before = c.http.requestCount;
        const seen: string[] = [];
        for await (const t of c.allTemplates({ name: prefix, pageSize: 2 })) seen.push(t.name);
        assert.deepEqual([...seen].sort(), [0, 1, 2, 3, 4].map((i) => `${prefix}-${i}`));
        assert.equal(c.http.requestCount - before, 3, "5 items at 2 per page are 3 pages, and totalRows ends the walk");
    });

    it("find-by-name pages past the first page and compares names exactly (the server's name filter matches substrings)", async () => {
        const c = client();
        const prefix = uniqueName("exact");
        await c.createTemplate(body(prefix)); // oldest: listed last
        for (let i = 0; i < 3; i++) await c.createTemplate(body(`${prefix}-longer-${i}`));
        const hit = await c.findTemplateByName(prefix, 1);
        assert.equal(hit?.name, prefix);
        assert.equal(await c.findTemplateByName(`${prefix}-longer`, 1), undefined);
    });

    it("without a detail call (templateDetailPath \"\") a template is read by paging the list", async () => {
        const c = client({ contract: { templateDetailPath: "" } });
        const name = uniqueName("nodetail");
        await c.createTemplate(body(name));
        const id = (await c.findTemplateByName(name))!.id;
        const before = emu.counts().byCloud.alaya?.GetTemplate ?? 0;
        assert.equal((await c.getTemplate(id))?.name, name);
        assert.equal(emu.counts().byCloud.alaya?.GetTemplate ?? 0, before, "the detail call was used");
        assert.equal(await c.getTemplate("tpl_00000000000000000000"), undefined);
    });

    it("a not-found from the assumed detail path is checked against the list, so a live template never looks deleted", async () => {
        const c = client({ contract: { templateDetailPath: "/v1/training/template/{id}/detail" } });
        const name = uniqueName("wrongdetail");
        await c.createTemplate(body(name));
        const id = (await c.findTemplateByName(name))!.id;
        assert.equal((await c.getTemplate(id))?.name, name);
    });

    it("a list path nothing answers (HTTP 404 outside the envelope) fails naming templateListPath", async () => {
        const http = await import("node:http");
        const server = http.createServer((_q, res) => res.writeHead(404, { "content-type": "text/html" }).end("<h1>404</h1>"));
        await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
        try {
            const port = (server.address() as import("node:net").AddressInfo).port;
            const c = client({ baseUrl: `http://127.0.0.1:${port}` });
            const err = await c.listTemplates().then(() => undefined, (e) => e);
            assert.ok(err instanceof ContractMismatchError, `expected ContractMismatchError, got ${err}`);
            assert.equal(err.contractKey, "templateListPath");
        } finally {
            server.close();
        }
    });

    it("a list answer without the assumed items array fails with an error naming the contract key to override", async () => {
        const c = client({ contract: { templateListItemsPath: "rows" } });
        const err = await c.listTemplates().then(() => undefined, (e) => e);
        assert.ok(err instanceof ContractMismatchError);
        assert.equal(err.contractKey, "templateListItemsPath");
        assert.match(err.message, /alaya:templateListItemsPath/);
    });

    it("a server that ignores the assumed page parameter is detected instead of looping forever", async () => {
        const c = client({ contract: { templateListPageParam: "page", templateListTotalPath: "" } });
        const prefix = uniqueName("loop");
        for (let i = 0; i < 3; i++) await c.createTemplate(body(`${prefix}-${i}`));
        const err = await (async () => {
            for await (const _ of c.allTemplates({ name: prefix, pageSize: 2 })) void _;
        })().then(() => undefined, (e) => e);
        assert.ok(err instanceof ContractMismatchError, `expected ContractMismatchError, got ${err}`);
        assert.equal(err.contractKey, "templateListPageParam");
    });

    it("the product list answers the documented item shape, filtered by aidcId", async () => {
        const all = await client().listProducts();
        const two = await client().listProducts(2);
        assert.ok(all.length > two.length && two.length > 0);
        assert.ok(two.every((p) => p.aidcId === 2));
        for (const f of ["name", "productCode", "cpuCores", "memoryGB", "gpuCount", "diskGB", "price"]) assert.equal(typeof two[0][f], "string", f);
        assert.equal(typeof two[0].priceUnit, "number");
    });

    it("the default contract is the one the client uses when given no overrides", () => {
        assert.deepEqual(client().contract, { ...DEFAULT_ALAYA_CONTRACT });
    });
});

describe("Alaya client envelope decoding", () => {
    const c = new AlayaClient({ apiKey: "alaya-secret-key-123", baseUrl: "http://127.0.0.1:1" });
    const decode = (status: number, text: string, action = "ListProducts") => {
        try {
            return { value: c.decode({ status, headers: { "content-type": "application/json" }, text }, action) };
        } catch (e) {
            return { error: e as CloudApiError };
        }
    };

    it("status 200 in the envelope returns data", () => {
        assert.deepEqual(decode(200, '{"status":200,"message":"OK","data":[1]}').value, [1]);
    });

    it("an error envelope inside HTTP 200 is still an error carrying the message", () => {
        const { error } = decode(200, '{"status":500,"message":"Internal Server Error","data":{}}');
        assert.equal(error?.code, "500");
        assert.equal(error?.cloudMessage, "Internal Server Error");
        assert.equal(error?.retryable, true);
    });

    it("a non-JSON answer is a clear MalformedResponse error", () => {
        const { error } = decode(200, "<html>login</html>");
        assert.equal(error?.code, "MalformedResponse");
        assert.match(error!.message, /expected JSON/);
    });

    it("JSON without the envelope is an error, not a silent success", () => {
        const { error } = decode(200, '{"records":[]}');
        assert.equal(error?.code, "HTTP200");
    });

    it("a duplicate-name message on create becomes DuplicateName, on other calls it keeps the status", () => {
        assert.equal(decode(400, '{"status":400,"message":"模版名称已存在","data":{}}', "CreateTemplate").error?.code, DUPLICATE_NAME_CODE);
        assert.equal(decode(400, '{"status":400,"message":"already exists","data":{}}', "DeleteTemplate").error?.code, "400");
    });

    it("the key is redacted from messages that echo it", () => {
        const { error } = decode(403, '{"status":403,"message":"key alaya-secret-key-123 is disabled","data":{}}');
        assert.ok(!error!.message.includes("alaya-secret-key-123"));
    });
});

describe("Alaya emulator state file", () => {
    it("a restarted emulator still has the templates, and the state file holds no API key", async () => {
        const fs = await import("node:fs");
        const os = await import("node:os");
        const path = await import("node:path");
        const stateFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "alaya-emu-")), "state.json");
        const first = await startEmulator({ stateFile });
        const opts = { apiKey: EMULATOR_CREDENTIALS.alayaApiKey, rateLimit: { perSecond: 1000 } };
        await new AlayaClient({ ...opts, baseUrl: emulatorEnv(first).ALAYA_BASE_URL }).createTemplate({ name: "persisted" });
        await first.close();
        const second = await startEmulator({ stateFile });
        try {
            const found = await new AlayaClient({ ...opts, baseUrl: emulatorEnv(second).ALAYA_BASE_URL }).findTemplateByName("persisted");
            assert.ok(found, "template lost in the restart");
            assert.ok(!fs.readFileSync(stateFile, "utf8").includes(EMULATOR_CREDENTIALS.alayaApiKey));
        } finally {
            await second.close();
        }
    });
});
