import type { PolarDbClient } from "../../sdk/polardb/client";
import { TASK_NOT_FOUND_CODES, isTaskNotFound } from "../../sdk/polardb/client";
import { CloudApiError } from "../../sdk/core/errors";
import type { AidbTaskAttribute, CreateAidbTaskRequest } from "../../sdk/polardb/types";
import { type KindInputs, type Outputs, type ResourceKind, preferLive, statusClassOf } from "../core/kind";
import { pickInputs } from "../core/fields";
import { canonicalJson, resourceHash } from "../core/marker";
import type { FieldTableFor, OutputsOf, SchemaMatchesArgs } from "../core/shape";
import { KINDS } from "../registry";
import type { AidbTaskArgs, AidbTaskOutputName } from "./aidbTask";
import { DEFAULT_KUBE_TYPE, MAX_TASK_NAME, SENSITIVE_INPUTS, aidbTaskSchema } from "./aidbTask.schema";
import { polardbClientFor } from "./polardbClient";

/**
 * AIDB tasks have no modify and no stop action (reference/polardb-aidb.md §2,
 * "Operations that do not exist"): every API field replaces the task.
 */
export const AIDB_TASK_FIELDS = {
    dbClusterId: "replace",
    modelSource: "replace",
    modelName: "replace",
    modelType: "replace",
    datasetPath: "replace",
    evalDatasetPath: "replace",
    runningParameter: "replace",
    kubeType: "replace",
    taskName: "replace",
    zoneId: "replace",
    vpcId: "replace",
    vSwitchId: "replace",
    securityGroupId: "replace",
    dbInstanceClass: "replace",
    tuneArch: "replace",
    regionId: "replace",
    profile: "replace",
} as const satisfies FieldTableFor<AidbTaskArgs>;

/** The schema accepts exactly the documented arguments (a type error names any that differ). */
const SCHEMA_MATCHES_ARGS: SchemaMatchesArgs<typeof aidbTaskSchema, AidbTaskArgs> = true;
void SCHEMA_MATCHES_ARGS;

/**
 * Detail statuses (ACTIVATION/COMPLETED/FAILED, §4) plus the list's `RUNNING`
 * spelling (§5), in case a task is ever adopted from the list. Anything else
 * counts as running: waiting goes on, success is never misread.
 */
const STATUSES = {
    ACTIVATION: "running",
    RUNNING: "running",
    COMPLETED: "succeeded",
    FAILED: "failed",
} as const;

/**
 * RunningParameter on the wire: compact JSON with sorted keys, so the same
 * object always yields the same string (the engine does not promise key
 * order) and values keep their JSON types (`"1e-6"` stays a string, `1` a number).
 */
export function serializeRunningParameter(runningParameter: Record<string, unknown>): string {
    return canonicalJson(runningParameter);
}

/** The CreateAIDBClusterTask parameters for these inputs (pure; exported for tests). */
export function createRequest(inputs: AidbTaskInputs, taskName: string): CreateAidbTaskRequest {
    return {
        DBClusterId: inputs.dbClusterId,
        ModelSource: inputs.modelSource,
        ModelName: inputs.modelName,
        RunningParameter: serializeRunningParameter(inputs.runningParameter ?? {}),
        KubeType: inputs.kubeType ?? DEFAULT_KUBE_TYPE,
        ModelType: inputs.modelType,
        DatasetPath: inputs.datasetPath,
        EvalDatasetPath: inputs.evalDatasetPath,
        TaskName: taskName,
        ZoneId: inputs.zoneId,
        VPCId: inputs.vpcId,
        VSwitchId: inputs.vSwitchId,
        SecurityGroupId: inputs.securityGroupId,
        DBInstanceClass: inputs.dbInstanceClass,
        TuneArch: inputs.tuneArch,
    };
}

const definingInputs = (inputs: AidbTaskInputs) => pickInputs(AIDB_TASK_FIELDS, inputs);

/** The TaskName sent: `<taskName or resource name>-<8 hex>`, the hex a hash of the resource name and every API input. */
/** Where a task's log starts: a minute before its creation (clocks differ), or a week back when the creation time is unknown. */
function logsSince(t: AidbTaskAttribute): Date {
    return t.CreateTime && !Number.isNaN(Date.parse(t.CreateTime)) ? new Date(Date.parse(t.CreateTime) - 60_000) : new Date(Date.now() - 7 * 24 * 3_600_000);
}

export function taskMarker(inputs: AidbTaskInputs): string {
    // Cut on code points: half a surrogate pair would not survive the service's UTF-8 and the marker would never match.
    const prefix = Array.from(String(inputs.taskName ?? inputs.pulumiName ?? "aidb-task")).slice(0, MAX_TASK_NAME).join("");
    return `${prefix}-${resourceHash(inputs, definingInputs(inputs), SENSITIVE_INPUTS)}`;
}

/**
 * AccessInfo is a JSON string; the documented example is escaped once more
 * (`{\"port\":\"8000\"}`), so both forms are accepted.
 *
 * @returns the parsed object, or undefined when absent or unreadable.
 */
