import { randomUUID } from "node:crypto";
import { hex } from "../core/ids";
import { plannedPhases, rerouteFrom } from "../core/timeline";
import type { CloudModule, EmuContext, EmuRequest, EmuResponse } from "../core/types";
import { DEFAULT_LIST_VARIANTS, ListVariants, VariantInfo, enumVariantInfo, enumVariantProblem, listVariantInfo, listVariantsControl, listed, outOfBandDelete } from "../core/control";
import { ControlError, ControlRoute, ObjectChange, ObjectControl, ObjectKindInfo, ObjectSummary } from "../core/objects";
import { MAX_SKEW_MS, decodeQueryComponent, isAuthFailure, verifyAcs3 } from "./acs3Verify";
import {
    ACTIVATION,
    COMPLETED,
    ClusterRecord,
    FAILED,
    LIST_ITEM_DESCRIPTIONS,
    ListItemDescription,
    TRAINING_STEPS,
    TaskRecord,
    attributeView,
    listItemView,
    logLines,
    logTime,
    newClusterId,
    newOrderId,
    newTaskId,
    taskStatus,
} from "./tasks";

/**
 * Alibaba PolarDB AIDB training tasks, as reference/polardb-aidb.md and
 * signing.md document them: RPC calls (`GET`/`POST /`, parameters in the
 * query, action and version in `x-acs-*` headers) signed with ACS3-HMAC-SHA256;
 * answers in JSON; errors as `{RequestId, HostId, Code, Message, Recommend}`
 * with the gateway's HTTP statuses.
 */
export interface PolarDbEmulatorOptions {
    /** AccessKey id -> secret the emulator accepts. */
    accessKeys: Record<string, string>;
    /** Clock step in ms; a task trains for {@link TRAINING_STEPS} steps. Default 1000. */
    stepMs?: number;
    /**
     * Flow control per AccessKey, requests/s, answered with `Throttling.User`.
     * Alibaba publishes no figure for these actions; default 50 (an assumption
     * well above the client's own pace, so only a runaway client trips it).
     */
    requestsPerSecond?: number;
    /** The `x-acs-retry-after` (ms) sent with a throttling answer. Default 100. */
    retryAfterMs?: number;
    /** Clusters known from the start. Default: {@link DEMO_CLUSTER}. More can be added through the control API. */
    clusters?: ClusterRecord[];
    /**
     * Path the module is mounted at, as it arrives on the wire (percent-encoded,
     * no trailing `/`). Default `/polardb`. Another value puts the API behind a
     * gateway's path prefix (`/%E7%BD%91%E5%85%B3/polardb` for `/网关/polardb`),
     * which signatures cover.
     */
    prefix?: string;
}

/** The cluster the emulator knows out of the box, so the examples run with no setup. */
export const DEMO_CLUSTER: ClusterRecord = { dbClusterId: "pc-2ze0000000000000", regionId: "cn-beijing" };

const API_VERSION = "2017-08-01";
const ACTIONS = new Set([
    "CreateAIDBClusterTask",
    "DescribeAIDBClusterTaskAttribute",
    "DescribeAIDBClusterTasks",
    "DeleteAIDBClusterTask",
    "DescribeAIDBClusterTaskLogFiles",
]);
const MODEL_SOURCES = new Set(["public", "custom"]);
const KUBE_TYPES = new Set(["aitrain"]);
const LOG_PAGE_SIZES = new Set([30, 50, 100]);
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

interface State {
    clusters: Record<string, ClusterRecord>;
    tasks: Record<string, TaskRecord>;
}

/**
 * What `POST /_control/polardb/variants` switches besides the list variants,
 * with the values each takes (see the fields of {@link PolarDbEmulator}).
 */
const POLARDB_VARIANT_VALUES = {
    listItemDescription: LIST_ITEM_DESCRIPTIONS,
    taskPaging: ["paged", "all"],
    deleteRunning: ["allowed", "refused"],
} as const;

type PolarDbVariants = { -readonly [K in keyof typeof POLARDB_VARIANT_VALUES]: (typeof POLARDB_VARIANT_VALUES)[K][number] };

const DEFAULT_POLARDB_VARIANTS: PolarDbVariants = { listItemDescription: "other", taskPaging: "paged", deleteRunning: "allowed" };

