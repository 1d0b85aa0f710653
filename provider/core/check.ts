import type { z } from "zod";
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
    // `__provider` (the serialized stub) and other engine-reserved keys are not the user's inputs.
    const own = Object.fromEntries(Object.entries(inputs).filter(([k]) => !k.startsWith("__")));
    const result = schema.safeParse(own);
    if (result.success) return [];
    const failures: CheckFailure[] = [];
    for (const issue of result.error.issues) {
        if (valueAt(inputs, issue.path).unknownOnPath) continue;
        // Cross-field rules (refinements) on an object that holds unknowns cannot be decided yet.
        if (issue.code === "custom" && hasUnknownIn(inputs, issue.path)) continue;
        failures.push({ property: dottedPath(issue.path) || "(resource)", reason: issue.message });
    }
    return failures;
}

function hasUnknownIn(root: unknown, path: ReadonlyArray<PropertyKey>): boolean {
    let cur: any = root;
    for (const p of path) cur = cur?.[p as any];
    const scan = (v: unknown): boolean => isUnknown(v) || (v !== null && typeof v === "object" && Object.values(v).some(scan));
    return scan(cur);
}
