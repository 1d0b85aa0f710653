import { digits, hex, requestId } from "../core/ids";
import { Phase, plannedPhases, reachedAt, rerouteFrom, statusAt } from "../core/timeline";
import type { CloudModule, EmuContext, EmuRequest, EmuResponse } from "../core/types";
import { verifyTc3 } from "./auth";
import { Problem, checkShape, decodeStartCmd, validateCreate } from "./validate";
import { VariantInfo, enumVariantInfo, enumVariantProblem, outOfBandDelete } from "../core/control";
import { ControlError, ControlRoute, ObjectChange, ObjectControl, ObjectKindInfo, ObjectSummary } from "../core/objects";

/**
 * Tencent Cloud TI-ONE training tasks (API 3.0, version 2021-11-11), as
 * reference/tione.md documents them: `POST /` with `X-TC-Action`, TC3
 * signatures, the `{"Response":{…,"RequestId"}}` envelope with business
 * errors in `Response.Error` under HTTP 200, 20 requests/s per action, task
 * ids `train-<19 digits>`, and the task status flow on the emulator clock.
 * Tasks are regional: one region's calls never see another's tasks.
 */
export interface TioneEmulatorOptions {
    /** SecretId -> SecretKey pairs the emulator accepts. */
    secrets: Record<string, string>;
    /** Time a task spends in each status, in ms. Default 1000. */
    stepMs?: number;
    /** SecretIds that are temporary credentials, with the `X-TC-Token` each must carry (else `AuthFailure.TokenFailure`). */
    sessionTokens?: Record<string, string>;
}

const VERSION = "2021-11-11";
const SERVICE = "tione";
/** "默认接口请求频率限制：20次/秒" on every task action page. */
const PER_ACTION_PER_SECOND = 20;
/** The documented flow (an inference, reference/tione.md §6). */
const PROGRESSION = ["SUBMITTING", "PENDING", "STARTING", "RUNNING", "SUCCEED"] as const;
const TERMINAL = new Set(["STOPPED", "FAILED", "SUCCEED", "SUBMIT_FAILED"]);
const STOPPABLE = new Set(["PENDING", "STARTING", "RUNNING"]);
const STATUSES = ["SUBMITTING", "PENDING", "STARTING", "RUNNING", "STOPPING", "STOPPED", "FAILED", "SUCCEED", "SUBMIT_FAILED"];

/** The two codes CreateTrainingTask documents for a duplicate name (reference/tione.md §4). */
export const DUPLICATE_NAME_CODES = ["FailedOperation.DuplicateNameTaskIsCreating", "InvalidParameterValue.DuplicateName"] as const;

/** What `POST /_control/tione/variants` switches, with the values each takes. */
const TIONE_VARIANT_VALUES = {
    duplicateNameCode: DUPLICATE_NAME_CODES,
    unsetFields: ["empty", "null"],
    endpointHosts: ["documented-only", "regional"],
} as const;

type TioneVariants = { -readonly [K in keyof typeof TIONE_VARIANT_VALUES]: (typeof TIONE_VARIANT_VALUES)[K][number] };

const DEFAULT_TIONE_VARIANTS: TioneVariants = { duplicateNameCode: DUPLICATE_NAME_CODES[0], unsetFields: "empty", endpointHosts: "documented-only" };

const TIONE_VARIANT_MEANINGS: Record<keyof TioneVariants, string> = {
    duplicateNameCode: "which of the two documented codes a duplicate task name gets",
    unsetFields: 'whether unset detail fields read as ""/[] (empty) or null',
    endpointHosts:
        "which Tencent host names are served: only the documented tione.tencentcloudapi.com (and the intl one), or also the region-pinned tione.<region>.tencentcloudapi.com (whose region must be X-TC-Region's); the emulator's own address is served under both",
};

/** The documented host (every TI-ONE action page, reference/tione.md §1) and the intl nearest-region host of the generic rule. */
const SERVED_HOSTS = new Set(["tione.tencentcloudapi.com", "tione.intl.tencentcloudapi.com"]);

/**
 * Whether a request's Host is one the cloud serves under the `endpointHosts`
 * variant, else the answer a client gets. Only Tencent host names are judged
 * (a client reaches them here through a resolver or proxy that sends them to
 * the emulator); any other Host is the emulator's own address or a private
 * endpoint, which stands for whatever host the client was configured with.
 * A host that is not served answers as a gateway does, outside the API
 * envelope: on the real network the name would not resolve at all, and in
 * both cases nothing is done.
 */
