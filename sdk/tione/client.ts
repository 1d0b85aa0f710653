/**
 * Client for Tencent Cloud TI-ONE training tasks (API 3.0, version
 * `2021-11-11`): CreateTrainingTask, DescribeTrainingTask(s),
 * StopTrainingTask, DeleteTrainingTask. Reference notes:
 * reference/tione.md; signing: reference/signing.md §1.
 *
 * Every call is `POST /` with a JSON body, the `X-TC-*` common headers and a
 * TC3-HMAC-SHA256 Authorization. Business errors arrive with HTTP 200 inside
 * `Response.Error` and become a {@link CloudApiError}.
 *
 * @packageDocumentation
 */
import { CloudApiError } from "../core/errors";
import { HttpRequest, HttpResponse, ServiceClient, parseJsonBody } from "../core/http";
import { Redactor } from "../core/redact";
import type { RetryPolicy } from "../core/backoff";
import type { RateLimit } from "../core/rateLimiter";
import { signTc3 } from "./signer";
import type {
    CreateTrainingTaskRequest,
    DescribeLogsRequest,
    DescribeLogsResponse,
    DescribeTrainingTasksRequest,
    DescribeTrainingTasksResponse,
    TrainingTaskDetail,
    TrainingTaskSetItem,
} from "./types";

/** API version every call sends as `X-TC-Version`. */
export const TIONE_VERSION = "2021-11-11";

/** Signing service name: the first label of `tione.tencentcloudapi.com`, also for regional hosts (signing.md §1.2). */
export const TIONE_SERVICE = "tione";

/** Service name used in errors. */
const SERVICE = "TI-ONE";

/** Largest `Limit` DescribeTrainingTasks accepts (reference/tione.md §7: "默认为10，最大为50"). */
export const DESCRIBE_TASKS_MAX_LIMIT = 50;

/**
 * Default request rate per action: 19.5/s. Source: the documented limit, 20
 * requests/s per action ("默认接口请求频率限制：20次/秒", reference/tione.md §1;
 * https://cloud.tencent.com/document/api/851/75089), less 2.5% of margin.
 *
 * Why a burst of 1 keeps under a sliding second: the bucket grants one call
 * at least 1000 / rate ms after the previous one, so 21 calls span at least
 * 20 × 51.3 ms > 1000 ms (tests/unit/core-rate-limiter.spec.ts checks 400
 * grants against the emulator's own window). A rate above 20, or a burst
 * above 1, lets a 21st in.
 *
 * Why not the full 20/s: the arithmetic cannot cover calls bunching on the
 * way (a stalled event loop, the network). Measured with 400 creates against
 * the emulator in another process on a 2-core machine: at 20/s, 98% of the
 * limit when idle, but under CPU load 6 of 10 runs met 1 to 6
 * `RequestLimitExceeded` answers (resent, never seen by the caller); at
 * 19.5/s none in 12 runs under the same load, at about 95% of the limit.
 * The safety net either way: a throttled answer is resent (the cloud did
 * nothing) and cuts that action's rate (AIMD, `sdk/core/rateLimiter.ts`).
 * Configure 20 (`rateLimit`, or `pulumi-training:tioneRequestsPerSecond`)
 * where the last 2.5% matter more than a throttled answer on the wire.
 *
 * The limit is per action, and so is the bucket: a create's lookup, submit
 * and read (three actions) do not wait for each other.
 */
export const TIONE_RATE_LIMIT: Readonly<RateLimit> = Object.freeze({ perSecond: 19.5, burst: 1 });

/** Content type sent and signed; the signature breaks if a library appends `; charset=…` (signing.md §1.2). */
const CONTENT_TYPE = "application/json";

