/**
 * A process-wide token bucket per (service, region): every client of one
 * service in one provider process shares it, so a stack of hundreds of jobs
 * stays under the cloud's documented request rate instead of discovering it
 * through throttling errors.
 */
export interface RateLimit {
    /** Sustained requests per second. */
    perSecond: number;
    /** Requests that may go out back to back after a quiet period. Default: `perSecond`. */
    burst?: number;
}

export class TokenBucket {
    private tokens: number;
    private last: number;
    private readonly burst: number;
    private queue: Promise<void> = Promise.resolve();

    constructor(readonly limit: RateLimit, private readonly now: () => number = () => performance.now()) {
        this.burst = Math.max(1, limit.burst ?? limit.perSecond);
        this.tokens = this.burst;
        this.last = this.now();
    }

    /** Resolves when one request may be sent. Callers are served in arrival order. */
    take(): Promise<void> {
        const turn = this.queue.then(() => this.waitForToken());
        this.queue = turn;
        return turn;
    }

    private async waitForToken(): Promise<void> {
        for (;;) {
            const t = this.now();
            this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.limit.perSecond);
            this.last = t;
            if (this.tokens >= 1) {
                this.tokens -= 1;
                return;
            }
            const waitMs = ((1 - this.tokens) / this.limit.perSecond) * 1000;
            await new Promise((r) => setTimeout(r, Math.ceil(waitMs)));
        }
    }
}

const buckets = new Map<string, TokenBucket>();

/** The shared bucket for `key` (conventionally `service:region`), created on first use. */
export function sharedBucket(key: string, limit: RateLimit): TokenBucket {
    let b = buckets.get(key);
    if (!b) {
        b = new TokenBucket(limit);
        buckets.set(key, b);
    }
    return b;
}