export function judgeHost(hostHeader: string, region: string, variant: TioneVariants["endpointHosts"]): EmuResponse | undefined {
    const hostname = hostHeader.replace(/:\d+$/, "").toLowerCase();
    if (!hostname.endsWith(".tencentcloudapi.com") || SERVED_HOSTS.has(hostname)) return undefined;
    const pinned = /^tione\.([a-z]{2,}-[a-z]+(?:-[a-z0-9]+)*)\.tencentcloudapi\.com$/.exec(hostname)?.[1];
    if (pinned && variant === "regional") {
        // Which region a pinned host heeds when X-TC-Region names another is undocumented: a client must not rely on either.
        if (region && pinned !== region) return fail("InvalidParameterValue", `The host \`${hostname}\` serves region \`${pinned}\`, but X-TC-Region is \`${region}\`.`);
        return undefined;
    }
    return { status: 404, body: `404 Not Found: no API is served at ${hostname}`, headers: { "content-type": "text/plain" } };
}

/** The statuses whose failure text the detail shows (FailureReason and Message). */
const FAILED_STATUSES = ["FAILED", "SUBMIT_FAILED"];
/** Remark's documented limit (CreateTrainingTask, reference/tione.md §4). */
const REMARK_MAX = 1024;
const ACTIONS = ["CreateTrainingTask", "DescribeTrainingTask", "DescribeTrainingTasks", "StopTrainingTask", "DeleteTrainingTask", "DescribeLogs"];
const FILTER_NAMES = ["Name", "Id", "Status", "ResourceGroupId", "Creator", "ChargeType", "CHARGE_STATUS"];
/** The emulated account. */
const UIN = "100000000001";
const SYSTEM_TAG = { TagKey: "qcs:tag:createdBy", TagValue: `CAMUser:${UIN}` };
const EMPTY_COS = { Bucket: "", Region: "", Paths: [] as string[] };

/**
 * Postpaid specs the emulator knows, from the reference's examples
 * (reference/tione.md §5, §10). Prices are emulator inventions used only to
 * fill `BillingInfo`; unknown specs are accepted at 1.00/hour.
 */
const SPECS: Record<string, { Cpu: number; Memory: number; Gpu: number; GpuType: string; alias: string; pricePerHour: number }> = {
    "TI.S.MEDIUM.POST": { Cpu: 2000, Memory: 4096, Gpu: 0, GpuType: "", alias: "2C4G", pricePerHour: 0.5 },
    "TI.S.LARGE.POST": { Cpu: 4000, Memory: 8192, Gpu: 0, GpuType: "", alias: "4C8G", pricePerHour: 1 },
    "TI.S6.MEDIUM2.POST": { Cpu: 2000, Memory: 2048, Gpu: 0, GpuType: "", alias: "2C2G", pricePerHour: 2 },
    "TI.GN7.8XLARGE128.POST": { Cpu: 32000, Memory: 131072, Gpu: 100, GpuType: "T4", alias: "32C128G T4*1", pricePerHour: 12 },
};

interface TaskRecord {
    id: string;
    region: string;
    /** The create request as received, with `StartCmdInfo` decoded from `EncodedStartCmdInfo` when that was sent. */
    request: Record<string, any>;
    created: number;
    /** Last time the task changed other than by its own progression. */
    touched: number;
    phases: Phase[];
    failureReason?: string;
    /** Suffix of `LatestInstanceId` (12 lowercase alphanumerics, as in the example). */
    instanceSuffix: string;
}

interface State {
    tasks: Record<string, TaskRecord>;
}

const HOUR_MS = 3_600_000;

/** `2025-05-28T18:18:33+08`: the detail example's form (China Standard Time, bare hour offset). */
export function tioneTime(ms: number): string {
    return new Date(ms + 8 * HOUR_MS).toISOString().slice(0, 19) + "+08";
}

export class TioneEmulator implements CloudModule, ObjectControl {
    readonly name = "tione";
    readonly prefix = "/tione";
    private state: State = { tasks: {} };
    /** Behaviours the documentation leaves open, switched by `POST /_control/tione/variants` (see control()). */
    private readonly variants: TioneVariants = { ...DEFAULT_TIONE_VARIANTS };
    private readonly stepMs: number;
    /** `RequestLimitExceeded` answers given, by action (the rate limit, not injected faults). */
    private throttledByAction: Record<string, number> = {};

    constructor(readonly opts: TioneEmulatorOptions) {
        this.stepMs = opts.stepMs ?? 1000;
    }

    action(req: EmuRequest): string {
        const a = req.headers["x-tc-action"];
        return String((Array.isArray(a) ? a[0] : a) ?? "Unknown");
    }

    throttled(): EmuResponse {
        return fail("RequestLimitExceeded", "Your current request times equals to `20` in a second, which exceeds the frequency limit `20` for a second. Please reduce the frequency of calls.");
    }

