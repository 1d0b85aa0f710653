/** Per-key request counting over a sliding one-second window: how the emulator enforces documented rate limits. */
export class RateWindow {
    private readonly hits = new Map<string, number[]>();

    /** Records one request for `key` at `now` and says whether it fits in `perSecond`. Rejected requests are not counted. */
    allow(key: string, perSecond: number, now: number = Date.now()): boolean {
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
