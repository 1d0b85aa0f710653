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
    if (listOrder !== undefined && listOrder !== "oldest-first" && listOrder !== "newest-first") {
        return { status: 400, body: { message: "listOrder must be oldest-first or newest-first" } };
    }
    if (listLagMs !== undefined && !(Number.isFinite(listLagMs) && listLagMs >= 0)) return { status: 400, body: { message: "listLagMs must be a number of milliseconds, 0 or more" } };
    if (listOrder !== undefined) variants.listOrder = listOrder;
    if (listLagMs !== undefined) variants.listLagMs = listLagMs;
    return { status: 200, body: { ...variants } };
}
