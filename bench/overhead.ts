import { startBenchEmulator } from "./fixture";
import { checkAndCreate, checkedInputs, startHost } from "./hostOps";
import { BenchKind, Inputs, inProcessLifecycle, typeToken, varied } from "./kinds";
import { childPids, cpuMsOf, roleOfPid } from "./procmem";
import { median, shuffled, sleep, timed } from "./stats";

/** How one create was made. */
export type CreatePath = "direct" | "inProcess" | "host";

/** Samples of one kind, all taken in the same interleaved rounds. */
export interface KindOverhead {
    token: string;
    /** The client's token bucket (requests/s, burst). */
    clientLimit: { perSecond: number; burst?: number };
    /** The client keeps one bucket per action. */
    clientLimitPerAction?: boolean;
    /**
     * ms per create, by path. `direct`: the one signed create request through
     * the SDK client. `inProcess`: the provider's check + create called in this
     * process. `host`: check + create through the real dynamic-provider host
     * over gRPC.
     */
    ms: Record<CreatePath, number[]>;
    /** The host's create RPC alone (check excluded). */
    hostCreateMs: number[];
    /** API requests one create made, by path (median). */
    requests: Record<CreatePath, number>;
    /** The API actions one host create made (first warm round), one entry per request. */
    hostActions: string[];
    /** Host CPU time (user + system) per check + create, averaged over the rounds. */
    hostCpuMs: number;
    /** First check + create of the kind in a freshly started host (its modules load then). */
    coldCreateMs: number[];
}

export interface OverheadResult {
    rounds: number;
    /** Latency the emulator added to every answer (0: a local emulator's own speed). */
    latencyMs: number;
    /** Host spawn until it answered Configure, ms (empty when cold starts were not measured). */
    hostStartMs: number[];
    kinds: KindOverhead[];
}

/** Runs `fn` with the provider's progress lines (console.log) silenced: they would bury the benchmark's output. */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
    const log = console.log;
    console.log = () => undefined;
    try {
        return await fn();
    } finally {
        console.log = log;
    }
}

/** Lets the client's token bucket refill after `requests`, so the next create starts with a full burst, as a lone create would. */
function refillMs(k: BenchKind, requests: number): number {
    return (1000 * Math.max(1, requests)) / k.clientLimit.perSecond + 25;
}

export interface OverheadOptions {
    rounds: number;
    /** Delay every emulator answer by this much, as a distant cloud would (the emulator's latency fault). Default 0. */
    latencyMs?: number;
    /** Also measure host cold starts and first creates. Default true. */
    cold?: boolean;
}

/**
 * Provider overhead: the same create made three ways, interleaved in random
 * order within each round so machine noise hits all three alike, with the
 * client's rate budget refilled between creates. Every create uses fresh
 * names, so the marker lookup finds nothing and a real submit happens.
 */
