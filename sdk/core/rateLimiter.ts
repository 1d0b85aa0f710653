/**
 * A process-wide token bucket per (service, region): every client of one
 * service in one provider process shares it, so a stack of hundreds of jobs
 * stays under the cloud's documented request rate instead of discovering it
 * through throttling errors. When the cloud throttles anyway (another process
 * on the same account, a limit lower than assumed), the bucket lowers its
 * rate and recovers slowly: see {@link AdaptivePolicy}.
 */
export interface RateLimit {
    /** Sustained requests per second. */
    perSecond: number;
    /** Requests that may go out back to back after a quiet period. Default: `perSecond`. */
    burst?: number;
}

/**
 * How a bucket answers throttling: additive increase, multiplicative
 * decrease (AIMD), the rule of TCP congestion control (RFC 5681 §3.1) and
 * the idea behind the client-side rate limiter of the AWS SDKs' `adaptive`
 * retry mode (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html).
 * A cut is quick and deep because every throttled request costs a retry; the
 * climb back is slow because the limit was just found.
 */
export interface AdaptivePolicy {
    /** Factor the rate is multiplied by on a throttling answer. Default 0.8. */
    decrease: number;
    /** The lowest rate, as a fraction of the configured rate. Default 0.1. */
    floor: number;
    /**
     * Throttling answers within this many ms of a cut belong to the same
     * episode (requests already in flight when the first answer came) and do
     * not cut again. Default 1000: clouds count requests per second.
     */
    holdMs: number;
    /** Time without throttling before each recovery step, in ms. Default 2000. */
    quietMs: number;
    /** Rate added per quiet period, as a fraction of the configured rate. Default 0.1. */
    increase: number;
}

/** The policy every bucket uses unless given another. */
export const DEFAULT_ADAPTIVE_POLICY: Readonly<AdaptivePolicy> = Object.freeze({ decrease: 0.8, floor: 0.1, holdMs: 1000, quietMs: 2000, increase: 0.1 });

/** Construction options of a {@link TokenBucket}; tests inject both to run without wall-clock time. */
export interface TokenBucketOptions {
    /** Waits `ms`. Default `setTimeout`. A test passes one that advances its fake clock. */
    sleep?: (ms: number) => Promise<void>;
    /** Overrides of {@link DEFAULT_ADAPTIVE_POLICY}. */
    adaptive?: Partial<AdaptivePolicy>;
}

export class TokenBucket {
    private tokens: number;
    private last: number;
    private readonly burst: number;
    private queue: Promise<void> = Promise.resolve();
    private readonly policy: AdaptivePolicy;
    private readonly sleep: (ms: number) => Promise<void>;
    /** The rate set by the last throttling answer, when it came, and when the rate was last cut; undefined at the configured rate. */
    private cut?: { rate: number; at: number; decreasedAt: number };
    private throttles = 0;

    /**
     * @param limit - the configured rate and burst.
     * @param now - the clock in ms (monotonic); default `performance.now`.
     */
    constructor(
        readonly limit: RateLimit,
        private readonly now: () => number = () => performance.now(),
        opts: TokenBucketOptions = {},
    ) {
        if (!(limit.perSecond > 0)) throw new RangeError(`a rate limit must be a positive number of requests per second, got ${limit.perSecond}`);
        this.burst = Math.max(1, limit.burst ?? limit.perSecond);
        this.tokens = this.burst;
        this.last = this.now();
        this.policy = { ...DEFAULT_ADAPTIVE_POLICY, ...opts.adaptive };
        this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    }

    /** The rate in force now, in requests per second: the configured one, or less after throttling. */
    get perSecond(): number {
        return this.rateAt(this.now());
    }

    /** Throttling answers reported through {@link throttled} so far. */
    get throttledCount(): number {
        return this.throttles;
    }

    /** The lowest rate throttling can bring this bucket to. */
    get floorPerSecond(): number {
        return this.limit.perSecond * this.policy.floor;
    }

    /** Resolves when one request may be sent. Callers are served in arrival order. */
    take(): Promise<void> {
        const turn = this.queue.then(() => this.waitForToken());
        this.queue = turn;
        return turn;
    }

    /**
     * Reports a throttling answer from the cloud: the rate drops to
     * `decrease` times what it was (once per episode, never below the floor),
     * nothing saved up may be spent (the cloud's window is full now), and
     * recovery waits for a quiet period. The throttled request's own retry is
     * the caller's business.
     */
    throttled(): void {
        const t = this.now();
        this.refill(t);
        const rate = this.rateAt(t);
        const sameEpisode = this.cut !== undefined && t - this.cut.decreasedAt < this.policy.holdMs;
        this.cut = sameEpisode
            ? { rate, at: t, decreasedAt: this.cut!.decreasedAt }
            : { rate: Math.max(this.floorPerSecond, rate * this.policy.decrease), at: t, decreasedAt: t };
        this.tokens = 0;
        this.throttles++;
    }

    /** The rate at time `t`: after a cut, one `increase` step per whole quiet period since the last throttling answer, up to the configured rate. */
    private rateAt(t: number): number {
        if (!this.cut) return this.limit.perSecond;
        const steps = Math.max(0, Math.floor((t - this.cut.at) / this.policy.quietMs));
        return Math.min(this.limit.perSecond, this.cut.rate + steps * this.policy.increase * this.limit.perSecond);
    }

    /** Tokens earned since the last look. The burst shrinks with the rate, so a lowered rate is not undone by a saved-up burst. */
    private refill(t: number): void {
        const rate = this.rateAt(t);
        if (this.cut && rate >= this.limit.perSecond) this.cut = undefined;
        // The whole interval is credited at the rate in force at `t`: a recovery step inside it is counted a little
        // early, never above the configured rate, so the spacing bound of a burst of 1 (1000 / perSecond ms) holds.
        const burst = Math.max(1, (this.burst * rate) / this.limit.perSecond);
        this.tokens = Math.min(burst, this.tokens + ((t - this.last) / 1000) * rate);
        this.last = t;
    }

    private async waitForToken(): Promise<void> {
        for (;;) {
            const t = this.now();
            this.refill(t);
            if (this.tokens >= 1) {
                this.tokens -= 1;
                return;
            }
            const waitMs = ((1 - this.tokens) / this.rateAt(t)) * 1000;
            await this.sleep(Math.ceil(waitMs));
        }
    }
}

const buckets = new Map<string, TokenBucket>();

/**
 * The shared bucket for `key` (conventionally `service:region`) and `limit`,
 * created on first use. Clients with the same key and limit share one bucket,
 * and with it what throttling taught it. A client configured with another
 * limit gets a bucket of its own, so the rate a client was given is the rate
 * it keeps (a test's raised limit never slows down, or speeds up, the default).
 */
export function sharedBucket(key: string, limit: RateLimit): TokenBucket {
    const id = `${key}\0${limit.perSecond}/${limit.burst ?? limit.perSecond}`;
    let b = buckets.get(id);
    if (!b) {
        b = new TokenBucket(limit);
        buckets.set(id, b);
    }
    return b;
}

/**
 * `defaults` at another rate, for a rate a user configured. The burst stays
 * the default's, but never more than one second at the new rate, so a
 * lowered rate does not keep a burst sized for a higher one.
 */
export function withRate(defaults: RateLimit, perSecond: number | undefined): RateLimit {
    if (perSecond === undefined || perSecond === defaults.perSecond) return defaults;
    return { perSecond, burst: Math.min(defaults.burst ?? defaults.perSecond, perSecond) };
}
