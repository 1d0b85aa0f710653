import type { z } from "zod";
import { RESOURCE_NAME_INPUT, RESOURCE_URN_INPUT } from "./hidden";
import { isUnknown } from "./unknown";

/** A check failure as the engine shows it: the property path and a reason a person can act on. */
export interface CheckFailure {
    property: string;
    reason: string;
}

/**
 * Thrown by a kind's `derive` step when what it reads (a file on disk) is
 * wrong: `check` returns the failures to the engine instead of erroring, so
 * preview shows them next to the resource and nothing is sent anywhere.
 */
export class InputProblems extends Error {
    constructor(readonly failures: CheckFailure[]) {
        super(failures.map((f) => `${f.property}: ${f.reason}`).join("; "));
        this.name = "InputProblems";
    }
}

/**
 * Control characters and invisible formatting characters (zero-width spaces,
 * direction overrides): never meant in a name, and a name that holds them
 * looks like another one in every console.
 */
export const INVISIBLE_CHARACTERS = /[\p{Cc}\p{Cf}]/u;
export const INVISIBLE_CHARACTERS_RULE = "must not contain control characters or invisible formatting characters (such as U+0000, a line break, a zero-width space or a direction override)";

/** `resourceConfigInfos[0].gpu` from `["resourceConfigInfos", 0, "gpu"]`. */
export function dottedPath(path: ReadonlyArray<PropertyKey>): string {
    let out = "";
    for (const p of path) out += typeof p === "number" ? `[${p}]` : out ? `.${String(p)}` : String(p);
    return out;
}

function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): { unknownOnPath: boolean } {
    let cur: any = root;
    for (const p of path) {
        if (isUnknown(cur)) return { unknownOnPath: true };
        if (cur === null || typeof cur !== "object") return { unknownOnPath: false };
        cur = cur[p as any];
    }
    return { unknownOnPath: isUnknown(cur) };
}

/**
 * Validates inputs with a zod schema, pure and offline. Issues on a value
 * that is unknown at preview (or inside one) are dropped: the value will be
 * checked again when it is known.
 */
export function validate(schema: z.ZodType, inputs: Record<string, unknown>): CheckFailure[] {
    // `__provider` (the serialized stub), other engine-reserved keys and the URN the class adds are not the user's inputs.
    const own = Object.fromEntries(Object.entries(inputs).filter(([k]) => !k.startsWith("__") && k !== RESOURCE_URN_INPUT));
    const result = schema.safeParse(own);
    if (result.success) return [];
    const failures: CheckFailure[] = [];
    for (const issue of result.error.issues) {
        if (valueAt(inputs, issue.path).unknownOnPath) continue;
        // Cross-field rules (refinements) on an object that holds unknowns cannot be decided yet.
        if (issue.code === "custom" && hasUnknownIn(inputs, issue.path)) continue;
        if (issue.code === "unrecognized_keys") {
            // zod names the object and quotes the key; most often the key is a misspelling of a known one, so say which.
            const known = objectKeysAt(schema, issue.path);
            for (const key of issue.keys) {
                const like = closest(key, known);
                const hint = like ? `: did you mean ${like}?` : known.length && known.length <= 12 ? ` (arguments here: ${known.join(", ")})` : "";
                failures.push({ property: dottedPath(issue.path) || "(resource)", reason: `unknown argument ${JSON.stringify(key)}${hint}` });
            }
            continue;
        }
        failures.push({ property: dottedPath(issue.path) || "(resource)", reason: issue.message });
    }
    return failures;
}

/** The keys an object schema declares at `path` (through optionals, arrays, records, unions and pipes); empty when unknown. */
function objectKeysAt(schema: z.ZodType, path: ReadonlyArray<PropertyKey>): string[] {
    const unwrap = (s: any): any[] => {
        const def = s?._zod?.def;
        if (!def) return [];
        switch (def.type) {
            case "optional":
            case "nullable":
            case "default":
            case "readonly":
            case "nonoptional":
                return unwrap(def.innerType);
            case "pipe":
                return unwrap(def.in);
            case "lazy":
                return unwrap(def.getter());
            case "union":
                return (def.options as any[]).flatMap(unwrap);
            default:
                return [s];
        }
    };
    let current: any[] = unwrap(schema);
    for (const seg of path) {
        const next: any[] = [];
        for (const s of current) {
            const def = s._zod.def;
            if (def.type === "array" && typeof seg === "number") next.push(...unwrap(def.element));
            else if (def.type === "object" && typeof seg === "string" && def.shape[seg]) next.push(...unwrap(def.shape[seg]));
            else if (def.type === "record" && typeof seg === "string") next.push(...unwrap(def.valueType));
        }
        current = next;
    }
    return [...new Set(current.filter((s) => s._zod.def.type === "object").flatMap((s) => Object.keys(s._zod.def.shape)))].filter((k) => k !== RESOURCE_NAME_INPUT);
}

/** The known key a misspelt one most likely meant: same letters ignoring case, `-` and `_`, or at most two edits away. */
function closest(key: string, known: string[]): string | undefined {
    const norm = (k: string) => k.toLowerCase().replace(/[-_]/g, "");
    const same = known.find((k) => norm(k) === norm(key));
    if (same) return same;
    let best: { k: string; d: number } | undefined;
    for (const k of known) {
        const d = editDistance(norm(key), norm(k));
        if (d <= 2 && (!best || d < best.d)) best = { k, d };
    }
    return best?.k;
}

function editDistance(a: string, b: string): number {
    if (Math.abs(a.length - b.length) > 2) return 3;
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const cur = [i];
        for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        prev = cur;
    }
    return prev[b.length];
}

function hasUnknownIn(root: unknown, path: ReadonlyArray<PropertyKey>): boolean {
    let cur: any = root;
    for (const p of path) cur = cur?.[p as any];
    const scan = (v: unknown): boolean => isUnknown(v) || (v !== null && typeof v === "object" && Object.values(v).some(scan));
    return scan(cur);
}
