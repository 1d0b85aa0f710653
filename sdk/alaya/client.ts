import { CloudApiError } from "../core/errors";
import { HttpRequest, HttpResponse, ServiceClient, parseJsonBody } from "../core/http";
import type { RetryPolicy } from "../core/backoff";
import type { RateLimit } from "../core/rateLimiter";
import { Redactor } from "../core/redact";
import {
    ALAYA_RATE_LIMIT,
    AlayaContract,
    ContractMismatchError,
    ContractPage,
    ContractTemplate,
    DEFAULT_ALAYA_CONTRACT,
    detailPath,
    idFromCreateAnswer,
    listParameters,
    mergeContract,
    readDetail,
    readListPage,
} from "./assumptions";
import type { CreateTemplateRequest, TrainingProduct } from "./types";

/** The public Open API host. Paths (`/v1/...`) are appended to it; a gateway prefix such as `/api/osm` belongs in the base URL. */
export const DEFAULT_ALAYA_BASE_URL = "https://api.alayanew.com";

const SERVICE = "Alaya";

/** Error code the client gives a create refused because the name is taken (recognised through the assumed `duplicateNamePattern`). */
export const DUPLICATE_NAME_CODE = "DuplicateName";

/** The documented business status of success. */
const SUCCESS = 200;

export interface AlayaClientOptions {
    /** The Open API key, sent as `Authorization: Bearer <key>`. */
    apiKey: string;
    /** Base URL without the `/v1` path. Default {@link DEFAULT_ALAYA_BASE_URL}. */
    baseUrl?: string;
    /** Overrides of the assumed list/detail contract (see `assumptions.ts`). */
    contract?: Partial<AlayaContract>;
    /** Per-request timeout in ms. */
    timeoutMs?: number;
    /** Request rate; default the assumed {@link ALAYA_RATE_LIMIT}. Clients of one base URL and rate share one budget. */
    rateLimit?: RateLimit;
    /** Retry policy of the HTTP core (tests shorten it). */
    retry?: Partial<RetryPolicy>;
}

/**
 * Client for Alaya NeW training templates (Open API, Bearer key,
 * `{status, message, data}` envelope). Create, delete and the product list
 * follow the documentation; list and detail follow the assumed
 * {@link AlayaContract}. Stateless apart from its HTTP core; safe to share.
 */
export class AlayaClient {
    readonly http: ServiceClient;
    /** The contract in force: the defaults with this client's overrides. */
    readonly contract: AlayaContract;
    private readonly baseUrl: string;
    /** False once the assumed detail call answered as not routed: templates are then read from the list. */
    private detailRouted = true;

    constructor(private readonly opts: AlayaClientOptions) {
        // Where the key comes from (stack config, the environment) is the caller's business: the provider says so.
        if (!opts.apiKey) throw new Error("AlayaClient needs an apiKey");
        this.baseUrl = (opts.baseUrl ?? DEFAULT_ALAYA_BASE_URL).replace(/\/+$/, "");
        this.contract = mergeContract(DEFAULT_ALAYA_CONTRACT, opts.contract ?? {});
        this.http = new ServiceClient({
            service: SERVICE,
            bucketKey: `alaya:${this.baseUrl}`,
            rateLimit: opts.rateLimit ?? ALAYA_RATE_LIMIT,
            timeoutMs: opts.timeoutMs,
            retry: opts.retry,
            redactor: new Redactor().add(opts.apiKey),
        });
    }

    /**
     * `POST /v1/training/template/create`. The documented answer is `data: {}`:
     * the id comes back only if Alaya ever adds it (then it is returned);
     * otherwise look the template up by name. Not retried after a transport
     * error: the caller looks the name up instead.
     */
    async createTemplate(body: CreateTemplateRequest): Promise<{ id?: string }> {
        const data = await this.json<unknown>("CreateTemplate", "POST", "/v1/training/template/create", body, false);
        return { id: idFromCreateAnswer(data, this.contract) };
    }

