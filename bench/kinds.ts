import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../harness";
import { KINDS, KIND_ENTRIES, type KindEntry, type KindName, dynamicTypeToken } from "../provider/registry";

/** Inputs as the provider receives them. */
export type Inputs = Record<string, any>;

/** A request rate: sustained per second, and how many may go back to back. */
export interface Rate {
    perSecond: number;
    burst?: number;
}

/** What a benchmark stack needs on the emulator before its resources can be created. */
export interface Seeds {
    /** A DashScope training file id (fine-tunes refer to it). */
    trainingFileId: string;
    /** A PolarDB cluster id (AIDB tasks run on it). */
    dbClusterId: string;
    /** Absolute path of a small valid JSONL dataset on disk (bailian.File uploads it). */
    dataFile: string;
}

/**
 * One resource kind as the benchmarks use it: how a program declares it, and
 * the single signed create request its client sends, for the A/B against the
 * provider. Its identity (token, class, lifecycle, emulator cloud) is its
 * row of the kinds registry; its modules are loaded at run time from the build.
 */
export interface BenchKind extends KindEntry {
    /** The rate the client holds itself to (its token bucket). */
    clientLimit: Rate;
    /** The bucket is per action (a create's requests, being different actions, do not wait for each other). */
    clientLimitPerAction?: boolean;
    /** The limit the emulator enforces, as the cloud documents it; undefined when the cloud publishes none. */
    serverLimit?: { perSecond: number; scope: string };
    /** Arguments of one resource, as a program passes them. */
    args(seeds: Seeds, wait: boolean): Record<string, unknown>;
    /** The same arguments with one field changed that the cloud cannot update (the plan is a replacement). */
    changed(args: Record<string, any>): Record<string, unknown>;
    /** Sends the one create request the provider's submit sends for these checked inputs, straight through the SDK client. */
    directCreate(inputs: Inputs): Promise<unknown>;
}

/** The package, as the host loads it (the self-link resolves to this repository's `dist`). */
function load<T>(subpath: string): T {
    return require(`pulumi-training/${subpath}`) as T;
}

function exists(subpath: string): boolean {
    return fs.existsSync(path.join(REPO_ROOT, "dist", `${subpath}.js`));
}

/** A kind module's description, as far as the benchmark uses it. */
interface KindModule {
    marker(inputs: Inputs): string;
    client(inputs: Inputs): any;
    submit(client: unknown, inputs: Inputs, marker: string): Promise<{ id: string }>;
}

/** The rate-limit constant a client module exports, or the fallback when it is renamed or missing. */
function exportedRate(subpath: string, name: string, fallback: Rate): Rate {
    try {
        return (load<Record<string, Rate>>(subpath)[name] as Rate | undefined) ?? fallback;
    } catch {
        return fallback;
    }
}

/** Creates through the kind's own submit (one create call for kinds whose submit is exactly that). */
function viaSubmit(entry: KindEntry): (inputs: Inputs) => Promise<unknown> {
    return async (inputs) => {
        const kind = load<Record<string, KindModule>>(`provider/${entry.kindModule}`)[entry.kindExport];
        return kind.submit(kind.client(inputs), inputs, kind.marker(inputs));
    };
}

interface Candidate extends BenchKind {
    /** Modules besides the lifecycle that must exist (`provider/…`, `sdk/…`). */
    files: string[];
}

