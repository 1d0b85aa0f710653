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

/** Sorts records by creation time in `order`. */
export function byCreated(order: ListOrder): (a: { created: number }, b: { created: number }) => number {
    return order === "oldest-first" ? (a, b) => a.created - b.created : (a, b) => b.created - a.created;
}

/**
 * `POST /variants {"listOrder": …}` of a cloud's control API: calls `set` with
 * the order and answers it. Undefined when the call is not that one.
 */
export function listOrderVariant(method: string, path: string, body: any, set: (order: ListOrder) => void): EmuResponse | undefined {
    if (path !== "/variants" || method !== "POST") return undefined;
    const order = body?.listOrder;
    if (order !== "oldest-first" && order !== "newest-first") return { status: 400, body: { message: "listOrder must be oldest-first or newest-first" } };
    set(order);
    return { status: 200, body: { listOrder: order } };
}