    /** An outage answer: HTTP 500 carrying the API 3.0 envelope. */
    notFound(): EmuResponse {
        return fail("ResourceNotFound", "The training task does not exist.");
    }

    serverError(): EmuResponse {
        return { ...fail("InternalError", "An internal error has occurred. Retry your request, but if the problem persists, contact us."), status: 500 };
    }

    handle(req: EmuRequest, ctx: EmuContext): EmuResponse {
        if (req.method !== "POST" && req.method !== "GET") return fail("UnsupportedProtocol", "Only GET and POST are supported.");
        if (req.method === "GET") return fail("InvalidRequest", "The emulator models the POST JSON form only (reference/tione.md §1).");
        if (req.path !== "/") return fail("InvalidRequest", `The request path must be \`/\`, got \`${req.path}\`.`);

        const unserved = judgeHost(String(req.headers["host"] ?? ""), String(req.headers["x-tc-region"] ?? ""), this.variants.endpointHosts);
        if (unserved) return unserved;

        // Wall time, not the job clock: tests advance the job clock, and signatures must not expire with it.
        const auth = verifyTc3(
            { method: req.method, headers: req.headers, body: req.body, canonicalQuery: "" },
            { secrets: this.opts.secrets, sessionTokens: this.opts.sessionTokens, service: SERVICE },
            Math.floor(Date.now() / 1000),
        );
        if ("code" in auth) return fail(auth.code, auth.message);

        const version = String(req.headers["x-tc-version"] ?? "");
        if (!version) return fail("MissingParameter", "The request is missing a required parameter `Version`.");
        if (version !== VERSION) return fail("NoSuchVersion", `The API version \`${version}\` does not exist.`);
        const action = this.action(req);
        if (!ACTIONS.includes(action)) return fail("InvalidAction", `The action \`${action}\` is not found (the emulator implements ${ACTIONS.join(", ")}).`);

        // The window reads the emulator clock (unlike the signature check), so a test that freezes it gets an exact count.
        if (!ctx.rate.allow(`tione:${auth.secretId}:${action}`, PER_ACTION_PER_SECOND)) {
            this.throttledByAction[action] = (this.throttledByAction[action] ?? 0) + 1;
            return this.throttled();
        }

        const region = String(req.headers["x-tc-region"] ?? "");
        if (!region) return fail("MissingParameter", "The request is missing a required parameter `Region`.");
        if (!/^[a-z]{2,}-[a-z]+(-[a-z0-9]+)*$/.test(region)) return fail("UnsupportedRegion", `The region \`${region}\` is not supported.`);

        const contentType = String(req.headers["content-type"] ?? "");
        if (!/^application\/json\b/i.test(contentType)) return fail("InvalidRequest", "POST requests must be `Content-Type: application/json`.");
        let params: unknown;
        try {
            params = req.body.length ? JSON.parse(req.body.toString("utf8")) : {};
        } catch {
            return fail("InvalidParameter", "The request body is not valid JSON.");
        }
        if (action !== "CreateTrainingTask") {
            const shape = checkShape(action, params);
            if (shape) return problem(shape);
        }
        const body = params as Record<string, any>;
        const now = ctx.clock.now();
        switch (action) {
            case "CreateTrainingTask":
                return this.create(body, region, now, ctx);
            case "DescribeTrainingTask":
                return this.withTask(body.Id, region, (t) => ok({ TrainingTaskDetail: this.detail(t, now) }));
            case "DescribeTrainingTasks":
                return this.list(body, region, now);
            case "StopTrainingTask":
                return this.withTask(body.Id, region, (t) => this.stop(t, now, ctx));
            case "DescribeLogs":
                return this.logs(body, region, now);
            default:
                return this.withTask(body.Id, region, (t) => this.remove(t, now, ctx));
        }
    }

    private create(body: Record<string, any>, region: string, now: number, ctx: EmuContext): EmuResponse {
        const invalid = validateCreate(body);
        if (invalid) return problem(invalid);
        if (Object.values(this.state.tasks).some((t) => t.region === region && t.request.Name === body.Name)) {
            // Both codes are documented for a duplicate name (reference/tione.md §4), with no rule for which comes when.
            return fail(this.variants.duplicateNameCode, `A task named \`${body.Name}\` already exists; change the name.`);
        }
        const request = { ...body };
        // EncodedStartCmdInfo wins over StartCmdInfo; Describe returns only the plain form.
        if (body.EncodedStartCmdInfo?.StartCmdInfo !== undefined) request.StartCmdInfo = decodeStartCmd(body.EncodedStartCmdInfo.StartCmdInfo);
        delete request.EncodedStartCmdInfo;
        let id: string;
        do id = `train-${digits(19)}`;
        while (this.state.tasks[id]);
        this.state.tasks[id] = {
            id,
            region,
            request,
            created: now,
            touched: now,
            phases: plannedPhases(PROGRESSION, now, this.stepMs),
            instanceSuffix: hex(12),
        };
        ctx.markDirty();
        return ok({ Id: id });
    }

