import { createHash } from "node:crypto";
import { hex, spacedTime } from "../core/ids";
import type { CloudModule, EmuContext, EmuRequest, EmuResponse } from "../core/types";
import { VariantInfo, enumVariantInfo, enumVariantProblem } from "../core/control";
import { ControlError, ControlRoute, NO_STATUS, ObjectChange, ObjectControl, ObjectKindInfo, ObjectSummary } from "../core/objects";

/** Options of {@link AlayaEmulator}. */
export interface AlayaEmulatorOptions {
    /** Open API keys the emulator accepts; each key is its own account (template names are unique per account). */
    apiKeys: string[];
}

/** Requests per second per key before the emulator throttles (Alaya publishes no limit; this one is generous). */
const REQUESTS_PER_SECOND = 50;

const TRAINING_TYPES = ["PRE_TRAINING", "HPC"];
const FRAMEWORKS = ["PyTorch", "DeepSpeed", "MPI", "TensorFlow"];
const IMAGE_TYPES = ["general", "application", "private"];

/** The create body's documented fields. A real JSON API ignores others, so the emulator drops them (a misspelling in a client then shows as a missing field). */
const DOCUMENTED_FIELDS = [
    "name",
    "desc",
    "aidcId",
    "trainingType",
    "trainingFramwork",
    "imageType",
    "image",
    "env",
    "resource",
    "enableAutoRetry",
    "storageConfigs",
    "maxRetryCount",
    "enableTimeoutCancel",
    "timeoutHours",
    "startCommand",
    "priority",
] as const;

interface TemplateRecord {
    id: string;
    account: string;
    fields: Record<string, unknown>;
    created: number;
    updated: number;
}

interface State {
    templates: Record<string, TemplateRecord>;
}

/** Resource specs the product list reports, per compute centre (shapes as the product-list page documents them). */
const PRODUCTS = [
    { name: "无卡启动", aidcId: 1, productCode: "PRD-CCI-1", cpuCores: "2", memoryGB: "4", gpuCount: "0", diskGB: "50", price: "0.0001", gpuName: "-", priceUnit: 11, remainingCount: 100, ext: {} },
    { name: "量子训练", aidcId: 2, productCode: "PRD-QTT", cpuCores: "1", memoryGB: "2", gpuCount: "1", diskGB: "100", price: "0.0002", gpuName: "NVIDIA-L40S-PCIE-48G", priceUnit: 11, remainingCount: 8, ext: {} },
    { name: "8卡训练", aidcId: 2, productCode: "PRD-H800-8", cpuCores: "96", memoryGB: "1024", gpuCount: "8", diskGB: "2000", price: "0.0400", gpuName: "NVIDIA-H800-80G", priceUnit: 11, remainingCount: 0, ext: { stockError: "库存不足" } },
];

/**
 * Alaya NeW training templates (Open API), as `reference/alaya-templates.md`
 * describes them: Bearer key, `{status, message, data}` envelope with
 * `status: 200` for success, create answering `data: {}` (no id), delete at
 * `/v1/training/template/{id}/delete`, the product list.
 *
 * The template list and detail calls are undocumented. This module implements
 * the library's DEFAULT assumptions for them on its own (it never imports
 * `sdk/`): `GET /v1/training/template/list?pageNo=&pageSize=&name=` answering
 * `data: {records, totalRows, pageNo, pageSize}`, and
 * `GET /v1/training/template/{id}`; a unit test checks the two agree.
 *
 * Where the documentation is silent the emulator picks a plausible answer:
 * error answers carry the business status as the HTTP status too, a missing
 * template is `{status: 404}`, a duplicate name `{status: 400, message: "template name already exists"}`.
 */
