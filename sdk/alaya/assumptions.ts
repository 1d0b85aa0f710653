/**
 * Every assumption this library makes about the parts of the Alaya NeW Open
 * API that no official page documents, in one place.
 *
 * Documented (and therefore NOT here): create `POST /v1/training/template/create`
 * (answers `data: {}`, no id), delete `DELETE /v1/training/template/{id}/delete`,
 * product list `GET /v1/product/list-for-training-task`, the Bearer key and the
 * `{status, message, data}` envelope with `status: 200` for success
 * (https://docs.alayanew.com/cn/docs/api-reference/distributed-training/template-create,
 * .../template-delete, https://docs.alayanew.com/en/docs/api-reference/distributed-training/product-list).
 *
 * Undocumented (and therefore here): how to list templates, how to read one,
 * where the list keeps its items and total, what the items' fields are called,
 * what an id looks like, how a duplicate name and a missing template are
 * reported, and how fast we may call. The delete page only says that ids come
 * from "the template list" (reference/alaya-templates.md §2, §3).
 *
 * When the real contract is confirmed, the fix is an edit of
 * {@link DEFAULT_ALAYA_CONTRACT}; until then a user can override any value
 * without a release through stack config `alaya:<key>` (the key names are the
 * property names below, e.g. `pulumi config set alaya:templateListPath /v1/training/template/page`).
 * The emulator implements the defaults independently, and a unit test checks
 * that it answers the shapes described here. It also offers the other
 * plausible answers as variants (`POST /_control/alaya/variants`): `listShape:
 * "rows"` (Alaya's only documented template list, of an older family; a user
 * facing it sets `templateListPageParam=page`, `templateListPageSizeParam=size`,
 * `templateListItemsPath=rows`, `templateListTotalPath=count`,
 * `templateSettingsPath=settings`, `templateCreateTimeField=createAt`,
 * `templateUpdateTimeField=updateAt`), `detailRoute: "absent"` and
 * `notFound: "status-500"` (the client then reads templates from the list; no
 * setting needed) and `duplicateNames: "allowed"` (no setting needed: an
 * unanswered create is never resent). tests/engine/variants.spec.ts runs the
 * lifecycle under each.
 */