    private stop(t: TaskRecord, now: number, ctx: EmuContext): EmuResponse {
        const status = statusAt(t.phases, now);
        // "未提交状态禁止停止": stop is refused while the task is not yet submitted.
        if (status === "SUBMITTING") return fail("InternalError.UnSubmittedStatusNotAllowStop", "The task has not been submitted yet and cannot be stopped.");
        if (status === "STOPPING") return ok({});
        if (!STOPPABLE.has(status)) return fail("InternalError.NotAllow", `A task in status ${status} cannot be stopped.`);
        t.phases = rerouteFrom(t.phases, now, ["STOPPING", "STOPPED"], this.stepMs);
        t.touched = now;
        ctx.markDirty();
        return ok({});
    }

    /** Deleting a running task is not documented; the emulator refuses it (`InternalError.NotAllow`, reference/tione.md §8). */
    private remove(t: TaskRecord, now: number, ctx: EmuContext): EmuResponse {
        const status = statusAt(t.phases, now);
        if (!TERMINAL.has(status)) return fail("InternalError.NotAllow", `A task in status ${status} cannot be deleted; stop it first.`);
        delete this.state.tasks[t.id];
        ctx.markDirty();
        return ok({});
    }

    private list(body: Record<string, any>, region: string, now: number): EmuResponse {
        const limit = body.Limit ?? 10;
        const offset = body.Offset ?? 0;
        if (limit > 50) return fail("InvalidParameterValue.PageLimitExceeded", "`Limit` must be at most 50.");
        if (body.Order !== undefined && !["ASC", "DESC"].includes(body.Order)) return fail("InvalidParameterValue", "`Order` must be ASC or DESC.");
        const orderField: string = body.OrderField ?? "UpdateTime";
        if (!["CreateTime", "UpdateTime", "StartTime"].includes(orderField)) return fail("InvalidParameterValue", "`OrderField` must be CreateTime, UpdateTime or StartTime.");
        const filters: Filter[] = body.Filters ?? [];
        const tagFilters: TagFilter[] = body.TagFilters ?? [];
        for (const f of filters) {
            if (!FILTER_NAMES.includes(f.Name)) return fail("InvalidParameterValue", `Unsupported filter name \`${f.Name}\`; use one of ${FILTER_NAMES.join(", ")}.`);
        }
        const views = Object.values(this.state.tasks)
            .filter((t) => t.region === region)
            // The list's Status enum has PENDING, which the detail reports as SUBMITTING.
            .map((t) => ({ t, v: { ...this.detail(t, now), Status: statusAt(t.phases, now) } }))
            .filter(({ v }) => filters.every((f) => matchesFilter(v, f)))
            .filter(({ v }) => tagFilters.every((f) => matchesTagFilter(v, f)));
        const key = (x: { t: TaskRecord; v: Record<string, any> }): number =>
            orderField === "CreateTime" ? x.t.created : orderField === "StartTime" ? (reachedAt(x.t.phases, "STARTING", now) ?? 0) : this.updatedAt(x.t, now);
        const sign = (body.Order ?? "DESC") === "ASC" ? 1 : -1;
        views.sort((a, b) => sign * (key(a) - key(b)) || sign * a.t.id.localeCompare(b.t.id));
        const page = views.slice(offset, offset + limit).map(({ t, v }) => this.listItem(t, v));
        return ok({ TrainingTaskSet: page, TotalCount: views.length });
    }

    private updatedAt(t: TaskRecord, now: number): number {
        let last = t.touched;
        for (const p of t.phases) if (p.at <= now && p.at > last) last = p.at;
        return last;
    }

