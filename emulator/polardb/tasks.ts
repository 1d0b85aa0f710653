/**
 * The PolarDB AIDB task model: records, status timeline, and the JSON the
 * detail, list and log actions answer with (reference/polardb-aidb.md §3-§7, §10).
 */
import { randomBytes } from "node:crypto";
import { digits } from "../core/ids";
import { Phase, reachedAt, statusAt } from "../core/timeline";

/** A PolarDB cluster (`pc-…`) tasks can run on. */
export interface ClusterRecord {
    dbClusterId: string;
    regionId: string;
}

/** One AIDB task as the emulator stores it (persisted in the state file). */
export interface TaskRecord {
    /** `pm-…` */
    id: string;
    orderId: string;
    /** The parent cluster `pc-…`. */
    clusterId: string;
    regionId: string;
    /** The Create query parameters as received. */
    params: Record<string, string>;
    /** The parsed RunningParameter. */
    running: Record<string, unknown>;
    created: number;
    phases: Phase[];
    /** Set when a FAILED outcome was forced. */
    failure?: string;
    /** The elastic network interface id shown in AccessInfo once the task completed. */
    eni: string;
}

/** Documented detail status: training in progress. */
export const ACTIVATION = "ACTIVATION";
/** Documented detail status: training succeeded. */
export const COMPLETED = "COMPLETED";
/** Documented detail status: training failed. */
export const FAILED = "FAILED";
const TERMINAL = new Set([COMPLETED, FAILED]);

/** How many clock steps a task trains before it completes. */
export const TRAINING_STEPS = 3;

/** Lower-case alphanumerics; the ID alphabet is not documented (§10), this matches the examples. */
function alnum(n: number): string {
    const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    return Array.from(randomBytes(n), (b) => alphabet[b % alphabet.length]).join("");
}

/** `2ze` is the usual cn-beijing infix in Alibaba ids; other regions get a neutral one (inference, §10). */
function infix(regionId: string): string {
    return regionId === "cn-beijing" ? "2ze" : regionId === "cn-hangzhou" ? "bp1" : "0xx";
}

/** A new cluster id, `pc-` + 16 lower-case alphanumerics. */
export const newClusterId = (regionId: string): string => `pc-${infix(regionId)}${alnum(13)}`;
/** A new task id, `pm-` + 16 lower-case alphanumerics. */
export const newTaskId = (regionId: string): string => `pm-${infix(regionId)}${alnum(13)}`;
/** Numeric, 13 digits like the documented `2035638*******`. */
export const newOrderId = (): string => digits(13);

/** `2025-11-12T03:45:13Z`: UTC, seconds. */
export const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** The task's detail status at `now`. */
export function taskStatus(t: TaskRecord, now: number): string {
    return statusAt(t.phases, now);
}

function endedAt(t: TaskRecord, now: number): number | undefined {
    const s = taskStatus(t, now);
    return TERMINAL.has(s) ? reachedAt(t.phases, s, now) : undefined;
}

function epochs(t: TaskRecord): number {
    const n = Number(t.running.num_epochs);
    return Number.isInteger(n) && n >= 1 ? Math.min(n, 20) : 1;
}

function modelPaths(t: TaskRecord): string {
    const total = epochs(t) * 10;
    const half = Math.max(1, total / 2);
    // Same shape as the documented example: newest checkpoint first.
    return [total, half].map((step) => `/models_train/${t.id}/merged_models_checkpoint-${step}`).join(",");
}

function datasets(t: TaskRecord): Array<Record<string, string>> {
    const mode = String(t.running.train_mode ?? "sft");
    const out: Array<Record<string, string>> = [];
    if (t.params.DatasetPath) {
        out.push({
            DatasetName: t.params.DatasetPath,
            Path: `polardb_ai/datasets/train/${mode}/${t.params.DatasetPath}`,
            SplitDatasetRatio: String(t.running.split_dataset_ratio ?? "0"),
            Type: "train",
        });
    }
    if (t.params.EvalDatasetPath) {
        out.push({ DatasetName: t.params.EvalDatasetPath, Path: `polardb_ai/datasets/eval/text/${t.params.EvalDatasetPath}`, SplitDatasetRatio: "0", Type: "eval" });
    }
    return out;
}

/** DescribeAIDBClusterTaskAttribute, field for field as §4 documents it. */
export function attributeView(t: TaskRecord, now: number): Record<string, unknown> {
    const status = taskStatus(t, now);
    const end = endedAt(t, now);
    const done = status === COMPLETED;
    return {
        DBClusterId: t.id,
        DBClusterDescription: t.params.TaskName ?? "",
        DBClusterStatus: status,
        DBClusterStatusDesc: status,
        DBType: "polardb_ai",
        DBVersion: "3.1",
        ClusterNetworkType: "VPC",
        CreateTime: isoSeconds(t.created),
        KindCode: 18,
        LockMode: "1",
        MaintainStartTime: "8:00Z",
        MaintainEndTime: "12:00Z",
        ModelPath: done ? modelPaths(t) : "",
        ...(done ? { AccessInfo: JSON.stringify({ networkInterfaceId: t.eni, port: "8000", host: "192.168.10.20" }) } : {}),
        ExtraInfo: [{ outputPath: `/output/models_train/${t.id}` }],
        DataSets: datasets(t),
        TaskInfo: [
            {
                ModelName: t.params.ModelName,
                ModelPath: t.params.ModelName,
                ModelSource: t.params.ModelSource,
                RunningTimes: t.params.RunningParameter,
                StartTime: isoSeconds(t.created),
                ...(end !== undefined ? { CompletedTime: isoSeconds(end) } : {}),
                TrainMode: t.running.train_mode,
                TrainType: t.running.train_type,
            },
        ],
        TuneArch: t.params.TuneArch ?? "",
        VPCId: t.params.VPCId ?? "",
        VSwitchId: t.params.VSwitchId ?? "",
    };
}

