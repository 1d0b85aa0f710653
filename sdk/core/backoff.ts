/** Retry timing: capped exponential backoff with full jitter, and the server's own hint when it gives one. */
export interface RetryPolicy {
    /** Attempts in total, the first included. Default 6. */
    maxAttempts: number;
    /** First backoff ceiling in ms. Default 200. */
    baseDelayMs: number;
    /** Largest backoff in ms. Default 10 000. */
    maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 6, baseDelayMs: 200, maxDelayMs: 10_000 };

/** Full jitter (AWS architecture blog, "Exponential Backoff and Jitter"): uniform in [0, min(cap, base * 2^attempt)]. */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
    const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
    return Math.floor(random() * ceiling);
}

/** Parses `Retry-After` (seconds or an HTTP date) or Alibaba's `x-acs-retry-after` (ms) into ms. */
export function retryAfterMs(headers: Record<string, unknown>, now: number = Date.now()): number | undefined {
    const acs = headers["x-acs-retry-after"];
    if (acs !== undefined && !Number.isNaN(Number(acs))) return Number(acs);
    const ra = headers["retry-after"];
    if (ra === undefined) return undefined;
    const secs = Number(ra);
    if (!Number.isNaN(secs)) return secs * 1000;
    const date = Date.parse(String(ra));
    return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