const POLARDB_VARIANT_MEANINGS: Record<keyof PolarDbVariants, string> = {
    listItemDescription: "what list items carry in DBNodeDescription (the SDK model's example text, the task name, empty, or no field)",
    taskPaging: "whether DescribeAIDBClusterTasks pages (30 by default, at most 100) or returns every task",
    deleteRunning: "whether a task still in ACTIVATION can be deleted (there is no stop action)",
};

/** The PolarDB cluster status the emulator's clusters always have (AI cluster statuses, reference/polardb-aidb.md §9). */
const CLUSTER_STATUS = "Running";

/** Whether DescribeAIDBClusterTasks pages (see PolarDbEmulator.taskPaging). */
type TaskPaging = PolarDbVariants["taskPaging"];
/** Alibaba's usual list paging (INFERENCE: no PolarDB AIDB page documents it). */
const DEFAULT_PAGE_SIZE = 30;
const MAX_PAGE_SIZE = 100;

type Params = Record<string, string>;

/** The PolarDB module of the emulator, mounted at `/polardb`. */
export class PolarDbEmulator implements CloudModule, ObjectControl {
    /** Order and lag of DescribeAIDBClusterTasks (both undocumented): `POST /_control/polardb/variants {listOrder, listLagMs}` switches them. */
    private readonly listVariants: ListVariants = { ...DEFAULT_LIST_VARIANTS };
    /** What list items carry in `DBNodeDescription`: `POST /_control/polardb/variants {listItemDescription}` switches it. */
    private listItemDescription: ListItemDescription = DEFAULT_POLARDB_VARIANTS.listItemDescription;
    /**
     * Whether DescribeAIDBClusterTasks pages. Reference §5 lists no paging
     * parameters, but the SDK model (alibabacloud-polardb20170801 9.2.1,
     * `DescribeAIDBClusterTasksRequest`) has PageNumber and PageSize and its
     * answer PageRecordCount and TotalRecordCount (found by tests/referee).
     * `paged` (default) pages with Alibaba's usual default of 30 and maximum
     * of 100 (INFERENCE); `all` returns every task whatever is asked.
     */
    private taskPaging: TaskPaging = DEFAULT_POLARDB_VARIANTS.taskPaging;
    /**
     * Whether DeleteAIDBClusterTask accepts a task still in ACTIVATION (not
     * documented; there is no stop action): `allowed` (the task stops) or
     * `refused` (`OperationDenied.DBClusterStatus`, the error PolarDB gives
     * for an operation its cluster's status does not permit).
     */
    private deleteRunning: PolarDbVariants["deleteRunning"] = DEFAULT_POLARDB_VARIANTS.deleteRunning;
    readonly name = "polardb";
    readonly prefix: string;
    private state: State = { clusters: {}, tasks: {} };
    private readonly stepMs: number;
    /** `<key>\0<nonce>` -> first seen (wall ms). Kept for the skew window; not persisted (a restart forgets nonces, as nothing older than 15 min matters). */
    private readonly nonces = new Map<string, number>();
    private lastPrune = 0;

    constructor(private readonly opts: PolarDbEmulatorOptions) {
        this.stepMs = opts.stepMs ?? 1000;
        this.prefix = opts.prefix ?? "/polardb";
        if (!/^\/.*[^/]$/.test(this.prefix)) throw new Error(`prefix must start with "/" and not end with one, got ${this.prefix}`);
        for (const c of opts.clusters ?? [DEMO_CLUSTER]) this.state.clusters[c.dbClusterId] = { ...c };
    }

    action(req: EmuRequest): string {
        return String(req.headers["x-acs-action"] ?? "Unknown");
    }

    throttled(req: EmuRequest): EmuResponse {
        const r = fail(req, 400, "Throttling.User", "Request was denied due to user flow control.");
        return { ...r, headers: { ...r.headers, "x-acs-retry-after": String(this.opts.retryAfterMs ?? 100) } };
    }

    notFound(req: EmuRequest): EmuResponse {
        return fail(req, 404, "InvalidDBClusterId.NotFound", "The DBInstanceId provided does not exist in our records.");
    }

    serverError(req: EmuRequest): EmuResponse {
        return fail(req, 500, "InternalError", "The request processing has failed due to some unknown error, exception or failure.");
    }