export interface TioneClientOptions {
    /** API SecretId (`AKID…`). */
    secretId: string;
    /** API SecretKey. Never printed: errors and logs are redacted. */
    secretKey: string;
    /** Temporary-credential token, sent as `X-TC-Token`. */
    sessionToken?: string;
    /**
     * Region, e.g. `ap-guangzhou`: sent as `X-TC-Region`, which the task
     * actions require (reference/tione.md §2.1). It does not pick the host:
     * calls go to `tione.tencentcloudapi.com` ({@link tioneEndpoint}).
     */
    region?: string;
    /**
     * Endpoint URL override (private endpoints, the emulator:
     * `http://127.0.0.1:4010/tione/`, or a region-pinned host such as
     * `https://tione.ap-shanghai.tencentcloudapi.com/`, which must then name
     * the same region as `region`).
     */
    endpoint?: string;
    /**
     * How the user names the setting that chose `endpoint`, for errors about it.
     * Default: `tencentcloud:tioneEndpoint` (or TENCENTCLOUD_TIONE_ENDPOINT).
     */
    endpointSetting?: string;
    /** `X-TC-Language`: `zh-CN` or `en-US`. Default: the service's. */
    language?: "zh-CN" | "en-US";
    /**
     * Sign `content-type;host;x-tc-action` (the current CN doc's form) instead of
     * `content-type;host` (the vendor SDKs' form). Both are accepted. Default false.
     */
    signActionHeader?: boolean;
    /** Per-request timeout in ms. Default 30 000. */
    timeoutMs?: number;
    /** Retry tuning (tests shorten it). */
    retry?: Partial<RetryPolicy>;
    /**
     * Request rate per action (TI-ONE limits each API separately). Default
     * {@link TIONE_RATE_LIMIT}. Keep a burst of 1 under a limit counted over a
     * sliding second; lower the rate when other tools share the account's limit.
     */
    rateLimit?: RateLimit;
    /** Clock in ms since the epoch, for the signed timestamp. Default `Date.now`. */
    now?: () => number;
}

/**
 * Credentials and settings from the environment, with the names the Tencent
 * SDKs and Terraform provider use (reference/tione.md §12):
 * `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY`, the token as
 * `TENCENTCLOUD_SESSION_TOKEN` (Node SDK) or `TENCENTCLOUD_SECURITY_TOKEN`
 * (Terraform), `TENCENTCLOUD_REGION`, and our `TENCENTCLOUD_TIONE_ENDPOINT`.
 */
export function tioneOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<TioneClientOptions> {
    return {
        secretId: env.TENCENTCLOUD_SECRET_ID || undefined,
        secretKey: env.TENCENTCLOUD_SECRET_KEY || undefined,
        sessionToken: env.TENCENTCLOUD_SESSION_TOKEN || env.TENCENTCLOUD_SECURITY_TOKEN || undefined,
        region: env.TENCENTCLOUD_REGION || undefined,
        endpoint: env.TENCENTCLOUD_TIONE_ENDPOINT || undefined,
    };
}

/**
 * The documented host: "tione.tencentcloudapi.com", stated on every TI-ONE
 * action page, and the Node SDK's default endpoint (reference/tione.md §1,
 * `tencentcloud-sdk-nodejs` `src/services/tione/v20211111/tione_client.ts`).
 */
export const TIONE_HOST = "tione.tencentcloudapi.com";

/**
 * The URL calls go to: the override, else the documented host, whatever the
 * region. The region travels in `X-TC-Region` (the SDKs' way: they keep the
 * documented endpoint and send the region as a header, reference/tione.md
 * §2.1). A region-pinned host `tione.<region>.tencentcloudapi.com` exists
 * only by inference from API 3.0's generic rule (§1, §15), so it is never
 * chosen: where it is not served, every call would fail. The documented
 * host with `X-TC-Region` works whether or not it is.
 */
export function tioneEndpoint(_region?: string, override?: string): string {
    return override || `https://${TIONE_HOST}/`;
}

/** The region of a region-pinned TI-ONE host (`tione.ap-shanghai.tencentcloudapi.com` -> `ap-shanghai`), else undefined. */
export function pinnedRegionOf(hostname: string): string | undefined {
    const m = /^tione\.([a-z]{2,}-[a-z]+(?:-[a-z0-9]+)*)\.tencentcloudapi\.com$/.exec(hostname.toLowerCase());
    return m && m[1] !== "intl" ? m[1] : undefined;
}