    /** `TrainingTaskDetail` with every documented field (reference/tione.md §5); nullable ones are `null` when unset. */
    private detail(t: TaskRecord, now: number): Record<string, any> {
        const r = t.request;
        const status = statusAt(t.phases, now);
        const started = reachedAt(t.phases, "STARTING", now);
        const ended = TERMINAL.has(status) ? reachedAt(t.phases, status, now) : undefined;
        const failed = status === "FAILED" || status === "SUBMIT_FAILED";
        const billing = r.ChargeType === "POSTPAID_BY_HOUR" && ["STARTING", "RUNNING", "STOPPING"].includes(status);
        // What an unset field reads as: the vendor examples show "", [] and empty objects; null is the other plausible answer.
        const empty = this.variants.unsetFields === "null";
        const str = (v: unknown) => v ?? (empty ? null : "");
        const list = (v: unknown) => v ?? (empty ? null : []);
        return {
            Id: t.id,
            Name: r.Name,
            Uin: UIN,
            SubUin: UIN,
            SubUinName: "emulator",
            Region: t.region,
            FrameworkName: str(r.FrameworkName),
            FrameworkVersion: str(r.FrameworkVersion),
            FrameworkEnvironment: str(r.FrameworkEnvironment),
            ChargeType: r.ChargeType,
            ResourceGroupId: r.ResourceGroupId ?? "",
            ResourceConfigInfos: (r.ResourceConfigInfos as any[]).map(resourceView),
            Tags: [...(r.Tags ?? []), SYSTEM_TAG],
            TrainingMode: str(r.TrainingMode),
            CodePackagePath: r.CodePackagePath ?? EMPTY_COS,
            StartCmdInfo: r.StartCmdInfo ?? null,
            DataSource: str(r.DataSource),
            DataConfigs: list(r.DataConfigs),
            TuningParameters: str(r.TuningParameters),
            Output: r.Output ?? EMPTY_COS,
            LogEnable: r.LogEnable ?? false,
            LogConfig: r.LogConfig ?? (empty ? null : { LogsetId: "", TopicId: "" }),
            VpcId: str(r.VpcId),
            SubnetId: str(r.SubnetId),
            ImageInfo: r.ImageInfo ?? null,
            RuntimeInSeconds: started === undefined ? 0 : Math.floor(((ended ?? now) - started) / 1000),
            CreateTime: tioneTime(t.created),
            StartTime: started === undefined ? str(undefined) : tioneTime(started),
            ChargeStatus: billing ? "BILLING" : "NOT_BILLING",
            LatestInstanceId: started === undefined ? str(undefined) : `${t.id}-${t.instanceSuffix}`,
            TensorBoardId: str(undefined),
            Remark: str(r.Remark),
            FailureReason: failed ? (t.failureReason ?? "task failed") : str(undefined),
            UpdateTime: tioneTime(this.updatedAt(t, now)),
            EndTime: ended === undefined ? str(undefined) : tioneTime(ended),
            BillingInfo: billingInfo(r),
            ResourceGroupName: r.ResourceGroupId ? `rg-${r.ResourceGroupId}` : "",
            Message: failed ? (t.failureReason ?? "task failed") : str(undefined),
            // The detail's Status enum has no PENDING and labels SUBMITTING "queued"; only the list says PENDING (reference/tione.md §6).
            Status: status === "PENDING" ? "SUBMITTING" : status,
            CallbackUrl: str(r.CallbackUrl),
            CodeRepos: r.CodeRepos ?? [],
            ExposeNetworkConfig: r.ExposeNetworkConfig ?? {},
            OperatorInfo: { SubUin: UIN, SubUinName: "emulator", IsPlatformOperator: false, OperationType: "CREATE" },
        };
    }

    /** `TrainingTaskSetItem` (reference/tione.md §7): AppId is a string, Envs an array. */
    private listItem(t: TaskRecord, d: Record<string, any>): Record<string, any> {
        const pick = [
            "Id", "Name", "FrameworkName", "FrameworkVersion", "FrameworkEnvironment", "ChargeType", "ChargeStatus", "ResourceGroupId",
            "ResourceConfigInfos", "TrainingMode", "Status", "RuntimeInSeconds", "CreateTime", "StartTime", "EndTime", "Output",
            "FailureReason", "UpdateTime", "BillingInfo", "ResourceGroupName", "ImageInfo", "Message", "Tags", "CallbackUrl", "SubUin", "SubUinName",
        ];
        return {
            ...Object.fromEntries(pick.map((k) => [k, d[k]])),
            AppId: "1250000000",
            Envs: t.request.Envs ?? [],
            LatestOperatorInfo: d.OperatorInfo,
        };
    }

