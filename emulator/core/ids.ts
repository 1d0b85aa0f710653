import { randomBytes, randomUUID } from "node:crypto";

export const hex = (chars: number): string => randomBytes(Math.ceil(chars / 2)).toString("hex").slice(0, chars);
export const digits = (n: number): string => Array.from({ length: n }, (_, i) => (i === 0 ? 1 + Math.floor(Math.random() * 9) : Math.floor(Math.random() * 10))).join("");
export const requestId = (): string => randomUUID();

/** `yyyyMMddHHmm` in UTC. */
export function compactMinute(ms: number): string {
    return new Date(ms).toISOString().replace(/[-T:]/g, "").slice(0, 12);
}

/** `yyyy-MM-dd HH:mm:ss`, the space-separated time many of these APIs print. */
export function spacedTime(ms: number): string {
    return new Date(ms).toISOString().replace("T", " ").slice(0, 19);
}