export async function measureOverhead(kinds: BenchKind[], opts: OverheadOptions): Promise<OverheadResult> {
    const latencyMs = opts.latencyMs ?? 0;
    const be = await startBenchEmulator({ stepMs: 600_000 });
    const savedEnv = { ...process.env };
    Object.assign(process.env, be.env);
    const hostStartMs: number[] = [];
    const results = new Map<string, KindOverhead>();
    try {
        const inputs = await checkedInputs(be, kinds);
        const base = (k: BenchKind): Inputs => {
            const i = inputs.get(typeToken(k));
            if (!i) throw new Error(`no seeded inputs for ${k.token}`);
            return i;
        };
        for (const k of kinds) {
            results.set(k.token, { token: k.token, clientLimit: k.clientLimit, clientLimitPerAction: k.clientLimitPerAction, ms: { direct: [], inProcess: [], host: [] }, hostCreateMs: [], requests: { direct: NaN, inProcess: NaN, host: NaN }, hostActions: [], hostCpuMs: NaN, coldCreateMs: [] });
        }
        if (latencyMs > 0) await be.control("POST", "/faults", { kind: "latency", latencyMs });

        if (opts.cold ?? true) {
            // A fresh host per kind and repetition; its first create loads the kind's modules.
            for (let rep = 0; rep < 3; rep++) {
                for (const k of shuffled(kinds)) {
                    const started = await timed(() => startHost(be));
                    hostStartMs.push(started.ms);
                    try {
                        const t = await checkAndCreate(started.value, k, varied(base(k), `cold${rep}`));
                        results.get(k.token)!.coldCreateMs.push(t.total);
                    } finally {
                        await started.value.stop();
                    }
                    await sleep(refillMs(k, 4));
                }
            }
        }

        // Warm: one host for every round, after a first create of each kind outside the samples.
        const before = new Set(childPids());
        const host = await startHost(be);
        const hostPid = childPids().find((p) => !before.has(p) && roleOfPid(p) === "host");
        const requests: Record<string, Record<CreatePath, number[]>> = {};
        const cpu: Record<string, number[]> = {};
        try {
            for (const k of kinds) {
                await checkAndCreate(host, k, varied(base(k), "warmup"));
                await quietly(() => inProcessLifecycle(k).create(varied(base(k), "warmup-in")));
                await quietly(async () => k.directCreate(varied(base(k), "warmup-direct")));
                requests[k.token] = { direct: [], inProcess: [], host: [] };
                cpu[k.token] = [];
                await sleep(refillMs(k, 8));
            }
            for (let round = 0; round < opts.rounds; round++) {
                for (const k of shuffled(kinds)) {
                    const r = results.get(k.token)!;
                    for (const path of shuffled<CreatePath>(["direct", "inProcess", "host"])) {
                        const unique = varied(base(k), `${path}-${round}`);
                        const count0 = be.requests();
                        if (path === "host") {
                            const actions0 = be.actions(k.cloud);
                            const cpu0 = hostPid ? cpuMsOf(hostPid) : NaN;
                            const t = await checkAndCreate(host, k, unique);
                            cpu[k.token].push(hostPid ? cpuMsOf(hostPid) - cpu0 : NaN);
                            r.ms.host.push(t.total);
                            r.hostCreateMs.push(t.create);
                            if (round === 0) r.hostActions = grownActions(actions0, be.actions(k.cloud));
                        } else if (path === "inProcess") {
                            const lc = inProcessLifecycle(k);
                            const t = await quietly(() =>
                                timed(async () => {
                                    const checked = await lc.check({}, unique);
                                    if (checked.failures?.length) throw new Error(`${k.token} check failed: ${JSON.stringify(checked.failures)}`);
                                    return lc.create(checked.inputs ?? unique);
                                }),
                            );
                            r.ms.inProcess.push(t.ms);
                        } else {
                            const t = await timed(async () => k.directCreate(unique));
                            r.ms.direct.push(t.ms);
                        }
                        const made = be.requests() - count0;
                        requests[k.token][path].push(made);
                        await sleep(refillMs(k, made));
                    }
                }
            }
        } finally {
            await host.stop();
        }
        for (const k of kinds) {
            const r = results.get(k.token)!;
            r.requests = { direct: median(requests[k.token].direct), inProcess: median(requests[k.token].inProcess), host: median(requests[k.token].host) };
            const c = cpu[k.token];
            r.hostCpuMs = c.length ? c.reduce((a, b) => a + b, 0) / c.length : NaN;
        }
    } finally {
        for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
        Object.assign(process.env, savedEnv);
        await be.close();
    }
    return { rounds: opts.rounds, latencyMs, hostStartMs, kinds: [...results.values()] };
}

/** The actions whose counts grew, each repeated as often as it grew. */
function grownActions(before: Record<string, number>, after: Record<string, number>): string[] {
    const out: string[] = [];
    for (const [a, n] of Object.entries(after)) for (let i = 0; i < n - (before[a] ?? 0); i++) out.push(a);
    return out;
}