    /**
     * DescribeLogs for Service TRAIN: the log of the task whose `LatestInstanceId` is `ServiceId`
     * (reference/tione.md §11), as `{Context, Content: LogIdentity[]}`. Documented defaults: the
     * last hour, 100 lines (at most 1000), newest first. A task's log is its progression as it
     * stands (start-up, training steps while RUNNING, then the outcome), so it grows while it runs.
     */
    private logs(body: Record<string, any>, region: string, now: number): EmuResponse {
        if (!LOG_SERVICES.includes(body.Service)) return fail("InvalidParameterValue", `\`Service\` must be one of ${LOG_SERVICES.join(", ")}.`);
        const limit = body.Limit ?? 100;
        if (limit < 1 || limit > 1000) return fail("InvalidParameterValue", "`Limit` must be from 1 to 1000.");
        const order = body.Order ?? "DESC";
        if (!["ASC", "DESC"].includes(order)) return fail("InvalidParameterValue", "`Order` must be ASC or DESC.");
        const from = body.StartTime !== undefined ? Date.parse(body.StartTime) : now - HOUR_MS;
        const to = body.EndTime !== undefined ? Date.parse(body.EndTime) : now;
        if (Number.isNaN(from) || Number.isNaN(to)) return fail("InvalidParameterValue", "`StartTime` and `EndTime` must be RFC3339 times.");
        const t = body.Service === "TRAIN" ? Object.values(this.state.tasks).find((x) => x.region === region && `${x.id}-${x.instanceSuffix}` === body.ServiceId) : undefined;
        const lines = t ? taskLog(t, now).filter((l) => l.at >= from && l.at <= to) : [];
        const ordered = order === "DESC" ? [...lines].reverse() : lines;
        const offset = body.Offset ?? 0;
        const pod = t ? `${t.id}-${t.instanceSuffix}-worker-0` : "";
        const content = ordered.slice(offset, offset + limit).map((l, i) => ({ Id: `${l.at}-${i}`, Message: l.message, PodName: pod, Timestamp: new Date(l.at).toISOString() }));
        return ok({ Context: "", Content: content });
    }

    private withTask(id: string, region: string, fn: (t: TaskRecord) => EmuResponse): EmuResponse {
        const t = this.state.tasks[id];
        if (!t || t.region !== region) return fail("ResourceNotFound", `The training task \`${id}\` does not exist.`);
        return fn(t);
    }

    /**
     * Control calls under `/_control/tione`:
     * - `POST /tasks/<id>/force {status, reason?}`: jump to a status now (FAILED, SUBMIT_FAILED, …); `reason` becomes FailureReason.
     * - `GET /tasks`: every task's detail and stored Envs, all regions.
 * - `DELETE /tasks/<id>`: the record disappears out of band, whatever its status.
     * - `GET /stats`: `RequestLimitExceeded` answers given by the rate limit, by action.
     * - `POST /variants {duplicateNameCode?, unsetFields?, endpointHosts?}`: which documented code a duplicate
     *   name gets, whether unset detail fields read as ""/[] ("empty") or null, and which
     *   Tencent host names are served (see {@link judgeHost}).
     */
    control(method: string, path: string, body: any, ctx: EmuContext): EmuResponse | undefined {
        const now = ctx.clock.now();
        const force = /^\/tasks\/([^/]+)\/force$/.exec(path);
        if (force && method === "POST") {
            const t = this.state.tasks[decodeURIComponent(force[1])];
            if (!t) return { status: 404, body: { message: `no task ${force[1]}` } };
            const status = String(body?.status ?? "FAILED");
            if (!STATUSES.includes(status)) return { status: 400, body: { message: `status must be one of ${STATUSES.join(", ")}` } };
            this.forceTask(t, status, body?.reason === undefined ? undefined : String(body.reason), ctx);
            return { status: 200, body: this.detail(t, now) };
        }
        const deleted = outOfBandDelete(method, path, { tasks: this.state.tasks }, ctx);
        if (deleted) return deleted;
        if (path === "/variants" && method === "POST") {
            const problem = enumVariantProblem(TIONE_VARIANT_VALUES, body);
            if (problem) return { status: 400, body: { message: problem } };
            for (const key of Object.keys(TIONE_VARIANT_VALUES)) if (body?.[key] !== undefined) (this.variants as Record<string, string>)[key] = body[key];
            return { status: 200, body: { ...this.variants } };
        }
        // The detail view, plus what only the stored request holds (Envs: the task list shows them, the detail does not).
        if (path === "/tasks" && method === "GET") return { status: 200, body: { tasks: Object.values(this.state.tasks).map((t) => ({ ...this.detail(t, now), Envs: t.request.Envs ?? null })) } };
        if (path === "/stats" && method === "GET") {
            const throttled = Object.values(this.throttledByAction).reduce((a, b) => a + b, 0);
            return { status: 200, body: { throttled, throttledByAction: this.throttledByAction, tasks: Object.keys(this.state.tasks).length } };
        }
        return undefined;
    }

