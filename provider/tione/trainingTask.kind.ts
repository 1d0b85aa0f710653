import { hasErrorCode } from "../../sdk/core/errors";
import { DUPLICATE_NAME_CODES, TioneClient, parseTioneTime } from "../../sdk/tione/client";
import type { CreateTrainingTaskRequest, TrainingTaskDetail } from "../../sdk/tione/types";
import { pollScale } from "../core/config";
import type { KindInputs, ResourceKind } from "../core/kind";
import type { FieldTableFor, OutputsOf, SchemaMatchesArgs } from "../core/shape";
import type { TrainingTaskArgs, TrainingTaskOutputName } from "./trainingTask";
import { pickInputs } from "../core/fields";
import { resourceHash } from "../core/marker";
import { KINDS } from "../registry";
import { formatElapsed, progress } from "../core/progress";
import { scaledSchedule, sleep } from "../core/wait";
import { regionFor, tioneClientFor } from "./tioneClient";
import { MARKER_TAG_KEY, SENSITIVE_INPUTS, trainingTaskSchema } from "./trainingTask.schema";

/**
 * TI-ONE has no Modify/Update action for training tasks (reference/tione.md §3),
 * so every API field replaces the task; `region` moves it to another region.
 */
const FIELDS = {
    name: "replace",
    chargeType: "replace",
    resourceConfigInfos: "replace",
    tiProjectId: "replace",
    frameworkName: "replace",
    frameworkVersion: "replace",
    frameworkEnvironment: "replace",
    resourceGroupId: "replace",
    // TI-ONE neither keeps nor heeds the order of tags: reordering them is no change.
    tags: { effect: "replace", unordered: true },
    imageInfo: "replace",
    codePackagePath: "replace",
    startCmdInfo: "replace",
    trainingMode: "replace",
    dataConfigs: "replace",
    vpcId: "replace",
    subnetId: "replace",
    output: "replace",
    logConfig: "replace",
    tuningParameters: "replace",
    logEnable: "replace",
    remark: "replace",
    dataSource: "replace",
    callbackUrl: "replace",
    codeRepos: "replace",
    exposeNetworkConfig: "replace",
    envs: "replace",
    trainToolConfig: "replace",
    resourceSupplyAttribute: "replace",
    queues: "replace",
    region: "replace",
    profile: "replace",
} as const satisfies FieldTableFor<TrainingTaskArgs>;

/** The schema accepts exactly the documented arguments (a type error names any that differ). */
const SCHEMA_MATCHES_ARGS: SchemaMatchesArgs<typeof trainingTaskSchema, TrainingTaskArgs> = true;
void SCHEMA_MATCHES_ARGS;

/** Inputs that are provider settings, not CreateTrainingTask fields. */
const NOT_SENT = new Set(["name", "region", "profile", "startCmdInfo", "tuningParameters", "tags"]);

/**
 * Task statuses (reference/tione.md §6). STOPPED is what a stop leads to, so
 * it counts as canceled: the next `up` replaces the task.
 */
const STATUSES = {
    SUBMITTING: "queued",
    PENDING: "queued",
    STARTING: "running",
    RUNNING: "running",
    STOPPING: "stopping",
    STOPPED: "canceled",
    FAILED: "failed",
    SUBMIT_FAILED: "failed",
    SUCCEED: "succeeded",
} as const;

/** lowerCamel -> wire names that are not just the first letter upper-cased. */
const WIRE_KEY_EXCEPTIONS: Readonly<Record<string, string>> = {
    rdmaConfig: "RDMAConfig",
    cosSource: "COSSource",
    cfsSource: "CFSSource",
    hdfsSource: "HDFSSource",
    gooseFSSource: "GooseFSSource",
    cfsTurboSource: "CFSTurboSource",
    cbsSource: "CBSSource",
    sshConfig: "SSHConfig",
};

/** Converts input structures to the API's PascalCase (keys only; values such as env names are left alone). */
export function toWire(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(toWire);
    if (v && typeof v === "object") {
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) if (x !== undefined) out[Object.hasOwn(WIRE_KEY_EXCEPTIONS, k) ? WIRE_KEY_EXCEPTIONS[k] : k[0].toUpperCase() + k.slice(1)] = toWire(x);
        return out;
    }
    return v;
}

/** The StartCmdInfo start commands. */
export interface StartCommands {
    startCmd?: string;
    psStartCmd?: string;
    workerStartCmd?: string;
}

/**
 * `EncodedStartCmdInfo.StartCmdInfo`: base64 of the full StartCmdInfo JSON
 * (reference/tione.md §10; the official example encodes all three keys).
 * Sent instead of the plain form so quotes, newlines and non-ASCII text
 * reach the task unchanged.
 */
