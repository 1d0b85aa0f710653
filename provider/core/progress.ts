/**
 * Progress lines. The engine shows what the dynamic-provider host prints as
 * diagnostics on the resource, so a plain `console.log` is the channel.
 * Everything passes through the caller's redactor before it gets here.
 */
export function progress(subject: string, message: string): void {
    console.log(`[${subject}] ${message}`);
}

/** `1h02m`, `3m07s`, `12s`. */
export function formatElapsed(ms: number): string {
    const s = Math.round(ms / 1000);
    if (s < 60) return `${s}s`;
    const m = Math.floor(s / 60);
    if (m < 60) return `${m}m${String(s % 60).padStart(2, "0")}s`;
    return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}
