/**
 * The local side of `bailian.File`: where the source file is, whether the
 * Files API would take it (size limit, format), and its content hashes, all
 * in one streamed pass so a file of any size is never held in memory.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { CheckFailure, InputProblems } from "../core/check";
import type { FilePurpose } from "../../sdk/dashscope/files";
import { JsonlRules, JsonlValidator } from "./jsonl";

/** Purposes the Files API documents (reference/bailian-finetune.md §8). */
export const FILE_PURPOSES = ["fine-tune", "file-extract", "batch"] as const satisfies readonly FilePurpose[];

/** The purpose used when none is given. */
export const DEFAULT_PURPOSE: FilePurpose = "fine-tune";

const MiB = 1024 * 1024;

/**
 * Per-file size limits of the newer file-management page
 * (https://help.aliyun.com/en/model-studio/model-customization-file-management-service):
 * 300 MB for fine-tune data, 1 GB for image and video fine-tune data (a
 * `.zip`), 150 MB for file-extract, 500 MB for batch. Read as MiB, the
 * lenient reading, so a file the service takes is never refused here.
 */
export function sizeLimitFor(purpose: FilePurpose, extension: string): number {
    if (purpose === "fine-tune") return extension === ".zip" ? 1024 * MiB : 300 * MiB;
    if (purpose === "file-extract") return 150 * MiB;
    return 500 * MiB;
}

/** File formats fine-tune data comes in: JSONL for text models, zip for image and video data. */
export const FINE_TUNE_EXTENSIONS = [".jsonl", ".zip"] as const;

/** The four bytes every zip archive with at least one entry starts with (a local file header). */
const ZIP_SIGNATURE = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** Check failures about the source file. Thrown by the kind's `derive`; the shared `check` returns them. */
export class SourceProblems extends InputProblems {
    constructor(failures: CheckFailure[]) {
        super(failures);
        this.name = "SourceProblems";
    }
}

/** What one pass over the file learned. */
export interface SourceDigest {
    /** Absolute path. */
    path: string;
    sizeBytes: number;
    /** Lowercase hex SHA-256 of the content. */
    sha256: string;
    /** Lowercase hex MD5 of the content (what the Files API reports). */
    md5: string;
}

/**
 * Relative paths resolve against the working directory, which for a Pulumi
 * program and its dynamic-provider host is the project directory.
 */
export function resolveSource(source: string): string {
    return path.resolve(source);
}

/** The name the service records: `<stem>-<marker><ext>`, so a lost upload answer is found again by name. */
export function cloudFileName(source: string, marker: string): string {
    const ext = path.extname(source);
    return `${path.basename(source, ext)}-${marker}${ext}`;
}

function fail(reason: string): never {
    throw new SourceProblems([{ property: "source", reason }]);
}

function humanSize(bytes: number): string {
    return bytes >= MiB ? `${(bytes / MiB).toFixed(1)} MiB` : `${bytes} bytes`;
}

/**
 * Checks the source for `check`: it exists and is a regular file, its format
 * suits the purpose, it is within the documented size limit, and JSONL data
 * is valid line by line. Returns the digest; throws {@link SourceProblems}
 * naming `source` otherwise. Reads the file once, as a stream, and only when
 * its size is within the limit.
 */
export async function inspectSource(source: string, purpose: FilePurpose): Promise<SourceDigest> {
    const abs = resolveSource(source);
    let stat: fs.Stats;
    try {
        stat = await fs.promises.stat(abs);
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        fail(`cannot read ${JSON.stringify(source)} (${abs}): ${code === "ENOENT" ? "no such file" : (e as Error).message}`);
    }
    if (!stat.isFile()) fail(`${JSON.stringify(source)} (${abs}) is not a regular file`);
    const ext = path.extname(abs).toLowerCase();
    if (purpose === "fine-tune" && !(FINE_TUNE_EXTENSIONS as readonly string[]).includes(ext)) {
        fail(`fine-tune data must be a .jsonl file (text models) or a .zip archive (image and video data), not ${JSON.stringify(path.basename(abs))}`);
    }
    const limit = sizeLimitFor(purpose, ext);
    if (stat.size > limit) {
        fail(
            `${JSON.stringify(source)} is ${humanSize(stat.size)} (${stat.size} bytes); the Files API takes at most ${humanSize(limit)} per ${purpose} ${ext || "file"} ` +
                `(https://help.aliyun.com/en/model-studio/model-customization-file-management-service). Split the data into several files.`,
        );
    }
    if (stat.size === 0) fail(`${JSON.stringify(source)} is empty`);
    const rules: JsonlRules | undefined = ext === ".jsonl" ? (purpose === "fine-tune" ? "fine-tune" : "json-object") : undefined;
    const validator = rules ? new JsonlValidator(rules) : undefined;
    let head = Buffer.alloc(0);
    const digest = await digestFile(abs, (chunk) => {
        validator?.push(chunk);
        if (head.length < ZIP_SIGNATURE.length) head = Buffer.concat([head, chunk.subarray(0, ZIP_SIGNATURE.length - head.length)]);
    });
    const problems = validator?.finish() ?? [];
    if (ext === ".zip" && !head.equals(ZIP_SIGNATURE)) problems.push(`${JSON.stringify(path.basename(abs))} is not a zip archive with entries (it does not start with the zip signature PK\\x03\\x04)`);
    if (problems.length) throw new SourceProblems(problems.map((reason) => ({ property: "source", reason })));
    return digest;
}

/**
 * SHA-256 and MD5 of a file in one streamed pass (1 MiB chunks); `onChunk`
 * sees every chunk in order.
 */
export function digestFile(file: string, onChunk?: (chunk: Buffer) => void): Promise<SourceDigest> {
    return new Promise((resolve, reject) => {
        const sha256 = createHash("sha256");
        const md5 = createHash("md5");
        let size = 0;
        const stream = fs.createReadStream(file, { highWaterMark: MiB });
        stream.on("data", (chunk) => {
            const b = chunk as Buffer;
            size += b.length;
            sha256.update(b);
            md5.update(b);
            onChunk?.(b);
        });
        stream.on("error", reject);
        stream.on("end", () => resolve({ path: file, sizeBytes: size, sha256: sha256.digest("hex"), md5: md5.digest("hex") }));
    });
}