/**
 * What Alaya documents nowhere (sdk/alaya/assumptions.ts keeps the client's
 * side of each), as variants: `POST /_control/alaya/variants`. The first value
 * of each is the default, the shape the provider assumes.
 * - `listShape`: `records` (our assumption: `pageNo/pageSize`, `data.records/totalRows`,
 *   flat items with `createTime/updateTime`) or `rows` (Alaya's only documented
 *   template list, of an older family: `page/size`, `data.rows/count`, settings
 *   nested under `settings`, `createAt/updateAt`);
 * - `detailRoute`: `routed` (`GET /v1/training/template/{id}`) or `absent`
 *   (the gateway's 404, outside the envelope);
 * - `notFound`: `404` (envelope status 404) or `status-500` (envelope status 500,
 *   as the documented errors are only 403 and 500);
 * - `duplicateNames`: `refused` or `allowed`.
 */
const ALAYA_VARIANT_VALUES = {
    listShape: ["records", "rows"],
    detailRoute: ["routed", "absent"],
    notFound: ["404", "status-500"],
    duplicateNames: ["refused", "allowed"],
} as const;

type AlayaVariants = { -readonly [K in keyof typeof ALAYA_VARIANT_VALUES]: (typeof ALAYA_VARIANT_VALUES)[K][number] };

const DEFAULT_ALAYA_VARIANTS: AlayaVariants = { listShape: "records", detailRoute: "routed", notFound: "404", duplicateNames: "refused" };

const ALAYA_VARIANT_MEANINGS: Record<keyof AlayaVariants, string> = {
    listShape: "the template list's shape: the assumed records/totalRows, or the older documented rows/count",
    detailRoute: "whether GET /v1/training/template/{id} is routed, or answers the gateway's 404",
    notFound: "a missing template as envelope status 404, or as status 500",
    duplicateNames: "whether a second template with a name the account already uses is refused",
};

export class AlayaEmulator implements CloudModule, ObjectControl {
    readonly name = "alaya";
    readonly prefix = "/alaya";
    private state: State = { templates: {} };
    /** The undocumented parts, each a variant the provider must survive (see {@link AlayaVariants}). */
    private readonly variants: AlayaVariants = { ...DEFAULT_ALAYA_VARIANTS };

    constructor(readonly opts: AlayaEmulatorOptions) {}

    action(req: EmuRequest): string {
        const p = req.path;
        if (p === "/v1/training/template/create") return "CreateTemplate";
        if (p === "/v1/training/template/list") return "ListTemplates";
        if (/^\/v1\/training\/template\/[^/]+\/delete$/.test(p)) return "DeleteTemplate";
        if (/^\/v1\/training\/template\/[^/]+$/.test(p)) return "GetTemplate";
        if (p === "/v1/product/list-for-training-task") return "ListProducts";
        return `${req.method} ${p}`;
    }

    throttled(): EmuResponse {
        return fail(429, "Too Many Requests");
    }

    notFound(): EmuResponse {
        return fail(404, "template not found");
    }

    serverError(): EmuResponse {
        return fail(500, "Internal Server Error");
    }

    handle(req: EmuRequest, ctx: EmuContext): EmuResponse {
        const auth = String(req.headers["authorization"] ?? "");
        const key = /^Bearer (.+)$/.exec(auth)?.[1] ?? "";
        if (!this.opts.apiKeys.includes(key)) return fail(403, "Forbidden");
        const account = accountOf(key);
        const now = ctx.clock.now();
        if (!ctx.rate.allow(`alaya:${account}`, REQUESTS_PER_SECOND, now)) return this.throttled();
        const action = this.action(req);
        const expect = (method: string): EmuResponse | undefined => (req.method === method ? undefined : fail(405, "Method Not Allowed"));
        const id = decodeURIComponent(req.path.split("/")[4] ?? "");
        switch (action) {
            case "CreateTemplate":
                return expect("POST") ?? this.create(req, account, now, ctx);
            case "ListTemplates":
                return expect("GET") ?? this.list(req, account);
            case "GetTemplate":
                // Not routed: the gateway's own 404, outside the {status, message, data} envelope.
                if (this.variants.detailRoute === "absent") return { status: 404, headers: { "content-type": "text/plain" }, body: "404 page not found" };
                return expect("GET") ?? this.withTemplate(account, id, (t) => ok(this.view(t)));
            case "DeleteTemplate":
                return (
                    expect("DELETE") ??
                    this.withTemplate(account, id, (t) => {
                        delete this.state.templates[t.id];
                        ctx.markDirty();
                        return ok({});
                    })
                );
            case "ListProducts": {
                if (expect("GET")) return fail(405, "Method Not Allowed");
                const aidc = req.query.get("aidcId");
                return ok(PRODUCTS.filter((p) => aidc === null || aidc === "" || String(p.aidcId) === aidc));
            }
        }
        return fail(404, "Not Found");
    }