/** One per registered kind: a registry row without one here is a type error. */
const CANDIDATES: { readonly [K in KindName]: Candidate } = {
    bailianFineTuneJob: {
        ...KINDS.bailianFineTuneJob,
        files: ["provider/bailian/fineTuneJob.kind"],
        get clientLimit() {
            return exportedRate("sdk/dashscope/client", "DASHSCOPE_RATE_LIMIT", { perSecond: 10 });
        },
        args: (s, wait) => ({
            model: "qwen3-8b",
            trainingFileIds: [s.trainingFileId],
            trainingType: "efficient_sft",
            hyperParameters: { nEpochs: 1, batchSize: 8, maxLength: 2048, learningRate: "1e-4", loraRank: 8 },
            waitForCompletion: wait,
        }),
        changed: (a) => ({ ...a, hyperParameters: { ...a.hyperParameters, nEpochs: 2 } }),
        directCreate: viaSubmit(KINDS.bailianFineTuneJob),
    },
    tioneTrainingTask: {
        ...KINDS.tioneTrainingTask,
        files: ["provider/tione/trainingTask.kind"],
        get clientLimit() {
            return exportedRate("sdk/tione/client", "TIONE_RATE_LIMIT", { perSecond: 18, burst: 1 });
        },
        clientLimitPerAction: true,
        // "默认接口请求频率限制：20次/秒" per action (reference/tione.md; emulator/tione/index.ts PER_ACTION_PER_SECOND).
        serverLimit: { perSecond: 20, scope: "per action" },
        args: (_s, wait) => ({
            chargeType: "POSTPAID_BY_HOUR",
            resourceConfigInfos: [{ role: "WORKER", instanceType: "TI.S.MEDIUM.POST" }],
            startCmdInfo: { startCmd: "python train.py --epochs 1" },
            tuningParameters: { learning_rate: 1e-4 },
            waitForCompletion: wait,
            completionTimeoutMinutes: 30,
        }),
        changed: (a) => ({ ...a, startCmdInfo: { startCmd: "python train.py --epochs 2" } }),
        directCreate: viaSubmit(KINDS.tioneTrainingTask),
    },
    polardbAidbTask: {
        ...KINDS.polardbAidbTask,
        files: ["provider/polardb/aidbTask.kind"],
        get clientLimit() {
            return exportedRate("sdk/polardb/client", "POLARDB_RATE_LIMIT", { perSecond: 10 });
        },
        // The emulator's per-AccessKey flow control (emulator/polardb/index.ts `requestsPerSecond`, default 50).
        serverLimit: { perSecond: 50, scope: "per AccessKey" },
        args: (s, wait) => ({
            dbClusterId: s.dbClusterId,
            modelSource: "public",
            modelName: "Qwen3-8B",
            datasetPath: "pds-2zetrain001",
            runningParameter: { train_mode: "grpo", train_type: "lora", num_epochs: 1, learning_rate: "1e-6" },
            waitForCompletion: wait,
        }),
        changed: (a) => ({ ...a, runningParameter: { ...a.runningParameter, num_epochs: 2 } }),
        directCreate: viaSubmit(KINDS.polardbAidbTask),
    },
    alayaTrainingTemplate: {
        ...KINDS.alayaTrainingTemplate,
        files: ["provider/alaya/trainingTemplate.kind", "provider/alaya/trainingTemplate.wire"],
        get clientLimit() {
            return exportedRate("sdk/alaya/assumptions", "ALAYA_RATE_LIMIT", { perSecond: 5, burst: 10 });
        },
        // The emulator's generous per-key limit (emulator/alaya/index.ts REQUESTS_PER_SECOND); Alaya publishes none.
        serverLimit: { perSecond: 50, scope: "per API key (emulator's own; Alaya publishes none)" },
        args: () => ({
            name: "bench-template",
            description: "benchmark template",
            aidcId: 2,
            trainingType: "PRE_TRAINING",
            trainingFramework: "PyTorch",
            imageType: "general",
            image: "harbor.zetyun.cn/anc-public/general/pytorch:2.3",
            env: { ENV_MODE: "production" },
            resource: { type: "worker", cpuCores: 2, gpuCount: 1, memoryGB: 8, workerCount: 1, productCode: "PRD-QTT" },
            startCommand: "python train.py",
            priority: 2,
        }),
        changed: (a) => ({ ...a, startCommand: "python train.py --epochs 2" }),
        // Alaya's submit also looks the new template up (the create answer carries no id): send the create alone.
        directCreate: async (inputs) => {
            const kind = load<Record<string, KindModule>>("provider/alaya/trainingTemplate.kind").trainingTemplateKind;
            const wire = load<{ createRequest(inputs: Inputs, marker: string): unknown }>("provider/alaya/trainingTemplate.wire");
            const client = kind.client(inputs) as { createTemplate(body: unknown): Promise<unknown> };
            return client.createTemplate(wire.createRequest(inputs, kind.marker(inputs)));
        },
    },
    bailianFile: {
        ...KINDS.bailianFile,
        files: ["provider/bailian/file.kind", "provider/bailian/fileSource", "sdk/dashscope/files"],
        get clientLimit() {
            return exportedRate("sdk/dashscope/client", "DASHSCOPE_RATE_LIMIT", { perSecond: 10 });
        },
        args: (s) => ({ source: s.dataFile, description: "benchmark dataset" }),
        changed: (a) => ({ ...a, description: "benchmark dataset, edited" }),
        // The upload alone (the provider's submit hashes the file again and reads the upload back).
        directCreate: async (inputs) => {
            const kind = load<Record<string, KindModule>>("provider/bailian/file.kind").fileKind;
            const src = load<{ cloudFileName(source: string, marker: string): string; resolveSource(source: string): string }>("provider/bailian/fileSource");
            const files = load<{ uploadFile(client: unknown, req: { path: string; name: string; purpose: string; description?: string }): Promise<unknown> }>("sdk/dashscope/files");
            const source = String(inputs.source);
            return files.uploadFile(kind.client(inputs), {
                path: src.resolveSource(source),
                name: src.cloudFileName(source, kind.marker(inputs)),
                purpose: inputs.purpose ?? "fine-tune",
                description: inputs.description,
            });
        },
    },
};