/** The unverified contract of the template list and detail calls. Every property is an assumption. */
export interface AlayaContract {
    /**
     * ASSUMPTION: path of the template list. Unverified: no list endpoint is
     * documented; `/v1/training/template/list` follows the `/v1/training/template/<verb>`
     * pattern of create and the older family's `/template/list`.
     */
    templateListPath: string;
    /** ASSUMPTION: HTTP method of the template list. With `POST` the paging and name parameters go in a JSON body instead of the query. Unverified. */
    templateListMethod: "GET" | "POST";
    /**
     * ASSUMPTION: name of the page-number parameter. Unverified: the older
     * serverless family uses `page`; an unofficial CCI script on the same
     * gateway uses `pageNo` (reference §5), which we follow.
     */
    templateListPageParam: string;
    /** ASSUMPTION: name of the page-size parameter (`size` in the older family, `pageSize` in the CCI script). Unverified. */
    templateListPageSizeParam: string;
    /** ASSUMPTION: number of the first page (1-based in both known families). Unverified. */
    templateListFirstPage: number;
    /** ASSUMPTION: page size we ask for; 100 is the older family's documented maximum. Unverified for this family. */
    templateListPageSize: number;
    /**
     * ASSUMPTION: name of a server-side name filter, `""` for none. Unverified
     * (the older family has `name`). The client always re-checks names
     * exactly, so a fuzzy or ignored filter only costs extra pages.
     */
    templateListNameParam: string;
    /** ASSUMPTION: dotted path inside `data` to the array of items (`records` in the CCI script, `rows` in the older family; `""` when `data` is the array). Unverified. */
    templateListItemsPath: string;
    /** ASSUMPTION: dotted path inside `data` to the total count (`totalRows` in the CCI script, `count` in the older family; `""` when there is none). Unverified. */
    templateListTotalPath: string;
    /**
     * ASSUMPTION: path of the template detail call, `{id}` standing for the
     * template id; `""` when there is no detail call (then the client pages
     * the list and filters by id; in config: `none`). Unverified: no detail
     * endpoint is documented.
     */
    templateDetailPath: string;
    /** ASSUMPTION: HTTP method of the detail call. Unverified. */
    templateDetailMethod: "GET" | "POST";
    /** ASSUMPTION: dotted path inside the detail answer's `data` to the template (`""` when `data` is the template). Unverified. */
    templateDetailItemPath: string;
    /** ASSUMPTION: business `status` values that mean "no such template" on detail and delete (documented errors are only 403 and 500). Unverified. */
    templateNotFoundStatuses: number[];
    /** Field of a list item holding the template id. Documented only as "the template list's `id`" (template-delete page); the name is the one documented fact here. */
    templateIdField: string;
    /** ASSUMPTION: field of a list item holding the template name (the create body's `name`). Unverified. */
    templateNameField: string;
    /** ASSUMPTION: field holding the description (the create body's `desc`). Unverified. */
    templateDescField: string;
    /** ASSUMPTION: field holding the creation time (`createAt` in the older family). Unverified; a missing field only leaves the output empty. */
    templateCreateTimeField: string;
    /** ASSUMPTION: field holding the last-change time. Unverified; a missing field only leaves the output empty. */
    templateUpdateTimeField: string;
    /**
     * ASSUMPTION: dotted path inside an item to the template's settings, named
     * as in the create body (`""` when they sit on the item itself, as we
     * assume; the older family nests them under `settings`). Unverified.
     */
    templateSettingsPath: string;
    /**
     * INFERENCE: template id format. The delete page's only example is
     * `tpl_6f1a62c0a5bf4e0c9b2f`; `tpl_` + 20 lowercase hex is read from that
     * one example. Used to accept an id from a create answer that ever carries one.
     */
    templateIdPattern: string;
    /**
     * ASSUMPTION: fields of the create answer's `data` that may carry the new
     * id. Documented: the answer carries none today (`data: {}`); if one ever
     * appears we use it and skip the lookup by name.
     */
    createIdFields: string[];
    /** ASSUMPTION: how a create refused for a duplicate name reads (a regular expression over `message`, case-insensitive). Unverified: duplicate names are not documented at all. */
    duplicateNamePattern: string;
}

/** The values we use until Alaya documents the contract. Edit here when it is confirmed. */
export const DEFAULT_ALAYA_CONTRACT: Readonly<AlayaContract> = Object.freeze({
    templateListPath: "/v1/training/template/list",
    templateListMethod: "GET",
    templateListPageParam: "pageNo",
    templateListPageSizeParam: "pageSize",
    templateListFirstPage: 1,
    templateListPageSize: 100,
    templateListNameParam: "name",
    templateListItemsPath: "records",
    templateListTotalPath: "totalRows",
    templateDetailPath: "/v1/training/template/{id}",
    templateDetailMethod: "GET",
    templateDetailItemPath: "",
    templateNotFoundStatuses: [404],
    templateIdField: "id",
    templateNameField: "name",
    templateDescField: "desc",
    templateCreateTimeField: "createTime",
    templateUpdateTimeField: "updateTime",
    templateSettingsPath: "",
    templateIdPattern: "^tpl_[0-9a-f]{20}$",
    createIdFields: ["id", "templateId"],
    duplicateNamePattern: "already exists|duplicate|已存在|重复",
} satisfies AlayaContract);

/**
 * ASSUMPTION: the request rate we allow ourselves, shared by every Alaya
 * client of one base URL in a process. Source: assumption, no limit is
 * published: no rate is documented for the Open API (only the older
 * serverless-training API lists HTTP 429 at all, reference/alaya-templates.md §4). 5 requests/s with a burst of 10 keeps a large stack polite; a
 * 429 lowers it (AIMD, `sdk/core/rateLimiter.ts`). Configurable: the client's
 * `rateLimit`, or `pulumi-training:alayaRequestsPerSecond`.
 */