    private create(req: EmuRequest, account: string, now: number, ctx: EmuContext): EmuResponse {
        let body: Record<string, unknown>;
        try {
            body = JSON.parse(req.body.toString("utf8"));
        } catch {
            return fail(400, "Bad Request: body is not valid JSON");
        }
        if (!body || typeof body !== "object" || Array.isArray(body)) return fail(400, "Bad Request: body must be a JSON object");
        const problem = invalid(body);
        if (problem) return fail(400, `Bad Request: ${problem}`);
        const name = String(body.name);
        if (this.variants.duplicateNames === "refused" && Object.values(this.state.templates).some((t) => t.account === account && t.fields.name === name)) {
            return fail(400, `template name already exists: ${name}`);
        }
        const fields: Record<string, unknown> = {};
        for (const f of DOCUMENTED_FIELDS) if (body[f] !== undefined) fields[f] = body[f];
        const id = `tpl_${hex(20)}`;
        this.state.templates[id] = { id, account, fields, created: now, updated: now };
        ctx.markDirty();
        // Documented: a successful create returns no business data.
        return ok({});
    }

    private list(req: EmuRequest, account: string): EmuResponse {
        const rows = this.variants.listShape === "rows";
        const [pageParam, sizeParam] = rows ? ["page", "size"] : ["pageNo", "pageSize"];
        const pageNo = Math.max(1, Math.floor(Number(req.query.get(pageParam) ?? 1)) || 1);
        const pageSize = Math.min(100, Math.max(1, Math.floor(Number(req.query.get(sizeParam) ?? 10)) || 10));
        const name = req.query.get("name");
        // Like most consoles, the name filter matches substrings: clients must still compare names exactly.
        const all = Object.values(this.state.templates)
            .filter((t) => t.account === account && (!name || String(t.fields.name).includes(name)))
            .sort((a, b) => b.created - a.created || a.id.localeCompare(b.id));
        const page = all.slice((pageNo - 1) * pageSize, pageNo * pageSize).map((t) => this.view(t));
        return ok(rows ? { rows: page, count: all.length } : { records: page, totalRows: all.length, pageNo, pageSize });
    }

    /** A template as the list and detail show it, in the shape the `listShape` variant names. */
    private view(t: TemplateRecord): Record<string, unknown> {
        if (this.variants.listShape === "records") return view(t);
        // The only documented template list (an older Alaya family): settings nested, times named createAt/updateAt.
        const { name, desc, ...settings } = t.fields;
        return { id: t.id, name, desc, settings, createAt: spacedTime(t.created), updateAt: spacedTime(t.updated) };
    }

    private withTemplate(account: string, id: string, fn: (t: TemplateRecord) => EmuResponse): EmuResponse {
        const t = this.state.templates[id];
        if (t && t.account === account) return fn(t);
        return this.variants.notFound === "status-500" ? fail(500, "Internal Server Error") : fail(404, "template not found");
    }