/**
 * The kinds this build has: the class is exported from `provider/<cloud>/index`
 * and its lifecycle and kind modules are compiled. Kinds still being written
 * are left out, so the benchmark runs either way.
 */
export function availableKinds(): BenchKind[] {
    let pkg: Record<string, Record<string, unknown>> = {};
    try {
        pkg = load("provider/index");
    } catch (e) {
        throw new Error(`the package does not load (run \`npm run build\` first): ${(e as Error).message}`);
    }
    return Object.values(CANDIDATES).filter((c) => typeof pkg[c.module]?.[c.className] === "function" && [`provider/${c.lifecycle}`, ...c.files].every(exists));
}

/** The kinds every candidate list names, for saying which are missing. */
export const ALL_KIND_TOKENS = KIND_ENTRIES.map((c) => c.token);

/** `pulumi-nodejs:dynamic/<module>:<Class>`. */
export function typeToken(k: BenchKind): string {
    return dynamicTypeToken(k);
}

/**
 * A resource's inputs made unique for iteration `i`: another Pulumi name (so
 * another idempotency marker) and, where names must be unique on the cloud,
 * another name. The benchmark program applies the same rule.
 */
export function varied(inputs: Inputs, suffix: string): Inputs {
    const out: Inputs = { ...inputs, pulumiName: `${inputs.pulumiName ?? "r"}-${suffix}` };
    if (typeof inputs.name === "string") out.name = `${inputs.name}-${suffix}`;
    return out;
}

/** The lifecycle a kind's stub forwards to, as far as the benchmark calls it in-process. */
export interface InProcessLifecycle {
    check(olds: Inputs, news: Inputs): Promise<{ inputs?: Inputs; failures?: Array<{ property: string; reason: string }> }>;
    create(inputs: Inputs): Promise<{ id: string; outs?: Inputs }>;
}

/** Loads a kind's lifecycle into this process: the same module the host requires, without the host. */
export function inProcessLifecycle(k: BenchKind): InProcessLifecycle {
    return load<InProcessLifecycle>(`provider/${k.lifecycle}`);
}
