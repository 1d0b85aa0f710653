/**
 * The uniform control API: one way to list, force, delete and edit every
 * object the emulator holds, whatever its cloud. Each cloud module keeps its
 * own control calls (`/_control/<cloud>/...`, which many tests use); this
 * layer maps one request shape onto each module's existing logic, so a user
 * testing their own stack learns one API instead of four:
 *
 * - `GET /_control/objects[?cloud=&kind=]`: `[{cloud, kind, id, name, status}]`;
 * - `POST /_control/objects/<cloud>/<kind>/<id>/force {status, reason?}`;
 * - `DELETE /_control/objects/<cloud>/<kind>/<id>`;
 * - `PATCH /_control/objects/<cloud>/<kind>/<id> {field: value, ...}`.
 *
 * The generic checks (kind known, status one the kind accepts, `reason` only
 * with a failure status, fields editable) happen here, from what each module
 * declares in {@link ObjectControl.objectKinds}; a module checks only values.
 */
import type { CloudModule, EmuContext, EmuResponse } from "./types";
import type { VariantInfo } from "./control";

/** One object the emulator holds, in the shape every cloud shares. */
export interface EmulatedObject {
    /** Module name: `dashscope`, `tione`, `polardb`, `alaya`. */
    cloud: string;
    /** Object kind within the cloud: `fine-tune`, `file`, `task`, `cluster`, `template`. */
    kind: string;
    /** The cloud's own id (`train-…`, `ft-…`, `pm-…`, `tpl_…`). */
    id: string;
    /** The name the object was created with (TI-ONE `Name`, PolarDB `TaskName`, …); empty when it has none. */
    name: string;
    /** The cloud's own status string; {@link NO_STATUS} for kinds that have none. */
    status: string;
}

/** What a module reports for one object; the server adds `cloud`. */
export type ObjectSummary = Omit<EmulatedObject, "cloud">;

/** The status reported for kinds whose cloud gives them none (DashScope files, Alaya templates). */
export const NO_STATUS = "ACTIVE";

/** What the uniform API can do with one kind of object, as a module declares it (and `GET /_control` shows it). */
export interface ObjectKindInfo {
    kind: string;
    /** One line: what the object is. */
    meaning: string;
    /** Statuses `force` accepts, in the cloud's own spelling; empty when the kind has no status to force. */
    forceStatuses: readonly string[];
    /** The statuses with which `reason` is accepted: those whose failure text the cloud shows. */
    reasonStatuses: readonly string[];
    /** Where `reason` shows up in the cloud's own answers (`FailureReason`, `message`, …). */
    reasonField?: string;
    /** Fields `PATCH` may change, each with one line on what a console edit of it means. Empty: nothing is editable. */
    editable: Readonly<Record<string, string>>;
    /** Whether `DELETE` may remove it out of band. */
    deletable: boolean;
}

/** A control call's error: the HTTP status and a message naming what was wrong. */
export class ControlError extends Error {
    constructor(
        readonly status: 400 | 404 | 409,
        message: string,
    ) {
        super(message);
    }
}

/** What force and edit answer: the object in the uniform shape, and as the cloud's own read shows it. */
export interface ObjectChange {
    object: ObjectSummary;
    /** The cloud's own view of it (TI-ONE detail, DashScope job, …). */
    view: unknown;
}

/** One control route, as `GET /_control` lists it. Paths are full (`/_control/...`); `<name>` marks a path parameter. */
export interface ControlRoute {
    method: "GET" | "POST" | "DELETE" | "PATCH";
    path: string;
    /** The body's shape, when it takes one (`{status, reason?}`). */
    body?: string;
    /** The query it takes, when it takes one (`?cloud=&kind=`). */
    query?: string;
    /** One line: what it does. */
    meaning: string;
}

/**
 * The uniform object API of one cloud module. Methods are called only after
 * the generic checks passed; they throw {@link ControlError} for a missing id
 * or a bad value. Each must mark the state dirty when it changes it.
 */