    handle(req: EmuRequest, ctx: EmuContext): EmuResponse {
        // The gateway accepts GET and POST for RPC actions (inference, §1); the SDK sends POST.
        if (req.method !== "GET" && req.method !== "POST") return fail(req, 403, "UnsupportedHTTPMethod", "This http method not supported.");
        // The skew check uses the wall clock, like a real gateway: the control clock models how long jobs take, not the caller's clock.
        const wallNow = Date.now();
        const auth = verifyAcs3(req, this.opts.accessKeys, wallNow, (key, nonce) => this.nonceSeen(key, nonce, wallNow));
        if (isAuthFailure(auth)) return fail(req, auth.status, auth.code, auth.message);

        const action = this.action(req);
        if (req.path !== "/" || !ACTIONS.has(action)) return fail(req, 403, "InvalidAction", "The specified action is not valid.");
        if (req.headers["x-acs-version"] !== API_VERSION) return fail(req, 400, "InvalidParameter", 'The specified parameter "Action or Version" is not valid.');
        // The window reads the emulator clock (tests freeze it); the signature check above stays on wall time.
        if (!ctx.rate.allow(`polardb:${auth.accessKeyId}`, this.opts.requestsPerSecond ?? 50)) return this.throttled(req);

        const params = readParams(req);
        if (!params) return fail(req, 400, "InvalidParameter", "The request parameters are not valid percent-encoded UTF-8.");
        const now = ctx.clock.now();
        switch (action) {
            case "CreateAIDBClusterTask":
                return this.create(req, params, now, ctx);
            case "DescribeAIDBClusterTaskAttribute":
                return this.describe(req, params, now);
            case "DescribeAIDBClusterTasks":
                return this.list(req, params, now);
            case "DeleteAIDBClusterTask":
                return this.remove(req, params, ctx);
            default:
                return this.logs(req, params, now);
        }
    }

    private create(req: EmuRequest, p: Params, now: number, ctx: EmuContext): EmuResponse {
        const missing = requireParams(req, p, ["DBClusterId", "ModelSource", "ModelName", "RunningParameter", "KubeType"]);
        if (missing) return missing;
        if (!MODEL_SOURCES.has(p.ModelSource)) return invalid(req, "ModelSource");
        if (!KUBE_TYPES.has(p.KubeType)) return invalid(req, "KubeType");
        const running = parseObject(p.RunningParameter);
        if (!running) return invalid(req, "RunningParameter");
        // "DatasetPath: required for fine-tuning" (§3); a RunningParameter with a train mode or type is a fine-tune (inference).
        if (!p.DatasetPath && (running.train_mode !== undefined || running.train_type !== undefined)) return missingParam(req, "DatasetPath");
        const cluster = this.state.clusters[p.DBClusterId];
        // A task on a cluster the account does not have fails like every PolarDB call on an unknown cluster (§11.4).
        if (!cluster || (p.RegionId && p.RegionId !== cluster.regionId)) {
            return fail(req, 404, "InvalidDBClusterId.NotFound", "The DBClusterId provided does not exist in our records.");
        }
        const id = newTaskId(cluster.regionId);
        const task: TaskRecord = {
            id,
            orderId: newOrderId(),
            clusterId: cluster.dbClusterId,
            regionId: cluster.regionId,
            params: { ...p },
            running,
            created: now,
            // The documented progression; training lasts TRAINING_STEPS clock steps.
            phases: plannedPhases([ACTIVATION, COMPLETED], now, TRAINING_STEPS * this.stepMs),
            eni: `eni-${hex(20)}`,
        };
        this.state.tasks[id] = task;
        ctx.markDirty();
        return ok({ DBClusterId: id, OrderId: task.orderId });
    }

    private describe(req: EmuRequest, p: Params, now: number): EmuResponse {
        const missing = requireParams(req, p, ["DBClusterId"]);
        if (missing) return missing;
        if (p.DescribeType !== undefined && p.DescribeType !== "RelatedAITask") return invalid(req, "DescribeType");
        const task = this.task(p.DBClusterId, p.RegionId);
        // The action's own page lists exactly this answer for an unknown id (seed page of DescribeAIDBClusterTaskAttribute).
        if (!task) return fail(req, 404, "InvalidDBClusterId.NotFound", "The DBInstanceId provided does not exist in our records.");
        return ok(attributeView(task, now));
    }

