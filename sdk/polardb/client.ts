/**
 * Client for the PolarDB AIDB ("model operator") training-task actions,
 * API version 2017-08-01, on top of the shared Alibaba RPC transport.
 * Reference: reference/polardb-aidb.md; actions documented at
 * https://help.aliyun.com/zh/polardb/api-polardb-2017-08-01-createaidbclustertask and siblings.
 */
import { hasErrorCode } from "../core/errors";
import { AlibabaCredentials, AlibabaRpcClient, RpcParamValue } from "../alibaba/rpcClient";
import type { RetryPolicy } from "../core/backoff";
import type { RateLimit } from "../core/rateLimiter";
import type {
    AidbTaskAttribute,
    AidbTaskList,
    AidbTaskListItem,
    AidbTaskLogItem,
    AidbTaskLogPage,
    CreateAidbTaskRequest,
    CreateAidbTaskResponse,
    DeleteAidbTaskResponse,
} from "./types";

/** The PolarDB API version every action is called with. */
export const POLARDB_API_VERSION = "2017-08-01";

const SERVICE = "PolarDB";

/**
 * Default request rate per region. Source: assumption, no limit is
 * published. Alibaba publishes no flow-control figure for the AIDB actions
 * (reference/polardb-aidb.md lists only the `Throttling*` codes); 10
 * requests/s with a burst of 10 stays well under the per-user limits seen on
 * other PolarDB actions, and a `Throttling` answer lowers it (AIMD,
 * `sdk/core/rateLimiter.ts`). Configurable: the client's `rateLimit`, or
 * `pulumi-training:polardbRequestsPerSecond`.
 */
export const POLARDB_RATE_LIMIT: Readonly<RateLimit> = Object.freeze({ perSecond: 10, burst: 10 });

/** The endpoint every region in {@link CENTRAL_ENDPOINT_REGIONS} uses. */
export const POLARDB_CENTRAL_HOST = "polardb.aliyuncs.com";

/**
 * Regions the vendor SDK sends to the central host. Copied from the endpoint
 * map in the PolarDB SDK (`aliyun/alibabacloud-typescript-sdk`
 * `polardb-20170801/src/client.ts`, `_endpointMap`; the Go SDK
 * `alibabacloud-go/polardb-20170801` `client/client.go` `Init()` has the same
 * public regions). Every other region, mapped or not, uses
 * `polardb.<region>.aliyuncs.com` (the SDK's explicit entries and the
 * `regional` fallback rule of `@alicloud/openapi-core` agree).
 */
export const CENTRAL_ENDPOINT_REGIONS: ReadonlySet<string> = new Set([
    "cn-qingdao",
    "cn-beijing",
    "cn-wulanchabu",
    "cn-hangzhou",
    "cn-shanghai",
    "cn-heyuan",
    "cn-hangzhou-finance",
    "ap-northeast-2-pop",
    "cn-beijing-finance-1",
    "cn-beijing-finance-pop",
    "cn-beijing-gov-1",
    "cn-beijing-nu16-b01",
    "cn-edge-1",
    "cn-fujian",
    "cn-haidian-cm12-c01",
    "cn-hangzhou-bj-b01",
    "cn-hangzhou-internal-prod-1",
    "cn-hangzhou-internal-test-1",
    "cn-hangzhou-internal-test-2",
    "cn-hangzhou-internal-test-3",
    "cn-hangzhou-test-306",
    "cn-hongkong-finance-pop",
    "cn-huhehaote-nebula-1",
    "cn-qingdao-nebula",
    "cn-shanghai-et15-b01",
    "cn-shanghai-et2-b01",
    "cn-shanghai-inner",
    "cn-shanghai-internal-test-1",
    "cn-shenzhen-inner",
    "cn-shenzhen-st4-d01",
    "cn-shenzhen-su18-b01",
    "cn-wuhan",
    "cn-yushanfang",
    "cn-zhangbei",
    "cn-zhangbei-na61-b01",
    "cn-zhangjiakou-na62-a01",
    "cn-zhengzhou-nebula-1",
    "eu-west-1-oxs",
    "rus-west-1-pop",
]);