export function encodeStartCmdInfo(s: StartCommands): string {
    const full = { StartCmd: s.startCmd ?? "", PsStartCmd: s.psStartCmd ?? "", WorkerStartCmd: s.workerStartCmd ?? "" };
    return Buffer.from(JSON.stringify(full), "utf8").toString("base64");
}

/** The inverse of {@link encodeStartCmdInfo}, for tests and diagnostics. */
export function decodeStartCmdInfo(encoded: string): StartCommands {
    const full = JSON.parse(Buffer.from(encoded, "base64").toString("utf8")) as { StartCmd?: string; PsStartCmd?: string; WorkerStartCmd?: string };
    return { startCmd: full.StartCmd, psStartCmd: full.PsStartCmd, workerStartCmd: full.WorkerStartCmd };
}

/** The task Name: `name`, else the Pulumi resource name (check rejects one that breaks the Name rule). */
export function taskNameOf(inputs: TrainingTaskInputs): string {
    return String(inputs.name ?? inputs.pulumiName);
}

/** The CreateTrainingTask request for a resource's inputs (pure; exported for tests). */
export function createRequest(inputs: TrainingTaskInputs, marker: string): CreateTrainingTaskRequest {
    const sent: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(pickInputs(FIELDS, inputs))) if (!NOT_SENT.has(k)) sent[k] = v;
    const req = toWire(sent) as Omit<CreateTrainingTaskRequest, "Name">;
    const tags = [...((toWire(inputs.tags ?? []) as CreateTrainingTaskRequest["Tags"]) ?? []), { TagKey: MARKER_TAG_KEY, TagValue: marker }];
    return {
        ...req,
        Name: taskNameOf(inputs),
        Tags: tags,
        ...(inputs.startCmdInfo ? { EncodedStartCmdInfo: { StartCmdInfo: encodeStartCmdInfo(inputs.startCmdInfo) } } : {}),
        ...(inputs.tuningParameters !== undefined
            ? { TuningParameters: typeof inputs.tuningParameters === "string" ? inputs.tuningParameters : JSON.stringify(inputs.tuningParameters) }
            : {}),
    };
}

/**
 * TI-ONE console region ids, as Tencent's own `tikit` prints task links
 * (`REGION_DICT` in tikit's client.py). Other regions get a link without one.
 */
const CONSOLE_REGION_IDS: Readonly<Record<string, number>> = { "ap-guangzhou": 1, "ap-shanghai": 4, "ap-beijing": 8, "ap-nanjing": 33 };

/** The console page of a task, in the form tikit prints: `https://console.cloud.tencent.com/tione/v2/job/detail/<id>?regionId=<n>`. */
export function consoleUrlFor(id: string, region: string): string {
    const regionId = CONSOLE_REGION_IDS[region];
    return `https://console.cloud.tencent.com/tione/v2/job/detail/${encodeURIComponent(id)}${regionId ? `?regionId=${regionId}` : ""}`;
}

const isoTime = (s: string | null | undefined) => parseTioneTime(s)?.toISOString();

const definingInputs = (inputs: TrainingTaskInputs) => pickInputs(FIELDS, inputs);

/**
 * Stops a task. TI-ONE refuses while the task is still being submitted
 * (`InternalError.UnSubmittedStatusNotAllowStop`), so that answer is waited
 * out, briefly, instead of letting the task run to its end; the wait is
 * reported when it begins and then at every heartbeat, never silent.
 */
async function stopWhenSubmitted(client: TioneClient, id: string, tiProjectId: string | undefined, startedAt: number): Promise<void> {
    const scale = pollScale();
    const deadline = Date.now() + 30 * 60_000 * scale;
    const heartbeatMs = scaledSchedule(scale).heartbeatMs;
    let reported = 0;
    for (let delay = 5_000 * scale; ; delay = Math.min(delay * 1.5, 30_000 * scale)) {
        try {
            await client.stopTrainingTask(id, { tiProjectId });
            return;
        } catch (e) {
            if (!hasErrorCode(e, "InternalError.UnSubmittedStatusNotAllowStop") || Date.now() + delay > deadline) throw e;
            if (!reported || Date.now() - reported >= heartbeatMs) {
                progress(
                    `${KINDS.tioneTrainingTask.token} ${id}`,
                    `${reported ? "still" : "TI-ONE refuses to stop a task that is being submitted;"} retrying the stop (${formatElapsed(Date.now() - startedAt)} elapsed, for up to 30 min)`,
                );
                reported = Date.now();
            }
            await sleep(delay);
        }
    }
}

