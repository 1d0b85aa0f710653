import { StackGroup, mixedStack, startBenchEmulator } from "./fixture";
import { BenchKind, Rate } from "./kinds";
import { TapRecord } from "./tap";
import { maxInWindow, median } from "./stats";

/** How one cloud's requests flowed during a stack's up. */
export interface CloudThroughput {
    cloud: string;
    kinds: string[];
    creates: number;
    requests: number;
    byAction: Record<string, number>;
    /** First to last request of this cloud, ms. */
    spanMs: number;
    /** requests / span. */
    meanPerSecond: number;
    /** Median of the whole one-second bins (first and last bins left out: ramp-up and tail). */
    steadyPerSecond: number;
    /** Create requests per second over the span. */
    createsPerSecond: number;
    /** Most requests in any sliding second: all actions, and the busiest single action. */
    peakPerSecond: number;
    peakActionPerSecond: { action: string; count: number };
    clientLimit: Rate;
    serverLimit?: { perSecond: number; scope: string };
    /** Throttling answers the emulator gave (seen on the wire). */
    throttled: number;
}

export interface ThroughputRun {
    label: string;
    ok: boolean;
    errors: string[];
    /** Wall time of the whole `up`. */
    upMs: number;
    clouds: CloudThroughput[];
}

const isCreate = (action: string) => /^Create|^POST \/api\/v1\/(fine-tunes|files)$|^POST \/v1\/training\/template\/create/.test(action);

function analyse(cloud: string, kinds: BenchKind[], recs: TapRecord[]): CloudThroughput {
    const times = recs.map((r) => r.at).sort((a, b) => a - b);
    const spanMs = times.length > 1 ? times[times.length - 1] - times[0] : NaN;
    const bins: number[] = [];
    for (const t of times) {
        const i = Math.floor((t - times[0]) / 1000);
        bins[i] = (bins[i] ?? 0) + 1;
    }
    const whole = Array.from(bins, (b) => b ?? 0).slice(1, -1);
    const byAction: Record<string, number> = {};
    for (const r of recs) byAction[r.action] = (byAction[r.action] ?? 0) + 1;
    let peakAction = { action: "", count: 0 };
    for (const action of Object.keys(byAction)) {
        const count = maxInWindow(recs.filter((r) => r.action === action).map((r) => r.at).sort((a, b) => a - b));
        if (count > peakAction.count) peakAction = { action, count };
    }
    const creates = recs.filter((r) => isCreate(r.action) && !r.throttled).length;
    return {
        cloud,
        kinds: kinds.map((k) => k.token),
        creates,
        requests: recs.length,
        byAction,
        spanMs,
        meanPerSecond: (recs.length * 1000) / spanMs,
        steadyPerSecond: median(whole),
        createsPerSecond: (creates * 1000) / spanMs,
        peakPerSecond: maxInWindow(times),
        peakActionPerSecond: peakAction,
        clientLimit: kinds[0].clientLimit,
        serverLimit: kinds[0].serverLimit,
        throttled: recs.filter((r) => r.throttled).length,
    };
}

/**
 * One `up` of `groups` (waitForCompletion false) through the harness, with
 * every API request recorded on the wire: the sustained rate per cloud
 * against the limit its client keeps and the limit the emulator enforces,
 * and the throttling answers given.
 */
export async function throughputRun(label: string, groups: StackGroup[]): Promise<ThroughputRun> {
    const be = await startBenchEmulator({ tap: true, stepMs: 3_600_000 });
    try {
        const stack = mixedStack(be, groups);
        be.tap!.reset();
        const t0 = performance.now();
        const r = await stack.up();
        const upMs = performance.now() - t0;
        const clouds = [...new Set(groups.map((g) => g.kind.cloud))].map((cloud) =>
            analyse(
                cloud,
                groups.filter((g) => g.kind.cloud === cloud).map((g) => g.kind),
                be.tap!.records.filter((x) => x.cloud === cloud),
            ),
        );
        return { label, ok: r.ok, errors: r.errors.slice(0, 3), upMs, clouds };
    } finally {
        await be.close();
    }
}