/**
 * The PolarDB API host for a region: the central host for the regions in
 * {@link CENTRAL_ENDPOINT_REGIONS}, `polardb.<region>.aliyuncs.com` otherwise.
 */
export function polardbEndpointHost(regionId: string): string {
    return CENTRAL_ENDPOINT_REGIONS.has(regionId) ? POLARDB_CENTRAL_HOST : `polardb.${regionId}.aliyuncs.com`;
}

/** The only documented `KubeType`: model-operator tuning. */
export const AIDB_KUBE_TYPE_TRAIN = "aitrain";

/** The only documented `DescribeType` of the detail call ("query task details"). */
const DESCRIBE_TYPE = "RelatedAITask";

/** Credentials, region and endpoint of a {@link PolarDbClient}; the provider fills them from config and environment. */
export interface PolarDbClientOptions {
    credentials: AlibabaCredentials;
    /**
     * Region of the tasks, sent as `RegionId` and used to pick the endpoint.
     * Optional only with an explicit `endpoint`.
     */
    regionId?: string;
    /** Endpoint override (private endpoints, the emulator: `http://127.0.0.1:4010/polardb/`). */
    endpoint?: string;
    /** Per-request timeout in ms. */
    timeoutMs?: number;
    retry?: Partial<RetryPolicy>;
    /** Request rate to keep to. Default {@link POLARDB_RATE_LIMIT}; tests against the emulator raise it. Clients of one region and rate share one budget. */
    rateLimit?: RateLimit;
    /** Clock for `x-acs-date` (tests). */
    now?: () => Date;
    /** Nonce source (tests). */
    nonce?: () => string;
}

/** Parameters of {@link PolarDbClient.describeTaskLogs}. */
export interface TaskLogQuery {
    taskId: string;
    /** Window start; the API requires one. */
    startTime: Date;
    /** Window end; the API requires one. */
    endTime: Date;
    /** 1-based. Default 1. */
    pageNumber?: number;
    /** 30, 50 or 100 (the only accepted sizes). Default 100. */
    pageSize?: 30 | 50 | 100;
    /** Newest first when true. Default false. */
    reverse?: boolean;
    /** The parent cluster `pc-…`. Optional. */
    relativeDbClusterId?: string;
}