/** The settings that choose the endpoint, as a user changes them (without a credential profile). */
export const ENDPOINT_SETTING = "`tencentcloud:tioneEndpoint` (or TENCENTCLOUD_TIONE_ENDPOINT)";

/** Whether a cloud error code may be retried, and whether the cloud said it did nothing. */
export function classifyTioneError(code: string, httpStatus?: number): { retryable: boolean; rejectedBeforeApplied: boolean } {
    if (code === "RequestLimitExceeded" || code.startsWith("RequestLimitExceeded.")) return { retryable: true, rejectedBeforeApplied: true };
    if (code === "AuthFailure" || code.startsWith("AuthFailure.")) return { retryable: false, rejectedBeforeApplied: false };
    // Only the bare codes: `InternalError.NotAllow`, `InternalError.UnSubmittedStatusNotAllowStop` … are answers, not outages.
    if (code === "InternalError" || code === "ServiceUnavailable") return { retryable: true, rejectedBeforeApplied: false };
    return { retryable: httpStatus !== undefined && httpStatus >= 500, rejectedBeforeApplied: false };
}

/** What a person should do about an error code, appended to the cloud's message. */
function hintFor(code: string): string {
    if (code === "AuthFailure.SignatureExpire") return " Check the system clock: the request timestamp must be within 5 minutes of the server's.";
    if (code === "AuthFailure.SecretIdNotFound" || code === "AuthFailure.InvalidSecretId")
        return " Check TENCENTCLOUD_SECRET_ID or `pulumi config set tencentcloud:secretId`.";
    if (code === "AuthFailure.SignatureFailure") return " Check TENCENTCLOUD_SECRET_KEY or `pulumi config set --secret tencentcloud:secretKey`.";
    if (code === "AuthFailure.TokenFailure") return " The temporary credential token is invalid or expired; refresh TENCENTCLOUD_SESSION_TOKEN.";
    return "";
}

/** Client for TI-ONE training tasks. Stateless apart from its HTTP core; safe to share. */
export class TioneClient {
    readonly http: ServiceClient;
    /** The URL calls are posted to. */
    readonly url: string;
    /** The `Host` header, port included when not the default: it is signed exactly as sent. */
    readonly host: string;
    private readonly now: () => number;

    constructor(private readonly opts: TioneClientOptions) {
        if (!opts.secretId || !opts.secretKey) {
            // Where the keys come from (stack config, the environment) is the caller's business: the provider says so.
            throw new Error("TioneClient needs a secretId and a secretKey");
        }
        this.url = tioneEndpoint(opts.region, opts.endpoint);
        this.host = new URL(this.url).host;
        const pinned = pinnedRegionOf(new URL(this.url).hostname);
        if (pinned && opts.region && pinned !== opts.region) {
            // Which of the two a region-pinned host would heed is undocumented: refuse rather than act in an unknown region.
            throw new Error(
                `TI-ONE endpoint ${this.host} is pinned to region ${pinned}, but the region is ${opts.region}: set ${opts.endpointSetting ?? ENDPOINT_SETTING} to ` +
                    `https://${TIONE_HOST}/ (the region then travels in X-TC-Region) or to the host of ${opts.region}, or change the region`,
            );
        }
        this.now = opts.now ?? Date.now;
        this.http = new ServiceClient({
            service: SERVICE,
            bucketKey: `${TIONE_SERVICE}:${opts.region ?? ""}`,
            rateLimit: opts.rateLimit ?? TIONE_RATE_LIMIT,
            rateLimitPerAction: true,
            timeoutMs: opts.timeoutMs,
            retry: opts.retry,
            // The SecretId too: it is half of the credential, and an error that quotes it (or the string to sign) must not carry it on.
            redactor: new Redactor().add(opts.secretKey, opts.sessionToken, opts.secretId),
        });
    }