export interface ObjectControl {
    /** The kinds this cloud holds, with what may be forced and edited on each. */
    readonly objectKinds: readonly ObjectKindInfo[];
    /** The module's own control calls under `/_control/<cloud>/...` (the `variants` call excepted: the server lists it from {@link variantInfo}). */
    readonly controlRoutes: readonly ControlRoute[];
    /** Every object the module holds, all regions and accounts. */
    listObjects(ctx: EmuContext): ObjectSummary[];
    /** Jumps the object to `status` now; `reason` (only with a failure status) becomes the cloud's failure text. */
    forceObject(kind: string, id: string, status: string, reason: string | undefined, ctx: EmuContext): ObjectChange;
    /** Removes the object out of band, whatever its status; answers it as it was. */
    deleteObject(kind: string, id: string, ctx: EmuContext): ObjectSummary;
    /** Changes fields as a console edit would (drift); `null` clears a field. */
    editObject(kind: string, id: string, fields: Record<string, unknown>, ctx: EmuContext): ObjectChange;
    /** Every switch of `POST /_control/<cloud>/variants`, read from where the module defines it. */
    variantInfo(): Record<string, VariantInfo>;
}

/** Whether a module implements the uniform object API. */
export function hasObjectControl(m: CloudModule): m is CloudModule & ObjectControl {
    const o = m as Partial<ObjectControl>;
    return Array.isArray(o.objectKinds) && typeof o.listObjects === "function";
}

/** A route the server serves: its description plus how to match and answer it. */
export interface ServedRoute extends ControlRoute {
    /** Matches the path after `/_control`; capture groups are the path parameters, still percent-encoded. */
    pattern: RegExp;
    handle(params: string[], body: unknown, query: URLSearchParams): EmuResponse;
}

const FORCE_BODY_KEYS = new Set(["status", "reason"]);

/** The body the server hands a route when the request's body is not JSON (older routes read it as `{}`). */
export const INVALID_JSON: unique symbol = Symbol("invalid JSON");

/** Answers a control call's error in the control API's `{message}` shape. */
export function controlAnswer(fn: () => EmuResponse): EmuResponse {
    try {
        return fn();
    } catch (e) {
        if (e instanceof ControlError) return { status: e.status, body: { message: e.message } };
        throw e;
    }
}

