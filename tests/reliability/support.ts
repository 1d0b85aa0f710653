/**
 * Shared helpers of the reliability suite: the short/full switch, the figures
 * that end up in RELIABILITY.md, the mixed-stack fixture, the inventory of
 * what the emulated clouds hold, and the secrets ledger every suite feeds.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EMULATOR_CREDENTIALS, emulatorEnv, startEmulator, RunningEmulator } from "../../emulator";
import type { FaultKind } from "../../emulator/core/faults";
import { RunResult, TestStack, values } from "../../harness";
import { FAST_POLL, TEST_CREDENTIALS } from "../engine/support";
import { LITERAL_SECRETS } from "./programs/literalSecrets";
import { KINDS as REGISTRY, dynamicTypeToken } from "../../provider/registry";

/** `RELIABILITY_FULL=1` (npm run test:reliability): full counts, and RELIABILITY.md is written. Otherwise the short form `npm test` runs. */
export const FULL = process.env.RELIABILITY_FULL === "1";

/** `short` in `npm test`, `full` under `npm run test:reliability`. */
export const scale = <T>(short: T, full: T): T => (FULL ? full : short);

/** Fault rate of the soak: RELIABILITY_FAULT_RATE, default 30%. */
export const FAULT_RATE = Number(process.env.RELIABILITY_FAULT_RATE ?? 0.3);

/** Every way the emulator fails a request. */
export const ALL_FAULTS: FaultKind[] = ["server-error", "throttle", "drop", "latency", "lost-response"];

/** The provider's per-request timeout in the suite, and the injected delay that outlasts it. */
export const REQUEST_TIMEOUT_MS = 1000;
export const SLOW_ANSWER_MS = 1600;

/** The seed of the fault draws: RELIABILITY_SEED, else random (printed, so a failure can be replayed). */
export const SEED = process.env.RELIABILITY_SEED ? Number(process.env.RELIABILITY_SEED) : crypto.randomInt(1, 2 ** 31 - 1);

// ---------------------------------------------------------------------------------------------
// Figures

/** Figures by section, in the order sections report them; run.spec.ts writes them out. */
export const figures: Record<string, Record<string, string | number>> = {};

export function record(section: string, key: string, value: string | number): void {
    (figures[section] ??= {})[key] = value;
}

export function add(section: string, key: string, by: number): void {
    const s = (figures[section] ??= {});
    s[key] = Number(s[key] ?? 0) + by;
}

// ---------------------------------------------------------------------------------------------
// Resource kinds

/** The dynamic type token of each kind, from the kinds registry, under the suite's short names. */
export const TYPES = {
    tione: dynamicTypeToken(REGISTRY.tioneTrainingTask),
    polardb: dynamicTypeToken(REGISTRY.polardbAidbTask),
    fineTune: dynamicTypeToken(REGISTRY.bailianFineTuneJob),
    file: dynamicTypeToken(REGISTRY.bailianFile),
    alaya: dynamicTypeToken(REGISTRY.alayaTrainingTemplate),
} as const;

export type Kind = keyof typeof TYPES;
export const KINDS = Object.keys(TYPES) as Kind[];
export type Counts = Record<Kind, number>;

/** Resource-name prefix of each kind in programs/mixed.ts. */
export const PREFIX: Record<Kind, string> = { tione: "tione", polardb: "aidb", fineTune: "ft", file: "file", alaya: "tpl" };

export const kindOfType = (type: string): Kind | undefined => KINDS.find((k) => TYPES[k] === type);

/** The resource names programs/mixed.ts registers for these counts. */
export function expectedNames(counts: Counts): string[] {
    return KINDS.flatMap((k) => Array.from({ length: counts[k] }, (_, i) => `${PREFIX[k]}-${String(i).padStart(3, "0")}`));
}

export const total = (counts: Counts): number => KINDS.reduce((a, k) => a + counts[k], 0);

// ---------------------------------------------------------------------------------------------
// The mixed stack

export const MIXED = path.join(__dirname, "programs", "mixed.ts");

/** A JSONL row DashScope's fine-tune rules accept. */
export const jsonlRow = (answer: string): string =>
    JSON.stringify({ messages: [{ role: "system", content: "You are a support bot." }, { role: "user", content: "Where is my order?" }, { role: "assistant", content: answer }] }) + "\n";

export interface MixedFixture {
    emu: RunningEmulator;
    stack: TestStack;
    counts: Counts;
    /** Secret env values the program sends; none may appear anywhere. */
    secrets: string[];
    control<T = any>(method: string, p: string, body?: unknown): Promise<T>;
    inventory(): Promise<RemoteObject[]>;
    close(): Promise<void>;
}

export interface MixedOptions {
    counts: Counts;
    stepMs?: number;
    /** An emulator already running (durability: one in a child process). Default: a fresh in-process one. */
    url?: string;
    config?: Record<string, string>;
    env?: Record<string, string>;
    /** The Pulumi project and stack (default: the harness's). */
    project?: string;
    stack?: string;
}