    /** Ends or moves a task now, as the cloud would on its own; a failure status gets `reason` (or a default) as FailureReason. */
    private forceTask(t: TaskRecord, status: string, reason: string | undefined, ctx: EmuContext): void {
        const now = ctx.clock.now();
        t.phases = rerouteFrom(t.phases, now, [status], this.stepMs);
        t.touched = now;
        if (FAILED_STATUSES.includes(status)) t.failureReason = reason ?? (status === "FAILED" ? "the training process exited with code 1" : "submission failed: insufficient resources");
        ctx.markDirty();
    }

    /** The uniform object API's view of TI-ONE: one kind, `task`. */
    readonly objectKinds: readonly ObjectKindInfo[] = [
        {
            kind: "task",
            meaning: "a training task (CreateTrainingTask), any region",
            forceStatuses: STATUSES,
            reasonStatuses: FAILED_STATUSES,
            reasonField: "FailureReason (and Message) of DescribeTrainingTask and DescribeTrainingTasks",
            // TI-ONE has no ModifyTrainingTask (reference/tione.md §3); the console can still change a task's
            // remark, and tags are edited on any resource through Tencent's tag service.
            editable: {
                Remark: `the task's remark, a string of at most ${REMARK_MAX} characters (null clears it)`,
                Tags: "the user tags, [{TagKey, TagValue}] (null clears them; the system tag qcs:tag:createdBy stays)",
            },
            deletable: true,
        },
    ];

    readonly controlRoutes: readonly ControlRoute[] = [
        { method: "GET", path: "/_control/tione/tasks", meaning: "every task's detail plus its stored Envs, all regions" },
        { method: "POST", path: "/_control/tione/tasks/<id>/force", body: "{status?, reason?}", meaning: "jump a task to a status now (default FAILED); reason becomes FailureReason" },
        { method: "DELETE", path: "/_control/tione/tasks/<id>", meaning: "delete a task out of band, whatever its status" },
        { method: "GET", path: "/_control/tione/stats", meaning: "RequestLimitExceeded answers given by the rate limit, by action" },
    ];

    listObjects(ctx: EmuContext): ObjectSummary[] {
        const now = ctx.clock.now();
        return Object.values(this.state.tasks).map((t) => this.summary(t, now));
    }

    forceObject(_kind: string, id: string, status: string, reason: string | undefined, ctx: EmuContext): ObjectChange {
        const t = this.taskForControl(id);
        this.forceTask(t, status, reason, ctx);
        return this.change(t, ctx.clock.now());
    }

    deleteObject(_kind: string, id: string, ctx: EmuContext): ObjectSummary {
        const t = this.taskForControl(id);
        const was = this.summary(t, ctx.clock.now());
        delete this.state.tasks[t.id];
        ctx.markDirty();
        return was;
    }

    editObject(_kind: string, id: string, fields: Record<string, unknown>, ctx: EmuContext): ObjectChange {
        const t = this.taskForControl(id);
        const { Remark, Tags } = fields;
        if (Remark !== undefined && Remark !== null && (typeof Remark !== "string" || Remark.length > REMARK_MAX)) {
            throw new ControlError(400, `Remark: must be a string of at most ${REMARK_MAX} characters, or null`);
        }
        if (Tags !== undefined && Tags !== null) {
            const wellFormed = Array.isArray(Tags) && Tags.every((tag) => tag && typeof tag.TagKey === "string" && tag.TagKey && typeof tag.TagValue === "string");
            if (!wellFormed) throw new ControlError(400, "Tags: must be an array of {TagKey, TagValue} strings, or null");
            // Tencent reserves the qcs: prefix for system tags.
            if ((Tags as Array<{ TagKey: string }>).some((tag) => tag.TagKey.startsWith("qcs:"))) throw new ControlError(400, "Tags: keys starting with qcs: are system tags");
        }
        for (const [k, v] of Object.entries({ Remark, Tags })) {
            if (v === null) delete t.request[k];
            else if (v !== undefined) t.request[k] = v;
        }
        // A console edit is a change: UpdateTime moves (and the list's UpdateTime order with it).
        t.touched = ctx.clock.now();
        ctx.markDirty();
        return this.change(t, ctx.clock.now());
    }

    variantInfo(): Record<string, VariantInfo> {
        return enumVariantInfo(TIONE_VARIANT_VALUES, DEFAULT_TIONE_VARIANTS, this.variants, TIONE_VARIANT_MEANINGS);
    }

    private taskForControl(id: string): TaskRecord {
        const t = this.state.tasks[id];
        if (!t) throw new ControlError(404, `no tione task ${id}`);
        return t;
    }

    /** The list's status (it has PENDING, which the detail reports as SUBMITTING). */
    private summary(t: TaskRecord, now: number): ObjectSummary {
        return { kind: "task", id: t.id, name: String(t.request.Name ?? ""), status: statusAt(t.phases, now) };
    }

