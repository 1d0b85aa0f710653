import { isDeepStrictEqual } from "node:util";
import { canonicalJson } from "./marker";
import { containsUnknown } from "./unknown";

/**
 * How a change to an input reaches the cloud:
 * - `replace`: the API cannot change it; a new job is created.
 * - `update`: the API changes it in place.
 * - `local`: a provider setting (waiting, timeouts); no API call.
 */
export type FieldEffect = "replace" | "update" | "local";

/**
 * An input's effect, and for a list whose order the cloud neither keeps nor
 * heeds (TI-ONE tags), `unordered: true`: reordering it is no change, so it
 * never plans a replacement that would train again.
 */
export type FieldRule = FieldEffect | { readonly effect: FieldEffect; readonly unordered: true };

/** Every input of a kind with its rule; each kind's table is checked against its Args at compile time (core/shape.ts). */
export type FieldTable = Readonly<Record<string, FieldRule>>;

/** The effect of a rule. */
export function effectOf(rule: FieldRule): FieldEffect {
    return typeof rule === "string" ? rule : rule.effect;
}

export interface FieldChanges {
    /** Inputs whose value differs. */
    changed: string[];
    /** Changed inputs that force a replacement. */
    replaces: string[];
    /** Changed inputs the API updates in place. */
    updates: string[];
    /** Changed inputs that touch no API. */
    local: string[];
}

/** Absent and `undefined` are the same; arrays and objects compare deeply, unordered lists as multisets. */
function same(a: unknown, b: unknown, rule: FieldRule): boolean {
    if (a === undefined || b === undefined) return a === b;
    if (typeof rule !== "string" && rule.unordered && Array.isArray(a) && Array.isArray(b)) {
        return a.length === b.length && isDeepStrictEqual(a.map(canonicalJson).sort(), b.map(canonicalJson).sort());
    }
    return isDeepStrictEqual(a, b);
}

/** Compares the inputs recorded in the old outputs with the new inputs, field by field. */
export function compareFields(table: FieldTable, olds: Record<string, unknown>, news: Record<string, unknown>): FieldChanges {
    const out: FieldChanges = { changed: [], replaces: [], updates: [], local: [] };
    for (const [field, rule] of Object.entries(table)) {
        const changed = containsUnknown(news[field]) || !same(olds[field], news[field], rule);
        if (!changed) continue;
        const effect = effectOf(rule);
        out.changed.push(field);
        if (effect === "replace") out.replaces.push(field);
        else if (effect === "update") out.updates.push(field);
        else out.local.push(field);
    }
    return out;
}

/** The subset of `props` that are inputs of the kind. */
export function pickInputs(table: FieldTable, props: object): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const all = props as Record<string, unknown>;
    for (const f of Object.keys(table)) if (all[f] !== undefined) out[f] = all[f];
    return out;
}