/** Control calls against an emulator URL (never subject to faults). */
export function controller(url: string) {
    return async <T = any>(method: string, p: string, body?: unknown): Promise<T> => {
        const res = await fetch(`${url}/_control${p}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
        const text = await res.text();
        if (!res.ok) throw new Error(`control ${method} ${p}: HTTP ${res.status} ${text}`);
        return JSON.parse(text) as T;
    };
}

/**
 * The mixed program against an emulator: a PolarDB cluster and the data files
 * seeded, a secret env value per cloud, the fast poll scale and the suite's
 * short request timeout.
 */
export async function mixedFixture(opts: MixedOptions): Promise<MixedFixture> {
    const emu = opts.url ? undefined : await startEmulator({ stepMs: opts.stepMs ?? 100 });
    const url = opts.url ?? emu!.url;
    const control = controller(url);
    const cluster = (await control("POST", "/polardb/clusters", { regionId: "cn-beijing" })).dbClusterId as string;
    const seedFileId = (await control("POST", "/dashscope/files", { name: "seed.jsonl", content: jsonlRow("Seeded.") })).data.file_id as string;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pt-reliability-"));
    for (let i = 0; i < opts.counts.file; i++) fs.writeFileSync(path.join(dataDir, `file-${String(i).padStart(3, "0")}.jsonl`), jsonlRow(`Answer ${i}.`) + jsonlRow(`Another answer ${i}.`));
    // The secret config values, then the program's pulumi.secret literals: none may appear anywhere.
    const secrets = [`tione-secret-${crypto.randomBytes(6).toString("hex")}`, `alaya-secret-${crypto.randomBytes(6).toString("hex")}`, ...Object.values(LITERAL_SECRETS)];
    const config: Record<string, string> = { dbClusterId: cluster, seedFileId, dataDir, timeout: "30" };
    for (const k of KINDS) config[k] = String(opts.counts[k]);
    const stack = new TestStack({
        program: MIXED,
        project: opts.project,
        stack: opts.stack,
        config: { ...config, ...(opts.config ?? {}) },
        secretConfig: { tioneSecret: secrets[0], alayaSecret: secrets[1] },
        env: { ...emulatorEnv({ url }), ...FAST_POLL, PULUMI_TRAINING_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS), ...(opts.env ?? {}) },
    });
    return {
        emu: emu as RunningEmulator,
        stack,
        counts: opts.counts,
        secrets,
        control,
        inventory: () => inventory(control),
        close: async () => {
            await emu?.close();
            fs.rmSync(dataDir, { recursive: true, force: true });
        },
    };
}

/** Turns faults on: `rate` of all API requests fail, each in one of `kinds`. */
export async function injectFaults(control: MixedFixture["control"], rate: number, kinds: FaultKind[] = ALL_FAULTS, seed = SEED): Promise<void> {
    await control("POST", "/faults", { seed, rules: [{ kinds, rate, latencyMs: SLOW_ANSWER_MS }] });
}

export async function clearFaults(control: MixedFixture["control"]): Promise<{ injected: Record<string, number>; total: number }> {
    return control("DELETE", "/faults");
}

// ---------------------------------------------------------------------------------------------
// What the clouds hold

/** One object an emulated cloud holds, mapped back to the resource whose name it carries. */
export interface RemoteObject {
    kind: Kind;
    id: string;
    /** The resource name the object's wire name carries (`tione-007`), or undefined for objects no resource made. */
    resource?: string;
    status: string;
}

/** Strips the idempotency marker (`-<8 hex>`, before any extension) from a wire name. */
const unmark = (name: string): string | undefined => /^(.*)-[0-9a-f]{8}(\.[a-z]+)?$/.exec(name)?.[1];

/** Every job, task, file and template the emulator holds. */
export async function inventory(control: MixedFixture["control"]): Promise<RemoteObject[]> {
    const [tione, polar, tunes, files, tpls] = await Promise.all([
        control("GET", "/tione/tasks"),
        control("GET", "/polardb/tasks"),
        control("GET", "/dashscope/fine-tunes"),
        control("GET", "/dashscope/files"),
        control("GET", "/alaya/templates"),
    ]);
    return [
        ...tione.tasks.map((t: any) => ({ kind: "tione" as const, id: t.Id, resource: t.Name, status: t.Status })),
        ...polar.tasks.map((t: any) => ({ kind: "polardb" as const, id: t.id, resource: unmark(t.params.TaskName ?? ""), status: t.status })),
        ...tunes.jobs.map((j: any) => ({ kind: "fineTune" as const, id: j.job_id, resource: unmark(j.job_name ?? ""), status: j.status })),
        ...files.files.map((f: any) => ({ kind: "file" as const, id: f.file_id, resource: unmark(f.name ?? ""), status: "AVAILABLE" })),
        ...tpls.data.map((t: any) => ({ kind: "alaya" as const, id: t.id, resource: t.name, status: "READY" })),
    ];
}

export interface Reconciliation {
    /** Resources with more than one remote object: the extra objects. */
    duplicates: RemoteObject[];
    /** Remote objects made by a resource of the stack but recorded nowhere in the checkpoint. */
    orphans: RemoteObject[];
    /** Checkpoint ids the cloud does not know. */
    missing: string[];
    /** Resources the program declares that the checkpoint lacks. */
    unrecorded: string[];
}

/** Compares what the clouds hold with the checkpoint. Objects no resource of the stack made (seed files) are ignored. */
export function reconcile(remote: RemoteObject[], stack: TestStack, names: string[]): Reconciliation {
    const state = stack.state().resources.filter((r) => kindOfType(r.type));
    const ids = new Set(state.map((r) => r.id));
    const ours = remote.filter((o) => o.resource && names.includes(o.resource));
    const byResource = new Map<string, RemoteObject[]>();
    for (const o of ours) byResource.set(o.resource!, [...(byResource.get(o.resource!) ?? []), o]);
    const duplicates = [...byResource.values()].flatMap((list) => list.slice(1));
    const remoteIds = new Set(remote.map((o) => o.id));
    return {
        duplicates,
        orphans: ours.filter((o) => !ids.has(o.id)),
        missing: state.filter((r) => !remoteIds.has(r.id)).map((r) => `${r.name}=${r.id}`),
        unrecorded: names.filter((n) => !state.some((r) => r.name === n)),
    };
}

// ---------------------------------------------------------------------------------------------
// Secrets

/** One place that was scanned and what it held. */
interface Hit {
    where: string;
    needle: string;
}

/**
 * Collects every surface a run could leak into, scanning it as it arrives:
 * the checkpoint file as it sits on disk, every `__provider` in it, each
 * error, each line the provider host printed and each non-debug engine log
 * line (debug lines are the SDK's own `--debug` output, see
 * tests/engine/support.ts). Needles: every credential the emulator accepts
 * and the secret values the suite's programs send.
 */
export class SecretsLedger {
    readonly hits: Hit[] = [];
    runs = 0;
    surfaces = 0;
    bytes = 0;
    private readonly needles: string[];

    constructor(readonly section: string, extraSecrets: string[] = []) {
        this.needles = [...TEST_CREDENTIALS, ...extraSecrets];
    }

    addSecrets(...more: string[]): void {
        for (const s of more) if (!this.needles.includes(s)) this.needles.push(s);
    }

    /** Scans one run and the checkpoint it left. */
    scanRun(label: string, stack: TestStack, r: Pick<RunResult, "errors" | "hostLogs" | "logs">): void {
        this.runs++;
        const raw = stack.checkpoint.raw();
        this.scan(`${label}: checkpoint`, raw);
        for (const res of raw ? stack.state().resources : []) {
            const p = res.inputs?.__provider;
            if (typeof p === "string") this.scan(`${label}: __provider of ${res.name}`, p);
        }
        r.errors.forEach((e, i) => this.scan(`${label}: error ${i}`, e));
        r.hostLogs.forEach((l, i) => this.scan(`${label}: provider log line ${i}`, l));
        r.logs.filter((l) => l.severity !== "debug").forEach((l, i) => this.scan(`${label}: engine log line ${i}`, l.message));
    }

    /** Scans free text (an error a client threw, a message). */
    scan(where: string, text: string): void {
        this.surfaces++;
        this.bytes += text.length;
        for (const n of this.needles) if (text.includes(n)) this.hits.push({ where, needle: n.slice(0, 6) + "…" });
    }

    /** Adds the ledger's totals to the report. */
    report(): void {
        add("secrets", "runs scanned", this.runs);
        add("secrets", "surfaces scanned", this.surfaces);
        add("secrets", "bytes scanned", this.bytes);
        add("secrets", "leaks", this.hits.length);
        record("secrets", "needles", TEST_CREDENTIALS.length + " credentials + the suites' secret env values");
    }
}

export { EMULATOR_CREDENTIALS, values };

/** Every credential the emulator accepts. */
export const TEST_CREDENTIALS_ALL: string[] = [...TEST_CREDENTIALS];

/** Why a run failed, short: the first errors, else the last log lines. */
export function explain(r: RunResult, n = 5): string {
    return r.errors.length ? r.errors.slice(0, n).join("\n") : [...r.logs.map((l) => l.message), ...r.hostLogs].slice(-20).join("\n") || "failed without errors or logs";
}

/** A message that tells people what failed: the resource, and the cloud's code or a stated reason. */
export function isClearError(message: string): boolean {
    return /^urn:pulumi:[^:]+::[^:]+::pulumi-nodejs:dynamic\/[a-z]+:[A-Za-z]+::[a-z]+-\d{3}: /.test(message) && message.length > 80 && !/\bundefined\b|\[object Object\]/.test(message);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Counts of each step op in a run. */
export function opsOf(r: RunResult): Record<string, number> {
    const out: Record<string, number> = {};
    for (const s of r.steps) out[s.op] = (out[s.op] ?? 0) + 1;
    return out;
}