/** `yyyy-MM-ddTHH:mm:ssZ`, the time format the log action takes. */
export function isoSeconds(d: Date): string {
    return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Client for PolarDB AIDB tasks. Stateless apart from its HTTP core; safe to share. */
/** Tasks asked for per DescribeAIDBClusterTasks page: the largest page Alibaba lists usually allow (INFERENCE). */
const TASK_PAGE_SIZE = 100;

export class PolarDbClient {
    readonly rpc: AlibabaRpcClient;
    readonly regionId?: string;
    /**
     * Task id -> the name its detail reported. A task's name never changes, so
     * a task known to be named otherwise is not read again by the next lookup:
     * a stack of n creates on one cluster reads each task's detail about once.
     */
    private readonly taskNames = new Map<string, string>();

    constructor(opts: PolarDbClientOptions) {
        if (!opts.endpoint && !opts.regionId) {
            throw new Error("PolarDB region missing: set the resource's regionId, `pulumi config set alicloud:region <region>` or ALIBABA_CLOUD_REGION_ID");
        }
        this.regionId = opts.regionId;
        const endpoint = opts.endpoint ?? `https://${polardbEndpointHost(opts.regionId as string)}/`;
        const rateLimit = opts.rateLimit ?? POLARDB_RATE_LIMIT;
        this.rpc = new AlibabaRpcClient({
            service: SERVICE,
            version: POLARDB_API_VERSION,
            endpoint,
            credentials: opts.credentials,
            // One bucket per region; `sharedBucket` keeps a differently configured rate (a test's raised one) apart.
            bucketKey: `polardb:${opts.regionId ?? endpoint}`,
            rateLimit,
            timeoutMs: opts.timeoutMs,
            retry: opts.retry,
            now: opts.now,
            nonce: opts.nonce,
        });
    }

    /**
     * Submits a task. Not idempotent: the service has no client token for it,
     * so after a transport error the caller looks the task up by its TaskName
     * ({@link findTasksByName}) instead of resending.
     *
     * @returns the new task id (`pm-…`, in `DBClusterId`) and the `OrderId`.
     */
    async createTask(req: CreateAidbTaskRequest): Promise<CreateAidbTaskResponse> {
        const res = await this.call<CreateAidbTaskResponse>("CreateAIDBClusterTask", { ...req, RegionId: req.RegionId ?? this.regionId }, false);
        const id = trimmed(res.DBClusterId);
        if (!id) throw new Error(`PolarDB CreateAIDBClusterTask answered without a task id (request id ${res.RequestId ?? "unknown"})`);
        return { ...res, DBClusterId: id, OrderId: res.OrderId === undefined ? undefined : String(res.OrderId) };
    }

    /** The task in detail. Throws `InvalidDBClusterId.NotFound` (404) for an unknown id. */
    async describeTask(taskId: string): Promise<AidbTaskAttribute> {
        const res = await this.call<AidbTaskAttribute>("DescribeAIDBClusterTaskAttribute", { RegionId: this.regionId, DBClusterId: taskId, DescribeType: DESCRIBE_TYPE });
        // The documented example returns ids and RunningTimes with a trailing "\n"; trim so ids compare equal.
        return {
            ...res,
            DBClusterId: trimmed(res.DBClusterId) ?? taskId,
            TaskInfo: res.TaskInfo?.map((t) => ({ ...t, RunningTimes: trimmed(t.RunningTimes) })),
        };
    }

    /** The task in detail, or undefined when the service does not know the id. */
    async findTask(taskId: string): Promise<AidbTaskAttribute | undefined> {
        try {
            return await this.describeTask(taskId);
        } catch (e) {
            if (isTaskNotFound(e)) return undefined;
            throw e;
        }
    }

    /**
     * Every task of one PolarDB cluster, all pages. Reference §5 lists no
     * paging parameters, but the SDK model has PageNumber/PageSize and an
     * answer with TotalRecordCount (alibabacloud-polardb20170801 9.2.1), so
     * the pages are walked, at the largest size Alibaba lists usually allow;
     * a service that ignores paging answers every task on page 1, and a page
     * that brings no new task ends the walk. An unknown cluster yields an
     * empty list, not an error.
     */
    async listTasks(relativeDbClusterId: string, kubeType: string = AIDB_KUBE_TYPE_TRAIN): Promise<AidbTaskList> {
        const items: AidbTaskListItem[] = [];
        const seen = new Set<string>();
        let first: AidbTaskList | undefined;
        for (let page = 1; ; page++) {
            const res = await this.call<AidbTaskList>("DescribeAIDBClusterTasks", {
                RegionId: this.regionId,
                RelativeDBClusterId: relativeDbClusterId,
                KubeType: kubeType,
                PageNumber: String(page),
                PageSize: String(TASK_PAGE_SIZE),
            });
            first ??= res;
            const fresh = (res.Items ?? []).map((i) => ({ ...i, DBNodeId: trimmed(i.DBNodeId) ?? i.DBNodeId })).filter((i) => !seen.has(i.DBNodeId));
            for (const i of fresh) seen.add(i.DBNodeId);
            items.push(...fresh);
            const total = Number(res.TotalRecordCount);
            const done = Number.isFinite(total) && res.TotalRecordCount !== undefined ? items.length >= total : (res.Items ?? []).length < TASK_PAGE_SIZE;
            if (done || fresh.length === 0) break;
        }
        return { ...first, Items: items };
    }

    /**
     * Every task of a cluster whose TaskName is exactly `taskName`, in detail.
     *
     * The list cannot decide this: its items carry no task name. Their
     * `DBNodeDescription` is "the node description", example `test`
     * (SDK model `DescribeAIDBClusterTasksResponseBodyItems.DBNodeDescription`,
     * `aliyun/alibabacloud-typescript-sdk`
     * `polardb-20170801/src/models/DescribeAidbclusterTasksResponseBody.ts`);
     * the task name is the detail's `DBClusterDescription` ("The task name",
     * example `task01`, `DescribeAidbclusterTaskAttributeResponseBody.ts`).
     * So every listed task is read in detail, one call each (the caller needs
     * the status of a match anyway), except tasks this client already knows
     * by another name. PolarDB documents no list order,
     * so every match is returned and the caller chooses.
     */
    async findTasksByName(relativeDbClusterId: string, taskName: string, kubeType: string = AIDB_KUBE_TYPE_TRAIN): Promise<AidbTaskAttribute[]> {
        const items = (await this.listTasks(relativeDbClusterId, kubeType)).Items ?? [];
        const found: AidbTaskAttribute[] = [];
        for (const item of items) {
            const known = this.taskNames.get(item.DBNodeId);
            if (known !== undefined && known !== taskName) continue;
            const task = await this.findTask(item.DBNodeId);
            // Deleted between the list and the detail: not a task any more.
            if (!task) continue;
            const name = trimmed(task.DBClusterDescription);
            if (name !== undefined) this.taskNames.set(item.DBNodeId, name);
            if (carriesTaskName(task, item, taskName)) found.push(task);
        }
        return found;
    }

    /**
     * Deletes a task. `relativeDbClusterId` is the parent cluster (`pc-…`).
     * Idempotent: a second delete answers not-found, which callers treat as done.
     */
    async deleteTask(taskId: string, relativeDbClusterId: string): Promise<DeleteAidbTaskResponse> {
        return this.call<DeleteAidbTaskResponse>("DeleteAIDBClusterTask", { RegionId: this.regionId, DBClusterId: taskId, RelativeDBClusterId: relativeDbClusterId });
    }

    /** One page of a task's SLS log lines. The action takes no `RegionId`; `LogType` is always `sls`, the only documented type. */
    async describeTaskLogs(q: TaskLogQuery): Promise<AidbTaskLogPage> {
        return this.call<AidbTaskLogPage>("DescribeAIDBClusterTaskLogFiles", {
            DBClusterId: q.taskId,
            StartTime: isoSeconds(q.startTime),
            EndTime: isoSeconds(q.endTime),
            LogType: "sls",
            PageNumber: q.pageNumber,
            PageSize: q.pageSize,
            Reverse: q.reverse,
            RelativeDBClusterId: q.relativeDbClusterId,
        });
    }

    /**
     * The last `count` (at most 30) log lines between `since` and now, oldest
     * first: one newest-first page, reversed.
     */
    async tailTaskLogs(taskId: string, opts: { since: Date; count?: number; relativeDbClusterId?: string; now?: Date }): Promise<string[]> {
        const count = Math.min(30, Math.max(1, opts.count ?? 20));
        const end = new Date((opts.now ?? new Date()).getTime() + 60_000);
        const page = await this.describeTaskLogs({ taskId, startTime: opts.since, endTime: end, pageSize: 30, reverse: true, relativeDbClusterId: opts.relativeDbClusterId });
        const items: AidbTaskLogItem[] = page.Items?.SlsLogItems ?? [];
        return items
            .slice(0, count)
            .reverse()
            .map((i) => `${i.LogTime ?? ""} ${i.Message ?? ""}`.trim());
    }

    private call<T extends object>(action: string, params: Record<string, RpcParamValue>, idempotent = true): Promise<T> {
        return this.rpc.call<T>(action, params, { idempotent });
    }
}

/**
 * Whether an error means "no such task". PolarDB pages use both
 * `InvalidDBClusterId.NotFound` and `InvalidDBCluster.NotFound` (HTTP 404).
 */
/** The error codes that mean an AIDB task (a cluster id) does not exist. */
export const TASK_NOT_FOUND_CODES = ["InvalidDBClusterId.NotFound", "InvalidDBCluster.NotFound"] as const;

export function isTaskNotFound(e: unknown): boolean {
    return hasErrorCode(e, ...TASK_NOT_FOUND_CODES);
}

/**
 * Whether a listed task carries `taskName`. The detail's documented task name
 * decides; only a detail without one falls back on the list item's
 * description, which an item may carry as its name (it is not documented to).
 */
function carriesTaskName(task: AidbTaskAttribute, item: AidbTaskListItem, taskName: string): boolean {
    const detailName = trimmed(task.DBClusterDescription);
    if (detailName !== undefined) return detailName === taskName;
    return trimmed(item.DBNodeDescription) === taskName;
}

function trimmed(v: unknown): string | undefined {
    if (v === undefined || v === null) return undefined;
    const s = String(v).trim();
    return s || undefined;
}
