import type { EmuContext, EmuResponse } from "./types";

/**
 * `DELETE /<collection>/<id>` of a cloud's control API: the record vanishes
 * out of band, whatever its status, as when a person deletes it in the
 * console. `collections` maps the path segment to the module's records.
 * Undefined when the call is not such a delete.
 */
export function outOfBandDelete(method: string, path: string, collections: Record<string, Record<string, unknown>>, ctx: EmuContext): EmuResponse | undefined {
    const m = /^\/([^/]+)\/([^/]+)$/.exec(path);
    if (method !== "DELETE" || !m || !Object.hasOwn(collections, m[1])) return undefined;
    const records = collections[m[1]];
    const id = decodeURIComponent(m[2]);
    if (!Object.hasOwn(records, id)) return { status: 404, body: { message: `no ${m[1]} record ${id}` } };
    delete records[id];
    ctx.markDirty();
    return { status: 200, body: {} };
}

/** How a list the documentation gives no order for is sorted: a variant the provider must survive either way. */
export type ListOrder = "newest-first" | "oldest-first";

/**
 * How a list the documentation says nothing about behaves; every variant is
 * one the provider must survive.
 * - `listOrder`: newest or oldest first.
 * - `listLagMs`: how long a new record stays out of the list (an eventually
 *   consistent index): it can be read by id at once, but is listed only later.
 */
export interface ListVariants {
    listOrder: ListOrder;
    listLagMs: number;
}

/** The documented-nothing default: newest first, listed at once. */
export const DEFAULT_LIST_VARIANTS: ListVariants = { listOrder: "newest-first", listLagMs: 0 };

/** Every {@link ListOrder}, for validating a control call and describing it. */
export const LIST_ORDERS: readonly ListOrder[] = ["newest-first", "oldest-first"];

/** One switch of `POST /_control/<cloud>/variants`, as `GET /_control` describes it. */
export interface VariantInfo {
    /** The values it takes; absent for a number. */
    values?: readonly string[];
    /** For a number: what it counts (`ms`, `jobs`). */
    unit?: string;
    default: string | number;
    current: string | number;
    /** One line: the behaviour it switches. */
    meaning: string;
}

/** {@link VariantInfo} of the shared list variants. */
export function listVariantInfo(current: ListVariants): Record<string, VariantInfo> {
    return {
        listOrder: { values: LIST_ORDERS, default: DEFAULT_LIST_VARIANTS.listOrder, current: current.listOrder, meaning: "the list's order, which the documentation does not give" },
        listLagMs: { unit: "ms", default: DEFAULT_LIST_VARIANTS.listLagMs, current: current.listLagMs, meaning: "how long a new record stays out of the list while it can already be read by id" },
    };
}

/** A table of string-valued variants: each name with the values it takes (the first is not necessarily the default). */
export type EnumVariantTable = Readonly<Record<string, readonly string[]>>;

/**
 * The first value in `body` that `table` does not allow, as the message a
 * `variants` call answers with 400; undefined when every value given is allowed.
 */
export function enumVariantProblem(table: EnumVariantTable, body: any): string | undefined {
    for (const [name, allowed] of Object.entries(table)) {
        const v = body?.[name];
        if (v !== undefined && !allowed.includes(v)) return `${name} must be one of ${allowed.join(", ")}`;
    }
    return undefined;
}

/** {@link VariantInfo} of string-valued variants, from the table the module validates with. */
export function enumVariantInfo<T extends EnumVariantTable>(
    table: T,
    defaults: { readonly [K in keyof T]: string },
    current: { readonly [K in keyof T]: string },
    meanings: { readonly [K in keyof T]: string },
): Record<string, VariantInfo> {
    const out: Record<string, VariantInfo> = {};
    for (const name of Object.keys(table) as Array<keyof T & string>) {
        out[name] = { values: table[name], default: defaults[name], current: current[name], meaning: meanings[name] };
    }
    return out;
}

/** The records a list shows at `now` under `variants`, in its order. */
export function listed<T extends { created: number }>(records: Iterable<T>, variants: ListVariants, now: number): T[] {
    const order = variants.listOrder === "oldest-first" ? (a: T, b: T) => a.created - b.created : (a: T, b: T) => b.created - a.created;
    return [...records].filter((r) => now - r.created >= variants.listLagMs).sort(order);
}

/**
 * `POST /variants {"listOrder"?, "listLagMs"?}` of a cloud's control API:
 * updates `variants` in place and answers them. Undefined when the call is not that one.
 */
export function listVariantsControl(method: string, path: string, body: any, variants: ListVariants): EmuResponse | undefined {
    if (path !== "/variants" || method !== "POST") return undefined;
    const { listOrder, listLagMs } = body ?? {};
    if (listOrder !== undefined && !LIST_ORDERS.includes(listOrder)) return { status: 400, body: { message: `listOrder must be one of ${LIST_ORDERS.join(", ")}` } };
    if (listLagMs !== undefined && !(Number.isFinite(listLagMs) && listLagMs >= 0)) return { status: 400, body: { message: "listLagMs must be a number of milliseconds, 0 or more" } };
    if (listOrder !== undefined) variants.listOrder = listOrder;
    if (listLagMs !== undefined) variants.listLagMs = listLagMs;
    return { status: 200, body: { ...variants } };
}
