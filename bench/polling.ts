import { BenchEmulator, startBenchEmulator } from "./fixture";
import { checkAndCreate, checkedInputs, startHost } from "./hostOps";
import { BenchKind, typeToken, varied } from "./kinds";
import { TapRecord } from "./tap";
import { now, sleep } from "./stats";

/** The provider's poll schedule (provider/core/wait.ts). */
export interface PollSchedule {
    initialMs: number;
    factor: number;
    maxMs: number;
    heartbeatMs: number;
}

/** The schedule the provider uses, read from the built package so the benchmark follows any change to it. */
export function defaultSchedule(): PollSchedule {
    return (require("pulumi-training/provider/core/wait") as { DEFAULT_POLL: PollSchedule }).DEFAULT_POLL;
}

/** What waiting on a job of a given run time costs. */
export interface SimulatedWait {
    runMs: number;
    /** Status reads after the create's own first read. */
    polls: number;
    /** From the job finishing to the read that sees it. */
    noticeDelayMs: number;
}

/**
 * Replays `waitFor`'s loop on paper: sleep the interval, grow it by `factor`
 * up to `maxMs`, read; stop at the first read at or after the job's end.
 * Request latency is left out (it only shifts each read later).
 */
export function simulateWait(s: PollSchedule, runMs: number): SimulatedWait {
    let t = 0;
    let interval = s.initialMs;
    let polls = 0;
    for (;;) {
        t += interval;
        interval = Math.min(s.maxMs, interval * s.factor);
        polls++;
        if (t >= runMs) return { runMs, polls, noticeDelayMs: t - runMs };
    }
}

/** The largest notice delay over every run time up to `untilMs`, in `stepMs` steps. */
export function worstNoticeDelay(s: PollSchedule, untilMs: number, stepMs = 1000): { delayMs: number; atRunMs: number } {
    let worst = { delayMs: 0, atRunMs: 0 };
    // Just after a read is the worst moment to finish: probe both sides of every read time too.
    for (let run = stepMs; run <= untilMs; run += stepMs) {
        const d = simulateWait(s, run).noticeDelayMs;
        if (d > worst.delayMs) worst = { delayMs: d, atRunMs: run };
    }
    let t = 0;
    let interval = s.initialMs;
    while (t < untilMs) {
        t += interval;
        interval = Math.min(s.maxMs, interval * s.factor);
        const d = simulateWait(s, t + 1).noticeDelayMs;
        if (d > worst.delayMs) worst = { delayMs: d, atRunMs: t + 1 };
    }
    return worst;
}

/** One real wait on the emulator, on a clock scaled down by `scale`. */
export interface RealWait {
    token: string;
    scale: number;
    /** The job's run time, in unscaled (real-world) ms. */
    runMs: number;
    /** Status reads during the wait (after the create's first read), and what the simulation predicts. */
    polls: number;
    simulatedPolls: number;
    /** Unscaled ms from the job's end to the read that saw it (request latency included, scaled up too). */
    noticeDelayMs: number;
    /** Every request the create made, submit included. */
    totalRequests: number;
    /** Wall time of the scaled wait. */
    wallMs: number;
}

/**
 * Waits on one real `bailian.FineTuneJob` (the model kind, always built) through the host: the job's phases last
 * `stepMs` on the emulator and the provider's schedule is scaled by the same
 * factor, so a one-hour job plays out in `scale` hours of wall time.
 */
export async function realWait(kind: BenchKind, runHours: number, scale: number): Promise<RealWait> {
    // DashScope's PENDING -> QUEUING -> RUNNING -> SUCCEEDED: SUCCEEDED is reached after three steps.
    const steps = 3;
    const runMs = runHours * 3_600_000;
    const be = await startBenchEmulator({ stepMs: (runMs * scale) / steps, pollScale: scale, tap: true });
    try {
        const base = (await checkedInputs(be, [kind])).get(typeToken(kind))!;
        const host = await startHost(be);
        try {
            be.tap!.reset();
            const t0 = now();
            await checkAndCreate(host, kind, { ...varied(base, "wait"), waitForCompletion: true });
            const wallMs = now() - t0;
            const recs = be.tap!.records.filter((r) => r.cloud === kind.cloud);
            const created = recs.find((r) => r.action.startsWith("POST") || /Create/.test(r.action));
            const reads = recs.filter((r) => r.action === "GET /api/v1/fine-tunes/{id}");
            const seen = reads.find((r) => r.jobStatus === "SUCCEEDED");
            if (!created || !seen) throw new Error(`the wait did not finish as expected: ${recs.map((r) => `${r.action}:${r.jobStatus}`).join(", ")}`);
            const endsAt = created.at + runMs * scale;
            return {
                token: kind.token,
                scale,
                runMs,
                polls: reads.length - 1,
                simulatedPolls: simulateWait(defaultSchedule(), runMs).polls,
                noticeDelayMs: (seen.done - endsAt) / scale,
                totalRequests: recs.length,
                wallMs,
            };
        } finally {
            await host.stop();
        }
    } finally {
        await be.close();
    }
}

