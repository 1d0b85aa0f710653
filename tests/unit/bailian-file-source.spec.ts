/**
 * The local checks of `bailian.File`: missing files, the documented size
 * limits (on sparse files, so nothing big is written), formats, and hashing
 * that streams the file instead of reading it whole.
 */
import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SourceProblems, cloudFileName, digestFile, inspectSource, sizeLimitFor } from "../../provider/bailian/fileSource";

const MiB = 1024 * 1024;
const ROW = JSON.stringify({ messages: [{ role: "user", content: "Hi" }, { role: "assistant", content: "Hello!" }] }) + "\n";

describe("bailian.File source checks", () => {
    let dir: string;
    const file = (name: string, content: string | Buffer = ROW) => {
        const p = path.join(dir, name);
        fs.writeFileSync(p, content);
        return p;
    };
    /** A sparse file of `bytes` bytes: no data is written, the disk stays empty. */
    const sparse = (name: string, bytes: number, head = "") => {
        const p = path.join(dir, name);
        fs.writeFileSync(p, head);
        fs.truncateSync(p, bytes);
        return p;
    };
    const problems = async (source: string, purpose: "fine-tune" | "file-extract" | "batch" = "fine-tune") => {
        try {
            await inspectSource(source, purpose);
        } catch (e) {
            assert.ok(e instanceof SourceProblems, `expected SourceProblems, got ${e}`);
            assert.ok(e.failures.every((f) => f.property === "source"));
            return e.failures.map((f) => f.reason);
        }
        assert.fail("expected the source to be refused");
    };

    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "bailian-file-"));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("a valid JSONL file yields its size and the SHA-256 and MD5 of its content", async () => {
        const p = file("train.jsonl", ROW + ROW);
        const d = await inspectSource(p, "fine-tune");
        assert.equal(d.sizeBytes, Buffer.byteLength(ROW) * 2);
        assert.equal(d.sha256, createHash("sha256").update(ROW + ROW).digest("hex"));
        assert.equal(d.md5, createHash("md5").update(ROW + ROW).digest("hex"));
    });

    it("a relative path resolves against the working directory", async () => {
        file("rel.jsonl");
        const cwd = process.cwd();
        process.chdir(dir);
        try {
            assert.equal((await inspectSource("rel.jsonl", "fine-tune")).path, path.join(process.cwd(), "rel.jsonl"));
        } finally {
            process.chdir(cwd);
        }
    });

    it("a missing file is refused with its path and 'no such file'", async () => {
        const [reason] = await problems("data/none.jsonl");
        assert.match(reason, /^cannot read "data\/none\.jsonl" \(.*data\/none\.jsonl\): no such file$/);
    });

    it("a directory is refused", async () => {
        assert.match((await problems(dir))[0], /is not a regular file$/);
    });

    it("a fine-tune file that is neither .jsonl nor .zip is refused", async () => {
        assert.deepEqual(await problems(file("train.csv", "a,b\n")), ['fine-tune data must be a .jsonl file (text models) or a .zip archive (image and video data), not "train.csv"']);
    });

    it("an empty file is refused", async () => {
        assert.match((await problems(file("empty.jsonl", "")))[0], /"[^"]*empty\.jsonl" is empty$/);
    });

    it("a .jsonl over the 300 MiB fine-tune limit is refused without reading it", async () => {
        const p = sparse("big.jsonl", 300 * MiB + 1, ROW);
        const started = Date.now();
        const [reason] = await problems(p);
        assert.ok(Date.now() - started < 500, "refused from the size alone");
        assert.match(reason, /is 300\.0 MiB \(314572801 bytes\); the Files API takes at most 300\.0 MiB per fine-tune \.jsonl \(https:\/\/help\.aliyun\.com\/en\/model-studio\/model-customization-file-management-service\)\. Split the data into several files\.$/);
    });

    it("a .zip of 301 MiB is within the 1 GiB limit for image and video data", async () => {
        const p = sparse("images.zip", 301 * MiB, "PK\x03\x04");
        const d = await inspectSource(p, "fine-tune");
        assert.equal(d.sizeBytes, 301 * MiB);
    });

    it("a .zip over 1 GiB is refused", async () => {
        assert.match((await problems(sparse("huge.zip", 1024 * MiB + 1, "PK\x03\x04")))[0], /at most 1024\.0 MiB per fine-tune \.zip/);
    });

    it("a .zip that does not start with the zip signature is refused", async () => {
        assert.deepEqual(await problems(file("fake.zip", "not a zip")), ['"fake.zip" is not a zip archive with entries (it does not start with the zip signature PK\\x03\\x04)']);
    });

    it("the limits per purpose are the documented ones", () => {
        assert.equal(sizeLimitFor("fine-tune", ".jsonl"), 300 * MiB);
        assert.equal(sizeLimitFor("fine-tune", ".zip"), 1024 * MiB);
        assert.equal(sizeLimitFor("file-extract", ".pdf"), 150 * MiB);
        assert.equal(sizeLimitFor("batch", ".jsonl"), 500 * MiB);
    });

    it("a file-extract document over 150 MiB is refused", async () => {
        assert.match((await problems(sparse("manual.pdf", 150 * MiB + 1), "file-extract"))[0], /at most 150\.0 MiB per file-extract \.pdf/);
    });

    it("bad fine-tune JSONL is refused with line numbers", async () => {
        const p = file("train.jsonl", ROW + ROW + JSON.stringify({ messages: [{ role: "user", content: "q" }, { role: "bot", content: "a" }] }) + "\n");
        assert.deepEqual(await problems(p), ['line 3: "messages[1].role" must be one of system, user, assistant, not "bot"']);
    });

    it("batch JSONL is only checked for one JSON object per line", async () => {
        const p = file("batch.jsonl", JSON.stringify({ custom_id: "1", method: "POST" }) + "\nnope\n");
        assert.deepEqual((await problems(p, "batch")).map((r) => r.split(":")[0]), ["line 2"]);
    });

    it("a file-extract document is not read as JSONL", async () => {
        const d = await inspectSource(file("notes.txt", "free text\n"), "file-extract");
        assert.equal(d.sizeBytes, 10);
    });

    it("hashing a 512 MiB file streams it: memory grows far less than the file", async function () {
        this.timeout(60_000);
        const size = 512 * MiB;
        const p = sparse("zeros.bin", size);
        const expected = createHash("sha256");
        const zeros = Buffer.alloc(MiB);
        for (let i = 0; i < size / MiB; i++) expected.update(zeros);
        const base = process.memoryUsage();
        let peak = 0;
        const sample = setInterval(() => {
            const m = process.memoryUsage();
            peak = Math.max(peak, m.rss - base.rss, m.arrayBuffers - base.arrayBuffers);
        }, 5);
        const d = await digestFile(p, () => {
            const m = process.memoryUsage();
            peak = Math.max(peak, m.arrayBuffers - base.arrayBuffers);
        }).finally(() => clearInterval(sample));
        assert.equal(d.sha256, expected.digest("hex"));
        assert.equal(d.sizeBytes, size);
        assert.ok(peak < 128 * MiB, `memory grew by ${(peak / MiB).toFixed(0)} MiB while hashing a ${size / MiB} MiB file`);
    });

    it("the uploaded name keeps the stem and extension around the marker", () => {
        assert.equal(cloudFileName("data/train.jsonl", "3fa9c2d1"), "train-3fa9c2d1.jsonl");
        assert.equal(cloudFileName("images.zip", "00ff00ff"), "images-00ff00ff.zip");
    });
});
