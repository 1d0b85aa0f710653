import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { RunningEmulator, emulatorEnv, startEmulator } from "../emulator";
import { REPO_ROOT, TestStack } from "../harness";
import { BenchKind, Seeds } from "./kinds";
import { Tap, startTap } from "./tap";

/** The benchmark programs (run from source, as the engine tests run theirs). */
export const PROGRAMS = path.join(REPO_ROOT, "bench", "programs");

/** Three rows of a valid chat fine-tune dataset (bailian.File checks the format). */
const DATASET =
    ["It ships today.", "Track it in the app.", "Orders leave within two days."]
        .map((a) => JSON.stringify({ messages: [{ role: "system", content: "You are a support bot." }, { role: "user", content: "Where is my order?" }, { role: "assistant", content: a }] }))
        .join("\n") + "\n";

/** An emulator for one measure, optionally behind a recording tap, with what stacks need seeded. */
export interface BenchEmulator {
    emu: RunningEmulator;
    tap?: Tap;
    /** Environment for programs and hosts: endpoints (through the tap when there is one), test credentials, poll scale. */
    env: Record<string, string>;
    seeds: Seeds;
    /** Requests the emulator has answered so far (control calls excluded). */
    requests(): number;
    /** Requests by action for one cloud. */
    actions(cloud: string): Record<string, number>;
    control<T = unknown>(method: string, p: string, body?: unknown): Promise<T>;
    close(): Promise<void>;
}

export interface BenchEmulatorOptions {
    /** Time a job spends in each status (ms). Default 50: jobs finish quickly, so destroys delete finished jobs. */
    stepMs?: number;
    /** `PULUMI_TRAINING_POLL_SCALE` for the provider: the wait schedule times this. Default 0.01 (5 s -> 50 ms). */
    pollScale?: number;
    /** Put a recording proxy between clients and the emulator. */
    tap?: boolean;
}

let scratch: string | undefined;

/** A directory for this run's spec files and datasets, removed at exit. */
export function scratchDir(): string {
    if (!scratch) {
        scratch = fs.mkdtempSync(path.join(os.tmpdir(), "pt-bench-"));
        const dir = scratch;
        process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
    }
    return scratch;
}

export async function startBenchEmulator(opts: BenchEmulatorOptions = {}): Promise<BenchEmulator> {
    const emu = await startEmulator({ stepMs: opts.stepMs ?? 50 });
    const tap = opts.tap ? await startTap(emu.url) : undefined;
    const control = async <T>(method: string, p: string, body?: unknown): Promise<T> => {
        const res = await fetch(`${emu.url}/_control${p}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
        return (await res.json()) as T;
    };
    const dataFile = path.join(scratchDir(), "train.jsonl");
    fs.writeFileSync(dataFile, DATASET);
    const file = await control<{ data: { file_id: string } }>("POST", "/dashscope/files", { name: "train.jsonl" });
    const cluster = await control<{ dbClusterId?: string }>("POST", "/polardb/clusters", { regionId: "cn-beijing" }).catch(() => ({ dbClusterId: undefined }));
    return {
        emu,
        tap,
        env: { ...emulatorEnv({ url: tap?.url ?? emu.url }), PULUMI_TRAINING_POLL_SCALE: String(opts.pollScale ?? 0.01) },
        seeds: { trainingFileId: file.data.file_id, dbClusterId: cluster.dbClusterId ?? "pc-2ze0000000000000", dataFile },
        requests: () => emu.counts().total,
        actions: (cloud) => emu.counts().byCloud[cloud] ?? {},
        control,
        close: async () => {
            await tap?.close();
            await emu.close();
        },
    };
}

/** One group of a benchmark stack: `count` resources of a kind. */
export interface StackGroup {
    kind: BenchKind;
    count: number;
    /** Resource name prefix; default the class name in lower case. */
    prefix?: string;
    /** Wait for jobs to finish (default false: the stack stays bounded in time). */
    wait?: boolean;
    /** Declare the resources with one replace field changed ({@link BenchKind.changed}). */
    changed?: boolean;
}

let specs = 0;

/** A stack running `bench/programs/mixed.ts` with these groups, against `be`. */
export function mixedStack(be: BenchEmulator, groups: StackGroup[], extra: { statePath?: string } = {}): TestStack {
    const spec = groups.map((g) => {
        const args = g.kind.args(be.seeds, g.wait ?? false);
        return {
            module: g.kind.module,
            className: g.kind.className,
            prefix: g.prefix ?? g.kind.className.toLowerCase(),
            count: g.count,
            args: g.changed ? g.kind.changed(args) : args,
        };
    });
    const specFile = path.join(scratchDir(), `spec-${++specs}.json`);
    fs.writeFileSync(specFile, JSON.stringify(spec));
    return new TestStack({ program: path.join(PROGRAMS, "mixed.ts"), env: be.env, config: { spec: specFile }, statePath: extra.statePath });
}

/** `total` resources spread as evenly as possible over `kinds` (the first kinds get the remainder). */
export function spread(kinds: BenchKind[], total: number, wait = false): StackGroup[] {
    return kinds.map((kind, i) => ({ kind, count: Math.floor(total / kinds.length) + (i < total % kinds.length ? 1 : 0), wait })).filter((g) => g.count > 0);
}