export const ALAYA_RATE_LIMIT = Object.freeze({ perSecond: 5, burst: 10 } as const);

/** The contract keys, which are also the stack config keys (`alaya:<key>`) that override them. */
export const ALAYA_CONTRACT_KEYS = Object.keys(DEFAULT_ALAYA_CONTRACT) as ReadonlyArray<keyof AlayaContract>;

/** `base` with `overrides` applied; each override is checked against the type of the default so a typo fails loudly. */
export function mergeContract(base: Readonly<AlayaContract>, overrides: Partial<AlayaContract>): AlayaContract {
    const out = { ...base, templateNotFoundStatuses: [...base.templateNotFoundStatuses], createIdFields: [...base.createIdFields] } as AlayaContract;
    for (const [key, value] of Object.entries(overrides) as Array<[keyof AlayaContract, unknown]>) {
        if (value === undefined) continue;
        if (!(key in base)) throw new Error(`unknown Alaya contract key "${key}"; known keys: ${ALAYA_CONTRACT_KEYS.join(", ")}`);
        const expected = Array.isArray(base[key]) ? "array" : typeof base[key];
        const actual = Array.isArray(value) ? "array" : typeof value;
        if (expected !== actual) throw new Error(`Alaya contract key "${key}" must be a ${expected}, got ${actual}`);
        (out as unknown as Record<string, unknown>)[key] = value;
    }
    return out;
}

/**
 * Overrides from string settings (stack config values are strings): numbers
 * parse as numbers, lists are comma-separated, `none` stands for the empty
 * string (an empty config value reads as "not set"), so
 * `alaya:templateDetailPath none` means "no detail call". `lookup` returns
 * undefined for keys that are not set.
 */
export function contractOverridesFromStrings(lookup: (key: keyof AlayaContract) => string | undefined): Partial<AlayaContract> {
    const out: Record<string, unknown> = {};
    for (const key of ALAYA_CONTRACT_KEYS) {
        const raw = lookup(key);
        if (raw === undefined) continue;
        const model = DEFAULT_ALAYA_CONTRACT[key];
        if (typeof model === "number") {
            const n = Number(raw);
            if (!Number.isFinite(n)) throw new Error(`config alaya:${key} must be a number, got "${raw}"`);
            out[key] = n;
        } else if (Array.isArray(model)) {
            const items = raw.split(",").map((s) => s.trim()).filter(Boolean);
            out[key] = typeof model[0] === "number" ? items.map(Number) : items;
        } else if (key === "templateListMethod" || key === "templateDetailMethod") {
            const m = raw.toUpperCase();
            if (m !== "GET" && m !== "POST") throw new Error(`config alaya:${key} must be GET or POST, got "${raw}"`);
            out[key] = m;
        } else out[key] = raw.trim().toLowerCase() === "none" ? "" : raw;
    }
    return out as Partial<AlayaContract>;
}

/** The value at a dotted path (`""` is the value itself); undefined when any step is missing. */
export function atPath(root: unknown, path: string): unknown {
    if (!path) return root;
    let cur: unknown = root;
    for (const step of path.split(".")) {
        if (cur === null || typeof cur !== "object") return undefined;
        cur = (cur as Record<string, unknown>)[step];
    }
    return cur;
}

/** A template as the contract reads it from a list item or a detail answer. */
export interface ContractTemplate {
    /** The template id. */
    id: string;
    /** The template name. */
    name: string;
    /** The description as the API stores it (`desc`), when reported. */
    desc?: string;
    /** Creation time as the API prints it, when reported. */
    createTime?: string;
    /** Last-change time as the API prints it, when reported. */
    updateTime?: string;
    /** The template's settings under the create body's field names, as reported. */
    settings: Record<string, unknown>;
    /** The item exactly as it came. */
    raw: Record<string, unknown>;
}

/** One page of the list, read through the contract. */
export interface ContractPage {
    items: ContractTemplate[];
    /** Total count across pages, when the answer carries one at the assumed path. */
    total?: number;
}