    /**
     * Control calls under `/_control/alaya`:
     * - `GET /templates`: every template of every account, as the API shows it;
     * - `POST /templates/<id>/edit {fields}`: changes documented fields behind the provider's back (a console edit);
     * - `DELETE /templates/<id>`: deletes one behind the provider's back.
     */
    control(method: string, path: string, body: any, ctx: EmuContext): EmuResponse | undefined {
        if (path === "/templates" && method === "GET") return ok(Object.values(this.state.templates).map(view));
        if (path === "/variants" && method === "POST") {
            const problem = enumVariantProblem(ALAYA_VARIANT_VALUES, body);
            if (problem) return { status: 400, body: { message: problem } };
            for (const key of Object.keys(ALAYA_VARIANT_VALUES)) if (body?.[key] !== undefined) (this.variants as Record<string, string>)[key] = body[key];
            return { status: 200, body: { ...this.variants } };
        }
        const edit = /^\/templates\/([^/]+)\/edit$/.exec(path);
        if (edit && method === "POST") {
            const t = this.state.templates[decodeURIComponent(edit[1])];
            if (!t) return fail(404, "template not found");
            const changes = (body?.fields ?? {}) as Record<string, unknown>;
            const unknown = Object.keys(changes).find((k) => !(DOCUMENTED_FIELDS as readonly string[]).includes(k));
            if (unknown !== undefined) return fail(400, `not a template field: ${unknown}`);
            applyEdit(t, changes, ctx);
            return ok(view(t));
        }
        const del = /^\/templates\/([^/]+)$/.exec(path);
        if (del && method === "DELETE") {
            const id = decodeURIComponent(del[1]);
            if (!this.state.templates[id]) return fail(404, "template not found");
            delete this.state.templates[id];
            ctx.markDirty();
            return ok({});
        }
        return undefined;
    }

    /** The uniform object API's view of Alaya: templates, all accounts. */
    readonly objectKinds: readonly ObjectKindInfo[] = [
        {
            kind: "template",
            meaning: "a training template (POST /v1/training/template/create), any account; templates have no status",
            forceStatuses: [],
            reasonStatuses: [],
            // Every documented create field: the older Alaya family documents an update taking the create body (reference/alaya-templates.md §4).
            editable: Object.fromEntries(DOCUMENTED_FIELDS.map((f) => [f, "as in the create body, checked as create checks it (null clears it)"])),
            deletable: true,
        },
    ];

    readonly controlRoutes: readonly ControlRoute[] = [
        { method: "GET", path: "/_control/alaya/templates", meaning: "every template of every account, as the API shows it" },
        { method: "POST", path: "/_control/alaya/templates/<id>/edit", body: "{fields: {<field>: <value>}}", meaning: "change documented fields behind the provider's back (a console edit)" },
        { method: "DELETE", path: "/_control/alaya/templates/<id>", meaning: "delete a template out of band" },
    ];

    listObjects(): ObjectSummary[] {
        return Object.values(this.state.templates).map(templateSummary);
    }

    /** Never called: templates declare no status to force (the server refuses the call first). */
    forceObject(): ObjectChange {
        throw new ControlError(400, "status: an alaya template has no status to force");
    }

    deleteObject(_kind: string, id: string, ctx: EmuContext): ObjectSummary {
        const t = this.templateForControl(id);
        delete this.state.templates[id];
        ctx.markDirty();
        return templateSummary(t);
    }

    /** A console edit: the result must pass the checks a create passes (the console validates its form too). */
    editObject(_kind: string, id: string, fields: Record<string, unknown>, ctx: EmuContext): ObjectChange {
        const t = this.templateForControl(id);
        const merged: Record<string, unknown> = { ...t.fields };
        for (const [k, v] of Object.entries(fields)) {
            if (v === null) delete merged[k];
            else merged[k] = v;
        }
        const problem = invalid(merged);
        if (problem) throw new ControlError(400, problem);
        applyEdit(t, fields, ctx);
        return { object: templateSummary(t), view: this.view(t) };
    }