/** The checked inputs of `tione.TrainingTask`. */
export type TrainingTaskInputs = KindInputs<typeof trainingTaskSchema>;

/** Log lines quoted with a failure. */
const FAILURE_LOG_LINES = 10;

export const trainingTaskKind: ResourceKind<TioneClient, TrainingTaskDetail, TrainingTaskInputs> = {
    token: KINDS.tioneTrainingTask.token,
    schema: trainingTaskSchema,
    fields: FIELDS,
    // Names are unique while a task exists, so the old task must go before its replacement is submitted.
    deleteBeforeReplace: true,
    run: {
        statuses: STATUSES,
        statusOf: (t) => t.Status,
        failureDetail: async (client, t) => {
            const reason = [t.FailureReason, t.Message && t.Message !== t.FailureReason ? t.Message : undefined].filter(Boolean).join("; ");
            // The failure itself is what matters: a log that cannot be read leaves the reason and the console link.
            const tail = await client.tailTaskLogs(t, FAILURE_LOG_LINES).catch(() => []);
            const logs = tail.length ? `last log lines:\n  ${tail.join("\n  ")}` : "";
            return [reason || "no failure reason given", logs, t.Region ? `console: ${consoleUrlFor(t.Id, t.Region)}` : ""].filter(Boolean).join("\n");
        },
        cancel: (client, id, inputs, startedAt) => stopWhenSubmitted(client, id, inputs.tiProjectId, startedAt),
        // DescribeLogs with Service TRAIN and ServiceId = LatestInstanceId (reference/tione.md §11).
        logTail: (client, t, lines) => client.tailTaskLogs(t, lines),
    },
    regionInput: "region",
    client: (inputs) => tioneClientFor(inputs.region, inputs.profile),
    // 8 hex of the resource name and every API field; carried as the `pulumi-training-marker` tag.
    sensitiveInputs: SENSITIVE_INPUTS,
    marker: (inputs) => resourceHash(inputs, definingInputs(inputs), SENSITIVE_INPUTS),
    findByMarker: async (client, marker, inputs, skip, siblings) => {
        const name = taskNameOf(inputs);
        const found = await client.findTrainingTaskByName(name, { tiProjectId: inputs.tiProjectId });
        if (!found || skip.has(found.Id)) return undefined;
        const tag = found.Tags?.find((t) => t.TagKey === MARKER_TAG_KEY)?.TagValue;
        // Every attempt of a retried task has this name: another attempt's tag is ours, just not this attempt.
        if (tag !== marker && tag !== undefined && siblings?.has(tag)) return undefined;
        if (tag !== marker) {
            throw new Error(
                `a task named "${name}" exists (${found.Id}, ${found.Status}) and was not created by this resource` +
                    `${tag ? " with these inputs" : ""}; rename it (set \`name\`) or adopt it with TrainingTask.get("<resource name>", "${found.Id}")`,
            );
        }
        // The list item lacks fields the outputs need (LatestInstanceId): read the detail.
        return client.describeTrainingTask(found.Id, { TiProjectId: inputs.tiProjectId });
    },
    submit: async (client, inputs, marker) => ({ id: await client.createTrainingTask(createRequest(inputs, marker)) }),
    duplicateCodes: DUPLICATE_NAME_CODES,
    notFoundCodes: ["ResourceNotFound"],
    // Documented: CreateTrainingTask refuses a Name in use (reference/tione.md §4).
    namesAreUnique: true,
    get: (client, id, inputs) => client.describeTrainingTask(id, { TiProjectId: inputs.tiProjectId }),
    idOf: (t) => t.Id,
    outputs: (t, inputs): OutputsOf<TrainingTaskOutputName> => ({
        taskId: t.Id,
        taskName: t.Name,
        status: t.Status,
        failureReason: t.FailureReason || undefined,
        runtimeInSeconds: t.RuntimeInSeconds ?? undefined,
        billingInfo: t.BillingInfo || undefined,
        chargeStatus: t.ChargeStatus || undefined,
        startTime: isoTime(t.StartTime),
        endTime: isoTime(t.EndTime),
        latestInstanceId: t.LatestInstanceId || undefined,
        consoleUrl: consoleUrlFor(t.Id, t.Region || regionFor(inputs.region, inputs.profile)),
    }),
    consoleUrl: (id, inputs) => consoleUrlFor(id, regionFor(inputs.region, inputs.profile)),
    remove: async (client, id, inputs) => {
        await client.deleteTrainingTask(id, { tiProjectId: inputs.tiProjectId });
        return "deleted";
    },
    redact: (client, message) => client.http.redactor.redact(message),
};