    /** The region sent as `X-TC-Region`, if any. */
    get region(): string | undefined {
        return this.opts.region;
    }

    /** Submits a task and returns its id (`train-<digits>`). Not idempotent: after a lost answer, look the task up by Name. */
    async createTrainingTask(req: CreateTrainingTaskRequest): Promise<string> {
        const res = await this.call<{ Id: string }>("CreateTrainingTask", req, { idempotent: false });
        return requireField(res.Id, "Id", "CreateTrainingTask");
    }

    /** One task's details. Throws `ResourceNotFound` when the id is unknown in this region. */
    async describeTrainingTask(id: string, extra: { TiProjectId?: string; InstanceId?: string } = {}): Promise<TrainingTaskDetail> {
        const res = await this.call<{ TrainingTaskDetail: TrainingTaskDetail }>("DescribeTrainingTask", { Id: id, ...extra });
        return requireField(res.TrainingTaskDetail, "TrainingTaskDetail", "DescribeTrainingTask");
    }

    /** One page of log lines (DescribeLogs, reference/tione.md §11). */
    async describeLogs(req: DescribeLogsRequest): Promise<DescribeLogsResponse> {
        const res = await this.call<DescribeLogsResponse>("DescribeLogs", req);
        return { ...res, Content: res.Content ?? [] };
    }

    /**
     * The last `count` (1-1000) lines of a training task's log, oldest first: DescribeLogs with
     * Service TRAIN and the task's `LatestInstanceId`, newest first from its start (the default
     * window is only the last hour) to a minute past now. A task not started yet has no log.
     */
    async tailTaskLogs(task: Pick<TrainingTaskDetail, "LatestInstanceId" | "StartTime" | "CreateTime">, count: number, opts: { tiProjectId?: string; now?: Date } = {}): Promise<string[]> {
        if (!task.LatestInstanceId) return [];
        const now = opts.now ?? new Date();
        const since = (parseTioneTime(task.StartTime ?? task.CreateTime) ?? new Date(now.getTime() - 7 * 24 * 3_600_000)).toISOString();
        const page = await this.describeLogs({
            Service: "TRAIN",
            ServiceId: task.LatestInstanceId,
            TiProjectId: opts.tiProjectId,
            StartTime: since,
            EndTime: new Date(now.getTime() + 60_000).toISOString(),
            Limit: Math.min(1000, Math.max(1, count)),
            Order: "DESC",
        });
        return (page.Content ?? []).map((l) => l.Message ?? "").reverse();
    }

    /** One page of tasks. `Limit` must be 1..50 (checked here, before a call is spent). */
    async describeTrainingTasks(req: DescribeTrainingTasksRequest = {}): Promise<DescribeTrainingTasksResponse> {
        if (req.Limit !== undefined && (!Number.isInteger(req.Limit) || req.Limit < 1 || req.Limit > DESCRIBE_TASKS_MAX_LIMIT)) {
            throw new RangeError(`DescribeTrainingTasks Limit must be a whole number from 1 to ${DESCRIBE_TASKS_MAX_LIMIT}, got ${req.Limit}`);
        }
        const res = await this.call<DescribeTrainingTasksResponse>("DescribeTrainingTasks", req);
        return { ...res, TrainingTaskSet: res.TrainingTaskSet ?? [], TotalCount: Number(res.TotalCount ?? 0) };
    }

    /**
     * Every task matching `req`, page by page (50 a page). Pages are ordered by
     * CreateTime ascending unless `req` says otherwise, so tasks created while
     * paging land on later pages instead of shifting earlier ones.
     */
    async *listTrainingTasks(req: Omit<DescribeTrainingTasksRequest, "Offset" | "Limit"> = {}): AsyncGenerator<TrainingTaskSetItem> {
        const base: DescribeTrainingTasksRequest = { Order: "ASC", OrderField: "CreateTime", ...req };
        for (let offset = 0; ; ) {
            const page = await this.describeTrainingTasks({ ...base, Offset: offset, Limit: DESCRIBE_TASKS_MAX_LIMIT });
            for (const t of page.TrainingTaskSet) yield t;
            offset += page.TrainingTaskSet.length;
            if (page.TrainingTaskSet.length === 0 || offset >= page.TotalCount) return;
        }
    }