    variantInfo(): Record<string, VariantInfo> {
        return enumVariantInfo(ALAYA_VARIANT_VALUES, DEFAULT_ALAYA_VARIANTS, this.variants, ALAYA_VARIANT_MEANINGS);
    }

    private templateForControl(id: string): TemplateRecord {
        const t = this.state.templates[id];
        if (!t) throw new ControlError(404, `no alaya template ${id}`);
        return t;
    }

    snapshot(): unknown {
        return this.state;
    }

    restore(state: unknown): void {
        this.state = { templates: (state as Partial<State> | undefined)?.templates ?? {} };
    }
}

/** Sets (or, for `null`, removes) the given fields and moves the update time, as a console save does. */
function applyEdit(t: TemplateRecord, changes: Record<string, unknown>, ctx: EmuContext): void {
    for (const [k, v] of Object.entries(changes)) {
        if (v === null) delete t.fields[k];
        else t.fields[k] = v;
    }
    t.updated = Math.max(ctx.clock.now(), t.updated + 1000);
    ctx.markDirty();
}

function templateSummary(t: TemplateRecord): ObjectSummary {
    return { kind: "template", id: t.id, name: String(t.fields.name ?? ""), status: NO_STATUS };
}

/** Accounts are keyed by a hash of the key, so a persisted state file holds no key. */
function accountOf(key: string): string {
    return createHash("sha256").update(key).digest("hex").slice(0, 12);
}

/** A template as list items and the detail call show it: the stored fields plus id and times. */
function view(t: TemplateRecord): Record<string, unknown> {
    return { id: t.id, ...t.fields, createTime: spacedTime(t.created), updateTime: spacedTime(t.updated) };
}

/** What a plausible server-side validation refuses. The page marks nothing required; a template without a name cannot be listed, so `name` is. */
function invalid(b: Record<string, unknown>): string | undefined {
    if (typeof b.name !== "string" || !b.name.trim()) return "name must not be empty";
    if (b.desc !== undefined && typeof b.desc !== "string") return "desc must be a string";
    if (b.aidcId !== undefined && !Number.isInteger(b.aidcId)) return "aidcId must be an integer";
    if (b.trainingType !== undefined && !TRAINING_TYPES.includes(String(b.trainingType))) return `trainingType must be one of ${TRAINING_TYPES.join(", ")}`;
    if (b.trainingFramwork !== undefined && !FRAMEWORKS.includes(String(b.trainingFramwork))) return `trainingFramwork must be one of ${FRAMEWORKS.join(", ")}`;
    if (b.imageType !== undefined && !IMAGE_TYPES.includes(String(b.imageType))) return `imageType must be one of ${IMAGE_TYPES.join(", ")}`;
    for (const f of ["env", "resource"]) if (b[f] !== undefined && (b[f] === null || typeof b[f] !== "object" || Array.isArray(b[f]))) return `${f} must be an object`;
    if (b.storageConfigs !== undefined && !Array.isArray(b.storageConfigs)) return "storageConfigs must be an array";
    for (const f of ["maxRetryCount", "timeoutHours"]) if (b[f] !== undefined && !Number.isInteger(b[f])) return `${f} must be an integer`;
    if (b.priority !== undefined && (!Number.isInteger(b.priority) || (b.priority as number) < 1 || (b.priority as number) > 3)) return "priority must be an integer from 1 to 3";
    for (const f of ["enableAutoRetry", "enableTimeoutCancel"]) if (b[f] !== undefined && typeof b[f] !== "boolean") return `${f} must be a boolean`;
    return undefined;
}

function ok(data: unknown): EmuResponse {
    return { status: 200, body: { status: 200, message: "OK", data } };
}

/** Documented error bodies carry `data: {}`; the HTTP status mirrors the business status (undocumented). */
function fail(status: number, message: string): EmuResponse {
    return { status, body: { status, message, data: {} } };
}
