/**
 * Per-key request counting over a sliding one-second window: how the emulator
 * enforces documented rate limits. Time comes from `clock`: the server passes
 * the emulator clock, so a test that freezes or advances it controls the
 * window instead of racing wall time.
 */
export class RateWindow {
    private readonly hits = new Map<string, number[]>();

    /** @param clock - where the window reads the time; wall time when omitted. */
    constructor(private readonly clock: { now(): number } = Date) {}

    /** Records one request for `key` at `now` (default: the window's clock) and says whether it fits in `perSecond`. Rejected requests are not counted. */
    allow(key: string, perSecond: number, now: number = this.clock.now()): boolean {
        const list = (this.hits.get(key) ?? []).filter((t) => now - t < 1000);
        if (list.length >= perSecond) {
            this.hits.set(key, list);
            return false;
        }
        list.push(now);
        this.hits.set(key, list);
        return true;
    }
}
