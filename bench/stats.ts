/** Small statistics and formatting helpers shared by every measure. */

/** The median of `xs` (the mean of the two middle values for an even count); NaN when empty. */
export function median(xs: readonly number[]): number {
    if (xs.length === 0) return NaN;
    const s = [...xs].sort((a, b) => a - b);
    const mid = s.length >> 1;
    return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** The `p`-th percentile (0..100) by nearest rank; NaN when empty. */
export function percentile(xs: readonly number[], p: number): number {
    if (xs.length === 0) return NaN;
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export function max(xs: readonly number[]): number {
    return xs.length ? Math.max(...xs) : NaN;
}

export function min(xs: readonly number[]): number {
    return xs.length ? Math.min(...xs) : NaN;
}

/** Milliseconds since an arbitrary origin, with sub-millisecond resolution. */
export function now(): number {
    return performance.now();
}

/** Runs `fn` and returns its result with the elapsed milliseconds. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
    const t0 = now();
    const value = await fn();
    return { value, ms: now() - t0 };
}

export function sleep(ms: number): Promise<void> {
    return new Promise((r) => setTimeout(r, Math.max(0, ms)));
}

/** `12.3 ms`, `4.56 s`, `2m07s`. */
export function fmtMs(ms: number): string {
    if (!Number.isFinite(ms)) return "n/a";
    if (ms < 1000) return `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
    if (ms < 120_000) return `${(ms / 1000).toFixed(2)} s`;
    const s = Math.round(ms / 1000);
    return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
}

/** `812 B`, `2.41 KB`, `3.10 MB` (1 KB = 1024 bytes). */
export function fmtBytes(n: number): string {
    if (!Number.isFinite(n)) return "n/a";
    if (n < 1024) return `${Math.round(n)} B`;
    if (n < 1024 * 1024) return `${(n / 1024).toFixed(2)} KB`;
    return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** A number with `digits` decimals, `n/a` when not finite. */
export function fmtNum(n: number, digits = 2): string {
    return Number.isFinite(n) ? n.toFixed(digits) : "n/a";
}

export function fmtPct(share: number): string {
    return Number.isFinite(share) ? `${(share * 100).toFixed(1)}%` : "n/a";
}

/** Shuffles a copy of `xs` (Fisher–Yates), so interleaved A/B runs do not always go in the same order. */
export function shuffled<T>(xs: readonly T[]): T[] {
    const a = [...xs];
    for (let i = a.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
}

/** The most requests any window of `windowMs` holds, over sorted timestamps (a sliding window, as the emulators count). */
export function maxInWindow(sortedTimes: readonly number[], windowMs = 1000): number {
    let best = 0;
    for (let lo = 0, hi = 0; hi < sortedTimes.length; hi++) {
        while (sortedTimes[hi] - sortedTimes[lo] >= windowMs) lo++;
        best = Math.max(best, hi - lo + 1);
    }
    return best;
}