/** Thrown when an answer does not have the shape the contract assumes: the message names the contract key to fix. */
export class ContractMismatchError extends Error {
    constructor(readonly contractKey: keyof AlayaContract, message: string) {
        super(`${message}. This part of the Alaya API is undocumented and assumed; if Alaya answers differently, set \`pulumi config set alaya:${contractKey} <value>\` (see sdk/alaya/assumptions.ts)`);
        this.name = "ContractMismatchError";
    }
}

const optionalString = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));

/** Reads one list item or detail answer through the contract. */
export function readTemplateItem(item: unknown, contract: AlayaContract): ContractTemplate {
    if (item === null || typeof item !== "object" || Array.isArray(item)) {
        throw new ContractMismatchError("templateListItemsPath", `expected a template object, got ${JSON.stringify(item)?.slice(0, 80)}`);
    }
    const raw = item as Record<string, unknown>;
    const id = raw[contract.templateIdField];
    if (typeof id !== "string" && typeof id !== "number") {
        throw new ContractMismatchError("templateIdField", `template item has no "${contract.templateIdField}" field (keys: ${Object.keys(raw).join(", ")})`);
    }
    const settingsAt = atPath(raw, contract.templateSettingsPath);
    const settings = settingsAt && typeof settingsAt === "object" && !Array.isArray(settingsAt) ? (settingsAt as Record<string, unknown>) : {};
    return {
        id: String(id),
        name: String(raw[contract.templateNameField] ?? settings.name ?? ""),
        desc: optionalString(raw[contract.templateDescField] ?? settings.desc),
        createTime: optionalString(raw[contract.templateCreateTimeField]),
        updateTime: optionalString(raw[contract.templateUpdateTimeField]),
        settings,
        raw,
    };
}

/** Reads one list answer's `data` through the contract. */
export function readListPage(data: unknown, contract: AlayaContract): ContractPage {
    const items = atPath(data, contract.templateListItemsPath);
    if (!Array.isArray(items)) {
        throw new ContractMismatchError("templateListItemsPath", `the template list answer has no array at data${contract.templateListItemsPath ? "." + contract.templateListItemsPath : ""}`);
    }
    const rawTotal = contract.templateListTotalPath ? atPath(data, contract.templateListTotalPath) : undefined;
    const total = rawTotal === undefined || rawTotal === null || !Number.isFinite(Number(rawTotal)) ? undefined : Number(rawTotal);
    return { items: items.map((i) => readTemplateItem(i, contract)), total };
}

/** Reads the detail answer's `data` through the contract; undefined when it holds no template (`{}` or null). */
export function readDetail(data: unknown, contract: AlayaContract): ContractTemplate | undefined {
    const item = atPath(data, contract.templateDetailItemPath);
    if (item === undefined || item === null) return undefined;
    if (typeof item === "object" && !Array.isArray(item) && Object.keys(item).length === 0) return undefined;
    return readTemplateItem(item, contract);
}

/** The id a create answer carries, if it ever carries one in a form that matches the id pattern. */
export function idFromCreateAnswer(data: unknown, contract: AlayaContract): string | undefined {
    if (typeof data === "string") return new RegExp(contract.templateIdPattern).test(data) ? data : undefined;
    if (!data || typeof data !== "object") return undefined;
    for (const f of contract.createIdFields) {
        const v = (data as Record<string, unknown>)[f];
        if (typeof v === "string" && new RegExp(contract.templateIdPattern).test(v)) return v;
    }
    return undefined;
}

/** The list request's parameters (query for GET, JSON body for POST). */
export function listParameters(contract: AlayaContract, page: number, pageSize: number, name?: string): Record<string, string | number> {
    const params: Record<string, string | number> = {
        [contract.templateListPageParam]: page,
        [contract.templateListPageSizeParam]: pageSize,
    };
    if (name && contract.templateListNameParam) params[contract.templateListNameParam] = name;
    return params;
}

/** The detail path for `id`, or undefined when the contract has no detail call. */
export function detailPath(contract: AlayaContract, id: string): string | undefined {
    return contract.templateDetailPath ? contract.templateDetailPath.split("{id}").join(encodeURIComponent(id)) : undefined;
}