/** The uniform object routes over `modules`, ready for the server's route table. */
export function objectRoutes(modules: readonly CloudModule[], ctx: EmuContext): ServedRoute[] {
    const clouds = modules.filter(hasObjectControl);
    const cloudNames = () => clouds.map((m) => m.name).join(", ");

    /** The module and kind a path names; 404 naming whichever is unknown. */
    const resolve = (cloudParam: string, kindParam: string): { m: CloudModule & ObjectControl; info: ObjectKindInfo } => {
        const cloud = decodeURIComponent(cloudParam);
        const kind = decodeURIComponent(kindParam);
        const m = clouds.find((c) => c.name === cloud);
        if (!m) throw new ControlError(404, `no emulated cloud ${cloud} (clouds: ${cloudNames()})`);
        const info = m.objectKinds.find((k) => k.kind === kind);
        if (!info) throw new ControlError(404, `${cloud} has no object kind ${kind} (kinds: ${m.objectKinds.map((k) => k.kind).join(", ")})`);
        return { m, info };
    };
    const withCloud = (m: CloudModule, o: ObjectSummary): EmulatedObject => ({ cloud: m.name, ...o });
    const objectPath = "/_control/objects/<cloud>/<kind>/<id>";

    return [
        {
            method: "GET",
            path: "/_control/objects",
            query: "?cloud=<cloud>&kind=<kind> (both optional)",
            meaning: "every object the emulator holds, as [{cloud, kind, id, name, status}]",
            pattern: /^\/objects$/,
            handle: (_p, _b, query) =>
                controlAnswer(() => {
                    const cloud = query.get("cloud") || undefined;
                    const kind = query.get("kind") || undefined;
                    const picked = cloud ? clouds.filter((m) => m.name === cloud) : clouds;
                    if (cloud && picked.length === 0) throw new ControlError(400, `cloud: no emulated cloud ${cloud} (clouds: ${cloudNames()})`);
                    if (kind && !picked.some((m) => m.objectKinds.some((k) => k.kind === kind))) {
                        const known = [...new Set(picked.flatMap((m) => m.objectKinds.map((k) => k.kind)))].join(", ");
                        throw new ControlError(400, `kind: no object kind ${kind}${cloud ? ` in ${cloud}` : ""} (kinds: ${known})`);
                    }
                    const objects = picked.flatMap((m) => m.listObjects(ctx).map((o) => withCloud(m, o))).filter((o) => !kind || o.kind === kind);
                    return { status: 200, body: { objects } };
                }),
        },
        {
            method: "POST",
            path: `${objectPath}/force`,
            body: "{status, reason?}",
            meaning: "jump the object to the cloud's own status now; reason (failure statuses only) becomes the cloud's failure text",
            pattern: /^\/objects\/([^/]+)\/([^/]+)\/([^/]+)\/force$/,
            handle: ([cloud, kind, id], body) =>
                controlAnswer(() => {
                    const { m, info } = resolve(cloud, kind);
                    const b = requireObjectBody(body);
                    const extra = Object.keys(b).find((k) => !FORCE_BODY_KEYS.has(k));
                    if (extra !== undefined) throw new ControlError(400, `${extra}: not a field of the force body, which is {status, reason?}`);
                    if (info.forceStatuses.length === 0) throw new ControlError(400, `status: ${an(m.name)} ${info.kind} has no status to force`);
                    if (typeof b.status !== "string" || !b.status) throw new ControlError(400, `status: required, one of ${info.forceStatuses.join(", ")}`);
                    if (!info.forceStatuses.includes(b.status)) throw new ControlError(400, `status: ${an(m.name)} ${info.kind} takes one of ${info.forceStatuses.join(", ")}, got ${b.status}`);
                    if (b.reason !== undefined && typeof b.reason !== "string") throw new ControlError(400, "reason: must be a string");
                    if (b.reason !== undefined && !info.reasonStatuses.includes(b.status)) {
                        throw new ControlError(400, `reason: ${m.name} shows a failure text only with ${info.reasonStatuses.join(", ") || "no status"}, not ${b.status}`);
                    }
                    const change = m.forceObject(info.kind, decodeURIComponent(id), b.status, b.reason as string | undefined, ctx);
                    return { status: 200, body: { object: withCloud(m, change.object), view: change.view } };
                }),
        },
        {
            method: "DELETE",
            path: objectPath,
            meaning: "delete the object out of band, whatever its status (as a person in the console would)",
            pattern: /^\/objects\/([^/]+)\/([^/]+)\/([^/]+)$/,
            handle: ([cloud, kind, id]) =>
                controlAnswer(() => {
                    const { m, info } = resolve(cloud, kind);
                    if (!info.deletable) throw new ControlError(400, `${an(m.name)} ${info.kind} cannot be deleted through the control API`);
                    return { status: 200, body: { object: withCloud(m, m.deleteObject(info.kind, decodeURIComponent(id), ctx)) } };
                }),
        },
        {
            method: "PATCH",
            path: objectPath,
            body: "{<field>: <value>, ...} (null clears a field)",
            meaning: "edit fields as a console edit would (drift); GET /_control lists the editable fields per kind",
            pattern: /^\/objects\/([^/]+)\/([^/]+)\/([^/]+)$/,
            handle: ([cloud, kind, id], body) =>
                controlAnswer(() => {
                    const { m, info } = resolve(cloud, kind);
                    const fields = requireObjectBody(body);
                    const names = Object.keys(fields);
                    if (names.length === 0) throw new ControlError(400, "the body names no field to edit");
                    const editable = Object.keys(info.editable);
                    const refused = names.find((f) => !editable.includes(f));
                    if (refused !== undefined) {
                        throw new ControlError(400, `${refused}: not an editable field of ${an(m.name)} ${info.kind} (${editable.length ? `editable: ${editable.join(", ")}` : "it has none"})`);
                    }
                    const change = m.editObject(info.kind, decodeURIComponent(id), fields, ctx);
                    return { status: 200, body: { object: withCloud(m, change.object), view: change.view } };
                }),
        },
    ];
}

/** `a tione`, `an alaya`: messages read as sentences. */
function an(word: string): string {
    return `${/^[aeiou]/i.test(word) ? "an" : "a"} ${word}`;
}

function requireObjectBody(body: unknown): Record<string, unknown> {
    if (body === INVALID_JSON) throw new ControlError(400, "the body is not valid JSON");
    if (!body || typeof body !== "object" || Array.isArray(body)) throw new ControlError(400, "the body must be a JSON object");
    return body as Record<string, unknown>;
}