    private list(req: EmuRequest, p: Params, now: number): EmuResponse {
        const cluster = p.RelativeDBClusterId ? this.state.clusters[p.RelativeDBClusterId] : undefined;
        // "RelativeDBClusterId must match an existing cluster or no data is returned" (§5): an empty list, not an error.
        const visible = cluster && (!p.RegionId || p.RegionId === cluster.regionId) && (!p.KubeType || KUBE_TYPES.has(p.KubeType));
        const all = visible
            ? listed(Object.values(this.state.tasks), this.listVariants, now)
                  .filter((t) => t.clusterId === cluster.dbClusterId)
                  .map((t) => listItemView(t, now, this.listItemDescription))
            : [];
        const envelope = { Engine: "polardb_ai", EngineVersion: "3.1", RelativeDBClusterId: p.RelativeDBClusterId ?? "", TaskType: "train" };
        if (this.taskPaging === "all") return ok({ ...envelope, Items: all });
        const pageNumber = p.PageNumber === undefined ? 1 : Number(p.PageNumber);
        const pageSize = p.PageSize === undefined ? DEFAULT_PAGE_SIZE : Number(p.PageSize);
        if (!Number.isInteger(pageNumber) || pageNumber < 1) return invalid(req, "PageNumber");
        if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) return invalid(req, "PageSize");
        const items = all.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
        // The SDK model types PageSize, PageRecordCount and TotalRecordCount as strings, PageNumber as a number.
        return ok({ ...envelope, Items: items, PageNumber: pageNumber, PageSize: String(pageSize), PageRecordCount: String(items.length), TotalRecordCount: String(all.length) });
    }

    private remove(req: EmuRequest, p: Params, ctx: EmuContext): EmuResponse {
        // RelativeDBClusterId is optional: the SDK model marks no DeleteAIDBClusterTask parameter required
        // (`DeleteAidbclusterTaskRequest.ts`, `relativeDBClusterId?`). When given, it must be the task's cluster.
        const missing = requireParams(req, p, ["DBClusterId"]);
        if (missing) return missing;
        const task = this.task(p.DBClusterId, p.RegionId);
        if (!task || (p.RelativeDBClusterId && task.clusterId !== p.RelativeDBClusterId)) {
            return fail(req, 404, "InvalidDBClusterId.NotFound", "The DBClusterId provided does not exist in our records.");
        }
        if (this.deleteRunning === "refused" && taskStatus(task, ctx.clock.now()) === ACTIVATION) {
            return fail(req, 400, "OperationDenied.DBClusterStatus", "The operation is not permitted due to status of cluster.");
        }
        delete this.state.tasks[task.id];
        ctx.markDirty();
        return ok({ DBClusterId: task.id, RelativeDBClusterId: task.clusterId });
    }

    private logs(req: EmuRequest, p: Params, now: number): EmuResponse {
        const missing = requireParams(req, p, ["DBClusterId", "StartTime", "EndTime", "LogType"]);
        if (missing) return missing;
        if (p.LogType !== "sls") return invalid(req, "LogType");
        if (!TIME.test(p.StartTime)) return invalid(req, "StartTime");
        if (!TIME.test(p.EndTime) || Date.parse(p.EndTime) < Date.parse(p.StartTime)) return invalid(req, "EndTime");
        const pageSize = p.PageSize === undefined ? 100 : Number(p.PageSize);
        if (!LOG_PAGE_SIZES.has(pageSize)) return invalid(req, "PageSize");
        const pageNumber = p.PageNumber === undefined ? 1 : Number(p.PageNumber);
        if (!Number.isInteger(pageNumber) || pageNumber < 1) return invalid(req, "PageNumber");
        if (p.Reverse !== undefined && p.Reverse !== "true" && p.Reverse !== "false") return invalid(req, "Reverse");
        const task = this.state.tasks[p.DBClusterId];
        if (!task || (p.RelativeDBClusterId && p.RelativeDBClusterId !== task.clusterId)) {
            return fail(req, 404, "InvalidDBClusterId.NotFound", "The DBClusterId provided does not exist in our records.");
        }
        const from = Date.parse(p.StartTime);
        const to = Date.parse(p.EndTime) + 999; // the end second is inclusive
        const all = logLines(task, now).filter((l) => l.at >= from && l.at <= to);
        if (p.Reverse === "true") all.reverse();
        const page = all.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
        return ok({
            StartTime: p.StartTime,
            EndTime: p.EndTime,
            PageNumber: pageNumber,
            PageSize: pageSize,
            PageRecordCount: page.length,
            Items: { SlsLogItems: page.map((l) => ({ LogTime: logTime(l.at), Message: l.message, Timestamp: String(Math.floor(l.at / 1000)) })) },
        });
    }

    private task(id: string, regionId: string | undefined): TaskRecord | undefined {
        const t = this.state.tasks[id];
        return t && (!regionId || regionId === t.regionId) ? t : undefined;
    }

    /** Records the nonce; true when this key already used it inside the skew window. */
    private nonceSeen(accessKeyId: string, nonce: string, wallNow: number): boolean {
        if (wallNow - this.lastPrune > 1000) {
            for (const [k, at] of this.nonces) if (wallNow - at > MAX_SKEW_MS) this.nonces.delete(k);
            this.lastPrune = wallNow;
        }
        const key = `${accessKeyId}\0${nonce}`;
        if (this.nonces.has(key)) return true;
        this.nonces.set(key, wallNow);
        return false;
    }

    /**
     * Control calls under `/_control/polardb`:
     * - `POST /clusters {dbClusterId?, regionId?}` adds a cluster (`pc-…` generated when omitted; region default cn-beijing);
     * - `GET /clusters`, `GET /tasks` list what the emulator holds;
     * - `POST /tasks/<id>/force {status?: "FAILED"|"COMPLETED", message?}` ends a task now (default FAILED, with `message` as the error logged);
     * - `POST /variants {listOrder?, listLagMs?, listItemDescription?, taskPaging?, deleteRunning?}` switches what the documentation leaves open ({@link variantsControl}).
     */
    control(method: string, path: string, body: any, ctx: EmuContext): EmuResponse | undefined {
        const now = ctx.clock.now();
        if (path === "/clusters" && method === "POST") {
            const regionId = typeof body?.regionId === "string" && body.regionId ? body.regionId : "cn-beijing";
            const dbClusterId = typeof body?.dbClusterId === "string" && body.dbClusterId ? body.dbClusterId : newClusterId(regionId);
            if (!/^pc-[a-z0-9]+$/.test(dbClusterId)) return { status: 400, body: { message: `dbClusterId must look like pc-xxxx, got ${dbClusterId}` } };
            this.state.clusters[dbClusterId] = { dbClusterId, regionId };
            ctx.markDirty();
            return { status: 200, body: { dbClusterId, regionId } };
        }
        if (path === "/clusters" && method === "GET") return { status: 200, body: { clusters: Object.values(this.state.clusters) } };
        if (path === "/variants" && method === "POST") return this.variantsControl(body);
        if (path === "/tasks" && method === "GET") {
            const tasks = Object.values(this.state.tasks).map((t) => ({ id: t.id, orderId: t.orderId, clusterId: t.clusterId, status: taskStatus(t, now), params: t.params }));
            return { status: 200, body: { tasks } };
        }
        const deleted = outOfBandDelete(method, path, { tasks: this.state.tasks }, ctx);
        if (deleted) return deleted;
        const force = /^\/tasks\/([^/]+)\/force$/.exec(path);
        if (force && method === "POST") {
            const t = this.state.tasks[decodeURIComponent(force[1])];
            if (!t) return { status: 404, body: { message: `no task ${force[1]}` } };
            try {
                this.forceTask(t, body?.status === COMPLETED ? COMPLETED : FAILED, typeof body?.message === "string" && body.message ? body.message : undefined, ctx);
            } catch (e) {
                if (e instanceof ControlError) return { status: e.status, body: { message: e.message } };
                throw e;
            }
            return { status: 200, body: attributeView(t, now) };
        }
        return undefined;
    }

    /**
     * `POST /variants {listOrder?, listLagMs?, listItemDescription?}`: the list
     * variants every module shares, plus what list items carry in
     * `DBNodeDescription` ({@link ListItemDescription}). Nothing changes
     * unless every value given is valid.
     */
    private variantsControl(body: any): EmuResponse {
        const problem = enumVariantProblem(POLARDB_VARIANT_VALUES, body);
        if (problem) return { status: 400, body: { message: problem } };
        const { listItemDescription: description, taskPaging: paging, deleteRunning } = body ?? {};
        // listVariantsControl answers every POST /variants; it validates both of its values before it applies either.
        const shared = listVariantsControl("POST", "/variants", body, this.listVariants) as EmuResponse;
        if (shared.status !== 200) return shared;
        if (description !== undefined) this.listItemDescription = description;
        if (paging !== undefined) this.taskPaging = paging;
        if (deleteRunning !== undefined) this.deleteRunning = deleteRunning;
        return { status: 200, body: { ...this.listVariants, listItemDescription: this.listItemDescription, taskPaging: this.taskPaging, deleteRunning: this.deleteRunning } };
    }

    /** Ends a task still in ACTIVATION now (409 once it ended); a FAILED task logs `message` (or a default) as its error. */
    private forceTask(t: TaskRecord, status: typeof COMPLETED | typeof FAILED, message: string | undefined, ctx: EmuContext): void {
        const now = ctx.clock.now();
        if (taskStatus(t, now) !== ACTIVATION) throw new ControlError(409, `task ${t.id} already ended ${taskStatus(t, now)}`);
        t.phases = rerouteFrom(t.phases, now, [status], this.stepMs);
        if (status === FAILED) t.failure = message ?? "CUDA out of memory while loading the model: reduce batch_size or choose a larger DBInstanceClass";
        ctx.markDirty();
    }

    /** The uniform object API's view of PolarDB: AIDB tasks, and the clusters they run on. */
    readonly objectKinds: readonly ObjectKindInfo[] = [
        {
            kind: "task",
            meaning: "an AIDB training task (CreateAIDBClusterTask), pm-…; force ends one still in ACTIVATION",
            forceStatuses: [COMPLETED, FAILED],
            reasonStatuses: [FAILED],
            reasonField: "the [ERROR] line of DescribeAIDBClusterTaskLogFiles (the detail has no failure field)",
            // ModifyAIDBClusterDescription renames an AI instance (reference/polardb-aidb.md §2); whether it takes a pm- task id is undocumented.
            editable: { DBClusterDescription: "the task name (TaskName at create), as ModifyAIDBClusterDescription would rename it" },
            deletable: true,
        },
        {
            kind: "cluster",
            meaning: "a PolarDB cluster (pc-…) tasks can run on; add one with POST /_control/polardb/clusters",
            forceStatuses: [],
            reasonStatuses: [],
            editable: {},
            deletable: false,
        },
    ];

    readonly controlRoutes: readonly ControlRoute[] = [
        { method: "POST", path: "/_control/polardb/clusters", body: "{dbClusterId?, regionId?}", meaning: "add a cluster tasks can run on (id generated when omitted; region default cn-beijing)" },
        { method: "GET", path: "/_control/polardb/clusters", meaning: "every cluster the emulator knows" },
        { method: "GET", path: "/_control/polardb/tasks", meaning: "every task: id, orderId, clusterId, status, create parameters" },
        { method: "POST", path: "/_control/polardb/tasks/<id>/force", body: "{status?: COMPLETED | FAILED, message?}", meaning: "end a task in ACTIVATION now (default FAILED, message logged as its error)" },
        { method: "DELETE", path: "/_control/polardb/tasks/<id>", meaning: "delete a task out of band, whatever its status" },
    ];

    listObjects(ctx: EmuContext): ObjectSummary[] {
        const now = ctx.clock.now();
        return [
            ...Object.values(this.state.tasks).map((t) => taskSummary(t, now)),
            ...Object.values(this.state.clusters).map((c) => ({ kind: "cluster", id: c.dbClusterId, name: "", status: CLUSTER_STATUS })),
        ];
    }

    forceObject(_kind: string, id: string, status: string, reason: string | undefined, ctx: EmuContext): ObjectChange {
        const t = this.taskForControl(id);
        this.forceTask(t, status === COMPLETED ? COMPLETED : FAILED, reason, ctx);
        return this.change(t, ctx.clock.now());
    }

    deleteObject(_kind: string, id: string, ctx: EmuContext): ObjectSummary {
        const t = this.taskForControl(id);
        const was = taskSummary(t, ctx.clock.now());
        delete this.state.tasks[t.id];
        ctx.markDirty();
        return was;
    }

    editObject(_kind: string, id: string, fields: Record<string, unknown>, ctx: EmuContext): ObjectChange {
        const t = this.taskForControl(id);
        const name = fields.DBClusterDescription;
        // ModifyAIDBClusterDescription requires a DBClusterDescription: a console rename cannot clear the name.
        if (typeof name !== "string" || !name) throw new ControlError(400, "DBClusterDescription: must be a non-empty string");
        t.params = { ...t.params, TaskName: name };
        ctx.markDirty();
        return this.change(t, ctx.clock.now());
    }

    variantInfo(): Record<string, VariantInfo> {
        const current: PolarDbVariants = { listItemDescription: this.listItemDescription, taskPaging: this.taskPaging, deleteRunning: this.deleteRunning };
        return { ...listVariantInfo(this.listVariants), ...enumVariantInfo(POLARDB_VARIANT_VALUES, DEFAULT_POLARDB_VARIANTS, current, POLARDB_VARIANT_MEANINGS) };
    }

    private taskForControl(id: string): TaskRecord {
        const t = this.state.tasks[id];
        if (!t) throw new ControlError(404, `no polardb task ${id}`);
        return t;
    }

    private change(t: TaskRecord, now: number): ObjectChange {
        return { object: taskSummary(t, now), view: attributeView(t, now) };
    }

    snapshot(): unknown {
        return this.state;
    }

    restore(state: unknown): void {
        const s = state as Partial<State> | undefined;
        this.state = { clusters: s?.clusters ?? {}, tasks: s?.tasks ?? {} };
    }
}

