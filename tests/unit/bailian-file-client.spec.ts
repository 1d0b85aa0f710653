/**
 * The DashScope Files calls (sdk/dashscope/files.ts) against the emulator:
 * the multipart upload, the `data` envelopes, `failed_uploads` as clear
 * errors, and not-found on delete.
 */
import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EMULATOR_CREDENTIALS, RunningEmulator, emulatorEnv, startEmulator } from "../../emulator";
import { startEmulatorServer } from "../../emulator/core/server";
import { DashScopeEmulator } from "../../emulator/dashscope";
import { CloudApiError } from "../../sdk/core/errors";
import { DashScopeClient } from "../../sdk/dashscope/client";
import { deleteFile, filterFiles, findFile, getFile, getFileIfExists, listFiles, uploadFile } from "../../sdk/dashscope/files";

const KEY = EMULATOR_CREDENTIALS.dashscopeApiKey;
const ROW = JSON.stringify({ text: "domain text" }) + "\n";

describe("DashScope Files API client against the emulator", () => {
    let emu: RunningEmulator;
    let client: DashScopeClient;
    let dir: string;
    const file = (name: string, content: string) => {
        const p = path.join(dir, name);
        fs.writeFileSync(p, content);
        return p;
    };
    const calls = (action: string) => emu.counts().byCloud.dashscope?.[action] ?? 0;

    before(async () => {
        emu = await startEmulator();
        client = new DashScopeClient({ apiKey: KEY, baseUrl: emulatorEnv(emu).DASHSCOPE_HTTP_BASE_URL });
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "dashscope-files-"));
    });
    after(async () => {
        await emu.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("upload sends the file, purpose and description, and returns the new id and name", async () => {
        const p = file("train.jsonl", ROW.repeat(3));
        const up = await uploadFile(client, { path: p, name: "train-0011aabb.jsonl", purpose: "fine-tune", description: "three rows" });
        assert.match(up.file_id, /^file-ft-[0-9a-f]{24}$/);
        assert.equal(up.name, "train-0011aabb.jsonl");
        const f = await getFile(client, up.file_id);
        assert.equal(f.description, "three rows");
        assert.equal(f.purpose, "fine-tune");
        assert.equal(f.size, Buffer.byteLength(ROW) * 3);
        assert.equal(f.md5, createHash("md5").update(ROW.repeat(3)).digest("hex"), "the bytes arrived intact");
    });

    it("list pages through files with the data envelope", async () => {
        const page = await listFiles(client, { pageNo: 1, pageSize: 1 });
        assert.equal(page.page_size, 1);
        assert.ok(page.total >= 1);
        assert.equal(page.files.length, 1);
    });

    it("findFile walks every page until a file matches", async () => {
        for (let i = 0; i < 3; i++) await uploadFile(client, { path: file(`p${i}.jsonl`, ROW), name: `page-${i}.jsonl`, purpose: "fine-tune" });
        const before = calls("ListFiles");
        // 100 per page: everything is on page 1 here, so one list call answers.
        const hit = await findFile(client, (f) => f.name === "page-2.jsonl");
        assert.equal(hit?.name, "page-2.jsonl");
        assert.equal(calls("ListFiles") - before, 1);
        assert.equal(await findFile(client, (f) => f.name === "absent.jsonl"), undefined);
    });

    it("filterFiles returns the matches from every page", async () => {
        const control = (name: string) => fetch(`${emu.url}/_control/dashscope/files`, { method: "POST", body: JSON.stringify({ name, content: ROW }) });
        await control("twin.jsonl");
        for (let i = 0; i < 100; i++) await control(`filler-${i}.jsonl`);
        await control("twin.jsonl");
        const before = calls("ListFiles");
        const twins = await filterFiles(client, (f) => f.name === "twin.jsonl");
        assert.equal(twins.length, 2);
        assert.ok(calls("ListFiles") - before >= 2, "more than one page was read");
    });

    it("a file listed under failed_uploads becomes an error with the service's code and message", async () => {
        const p = file("empty.jsonl", "");
        await assert.rejects(
            uploadFile(client, { path: p, name: "empty.jsonl", purpose: "fine-tune" }),
            (e: unknown) => {
                assert.ok(e instanceof CloudApiError);
                assert.equal(e.code, "InvalidFile");
                assert.equal(e.retryable, false);
                assert.match(e.message, /^DashScope UploadFile failed: InvalidFile: the service refused "empty\.jsonl": File is empty \(HTTP 200, request id [0-9a-f-]{36}\)$/);
                return true;
            },
        );
    });

    it("an unknown purpose is refused by the service with InvalidParameter", async () => {
        await assert.rejects(
            uploadFile(client, { path: file("x.jsonl", ROW), name: "x.jsonl", purpose: "training" as never }),
            (e: unknown) => e instanceof CloudApiError && e.code === "InvalidParameter" && e.httpStatus === 400,
        );
    });

    it("a missing local file fails before anything is sent", async () => {
        const before = calls("UploadFile");
        await assert.rejects(uploadFile(client, { path: path.join(dir, "nope.jsonl"), name: "nope.jsonl", purpose: "fine-tune" }), /ENOENT/);
        assert.equal(calls("UploadFile"), before);
    });

    it("delete removes the file; deleting it again reports it gone", async () => {
        const up = await uploadFile(client, { path: file("d.jsonl", ROW), name: "d.jsonl", purpose: "fine-tune" });
        assert.equal(await deleteFile(client, up.file_id), true);
        assert.equal(await getFileIfExists(client, up.file_id), undefined);
        assert.equal(await deleteFile(client, up.file_id), false);
    });

    it("getFile of an unknown id is the service's NotFound", async () => {
        await assert.rejects(getFile(client, "file-ft-000000000000000000000000"), (e: unknown) => e instanceof CloudApiError && e.code === "NotFound" && e.httpStatus === 404);
    });

    it("a wrong API key is InvalidApiKey and the key appears in no message", async () => {
        const wrong = new DashScopeClient({ apiKey: "sk-not-the-right-key", baseUrl: emulatorEnv(emu).DASHSCOPE_HTTP_BASE_URL });
        await assert.rejects(uploadFile(wrong, { path: file("k.jsonl", ROW), name: "k.jsonl", purpose: "fine-tune" }), (e: unknown) => {
            assert.ok(e instanceof CloudApiError);
            assert.equal(e.code, "InvalidApiKey");
            assert.ok(!e.message.includes("sk-not-the-right-key"));
            return true;
        });
    });

    it("the workspace header reaches the service with the multipart upload", async () => {
        let seen: string | undefined;
        const spy = await startEmulatorServer({
            modules: [
                new (class extends DashScopeEmulator {
                    handle(req: Parameters<DashScopeEmulator["handle"]>[0], ctx: Parameters<DashScopeEmulator["handle"]>[1]) {
                        if (req.method === "POST") seen = String(req.headers["x-dashscope-workspace"]);
                        return super.handle(req, ctx);
                    }
                })({ apiKeys: [KEY] }),
            ],
        });
        try {
            const ws = new DashScopeClient({ apiKey: KEY, baseUrl: `${spy.url}/dashscope/api/v1`, workspaceId: "llm-ws-1" });
            await uploadFile(ws, { path: file("w.jsonl", ROW), name: "w.jsonl", purpose: "fine-tune" });
            assert.equal(seen, "llm-ws-1");
        } finally {
            await spy.close();
        }
    });
});

describe("DashScope emulator Files limits", () => {
    it("a file over the emulator's size limit is reported under failed_uploads as FileTooLarge", async () => {
        const emu = await startEmulatorServer({ modules: [new DashScopeEmulator({ apiKeys: [KEY], maxFileBytes: 16 })] });
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dashscope-limit-"));
        try {
            const client = new DashScopeClient({ apiKey: KEY, baseUrl: `${emu.url}/dashscope/api/v1` });
            const p = path.join(dir, "big.jsonl");
            fs.writeFileSync(p, ROW.repeat(2));
            await assert.rejects(uploadFile(client, { path: p, name: "big.jsonl", purpose: "fine-tune" }), (e: unknown) => {
                assert.ok(e instanceof CloudApiError);
                assert.equal(e.code, "FileTooLarge");
                assert.match(e.message, /the service refused "big\.jsonl": File exceeds the size limit of 16 bytes/);
                return true;
            });
            assert.equal((await listFiles(client)).total, 0, "nothing was stored");
        } finally {
            await emu.close();
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
