import { CloudApiError } from "../core/errors";
import { HttpRequest, HttpResponse, ServiceClient, parseJsonBody } from "../core/http";
import { Redactor } from "../core/redact";
import type { RetryPolicy } from "../core/backoff";
import type { RateLimit } from "../core/rateLimiter";
import type { CreateFineTuneRequest, FineTuneJob, FineTuneList, FineTuneLogs } from "./types";

/** The public DashScope endpoint (China, Beijing). The international one is `https://dashscope-intl.aliyuncs.com/api/v1`. */
export const DEFAULT_DASHSCOPE_BASE_URL = "https://dashscope.aliyuncs.com/api/v1";

const SERVICE = "DashScope";

/**
 * Default request rate per base URL. Source: assumption, no limit is
 * published. DashScope documents no request rate for the fine-tune and file
 * APIs; the 429s it documents are per-user job quotas
 * (reference/bailian-finetune.md §7). 10 requests/s keeps a large stack
 * polite; a throttling 429 lowers it (AIMD, `sdk/core/rateLimiter.ts`).
 * Configurable: the client's `rateLimit`, or `pulumi-training:dashscopeRequestsPerSecond`.
 */
export const DASHSCOPE_RATE_LIMIT: Readonly<RateLimit> = Object.freeze({ perSecond: 10, burst: 10 });

/**
 * The 429 answers the fine-tune reference documents are per-user quotas, not
 * request rates (reference/bailian-finetune.md §7, code `Throttling`):
 * "Too many fine-tune job in running, please retry later." and
 * "Only 20 fine-tune job in running or succeeded allowed per user."
 * Resending a create does not help until jobs finish, so such an answer ends
 * the create with what to do. Matched loosely: the wording may change. The
 * second message also says "in running", so it is tried first.
 */
const FINE_TUNE_QUOTAS: ReadonlyArray<{ pattern: RegExp; advice: string }> = [
    {
        pattern: /allowed per user/i,
        advice:
            "DashScope's per-user quota of fine-tunes running or succeeded is used up (a limit of the service, not of this library). " +
            "Cancel running fine-tunes or remove succeeded ones you no longer need (DeleteFineTune refuses finished jobs, so this may take the Model Studio console or Alibaba Cloud support), " +
            "then run `pulumi up` again; the create is not retried automatically.",
    },
    {
        pattern: /fine-tune job in running/i,
        advice:
            "DashScope's per-user quota of fine-tunes running at once is used up (a limit of the service, not of this library). " +
            "Wait for running fine-tunes to finish, or cancel some, then run `pulumi up` again; the create is not retried automatically.",
    },
];

/** What to do about a quota 429 on CreateFineTune, or undefined when the answer is not one (plain throttling stays retryable). */
export function fineTuneQuotaAdvice(action: string, httpStatus: number, message: string): string | undefined {
    if (action !== "CreateFineTune" || httpStatus !== 429) return undefined;
    return FINE_TUNE_QUOTAS.find((q) => q.pattern.test(message))?.advice;
}

export interface DashScopeClientOptions {
    /** `sk-…` API key, sent as `Authorization: Bearer`. */
    apiKey: string;
    /** Base URL up to and including `/api/v1`. Default {@link DEFAULT_DASHSCOPE_BASE_URL}. */
    baseUrl?: string;
    /** Sent as `X-DashScope-WorkSpace` when given. */
    workspaceId?: string;
    /** Per-request timeout in ms. */
    timeoutMs?: number;
    /** Retry policy of the HTTP core (tests shorten it). */
    retry?: Partial<RetryPolicy>;
    /** Request rate. Default {@link DASHSCOPE_RATE_LIMIT}. Clients of one base URL and rate share one budget. */
    rateLimit?: RateLimit;
}

/** Client for DashScope fine-tunes and files. Stateless apart from its HTTP core; safe to share. */
export class DashScopeClient {
    readonly http: ServiceClient;
    private readonly baseUrl: string;

    constructor(private readonly opts: DashScopeClientOptions) {
        // Where the key comes from (stack config, the environment) is the caller's business: the provider says so.
        if (!opts.apiKey) throw new Error("DashScopeClient needs an apiKey");
        this.baseUrl = (opts.baseUrl ?? DEFAULT_DASHSCOPE_BASE_URL).replace(/\/+$/, "");
        const redactor = new Redactor().add(opts.apiKey);
        this.http = new ServiceClient({
            service: SERVICE,
            bucketKey: `dashscope:${this.baseUrl}`,
            rateLimit: opts.rateLimit ?? DASHSCOPE_RATE_LIMIT,
            timeoutMs: opts.timeoutMs,
            retry: opts.retry,
            redactor,
        });
    }

    createFineTune(body: CreateFineTuneRequest): Promise<FineTuneJob> {
        // Not idempotent: the provider looks a job up by its job_name marker after a transport error.
        return this.json<FineTuneJob>("CreateFineTune", "POST", "/fine-tunes", body, false);
    }

    async getFineTune(jobId: string): Promise<FineTuneJob> {
        const job = await this.json<FineTuneJob>("GetFineTune", "GET", `/fine-tunes/${encodeURIComponent(jobId)}`);
        // A success without the job must not read as "no such job": refresh would drop a live job from the stack.
        if (!job || typeof job !== "object" || typeof job.job_id !== "string" || typeof job.status !== "string") {
            throw new CloudApiError({ service: SERVICE, action: "GetFineTune", code: "MalformedResponse", message: "the answer has no job (output.job_id and output.status)", httpStatus: 200, retryable: false });
        }
        return job;
    }

