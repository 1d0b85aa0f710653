import * as fs from "node:fs";
import { RunResult, TestStack } from "../harness";
import { BenchEmulator, mixedStack, spread, startBenchEmulator } from "./fixture";
import { BenchKind } from "./kinds";
import { ChildMemorySampler } from "./procmem";
import { now } from "./stats";

/** The operations of one scale run, in the order they run. */
export type ScaleOp = "preview (new stack)" | "up" | "preview (no change)" | "preview (every resource changed)" | "destroy";

export interface ScalePhase {
    op: ScaleOp;
    ok: boolean;
    errors: string[];
    wallMs: number;
    /** API requests the emulator answered during the operation. */
    requests: number;
    requestsByCloud: Record<string, number>;
    /** gRPC calls to the provider host, by method. */
    providerCalls: Record<string, number>;
    /** Steps the engine planned or took, by operation. */
    steps: Record<string, number>;
    /** Peak resident memory (VmHWM) of the provider host and of the program process, bytes. */
    hostPeakRss: number;
    programPeakRss: number;
    /** The time the client rate limits alone impose on this operation's requests, ms (see {@link rateFloorMs}). */
    rateFloorMs: number;
}

export interface ScaleRun {
    resources: number;
    groups: Array<{ token: string; count: number }>;
    phases: ScalePhase[];
    /** Checkpoint file size after the up, bytes. */
    checkpointBytes: number;
}

function countBy<T>(xs: T[], key: (x: T) => string): Record<string, number> {
    const out: Record<string, number> = {};
    for (const x of xs) out[key(x)] = (out[key(x)] ?? 0) + 1;
    return out;
}

function byCloud(be: BenchEmulator): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [cloud, actions] of Object.entries(be.emu.counts().byCloud)) out[cloud] = Object.values(actions).reduce((a, b) => a + b, 0);
    return out;
}

/**
 * The least time the clients' token buckets allow for these requests: each
 * cloud's requests beyond its burst at its sustained rate, and the slowest
 * cloud decides (buckets are per cloud and drain side by side; in a
 * sequential destroy they also refill while other clouds' resources go).
 */
export function rateFloorMs(requests: Record<string, number>, kinds: BenchKind[]): number {
    const perCloud = Object.entries(requests).map(([cloud, n]) => {
        const limit = kinds.find((k) => k.cloud === cloud)?.clientLimit;
        if (!limit) return 0;
        return (Math.max(0, n - (limit.burst ?? limit.perSecond)) / limit.perSecond) * 1000;
    });
    return Math.max(0, ...perCloud);
}

async function phase(op: ScaleOp, be: BenchEmulator, kinds: BenchKind[], run: () => Promise<RunResult>): Promise<ScalePhase> {
    const before = byCloud(be);
    const total0 = be.requests();
    const mem = new ChildMemorySampler(100).start();
    const t0 = now();
    const r = await run();
    const wallMs = now() - t0;
    mem.stop();
    const after = byCloud(be);
    const requestsByCloud: Record<string, number> = {};
    for (const [c, n] of Object.entries(after)) if (n - (before[c] ?? 0) > 0) requestsByCloud[c] = n - (before[c] ?? 0);
    return {
        op,
        ok: r.ok,
        errors: r.errors.slice(0, 3),
        wallMs,
        requests: be.requests() - total0,
        requestsByCloud,
        providerCalls: r.providerCalls,
        steps: countBy(r.steps, (s) => s.op),
        hostPeakRss: mem.peakOf("host"),
        programPeakRss: mem.peakOf("program"),
        rateFloorMs: rateFloorMs(requestsByCloud, kinds),
    };
}

/**
 * One stack of `n` resources spread over the kinds (waitForCompletion false,
 * so the run stays bounded; the emulator finishes jobs within a fraction of
 * a second, so the destroy deletes finished jobs): preview of the new
 * stack, up, preview with nothing changed, preview with a replace field
 * changed on every resource, destroy. Every operation is timed, its API
 * requests counted, and the host's and program's peak memory sampled.
 */
export async function scaleRun(kinds: BenchKind[], n: number): Promise<ScaleRun> {
    const be = await startBenchEmulator({ stepMs: 50 });
    try {
        const groups = spread(kinds, n);
        const stack: TestStack = mixedStack(be, groups);
        const phases: ScalePhase[] = [];
        phases.push(await phase("preview (new stack)", be, kinds, () => stack.preview()));
        phases.push(await phase("up", be, kinds, () => stack.up()));
        const checkpointBytes = fs.statSync(stack.checkpoint.path).size;
        phases.push(await phase("preview (no change)", be, kinds, () => stack.preview()));
        const changed = mixedStack(be, groups.map((g) => ({ ...g, changed: true })), { statePath: stack.checkpoint.path });
        phases.push(await phase("preview (every resource changed)", be, kinds, () => changed.preview()));
        phases.push(await phase("destroy", be, kinds, () => stack.destroy()));
        return { resources: n, groups: groups.map((g) => ({ token: g.kind.token, count: g.count })), phases, checkpointBytes };
    } finally {
        await be.close();
    }
}