export function parseAccessInfo(raw: string | undefined): Record<string, unknown> | undefined {
    if (!raw?.trim()) return undefined;
    const attempts = [raw, raw.replace(/\\"/g, '"')];
    for (const text of attempts) {
        try {
            let v: unknown = JSON.parse(text);
            if (typeof v === "string") v = JSON.parse(v);
            if (v && typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
        } catch {
            // try the next form
        }
    }
    return undefined;
}

/** `ModelPath` is comma-separated. */
export function splitModelPaths(raw: string | undefined): string[] {
    return (raw ?? "")
        .split(",")
        .map((p) => p.trim())
        .filter(Boolean);
}

/** Outputs of `polardb.AidbTask` from the detail answer. */
export function taskOutputs(t: AidbTaskAttribute): OutputsOf<AidbTaskOutputName> {
    const info = t.TaskInfo?.[0];
    return {
        taskId: t.DBClusterId,
        status: t.DBClusterStatus,
        wireTaskName: t.DBClusterDescription,
        modelPaths: splitModelPaths(t.ModelPath),
        createTime: t.CreateTime,
        startTime: info?.StartTime || undefined,
        completedTime: info?.CompletedTime || undefined,
        accessInfo: parseAccessInfo(t.AccessInfo),
        datasets: (t.DataSets ?? []).map((d) => ({ datasetName: d.DatasetName, path: d.Path, splitDatasetRatio: d.SplitDatasetRatio, type: d.Type })),
    };
}

/** How many log lines a failure message quotes. */
const FAILURE_LOG_LINES = 10;

/** The checked inputs of `polardb.AidbTask`. */
export type AidbTaskInputs = KindInputs<typeof aidbTaskSchema>;

/** `polardb.AidbTask` as a kind: the shared lifecycle (provider/core/lifecycle) does the rest. */
export const aidbTaskKind: ResourceKind<PolarDbClient, AidbTaskAttribute, AidbTaskInputs> = {
    token: KINDS.polardbAidbTask.token,
    schema: aidbTaskSchema,
    fields: AIDB_TASK_FIELDS,
    run: {
        statuses: STATUSES,
        statusOf: (t) => t.DBClusterStatus,
        failureDetail: async (client, t) => {
            try {
                const tail = await client.tailTaskLogs(t.DBClusterId, { since: logsSince(t), count: FAILURE_LOG_LINES });
                return tail.length ? `last log lines:\n  ${tail.join("\n  ")}` : "the task logged nothing";
            } catch (e) {
                // The failure itself is what matters; say why the log is missing instead of hiding it.
                return `its log could not be read (${e instanceof Error ? e.message : String(e)})`;
            }
        },
        // DescribeAIDBClusterTaskLogs (reference/polardb-aidb.md), newest first, read from the task's creation.
        logTail: (client, t, lines) => client.tailTaskLogs(t.DBClusterId, { since: logsSince(t), count: lines }),
        // No `cancel`: there is no stop action, so destroy deletes a running task directly.
    },
    // OrderId comes only from the create answer; later reads carry it over from state.
    writeOnceOutputs: ["orderId"],
    regionInput: "regionId",
    client: (inputs) => polardbClientFor(inputs.regionId, inputs.profile),
    sensitiveInputs: SENSITIVE_INPUTS,
    marker: taskMarker,
    // Rule 8: the marker travels in TaskName; DescribeAIDBClusterTasks of the parent cluster finds it.
    findByMarker: async (client, marker, inputs, skip) =>
        preferLive(
            (await client.findTasksByName(inputs.dbClusterId, marker, inputs.kubeType ?? DEFAULT_KUBE_TYPE)).filter((t) => !skip.has(t.DBClusterId)),
            (t) => t.DBClusterStatus,
            STATUSES,
        ),
    submit: async (client, inputs, marker) => {
        const res = await client.createTask(createRequest(inputs, marker));
        return { id: res.DBClusterId, writeOnce: { orderId: res.OrderId || undefined } };
    },
    notFoundCodes: TASK_NOT_FOUND_CODES,
    get: (client, id) => client.findTask(id),
    idOf: (t) => t.DBClusterId,
    outputs: (t) => taskOutputs(t),
    remove: async (client, id, inputs, remote) => {
        try {
            await client.deleteTask(id, inputs.dbClusterId);
            return "deleted";
        } catch (e) {
            if (isTaskNotFound(e)) return "gone";
            // Whether a running task may be deleted is undocumented, and there is no stop action to try first.
            if (e instanceof CloudApiError && !e.retryable && statusClassOf(STATUSES, remote.DBClusterStatus ?? "") === "running") {
                throw new Error(
                    `${e.message}. polardb:AidbTask ${id} is still ${remote.DBClusterStatus} and PolarDB AIDB tasks have no stop action, so it stays in the stack: ` +
                        "wait for it to finish (or end it in the PolarDB console), then run `pulumi destroy` again.",
                );
            }
            throw e;
        }
    },
    // kubeType has one valid value; filling it in check keeps state explicit and the diff stable.
    derive: (inputs) => ({ kubeType: inputs.kubeType ?? DEFAULT_KUBE_TYPE }),
    redact: (client, message) => client.rpc.http.redactor.redact(message),
};
