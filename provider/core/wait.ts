import { formatElapsed, progress } from "./progress";

/**
 * Adaptive polling: quick while a job is likely to change (just submitted),
 * then backing off to a cap. With the defaults (5 s growing ×1.5 to 60 s) a
 * one-hour job costs about 64 polls and its end is noticed within 60 s.
 */
export interface PollSchedule {
    /** First interval in ms. */
    initialMs: number;
    /** Growth per poll. */
    factor: number;
    /** Largest interval in ms. */
    maxMs: number;
    /** A heartbeat line is printed when the status has not changed for this long. */
    heartbeatMs: number;
}

export const DEFAULT_POLL: PollSchedule = { initialMs: 5_000, factor: 1.5, maxMs: 60_000, heartbeatMs: 300_000 };

/** The schedule scaled by `scale` (tests against the emulator use a small scale). */
export function scaledSchedule(scale: number, base: PollSchedule = DEFAULT_POLL): PollSchedule {
    return { initialMs: base.initialMs * scale, factor: base.factor, maxMs: base.maxMs * scale, heartbeatMs: base.heartbeatMs * scale };
}

export interface WaitOptions<T> {
    /** Reads the current remote state. */
    poll: () => Promise<T>;
    /** The status string of a state. */
    statusOf: (state: T) => string;
    /** Whether waiting is over for this state. */
    done: (state: T) => boolean;
    /** Absolute deadline (ms since epoch). */
    deadline: number;
    schedule: PollSchedule;
    /** Printed in progress lines, e.g. `bailian:FineTuneJob ft-2026…`. */
    subject: string;
    /** The state already known, so the first poll can wait one interval. */
    initial?: T;
    /** When the wait began (ms since epoch), for the elapsed times in progress lines; default now. A destroy that first retried a stop passes its own start. */
    startedAt?: number;
}

export type WaitResult<T> = { state: T; timedOut: false } | { state: T; timedOut: true };

/** Polls until `done`, or until the deadline; prints one line per status change and a periodic heartbeat. */
export async function waitFor<T>(o: WaitOptions<T>): Promise<WaitResult<T>> {
    const started = o.startedAt ?? Date.now();
    let interval = o.schedule.initialMs;
    let state = o.initial ?? (await o.poll());
    let last = o.statusOf(state);
    let lastChange = started;
    let lastHeartbeat = Date.now();
    if (!o.initial) progress(o.subject, `${last}`);
    while (!o.done(state)) {
        const remaining = o.deadline - Date.now();
        if (remaining <= 0) return { state, timedOut: true };
        await sleep(Math.min(interval, remaining));
        interval = Math.min(o.schedule.maxMs, interval * o.schedule.factor);
        state = await o.poll();
        const status = o.statusOf(state);
        const now = Date.now();
        if (status !== last) {
            progress(o.subject, `${last} -> ${status} (${formatElapsed(now - started)} elapsed)`);
            last = status;
            lastChange = lastHeartbeat = now;
        } else if (now - lastHeartbeat >= o.schedule.heartbeatMs) {
            progress(o.subject, `still ${status} after ${formatElapsed(now - lastChange)}`);
            lastHeartbeat = now;
        }
    }
    return { state, timedOut: false };
}

export function sleep(ms: number): Promise<void> {
    return new Promise((r) => setTimeout(r, Math.max(0, ms)));
}