    listFineTunes(page: { pageNo?: number; pageSize?: number; model?: string } = {}): Promise<FineTuneList> {
        const q = new URLSearchParams({ page_no: String(page.pageNo ?? 1), page_size: String(page.pageSize ?? 100) });
        if (page.model) q.set("model", page.model);
        return this.json<FineTuneList>("ListFineTunes", "GET", `/fine-tunes?${q}`);
    }

    /**
     * Walks every page and returns every job that matches. The documentation
     * gives no list order, so the caller chooses among them, never the first.
     */
    async findFineTunes(match: (job: FineTuneJob) => boolean, filter: { model?: string } = {}): Promise<FineTuneJob[]> {
        const hits: FineTuneJob[] = [];
        for (let pageNo = 1; ; pageNo++) {
            const page = await this.listFineTunes({ pageNo, pageSize: 100, model: filter.model });
            hits.push(...(page.jobs ?? []).filter(match));
            if ((page.jobs ?? []).length === 0 || pageNo * page.page_size >= page.total) return hits;
        }
    }

    cancelFineTune(jobId: string): Promise<{ status: string }> {
        return this.json("CancelFineTune", "POST", `/fine-tunes/${encodeURIComponent(jobId)}/cancel`);
    }

    deleteFineTune(jobId: string): Promise<{ status: string }> {
        return this.json("DeleteFineTune", "DELETE", `/fine-tunes/${encodeURIComponent(jobId)}`);
    }

    /** Log lines; `offset` skips the first N lines, `line` is at most 1000. */
    getFineTuneLogs(jobId: string, page: { offset?: number; line?: number } = {}): Promise<FineTuneLogs> {
        const q = new URLSearchParams({ offset: String(page.offset ?? 0), line: String(page.line ?? 100) });
        return this.json<FineTuneLogs>("GetFineTuneLogs", "GET", `/fine-tunes/${encodeURIComponent(jobId)}/logs?${q}`);
    }

    /** The last `count` log lines (two calls: the total, then the tail). */
    async tailFineTuneLogs(jobId: string, count = 20): Promise<string[]> {
        const head = await this.getFineTuneLogs(jobId, { offset: 0, line: 1 });
        const offset = Math.max(0, (head.total ?? 0) - count);
        return (await this.getFineTuneLogs(jobId, { offset, line: count })).logs ?? [];
    }

    /** Headers every call carries. Exposed for the file upload, which sends multipart instead of JSON. */
    headers(contentType?: string): Record<string, string> {
        const h: Record<string, string> = { Authorization: `Bearer ${this.opts.apiKey}`, Accept: "application/json; charset=utf-8" };
        if (contentType) h["Content-Type"] = contentType;
        if (this.opts.workspaceId) h["X-DashScope-WorkSpace"] = this.opts.workspaceId;
        return h;
    }

    url(path: string): string {
        return this.baseUrl + path;
    }

    /** Sends one JSON call and unwraps `output` (fine-tunes) or `data` (files). */
    json<T>(action: string, method: HttpRequest["method"], path: string, body?: unknown, idempotent = true): Promise<T> {
        const payload = body === undefined ? undefined : JSON.stringify(body);
        return this.http.call(
            action,
            () => ({ method, url: this.url(path), headers: this.headers(payload ? "application/json" : undefined), body: payload }),
            (res, a) => this.decode<T>(res, a),
            { idempotent },
        );
    }

    /** The DashScope envelope: `{request_id, output}` or `{request_id, data}` on success, `{code, message, request_id}` with a real HTTP status on failure. */
    decode<T>(res: HttpResponse, action: string): T {
        const body = parseJsonBody(res, SERVICE, action, this.http.redactor) as Record<string, unknown> | null;
        const requestId = typeof body?.request_id === "string" ? body.request_id : undefined;
        if (res.status >= 200 && res.status < 300 && body && typeof body === "object" && !Array.isArray(body) && !("code" in body && body.code && !("output" in body) && !("data" in body))) {
            if ("output" in body) return body.output as T;
            if ("data" in body) return body.data as T;
            return body as T;
        }
        if (res.status >= 200 && res.status < 300 && (!body || typeof body !== "object" || Array.isArray(body))) {
            throw new CloudApiError({ service: SERVICE, action, code: "MalformedResponse", message: `expected a JSON object, got ${Array.isArray(body) ? "an array" : body === null ? "null" : typeof body}`, requestId, httpStatus: res.status, retryable: false });
        }
        const code = typeof body?.code === "string" && body.code ? body.code : `HTTP${res.status}`;
        const message = this.http.redactor.redact(typeof body?.message === "string" ? body.message : "no message");
        const quota = fineTuneQuotaAdvice(action, res.status, message);
        throw new CloudApiError({
            service: SERVICE,
            action,
            code,
            message: quota ? `${message} ${quota}` : message,
            requestId,
            httpStatus: res.status,
            // A quota answer is not transient: resending would only meet it again (and a create is not idempotent).
            retryable: !quota && (res.status === 429 || res.status >= 500),
            // Any 429, quota or not, created nothing.
            rejectedBeforeApplied: res.status === 429,
        });
    }
}