    private change(t: TaskRecord, now: number): ObjectChange {
        return { object: this.summary(t, now), view: this.detail(t, now) };
    }

    snapshot(): unknown {
        return this.state;
    }

    restore(state: unknown): void {
        this.state = state as State;
    }
}

function resourceView(r: Record<string, any>): Record<string, any> {
    const spec = r.InstanceType ? SPECS[r.InstanceType] : undefined;
    return {
        Role: r.Role,
        Cpu: r.Cpu ?? spec?.Cpu ?? 0,
        Memory: r.Memory ?? spec?.Memory ?? 0,
        GpuType: r.GpuType ?? spec?.GpuType ?? "",
        Gpu: r.Gpu ?? spec?.Gpu ?? 0,
        InstanceType: r.InstanceType ?? "",
        InstanceTypeAlias: r.InstanceTypeAlias ?? spec?.alias ?? "",
        InstanceNum: r.InstanceNum ?? 1,
        RDMAConfig: r.RDMAConfig ?? { Enable: false },
    };
}

/** E.g. `2.00元/小时 (按量计费)` for postpaid (the format of the reference's example); prepaid tasks are billed through their resource group. */
function billingInfo(r: Record<string, any>): string {
    if (r.ChargeType !== "POSTPAID_BY_HOUR") return `资源组 ${r.ResourceGroupId} (包年包月)`;
    const perHour = (r.ResourceConfigInfos as any[]).reduce((sum, c) => sum + (SPECS[c.InstanceType]?.pricePerHour ?? 1) * (c.InstanceNum ?? 1), 0);
    return `${perHour.toFixed(2)}元/小时 (按量计费)`;
}

/** A `Filters` entry of DescribeTrainingTasks. */
interface Filter {
    Name: string;
    Values?: string[];
    Negative?: boolean;
    Fuzzy?: boolean;
}

/** A `TagFilters` entry of DescribeTrainingTasks. */
interface TagFilter {
    TagKey?: string;
    TagValues?: string[];
}

function matchesFilter(v: Record<string, any>, f: Filter): boolean {
    const field: Record<string, string> = { Name: "Name", Id: "Id", Status: "Status", ResourceGroupId: "ResourceGroupId", Creator: "SubUin", ChargeType: "ChargeType", CHARGE_STATUS: "ChargeStatus" };
    const actual = String(v[field[f.Name]] ?? "");
    const values = f.Values ?? [];
    const hit = values.length === 0 || values.some((x) => (f.Fuzzy ? actual.includes(x) : actual === x));
    return f.Negative ? !hit : hit;
}

function matchesTagFilter(v: Record<string, any>, f: TagFilter): boolean {
    return ((v.Tags ?? []) as Array<{ TagKey: string; TagValue: string }>).some(
        (t) => t.TagKey === f.TagKey && (!f.TagValues?.length || f.TagValues.includes(t.TagValue)),
    );
}

/** The services DescribeLogs serves (DescribeLogsRequest.Service). */
const LOG_SERVICES = ["TRAIN", "NOTEBOOK", "INFER", "BATCH"];

/** A task's log as it stands at `now`: one line per status reached, training steps while it runs, the failure reason at the end. */
function taskLog(t: TaskRecord, now: number): Array<{ at: number; message: string }> {
    const lines: Array<{ at: number; message: string }> = [];
    const reached = t.phases.filter((p) => p.at <= now);
    reached.forEach((p, i) => {
        lines.push({ at: p.at, message: `[INFO] task ${t.id} ${p.status}` });
        if (p.status !== "RUNNING") return;
        const until = Math.min(now, reached[i + 1]?.at ?? now);
        for (let step = 1; step <= 3; step++) {
            const at = p.at + Math.floor(((until - p.at) * step) / 4);
            if (at <= now && at < until) lines.push({ at, message: `[INFO] step ${step * 100} loss ${(2 / (1 + step)).toFixed(4)}` });
        }
    });
    const last = reached[reached.length - 1];
    if (last && FAILED_STATUSES.includes(last.status)) lines.push({ at: last.at, message: `[ERROR] ${t.failureReason ?? "the training process exited with code 1"}` });
    return lines;
}

function ok(fields: Record<string, unknown>): EmuResponse {
    return { status: 200, body: { Response: { ...fields, RequestId: requestId() } } };
}

/** A business error: HTTP 200 with `Response.Error` (reference/tione.md §2.2). */
function fail(code: string, message: string): EmuResponse {
    return { status: 200, body: { Response: { Error: { Code: code, Message: message }, RequestId: requestId() } } };
}

function problem(p: Problem): EmuResponse {
    return fail(p.code, p.message);
}