    /** `DELETE /v1/training/template/{id}/delete`. Irreversible; tasks created from the template are not affected. */
    async deleteTemplate(id: string): Promise<void> {
        await this.json("DeleteTemplate", "DELETE", `/v1/training/template/${encodeURIComponent(id)}/delete`);
    }

    /** `GET /v1/product/list-for-training-task[?aidcId=]`: the resource specs a template's `resource.productCode` can name. */
    listProducts(aidcId?: number): Promise<TrainingProduct[]> {
        const q = aidcId === undefined ? "" : `?${new URLSearchParams({ aidcId: String(aidcId) })}`;
        return this.json<TrainingProduct[]>("ListProducts", "GET", `/v1/product/list-for-training-task${q}`);
    }

    /** One page of the template list, through the assumed contract. */
    async listTemplates(page: { page?: number; pageSize?: number; name?: string } = {}): Promise<ContractPage> {
        const c = this.contract;
        const params = listParameters(c, page.page ?? c.templateListFirstPage, page.pageSize ?? c.templateListPageSize, page.name);
        const query = new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]));
        try {
            const data =
                c.templateListMethod === "GET"
                    ? await this.json<unknown>("ListTemplates", "GET", `${c.templateListPath}?${query}`)
                    : await this.json<unknown>("ListTemplates", "POST", c.templateListPath, params);
            return readListPage(data, c);
        } catch (e) {
            throw this.unlessRouted(e, "templateListPath", c.templateListPath);
        }
    }

    /**
     * Every template, page by page (filtered by name on the server when the
     * contract names a filter). Stops at the total when the answer carries
     * one, otherwise at the first empty page; a page that only repeats earlier
     * items means the server ignores the assumed paging parameter, which is an
     * error rather than an endless loop.
     */
    async *allTemplates(filter: { name?: string; pageSize?: number } = {}): AsyncGenerator<ContractTemplate> {
        const c = this.contract;
        const seen = new Set<string>();
        for (let page = c.templateListFirstPage; ; page++) {
            const { items, total } = await this.listTemplates({ page, pageSize: filter.pageSize, name: filter.name });
            if (items.length === 0) return;
            const fresh = items.filter((t) => !seen.has(t.id));
            if (fresh.length === 0) {
                throw new ContractMismatchError("templateListPageParam", `page ${page} of the template list only repeats earlier templates: the server seems to ignore the paging parameter "${c.templateListPageParam}"`);
            }
            for (const t of fresh) {
                seen.add(t.id);
                yield t;
            }
            if (total !== undefined && seen.size >= total) return;
        }
    }

    /** Templates whose name is exactly `name` (names are unique per account, so at most one is expected). */
    async findTemplatesByName(name: string, pageSize?: number): Promise<ContractTemplate[]> {
        const hits: ContractTemplate[] = [];
        for await (const t of this.allTemplates({ name, pageSize })) if (t.name === name) hits.push(t);
        return hits;
    }

    /** The template named exactly `name`, if any. */
    async findTemplateByName(name: string, pageSize?: number): Promise<ContractTemplate | undefined> {
        return (await this.findTemplatesByName(name, pageSize))[0];
    }

    /**
     * One template by id, through the assumed detail call, or by paging the
     * list when the contract has none. Undefined only when the list does not
     * know it either: a "not found" from an assumed detail path must not make
     * a live template look deleted (refresh would drop it from the stack).
     */
    async getTemplate(id: string): Promise<ContractTemplate | undefined> {
        const path = this.detailRouted ? detailPath(this.contract, id) : "";
        if (path) {
            try {
                const data = await this.json<unknown>("GetTemplate", this.contract.templateDetailMethod, path, this.contract.templateDetailMethod === "POST" ? {} : undefined);
                const found = readDetail(data, this.contract);
                if (found) return found;
            } catch (e) {
                // No answer at all: try again later, never conclude anything.
                if (!(e instanceof CloudApiError) || e.transport) throw e;
                // Not routed (the gateway's 404 outside the envelope): the list is the only way, from now on.
                if (this.unlessRouted(e, "templateDetailPath", path) instanceof ContractMismatchError) this.detailRouted = false;
                // Any other answer that is not the template (a not-found under an undocumented status, a 500) is checked against the list.
            }
        }
        for await (const t of this.allTemplates()) if (t.id === id) return t;
        return undefined;
    }

    /** Whether an error means "no such template" under the assumed not-found statuses. */
    isNotFound(e: unknown): boolean {
        return e instanceof CloudApiError && this.notFoundCodes.includes(e.code);
    }

    /** The error codes (envelope statuses) that mean a template does not exist, under the configured contract. */
    get notFoundCodes(): readonly string[] {
        return this.contract.templateNotFoundStatuses.map(String);
    }

    /** An HTTP 404/405 without the envelope means nothing is routed at an assumed path: say which assumption to fix. */
    private unlessRouted(e: unknown, key: "templateDetailPath" | "templateListPath", path: string): unknown {
        const outsideEnvelope = e instanceof CloudApiError && !/^\d+$/.test(e.code); // envelope errors carry the numeric business status
        if (outsideEnvelope && (e.httpStatus === 404 || e.httpStatus === 405)) {
            return new ContractMismatchError(key, `Alaya answered ${path} with HTTP ${e.httpStatus} outside the {status, message, data} envelope, so no such call seems to exist`);
        }
        return e;
    }

    /** Sends one JSON call and unwraps `data`. */
    private json<T>(action: string, method: HttpRequest["method"], path: string, body?: unknown, idempotent = true): Promise<T> {
        const payload = body === undefined ? undefined : JSON.stringify(body);
        return this.http.call(
            action,
            () => ({ method, url: this.baseUrl + path, headers: this.headers(payload !== undefined), body: payload }),
            (res, a) => this.decode<T>(res, a),
            { idempotent },
        );
    }

    private headers(withBody: boolean): Record<string, string> {
        const h: Record<string, string> = { accept: "application/json", Authorization: `Bearer ${this.opts.apiKey}` };
        if (withBody) h["Content-Type"] = "application/json";
        return h;
    }

    /**
     * The Open API envelope `{status, message, data}`: `status` 200 is success
     * and `data` the value; any other `status` is an error carrying `message`
     * (documented: 403 "Forbidden", 500 "Internal Server Error"). The HTTP
     * status is not documented, so the envelope decides whenever there is one.
     */
    decode<T>(res: HttpResponse, action: string): T {
        const body = parseJsonBody(res, SERVICE, action, this.http.redactor) as Record<string, unknown> | null;
        const requestId = res.headers["x-request-id"] ?? res.headers["x-trace-id"];
        const envelope = body && typeof body === "object" && !Array.isArray(body) && typeof body.status === "number" ? body : undefined;
        if (envelope && envelope.status === SUCCESS) return envelope.data as T;
        const status = envelope ? (envelope.status as number) : res.status;
        const message = envelope && typeof envelope.message === "string" ? envelope.message : envelope ? "no message" : `no {status, message, data} envelope in the answer`;
        const duplicate = action === "CreateTemplate" && new RegExp(this.contract.duplicateNamePattern, "i").test(message);
        const transient = status === 429 || status >= 500 || res.status === 429 || res.status >= 500;
        throw new CloudApiError({
            service: SERVICE,
            action,
            code: duplicate ? DUPLICATE_NAME_CODE : envelope ? String(status) : `HTTP${res.status}`,
            message: this.http.redactor.redact(duplicate ? `${message} (status ${status})` : message),
            requestId,
            httpStatus: res.status,
            retryable: transient && !duplicate,
            rejectedBeforeApplied: status === 429 || res.status === 429,
        });
    }
}
