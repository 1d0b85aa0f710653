/**
 * The kinds as the CLI suites drive them: a program of tests/engine/programs,
 * the config changes that update or replace, and the emulator's control calls
 * that fail or delete a record out of band. Shared by lifecycle.spec.ts and
 * parity.spec.ts.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { CliFixture } from "./fixture";

export const PROGRAMS = path.join(__dirname, "..", "engine", "programs");

export interface KindCase {
    token: string;
    program: string;
    /** Config the program needs; may depend on the emulator (a training file to point at). */
    config(fx: Pick<CliFixture, "control">): Promise<Record<string, string>>;
    secretConfig?: Record<string, string>;
    /** A change the kind applies in place (a wait setting). */
    inPlace?: Record<string, string>;
    /** A change that needs a new job or record. */
    replace: Record<string, string>;
    /** The order the kind replaces in (names unique in the cloud force delete-before-replace). */
    replaceOrder: "delete-before-replace" | "create-before-delete";
    /** Config that makes `up` return once the job is submitted (job kinds). */
    noWait?: Record<string, string>;
    /** Control call that makes the job fail on the cloud. */
    failPath?(id: string): [string, unknown];
    /** Control path that deletes the record out of band. */
    deletePath(id: string): string;
    /** Where the emulator lists it: the prefix of its allRecords lines. */
    record: string;
    /** What a destroy of a running job leaves in the emulator. */
    afterRunningDestroy?: RegExp | "nothing";
}

const trainingFile = async (fx: Pick<CliFixture, "control">) => (await fx.control("POST", "/dashscope/files", { name: "train.jsonl" })).data.file_id as string;

export const KIND_CASES: KindCase[] = [
    {
        token: "tione:TrainingTask",
        program: "tione.ts",
        config: async () => ({}),
        secretConfig: { apiToken: "tione-cli-api-token" },
        inPlace: { timeout: "45" },
        replace: { remark: "second attempt" },
        replaceOrder: "delete-before-replace",
        noWait: { wait: "false" },
        failPath: (id) => [`/tione/tasks/${id}/force`, { status: "FAILED", reason: "NCCL timeout on rank 3" }],
        deletePath: (id) => `/tione/tasks/${id}`,
        record: "tione:task",
        afterRunningDestroy: "nothing",
    },
    {
        token: "polardb:AidbTask",
        program: "polardbAidbTask.ts",
        config: async () => ({ dbClusterId: "pc-2ze0000000000000" }),
        inPlace: { timeout: "45" },
        replace: { epochs: "2" },
        replaceOrder: "create-before-delete",
        noWait: { wait: "false" },
        failPath: (id) => [`/polardb/tasks/${id}/force`, { status: "FAILED" }],
        deletePath: (id) => `/polardb/tasks/${id}`,
        record: "polardb:task",
        afterRunningDestroy: "nothing",
    },
    {
        token: "bailian:FineTuneJob",
        program: "fineTuneJob.ts",
        config: async (fx) => ({ trainingFileId: await trainingFile(fx) }),
        inPlace: { timeout: "45" },
        replace: { epochs: "3" },
        replaceOrder: "create-before-delete",
        noWait: { wait: "false" },
        failPath: (id) => [`/dashscope/fine-tunes/${id}/force`, { status: "FAILED", message: "loss is NaN" }],
        deletePath: (id) => `/dashscope/fine-tunes/${id}`,
        record: "dashscope:fine-tune",
        // DashScope refuses to delete a finished job: the canceled record stays (with a warning).
        afterRunningDestroy: /^dashscope:fine-tune \S+ CANCELED$/,
    },
    {
        token: "alaya:TrainingTemplate",
        program: "alaya.ts",
        config: async () => ({}),
        secretConfig: { apiToken: "alaya-cli-api-token" },
        replace: { priority: "1" },
        replaceOrder: "delete-before-replace",
        deletePath: (id) => `/alaya/templates/${id}`,
        record: "alaya:template",
    },
    {
        token: "bailian:File",
        program: "bailianFile.ts",
        config: async () => ({ source: writeDataset('{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]}\n') }),
        replace: { source: writeDataset('{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello there"}]}\n') },
        replaceOrder: "create-before-delete",
        deletePath: (id) => `/dashscope/files/${id}`,
        record: "dashscope:file",
    },
];

function writeDataset(content: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pt-cli-data-"));
    const file = path.join(dir, "train.jsonl");
    fs.writeFileSync(file, content);
    return file;
}