/** A task in the uniform shape: the detail's status (ACTIVATION, COMPLETED, FAILED) and TaskName. */
function taskSummary(t: TaskRecord, now: number): ObjectSummary {
    return { kind: "task", id: t.id, name: t.params.TaskName ?? "", status: taskStatus(t, now) };
}

/** Parameters from the query (and a form body, should a client send one), decoded as the signature check decodes them (`+` is a space). */
function readParams(req: EmuRequest): Params | undefined {
    const out: Params = {};
    const sources = [req.rawQuery];
    if (String(req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded") && req.body.length) sources.push(req.body.toString("utf8"));
    for (const src of sources) {
        for (const part of src.split("&")) {
            if (!part) continue;
            const eq = part.indexOf("=");
            const name = decodeQueryComponent(eq < 0 ? part : part.slice(0, eq));
            const value = decodeQueryComponent(eq < 0 ? "" : part.slice(eq + 1));
            if (name === undefined || value === undefined) return undefined;
            out[name] = value;
        }
    }
    return out;
}

function parseObject(json: string): Record<string, unknown> | undefined {
    try {
        const v = JSON.parse(json);
        return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
    } catch {
        return undefined;
    }
}

function requireParams(req: EmuRequest, p: Params, names: string[]): EmuResponse | undefined {
    const absent = names.find((n) => !p[n]);
    return absent ? missingParam(req, absent) : undefined;
}

function missingParam(req: EmuRequest, name: string): EmuResponse {
    return fail(req, 400, "MissingParameter", `The parameter "${name}" is needed but no provided.`);
}

function invalid(req: EmuRequest, name: string): EmuResponse {
    return fail(req, 400, "InvalidParameter", `The specified parameter "${name}" is not valid.`);
}

/** Alibaba request ids are upper-case UUIDs. */
const requestId = (): string => randomUUID().toUpperCase();

function ok(body: Record<string, unknown>): EmuResponse {
    const id = requestId();
    return { status: 200, headers: { "x-acs-request-id": id }, body: { RequestId: id, ...body } };
}

/** The gateway's error envelope (reference/polardb-aidb.md §11.1). */
function fail(req: EmuRequest, status: number, code: string, message: string): EmuResponse {
    const id = requestId();
    const host = String(req.headers.host ?? "polardb.aliyuncs.com");
    return {
        status,
        headers: { "x-acs-request-id": id },
        body: {
            RequestId: id,
            HostId: host,
            Code: code,
            Message: message,
            Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(code)}&product=Polardb&requestId=${id}`,
        },
    };
}