    /**
     * The task with exactly this Name, if any. Names are unique per region
     * while a task exists (`FailedOperation.DuplicateNameTaskIsCreating`), so
     * there is at most one; the exact comparison guards against a filter that matches loosely.
     */
    async findTrainingTaskByName(name: string, opts: { tiProjectId?: string } = {}): Promise<TrainingTaskSetItem | undefined> {
        const filters = [{ Name: "Name", Values: [name], Fuzzy: false }];
        for await (const t of this.listTrainingTasks({ Filters: filters, TiProjectId: opts.tiProjectId })) if (t.Name === name) return t;
        return undefined;
    }

    /** Asks a task to stop (STOPPING, then STOPPED). Refused with `InternalError.UnSubmittedStatusNotAllowStop` while it is still being submitted. */
    async stopTrainingTask(id: string, opts: { tiProjectId?: string } = {}): Promise<void> {
        await this.call("StopTrainingTask", { Id: id, TiProjectId: opts.tiProjectId });
    }

    /** Deletes a task's record. Stop it first: a running task is refused. Trained models and COS output are not touched. */
    async deleteTrainingTask(id: string, opts: { tiProjectId?: string } = {}): Promise<void> {
        await this.call("DeleteTrainingTask", { Id: id, TiProjectId: opts.tiProjectId });
    }

    /**
     * Sends any TI-ONE action and returns `Response` without `RequestId`
     * checks. Reads, stops and deletes are idempotent and retried; a create is
     * resent only after throttling, which the cloud rejects before doing anything.
     */
    call<T>(action: string, params: object, opts: { idempotent: boolean } = { idempotent: true }): Promise<T> {
        const body = Buffer.from(JSON.stringify(params), "utf8");
        return this.http.call(action, () => this.build(action, body), (res, a) => this.decode<T>(res, a), opts).catch((e) => {
            throw this.explainPinnedHost(e);
        });
    }

    /**
     * A region-pinned host that does not resolve, or answers something other
     * than the API (a gateway's 404 page), is most likely not served: TI-ONE
     * documents only {@link TIONE_HOST} (reference/tione.md §1, §15). The
     * error then names the setting that chose the host.
     */
    private explainPinnedHost(e: unknown): unknown {
        if (!(e instanceof CloudApiError) || !pinnedRegionOf(new URL(this.url).hostname)) return e;
        const unserved = e.code === "MalformedResponse" || (e.transport && /ENOTFOUND|EAI_AGAIN/.test(e.cloudMessage));
        if (!unserved) return e;
        return new CloudApiError({
            service: e.service,
            action: e.action,
            code: e.code,
            message:
                `${e.cloudMessage}. The endpoint ${this.host} is a region-pinned host, which TI-ONE does not document (its pages name only ${TIONE_HOST}) ` +
                `and which did not answer as the API does: set ${this.opts.endpointSetting ?? ENDPOINT_SETTING} to https://${TIONE_HOST}/, or unset it (the region travels in X-TC-Region)`,
            requestId: e.requestId,
            httpStatus: e.httpStatus,
            retryable: e.retryable,
            rejectedBeforeApplied: e.rejectedBeforeApplied,
            transport: e.transport,
        });
    }