/** Creates made while many waits poll through the same host, against the same creates on an idle host. */
export interface SharedBudget {
    token: string;
    /** Jobs being waited on during the loaded phase. */
    waiters: number;
    scale: number;
    /** The client's sustained rate (req/s). */
    bucketPerSecond: number;
    /** ms per create (check + create, waitForCompletion false), on the idle host and with the waits running. */
    idleCreateMs: number[];
    loadedCreateMs: number[];
    /** FIFO bound for one request behind every waiter's poll: waiters / rate, ms. */
    fifoBoundPerRequestMs: number;
    /** Requests during the loaded creates: polls of the waits and the creates' own, per second. */
    loadedPollsPerSecond: number;
    loadedCreateRequestsPerSecond: number;
    /** Throttling answers the cloud gave during the whole measure. */
    throttled: number;
}

function perSecond(recs: TapRecord[], from: number, to: number): number {
    return (recs.filter((r) => r.at >= from && r.at <= to).length * 1000) / Math.max(1, to - from);
}

/**
 * Many concurrent waits share the client's token bucket with new creates.
 * The bucket serves callers in arrival order, so a create's requests queue
 * behind at most one poll per waiting job: creates slow down under load but
 * are never starved. The waits use a scaled schedule so that they saturate
 * the bucket, the worst case.
 */
export async function sharedBudget(kind: BenchKind, waiters: number, creates: number, scale: number): Promise<SharedBudget> {
    const be: BenchEmulator = await startBenchEmulator({ stepMs: 3_600_000, pollScale: scale, tap: true });
    const bucket = kind.clientLimit.perSecond;
    try {
        const base = (await checkedInputs(be, [kind])).get(typeToken(kind))!;
        const host = await startHost(be);
        const idleCreateMs: number[] = [];
        const loadedCreateMs: number[] = [];
        let loadedFrom = 0;
        let loadedTo = 0;
        try {
            await checkAndCreate(host, kind, varied(base, "warm"));
            for (let i = 0; i < creates; i++) {
                await sleep(1000);
                idleCreateMs.push((await checkAndCreate(host, kind, varied(base, `idle-${i}`))).total);
            }
            // The waits never end during the measure (the jobs run for hours of emulator time); stopping the host ends them.
            for (let i = 0; i < waiters; i++) void checkAndCreate(host, kind, { ...varied(base, `waiter-${i}`), waitForCompletion: true }).catch(() => undefined);
            // Let every waiter submit and reach its polling pace.
            const submitted = () => be.tap!.records.filter((r) => /Create|POST \/api\/v1\/fine-tunes$/.test(r.action)).length;
            const target = submitted() + waiters;
            while (submitted() < target) await sleep(200);
            await sleep(2000);
            loadedFrom = now();
            for (let i = 0; i < creates; i++) loadedCreateMs.push((await checkAndCreate(host, kind, varied(base, `loaded-${i}`))).total);
            loadedTo = now();
        } finally {
            await host.stop();
        }
        const recs = be.tap!.records.filter((r) => r.cloud === kind.cloud);
        const inWindow = recs.filter((r) => r.at >= loadedFrom && r.at <= loadedTo);
        const describeOne = kind.cloud === "tione" ? "DescribeTrainingTask" : "GET /api/v1/fine-tunes/{id}";
        const polls = inWindow.filter((r) => r.action === describeOne).length - creates; // each create reads its job once
        return {
            token: kind.token,
            waiters,
            scale,
            bucketPerSecond: bucket,
            idleCreateMs,
            loadedCreateMs,
            fifoBoundPerRequestMs: (waiters / bucket) * 1000,
            loadedPollsPerSecond: (Math.max(0, polls) * 1000) / Math.max(1, loadedTo - loadedFrom),
            loadedCreateRequestsPerSecond: perSecond(inWindow, loadedFrom, loadedTo) - (Math.max(0, polls) * 1000) / Math.max(1, loadedTo - loadedFrom),
            throttled: recs.filter((r) => r.throttled).length,
        };
    } finally {
        await be.close();
    }
}

/** Everything the polling section reports. */
export interface PollingResult {
    schedule: PollSchedule;
    table: Array<SimulatedWait & { perJobHour: number }>;
    worst: { delayMs: number; atRunMs: number };
    real?: RealWait;
    shared?: SharedBudget;
    /** How many concurrent waits at the cap interval fill each client's budget by themselves. */
    saturatingWaits: Array<{ token: string; waits: number }>;
}

const RUN_TIMES_MS = [60_000, 300_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000, 86_400_000];

export function simulatePolling(kinds: BenchKind[]): Omit<PollingResult, "real" | "shared"> {
    const schedule = defaultSchedule();
    const table = RUN_TIMES_MS.map((run) => {
        const w = simulateWait(schedule, run);
        return { ...w, perJobHour: w.polls / (run / 3_600_000) };
    });
    const saturatingWaits = kinds.filter((k) => k.runs).map((k) => ({ token: k.token, waits: Math.floor((k.clientLimit.perSecond * schedule.maxMs) / 1000) }));
    return { schedule, table, worst: worstNoticeDelay(schedule, 2 * 3_600_000), saturatingWaits };
}
