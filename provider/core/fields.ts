import { isDeepStrictEqual } from "node:util";
import { containsUnknown } from "./unknown";

/**
 * How a change to an input reaches the cloud:
 * - `replace`: the API cannot change it; a new job is created.
 * - `update`: the API changes it in place.
 * - `local`: a provider setting (waiting, timeouts); no API call.
 */
export type FieldEffect = "replace" | "update" | "local";

/** Every input of a kind with its effect. An input missing from the table is a bug the tests catch. */
export type FieldTable = Readonly<Record<string, FieldEffect>>;

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

/** Absent and `undefined` are the same; arrays and objects compare deeply. */
function same(a: unknown, b: unknown): boolean {
    if (a === undefined || b === undefined) return a === b;
    return isDeepStrictEqual(a, b);
}

/** Compares the inputs recorded in the old outputs with the new inputs, field by field. */
export function compareFields(table: FieldTable, olds: Record<string, unknown>, news: Record<string, unknown>): FieldChanges {
    const out: FieldChanges = { changed: [], replaces: [], updates: [], local: [] };
    for (const [field, effect] of Object.entries(table)) {
        const changed = containsUnknown(news[field]) || !same(olds[field], news[field]);
        if (!changed) continue;
        out.changed.push(field);
        if (effect === "replace") out.replaces.push(field);
        else if (effect === "update") out.updates.push(field);
        else out.local.push(field);
    }
    return out;
}

/** The subset of `props` that are inputs of the kind. */
export function pickInputs(table: FieldTable, props: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const f of Object.keys(table)) if (props[f] !== undefined) out[f] = props[f];
    return out;
}
