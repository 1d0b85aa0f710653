/**
 * The bailian.File lifecycle module (what the dynamic-provider host runs)
 * called directly against the emulator: check derives the content hash and
 * refuses bad data offline, the diff is by content, uploads are marked and
 * adopted after a lost answer, and deletes tolerate a file already gone.
 * The engine-level suite is tests/engine/bailianFile.spec.ts.
 */
import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EMULATOR_CREDENTIALS, RunningEmulator, emulatorEnv, startEmulator } from "../../emulator";
import { startEmulatorServer } from "../../emulator/core/server";
import { DashScopeEmulator } from "../../emulator/dashscope";
import type { Lifecycle } from "../../provider/core/lifecycle";
import { UNKNOWN } from "../../provider/core/unknown";
import { DashScopeClient } from "../../sdk/dashscope/client";
import { getFileIfExists, listFiles, uploadFile } from "../../sdk/dashscope/files";
import { fileKind } from "../../provider/bailian/file.kind";
import { cloudFileName } from "../../provider/bailian/fileSource";

const row = (answer: string) => JSON.stringify({ messages: [{ role: "user", content: "Where is my order?" }, { role: "assistant", content: answer }] }) + "\n";
const DATA = row("It ships today.") + row("Track it in the app.");
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

describe("bailian.File lifecycle against the emulator", () => {
    let emu: RunningEmulator;
    let lifecycle: Lifecycle;
    let client: DashScopeClient;
    let dir: string;
    let seq = 0;
    const saved: Record<string, string | undefined> = {};

    const file = (content = DATA, name = `train-${++seq}.jsonl`) => {
        const p = path.join(dir, name);
        fs.writeFileSync(p, content);
        return p;
    };
    const calls = (action?: string) => (action ? (emu.counts().byCloud.dashscope?.[action] ?? 0) : emu.counts().total);
    const control = (method: string, p: string, body?: unknown) => fetch(`${emu.url}/_control${p}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
    /** Inputs as the engine sends them to check: what the program set, plus the resource name. */
    const program = (source: string, extra: Record<string, unknown> = {}) => ({ source, pulumiName: `file-${seq}`, ...extra });
    const checked = async (inputs: Record<string, unknown>) => {
        const r = await lifecycle.check({}, inputs);
        assert.deepEqual(r.failures ?? [], []);
        return r.inputs;
    };
    const allFiles = async () => (await listFiles(client, { pageSize: 100 })).files;

    before(async () => {
        emu = await startEmulator();
        for (const [k, v] of Object.entries(emulatorEnv(emu))) {
            saved[k] = process.env[k];
            process.env[k] = v;
        }
        lifecycle = require("../../provider/bailian/file.lifecycle");
        client = new DashScopeClient({ apiKey: EMULATOR_CREDENTIALS.dashscopeApiKey, baseUrl: emulatorEnv(emu).DASHSCOPE_HTTP_BASE_URL });
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "bailian-file-lc-"));
    });
    after(async () => {
        for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
        else process.env[k] = v;
        await emu.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });
    afterEach(() => control("DELETE", "/faults"));

    describe("check", () => {
        it("derives the content's SHA-256 and the default purpose, with no API call", async () => {
            const before = calls();
            const inputs = await checked(program(file()));
            assert.equal(inputs.sha256, sha256(DATA));
            assert.equal(inputs.purpose, "fine-tune");
            assert.equal(calls(), before);
        });

        it("refuses bad JSONL with the line numbers, on the source property, with no API call", async () => {
            const before = calls();
            const bad = DATA + JSON.stringify({ messages: [{ role: "user", content: "q" }, { role: "bot", content: "a" }] }) + "\n{not json\n";
            const r = await lifecycle.check({}, program(file(bad)));
            assert.deepEqual(
                r.failures?.map((f) => `${f.property}: ${f.reason.split(" (")[0]}`),
                ['source: line 3: "messages[1].role" must be one of system, user, assistant, not "bot"', "source: line 4: is not valid JSON"],
            );
            assert.equal(calls(), before);
        });

        it("refuses a missing file, naming source", async () => {
            const r = await lifecycle.check({}, program(path.join(dir, "missing.jsonl")));
            assert.equal(r.failures?.length, 1);
            assert.equal(r.failures?.[0].property, "source");
            assert.match(r.failures![0].reason, /no such file$/);
        });

        it("reports argument problems from the schema without reading the file", async () => {
            const r = await lifecycle.check({}, program(path.join(dir, "missing.jsonl"), { purpose: "training" }));
            assert.deepEqual(r.failures?.map((f) => f.property), ["purpose"]);
        });

        it("lets a source that is unknown at preview through, with the content unknown", async () => {
            const inputs = await checked(program(UNKNOWN));
            assert.equal(inputs.sha256, UNKNOWN);
        });
    });

    describe("diff", () => {
        it("edited content is a replacement on sha256", async () => {
            const p = file();
            const olds = await checked(program(p));
            fs.writeFileSync(p, DATA + row("One more answer."));
            const d = await lifecycle.diff("id", olds, await checked(program(p)));
            assert.deepEqual(d.replaces, ["sha256"]);
            assert.equal(d.deleteBeforeReplace, false, "the new upload exists before the old file is deleted");
        });

        it("the same content at another path is a local change, not a replacement", async () => {
            const olds = await checked(program(file()));
            const d = await lifecycle.diff("id", olds, await checked(program(file())));
            assert.equal(d.changes, true);
            assert.deepEqual(d.replaces, []);
        });

        it("an unchanged file is no change", async () => {
            const p = file();
            const olds = await checked(program(p));
            assert.equal((await lifecycle.diff("id", olds, await checked(program(p)))).changes, false);
        });

        it("a new description is a replacement: the Files API cannot edit a file", async () => {
            const p = file();
            const olds = await checked(program(p));
            assert.deepEqual((await lifecycle.diff("id", olds, await checked(program(p, { description: "v2" })))).replaces, ["description"]);
        });
    });

    describe("create, read and delete", () => {
        it("create uploads once, under the local name with the marker, and outputs what the service reports", async () => {
            const p = file(DATA, "support.jsonl");
            const inputs = await checked(program(p, { description: "support answers" }));
            const before = calls("UploadFile");
            const { id, outs } = await lifecycle.create(inputs);
            assert.equal(calls("UploadFile") - before, 1);
            assert.match(outs.name, /^support-[0-9a-f]{8}\.jsonl$/);
            assert.equal(outs.fileId, id);
            assert.equal(outs.sizeBytes, Buffer.byteLength(DATA));
            assert.equal(outs.md5, createHash("md5").update(DATA).digest("hex"));
            assert.equal(outs.sha256, sha256(DATA));
            assert.match(outs.createTime, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
            assert.equal(outs.source, p);
            assert.equal(outs.description, "support answers");
            assert.equal((await getFileIfExists(client, id))?.description, "support answers");
        });

        it("an upload whose answer was lost is found by its marker: exactly one file exists", async () => {
            const inputs = await checked(program(file()));
            await control("POST", "/faults", { kind: "lost-response", cloud: "dashscope", action: "UploadFile", count: 1 });
            const before = calls("UploadFile");
            const { id, outs } = await lifecycle.create(inputs);
            assert.equal(calls("UploadFile") - before, 1, "not uploaded a second time");
            const named = (await allFiles()).filter((f) => f.name === outs.name);
            assert.deepEqual(named.map((f) => f.file_id), [id]);
        });

        it("a file with the marked name but other bytes is not adopted: the data is uploaded", async () => {
            const p = file();
            const inputs = await checked(program(p));
            const decoy = await uploadFile(client, { path: file("{\"text\": \"other bytes\"}\n"), name: cloudFileName(p, fileKind.marker(inputs)), purpose: "fine-tune" });
            const { id, outs } = await lifecycle.create(inputs);
            assert.notEqual(id, decoy.file_id);
            assert.equal(outs.md5, createHash("md5").update(DATA).digest("hex"));
        });

        it("a create run again for the same resource and content adopts the earlier upload", async () => {
            const inputs = await checked(program(file()));
            const first = await lifecycle.create(inputs);
            const before = calls("UploadFile");
            const again = await lifecycle.create(inputs);
            assert.equal(again.id, first.id);
            assert.equal(calls("UploadFile"), before);
        });

        it("two resources with the same content upload two files", async () => {
            const p = file();
            const a = await lifecycle.create(await checked({ source: p, pulumiName: "train-a" }));
            const b = await lifecycle.create(await checked({ source: p, pulumiName: "train-b" }));
            assert.notEqual(a.id, b.id);
            assert.notEqual(a.outs.name, b.outs.name);
        });

        it("a file edited between check and create is refused and nothing is uploaded", async () => {
            const p = file();
            const inputs = await checked(program(p));
            fs.appendFileSync(p, row("Edited after the plan."));
            const before = calls("UploadFile");
            await assert.rejects(lifecycle.create(inputs), /changed after it was checked .* nothing was uploaded/);
            assert.equal(calls("UploadFile"), before);
        });

        it("an upload answered with a server error is looked up, not resent, and the create fails with the service's code", async () => {
            const p = file();
            const inputs = await checked(program(p));
            await control("POST", "/faults", { kind: "server-error", cloud: "dashscope", action: "UploadFile", count: 1 });
            const [uploads, lists] = [calls("UploadFile"), calls("ListFiles")];
            await assert.rejects(lifecycle.create(inputs), /UploadFile failed: InternalError: Internal server error!/);
            assert.equal(calls("UploadFile") - uploads, 1, "a non-idempotent upload is not resent");
            assert.equal(calls("ListFiles") - lists, 2, "the marker was looked up before the upload and after the error");
            assert.equal((await allFiles()).filter((f) => f.name?.startsWith(`${path.basename(p, ".jsonl")}-`)).length, 0);
        });

        it("read returns no id once the file is gone, so refresh drops it", async () => {
            const { id, outs } = await lifecycle.create(await checked(program(file())));
            await lifecycle.delete(id, outs);
            const r = await lifecycle.read(id, outs);
            assert.equal(r.id, "");
        });

        it("delete removes the file, and deleting a file already gone is done", async () => {
            const { id, outs } = await lifecycle.create(await checked(program(file())));
            await lifecycle.delete(id, outs);
            assert.equal(await getFileIfExists(client, id), undefined);
            await lifecycle.delete(id, outs);
        });
    });
});

describe("bailian.File lifecycle when the service reports other bytes", () => {
    it("an upload whose MD5 differs from the local file is deleted and the create fails", async () => {
        /** Reports a wrong MD5 for every file, as if the bytes were corrupted on the way. */
        class CorruptingEmulator extends DashScopeEmulator {
            handle(req: Parameters<DashScopeEmulator["handle"]>[0], ctx: Parameters<DashScopeEmulator["handle"]>[1]) {
                const res = super.handle(req, ctx);
                const data = (res.body as { data?: { md5?: string } }).data;
                if (this.action(req) === "GetFile" && data) data.md5 = "0".repeat(32);
                return res;
            }
        }
        const emu = await startEmulatorServer({ modules: [new CorruptingEmulator({ apiKeys: [EMULATOR_CREDENTIALS.dashscopeApiKey] })] });
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bailian-file-md5-"));
        const saved = { key: process.env.DASHSCOPE_API_KEY, url: process.env.DASHSCOPE_HTTP_BASE_URL };
        process.env.DASHSCOPE_API_KEY = EMULATOR_CREDENTIALS.dashscopeApiKey;
        process.env.DASHSCOPE_HTTP_BASE_URL = `${emu.url}/dashscope/api/v1`;
        try {
            const lifecycle: Lifecycle = require("../../provider/bailian/file.lifecycle");
            const p = path.join(dir, "train.jsonl");
            fs.writeFileSync(p, DATA);
            const { inputs } = await lifecycle.check({}, { source: p, pulumiName: "corrupted" });
            await assert.rejects(lifecycle.create(inputs), /reports MD5 0{32} for the uploaded train-[0-9a-f]{8}\.jsonl .* the upload was deleted/);
            assert.equal(emu.counts().byCloud.dashscope.DeleteFile, 1);
            const client = new DashScopeClient({ apiKey: EMULATOR_CREDENTIALS.dashscopeApiKey, baseUrl: process.env.DASHSCOPE_HTTP_BASE_URL });
            assert.equal((await listFiles(client)).total, 0);
        } finally {
            process.env.DASHSCOPE_API_KEY = saved.key;
            process.env.DASHSCOPE_HTTP_BASE_URL = saved.url;
            if (saved.key === undefined) delete process.env.DASHSCOPE_API_KEY;
            if (saved.url === undefined) delete process.env.DASHSCOPE_HTTP_BASE_URL;
            await emu.close();
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
