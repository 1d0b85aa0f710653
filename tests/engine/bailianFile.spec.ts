import * as assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "../../harness";
import { EngineFixture, engineFixture } from "./support";

const TYPE = "pulumi-nodejs:dynamic/bailian:File";
const MiB = 1024 * 1024;

const row = (answer: string) => JSON.stringify({ messages: [{ role: "system", content: "You are a support bot." }, { role: "user", content: "Where is my order?" }, { role: "assistant", content: answer }] }) + "\n";
const DATA = row("It ships today.") + row("Track it in the app.") + row("Orders leave within two days.");
const EDITED = row("It ships today.") + row("Track it with the link in your e-mail.") + row("Orders leave within two days.");

interface EmuFile {
    file_id: string;
    name: string;
    md5: string;
    size: number;
}

/** A fresh directory for a test's dataset. */
function dataDir(): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), "bailian-file-engine-"));
}

describe("bailian.File through the Pulumi engine", function () {
    this.timeout(180_000);
    let fx: EngineFixture;
    let dir: string;
    let source: string;

    const files = async (): Promise<EmuFile[]> => {
        const res = await fetch(`${fx.emu.url}/dashscope/api/v1/files?page_size=100`, { headers: { Authorization: `Bearer ${fx.stack.env.DASHSCOPE_API_KEY}` } });
        return ((await res.json()) as { data: { files: EmuFile[] } }).data.files;
    };
    const calls = (action: string) => fx.emu.counts().byCloud.dashscope?.[action] ?? 0;

    beforeEach(async () => {
        fx = await engineFixture("bailianFile.ts");
        dir = dataDir();
        source = path.join(dir, "train.jsonl");
        fs.writeFileSync(source, DATA);
        fx.stack.config = { source, description: "support answers" };
    });
    afterEach(async () => {
        await fx.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("up uploads the file and exports its id, marked name, size and hashes", async () => {
        const r = await fx.stack.up();
        assert.ok(r.ok, r.errors.join("\n"));
        assert.deepEqual(r.steps.map((s) => s.op), ["create"]);
        assert.match(r.outputs.name, /^train-[0-9a-f]{8}\.jsonl$/);
        assert.equal(r.outputs.sizeBytes, Buffer.byteLength(DATA));
        assert.equal(r.outputs.sha256, createHash("sha256").update(DATA).digest("hex"));
        assert.equal(r.outputs.md5, createHash("md5").update(DATA).digest("hex"));
        const [f, ...others] = await files();
        assert.equal(others.length, 0);
        assert.equal(f.file_id, r.outputs.fileId);
        assert.equal(f.md5, r.outputs.md5, "the service holds the same bytes");
        assert.equal(fx.stack.state().resources[0].type, TYPE);
    });

    it("a second up with the file unchanged is a no-op that makes no API call", async () => {
        await fx.stack.up();
        const before = fx.requests();
        const r = await fx.stack.up();
        assert.ok(r.ok, r.errors.join("\n"));
        assert.deepEqual(r.steps.map((s) => s.op), ["same"]);
        assert.equal(fx.requests(), before);
    });

    it("preview after editing one line of the file plans a replacement on sha256 and makes no API call", async () => {
        await fx.stack.up();
        fs.writeFileSync(source, EDITED);
        const before = fx.requests();
        const r = await fx.stack.preview();
        assert.ok(r.ok, r.errors.join("\n"));
        assert.deepEqual(r.steps.map((s) => [s.op, s.keys]), [["replace", ["sha256"]]]);
        assert.equal(fx.requests(), before);
    });

    it("up after editing the file uploads the new content first, then deletes the old file", async () => {
        const first = await fx.stack.up();
        fs.writeFileSync(source, EDITED);
        const r = await fx.stack.up();
        assert.ok(r.ok, r.errors.join("\n"));
        assert.deepEqual(r.steps.map((s) => s.op), ["replace", "create-replacement", "delete-replaced"]);
        assert.notEqual(r.outputs.fileId, first.outputs.fileId);
        assert.equal(r.outputs.md5, createHash("md5").update(EDITED).digest("hex"));
        assert.deepEqual((await files()).map((f) => f.file_id), [r.outputs.fileId], "the old file is deleted, the new one kept");
        assert.equal(calls("UploadFile"), 2);
        assert.equal(calls("DeleteFile"), 1);
    });

    it("moving the file to another path with the same content is not a replacement and uploads nothing", async () => {
        const first = await fx.stack.up();
        const moved = path.join(dir, "renamed.jsonl");
        fs.renameSync(source, moved);
        fx.stack.config.source = moved;
        const preview = await fx.stack.preview();
        assert.deepEqual(preview.steps.map((s) => [s.op, s.keys]), [["update", ["source"]]]);
        const r = await fx.stack.up();
        assert.ok(r.ok, r.errors.join("\n"));
        assert.deepEqual(r.steps.map((s) => s.op), ["update"]);
        assert.equal(r.outputs.fileId, first.outputs.fileId);
        assert.equal(fx.stack.outputsOf("dataset").source, moved);
        assert.equal(calls("UploadFile"), 1);
        assert.equal(calls("DeleteFile"), 0);
    });

    it("bad JSONL fails preview with the line numbers and makes no API call", async () => {
        fs.writeFileSync(source, DATA + JSON.stringify({ messages: [{ role: "user", content: "q" }, { role: "bot", content: "a" }] }) + "\n" + "{not json\n");
        const r = await fx.stack.preview();
        assert.equal(r.ok, false);
        const text = r.errors.join("\n");
        assert.match(text, /source: line 4: "messages\[1\]\.role" must be one of system, user, assistant, not "bot"/);
        assert.match(text, /source: line 5: is not valid JSON/);
        assert.equal(fx.requests(), 0);
    });

    it("a file over the 300 MB fine-tune limit fails preview with the limit, reading and uploading nothing", async () => {
        // Sparse: 300 MiB + 1 byte on paper, nothing written to disk.
        fs.truncateSync(source, 300 * MiB + 1);
        const started = Date.now();
        const r = await fx.stack.preview();
        assert.equal(r.ok, false);
        assert.match(r.errors.join("\n"), /source: "[^"]+train\.jsonl" is 300\.0 MiB \(314572801 bytes\); the Files API takes at most 300\.0 MiB per fine-tune \.jsonl/);
        assert.equal(fx.requests(), 0);
        assert.ok(Date.now() - started < 30_000);
    });

    it("a missing file fails preview naming source", async () => {
        fx.stack.config.source = path.join(dir, "nowhere.jsonl");
        const r = await fx.stack.preview();
        assert.equal(r.ok, false);
        assert.match(r.errors.join("\n"), /source: cannot read "[^"]+nowhere\.jsonl" \([^)]+\): no such file/);
        assert.equal(fx.requests(), 0);
    });

    it("destroy deletes the uploaded file", async () => {
        await fx.stack.up();
        const r = await fx.stack.destroy();
        assert.ok(r.ok, r.errors.join("\n"));
        assert.deepEqual(await files(), []);
        assert.equal(fx.stack.state().resources.length, 0);
    });
});

describe("examples/bailian-pipeline through the Pulumi engine", function () {
    this.timeout(240_000);
    const EXAMPLE = path.join(REPO_ROOT, "examples", "bailian-pipeline");
    let fx: EngineFixture;
    let dir: string;

    /** Edits one line of the copied training data: one assistant answer changes. */
    const editOneLine = () => {
        const p = path.join(dir, "train.jsonl");
        const lines = fs.readFileSync(p, "utf8").split("\n");
        lines[1] = lines[1].replace("two-year warranty", "three-year warranty");
        assert.ok(lines[1].includes("three-year"), "the example data has the line this test edits");
        fs.writeFileSync(p, lines.join("\n"));
    };
    const ops = (steps: Array<{ op: string; urn: string }>) => steps.map((s) => `${s.op} ${s.urn.split("::").pop()}`);

    beforeEach(async () => {
        // A copy of the example's data, so the tests can edit it; the program is the example itself.
        dir = dataDir();
        fs.cpSync(path.join(EXAMPLE, "data"), dir, { recursive: true });
        fx = await engineFixture(EXAMPLE);
        fx.stack.config = { dataDir: dir };
    });
    afterEach(async () => {
        await fx.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("up uploads the training and validation files and fine-tunes on their ids", async () => {
        const r = await fx.stack.up();
        assert.ok(r.ok, r.errors.join("\n"));
        assert.deepEqual(ops(r.steps), ["create train", "create validation", "create support-bot"]);
        assert.match(r.outputs.fineTunedModel, /^qwen3-8b-support-ft-\d{12}-[0-9a-f]{4}$/);
        const job = (await fx.control("GET", "/dashscope/fine-tunes")).jobs[0];
        assert.deepEqual(job.training_file_ids, [r.outputs.trainingFileId]);
        assert.deepEqual(job.validation_file_ids, [r.outputs.validationFileId]);
    });

    it("preview after editing one line of the training data replaces the training file and the job, and makes no API call", async () => {
        await fx.stack.up();
        editOneLine();
        const before = fx.requests();
        const r = await fx.stack.preview();
        assert.ok(r.ok, r.errors.join("\n"));
        assert.deepEqual(ops(r.steps), ["replace train", "same validation", "replace support-bot"]);
        assert.deepEqual(r.steps[0].keys, ["sha256"]);
        assert.deepEqual(r.steps[2].keys, ["trainingFileIds"]);
        assert.equal(fx.requests(), before);
    });

    it("up after the edit uploads the new file, trains a new job on it, then retires the old job and deletes the old file", async () => {
        const first = await fx.stack.up();
        editOneLine();
        const r = await fx.stack.up();
        assert.ok(r.ok, r.errors.join("\n"));
        assert.deepEqual(ops(r.steps), [
            "replace train",
            "create-replacement train",
            "same validation",
            "replace support-bot",
            "create-replacement support-bot",
            "delete-replaced support-bot",
            "delete-replaced train",
        ]);
        assert.notEqual(r.outputs.trainingFileId, first.outputs.trainingFileId);
        assert.equal(r.outputs.validationFileId, first.outputs.validationFileId);
        assert.notEqual(r.outputs.fineTunedModel, first.outputs.fineTunedModel);
        const jobs: Array<{ job_id: string; training_file_ids: string[] }> = (await fx.control("GET", "/dashscope/fine-tunes")).jobs;
        assert.deepEqual(jobs.find((j) => j.job_id === r.outputs.fineTuneJobId)?.training_file_ids, [r.outputs.trainingFileId]);
        const res = await fetch(`${fx.emu.url}/dashscope/api/v1/files/${first.outputs.trainingFileId}`, { headers: { Authorization: `Bearer ${fx.stack.env.DASHSCOPE_API_KEY}` } });
        assert.equal(res.status, 404, "the old training file is deleted");
    });
});