    /** A freshly signed request (new timestamp every attempt). */
    build(action: string, body: Buffer): HttpRequest {
        const timestamp = Math.floor(this.now() / 1000);
        const { authorization } = signTc3({
            secretId: this.opts.secretId,
            secretKey: this.opts.secretKey,
            service: TIONE_SERVICE,
            host: this.host,
            action,
            signActionHeader: this.opts.signActionHeader ?? false,
            timestamp,
            payload: body,
            contentType: CONTENT_TYPE,
        });
        const headers: Record<string, string> = {
            Authorization: authorization,
            "Content-Type": CONTENT_TYPE,
            // Sent explicitly so the value on the wire is the one signed (port included).
            Host: this.host,
            "X-TC-Action": action,
            "X-TC-Version": TIONE_VERSION,
            "X-TC-Timestamp": String(timestamp),
            "X-TC-RequestClient": "pulumi-training",
        };
        if (this.opts.region) headers["X-TC-Region"] = this.opts.region;
        if (this.opts.sessionToken) headers["X-TC-Token"] = this.opts.sessionToken;
        if (this.opts.language) headers["X-TC-Language"] = this.opts.language;
        return { method: "POST", url: this.url, headers, body };
    }

    /**
     * The API 3.0 envelope (reference/tione.md §2.2): `{"Response":{…,"RequestId"}}`
     * on success, `{"Response":{"Error":{Code,Message},"RequestId"}}` on failure,
     * with HTTP 200 for business errors.
     */
    decode<T>(res: HttpResponse, action: string): T {
        const redactor = this.http.redactor;
        const body = parseJsonBody(res, SERVICE, action, redactor) as { Response?: Record<string, any> } | null;
        const r = body && typeof body === "object" ? body.Response : undefined;
        const requestId = typeof r?.RequestId === "string" ? r.RequestId : undefined;
        const error = r?.Error as { Code?: unknown; Message?: unknown } | undefined;
        if (error && typeof error === "object") {
            const code = typeof error.Code === "string" && error.Code ? error.Code : "UnknownError";
            throw new CloudApiError({
                service: SERVICE,
                action,
                code,
                message: redactor.redact((typeof error.Message === "string" ? error.Message : "no message") + hintFor(code)),
                requestId,
                httpStatus: res.status,
                ...classifyTioneError(code, res.status),
            });
        }
        if (res.status !== 200 || !r || typeof r !== "object") {
            throw new CloudApiError({
                service: SERVICE,
                action,
                code: res.status === 200 ? "MalformedResponse" : `HTTP${res.status}`,
                message: redactor.redact(`expected {"Response":{…}}, got: ${res.text.slice(0, 120).replace(/\s+/g, " ") || "(empty body)"}`),
                requestId,
                httpStatus: res.status,
                retryable: res.status >= 500 || res.status === 429,
                rejectedBeforeApplied: res.status === 429,
            });
        }
        return r as T;
    }
}

function requireField<T>(value: T | undefined | null, field: string, action: string): T {
    if (value === undefined || value === null) {
        throw new CloudApiError({ service: SERVICE, action, code: "MalformedResponse", message: `the answer has no ${field}`, retryable: false });
    }
    return value;
}

/**
 * Parses TI-ONE's times: the detail form `2025-05-28T18:18:33+08` (bare
 * hour offset, which `Date.parse` rejects) and the list form
 * `2025-05-28 18:18:33` (no zone; the service's zone is China Standard Time,
 * an assumption from the `+08` detail examples). Returns undefined for empty
 * or unparseable values.
 */
/**
 * The codes CreateTrainingTask documents for a name that is taken
 * (reference/tione.md §4: `FailedOperation.DuplicateNameTaskIsCreating`,
 * "task name already exists", and `InvalidParameterValue.DuplicateName`);
 * the documentation gives no rule for which comes when.
 */
export const DUPLICATE_NAME_CODES = ["FailedOperation.DuplicateNameTaskIsCreating", "InvalidParameterValue.DuplicateName"] as const;

export function parseTioneTime(value: string | null | undefined): Date | undefined {
    if (!value) return undefined;
    let s = value.trim().replace(" ", "T");
    if (/[+-]\d{2}$/.test(s)) s += ":00";
    else if (/[+-]\d{4}$/.test(s)) s = `${s.slice(0, -2)}:${s.slice(-2)}`;
    else if (!/(Z|[+-]\d{2}:\d{2})$/i.test(s)) s += "+08:00";
    const ms = Date.parse(s);
    return Number.isNaN(ms) ? undefined : new Date(ms);
}