/**
 * What a DescribeAIDBClusterTasks item carries in `DBNodeDescription`. The
 * SDK model calls the field "The node description", example `test`
 * (`aliyun/alibabacloud-typescript-sdk`
 * `polardb-20170801/src/models/DescribeAidbclusterTasksResponseBody.ts`,
 * `DescribeAIDBClusterTasksResponseBodyItems`); only the detail's
 * `DBClusterDescription` is documented as the task name. Each value is a
 * behaviour a client must survive:
 * - `other`: a node description that is not the task name, the model's
 *   example `test` (the default, as the model documents it);
 * - `task-name`: the TaskName given at create;
 * - `empty`: an empty string;
 * - `absent`: no such field.
 */
export type ListItemDescription = "other" | "task-name" | "empty" | "absent";

/** Every {@link ListItemDescription}, for validating a control call. */
export const LIST_ITEM_DESCRIPTIONS: readonly ListItemDescription[] = ["other", "task-name", "empty", "absent"];

/** The SDK model's example `DBNodeDescription`, shown under the `other` variant. */
const NODE_DESCRIPTION_EXAMPLE = "test";

/** The `DBNodeDescription` field of a list item under `variant`; no field at all for `absent`. */
function nodeDescription(t: TaskRecord, variant: ListItemDescription): { DBNodeDescription?: string } {
    switch (variant) {
        case "task-name":
            return { DBNodeDescription: t.params.TaskName ?? "" };
        case "empty":
            return { DBNodeDescription: "" };
        case "absent":
            return {};
        default:
            return { DBNodeDescription: NODE_DESCRIPTION_EXAMPLE };
    }
}

/**
 * One DescribeAIDBClusterTasks item. The list documents only `RUNNING` as a
 * status example while the detail documents `ACTIVATION`; the emulator shows
 * `RUNNING` for an active task here (inference, §5/§9) so that a client that
 * reads status from the list instead of the detail is caught.
 */
export function listItemView(t: TaskRecord, now: number, description: ListItemDescription): Record<string, unknown> {
    const status = taskStatus(t, now);
    const end = endedAt(t, now);
    const shown = status === ACTIVATION ? "RUNNING" : status;
    return {
        DBNodeId: t.id,
        DBNodeStatus: shown,
        DBNodeStatusDesc: shown,
        ...nodeDescription(t, description),
        CreationTime: isoSeconds(t.created),
        StartTime: isoSeconds(t.created),
        ...(end !== undefined ? { CompletedTime: isoSeconds(end) } : {}),
        DataZoneId: t.params.ZoneId ?? `${t.regionId}-i`,
        Engine: "polardb_ai",
        EngineVersion: "3.1",
        ModelName: t.params.ModelName,
        ModelPath: status === COMPLETED ? modelPaths(t) : "",
        ModelSource: t.params.ModelSource,
        RunningTimes: t.params.RunningParameter,
        TrainMode: t.running.train_mode,
        TrainType: t.running.train_type,
        TuneArch: t.params.TuneArch ?? "",
    };
}

/** One SLS log line. */
export interface LogLine {
    at: number;
    message: string;
}

/**
 * The task's log as it stands at `now`: start-up lines, evenly spaced
 * training progress while ACTIVATION lasts, then the outcome. A FAILED task
 * ends with its error, which is what a client shows as the failure reason.
 */
export function logLines(t: TaskRecord, now: number): LogLine[] {
    const lines: LogLine[] = [];
    const add = (at: number, message: string) => {
        if (at <= now) lines.push({ at, message });
    };
    const mode = String(t.running.train_mode ?? "(default)");
    const type = String(t.running.train_type ?? "(default)");
    add(t.created, `[INFO] task ${t.id} accepted on ${t.clusterId}: ${t.params.ModelSource} model ${t.params.ModelName}, train_mode=${mode}, train_type=${type}`);
    add(t.created, `[INFO] loading dataset ${t.params.DatasetPath ?? t.params.EvalDatasetPath ?? "(none)"}`);
    const endPhase = t.phases.find((p) => TERMINAL.has(p.status));
    const end = endPhase?.at ?? t.created;
    const total = epochs(t) * 10;
    const stepsShown = 5;
    for (let i = 1; i <= stepsShown; i++) {
        const at = t.created + Math.floor(((end - t.created) * i) / (stepsShown + 1));
        if (endPhase?.status === FAILED && i > 2) break;
        const step = Math.round((total * i) / stepsShown);
        add(at, `[INFO] step ${step}/${total} epoch ${Math.max(1, Math.ceil((epochs(t) * i) / stepsShown))} loss ${(2.4 / (1 + i)).toFixed(4)}`);
    }
    if (endPhase?.status === COMPLETED) {
        add(end, `[INFO] training finished; checkpoints saved to ${modelPaths(t)}`);
        add(end, `[INFO] task ${t.id} COMPLETED`);
    }
    if (endPhase?.status === FAILED) {
        add(end, `[ERROR] ${t.failure ?? "training process exited with code 1"}`);
        add(end, `[ERROR] task ${t.id} FAILED`);
    }
    return lines;
}

/** `2026-01-15T14:13:50.830295892Z`: the log API prints nanoseconds. */
export function logTime(ms: number): string {
    return new Date(ms).toISOString().replace(/Z$/, "000000Z");
}
