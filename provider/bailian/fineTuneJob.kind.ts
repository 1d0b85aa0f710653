import { hasErrorCode } from "../../sdk/core/errors";
import type { DashScopeClient } from "../../sdk/dashscope/client";
import type { CreateFineTuneRequest, FineTuneJob, WireDataset } from "../../sdk/dashscope/types";
import { type KindInputs, type ResourceKind, TERMINAL, preferLive, statusClassOf } from "../core/kind";
import { pickInputs } from "../core/fields";
import { resourceHash } from "../core/marker";
import { progress } from "../core/progress";
import type { FieldTableFor, OutputsOf, SchemaMatchesArgs } from "../core/shape";
import { KINDS } from "../registry";
import type { FineTuneJobArgs, FineTuneJobOutputName } from "./fineTuneJob";
import { dashScopeClientFor } from "./dashscopeClient";
import { noteReleased, notReleased } from "./released";
import { contentDifference, namedByAnotherResource, unprovenJobError } from "./identicalJobs";
import { HYPER_PARAMETER_WIRE_NAMES, SENSITIVE_INPUTS, fineTuneJobSchema } from "./fineTuneJob.schema";

/** DashScope has no update call for fine-tunes: every API field replaces the job. */
const FIELDS = {
    model: "replace",
    trainingFileIds: "replace",
    trainingDatasets: "replace",
    validationFileIds: "replace",
    validationDatasets: "replace",
    hyperParameters: "replace",
    extraHyperParameters: "replace",
    trainingType: "replace",
    jobName: "replace",
    adoptJobId: "local",
    allowIdenticalJob: "local",
    modelName: "replace",
    finetunedOutputSuffix: "replace",
    workspaceId: "replace",
    region: "replace",
    profile: "replace",
} as const satisfies FieldTableFor<FineTuneJobArgs>;

/** The schema accepts exactly the documented arguments (a type error names any that differ). */
const SCHEMA_MATCHES_ARGS: SchemaMatchesArgs<typeof fineTuneJobSchema, FineTuneJobArgs> = true;
void SCHEMA_MATCHES_ARGS;

const STATUSES = {
    PENDING: "queued",
    QUEUING: "queued",
    RUNNING: "running",
    CANCELING: "stopping",
    SUCCEEDED: "succeeded",
    FAILED: "failed",
    CANCELED: "canceled",
} as const;

const WIRE_TO_CAMEL = Object.fromEntries(Object.entries(HYPER_PARAMETER_WIRE_NAMES).map(([k, v]) => [v, k]));

/**
 * `hyper_parameters` in snake_case: the extras as given, then the typed ones.
 * Always sent: the service requires n_epochs, batch_size and max_length in it
 * (reference/bailian-finetune.md §3), which check guarantees.
 */
function wireHyperParameters(inputs: FineTuneJobInputs): Record<string, unknown> {
    const hp: Record<string, unknown> = { ...(inputs.extraHyperParameters ?? {}) };
    for (const [k, v] of Object.entries(inputs.hyperParameters ?? {})) hp[(HYPER_PARAMETER_WIRE_NAMES as Record<string, string>)[k]] = v;
    return hp;
}

function wireDatasets(list: FineTuneJobInputs["trainingDatasets"]): WireDataset[] | undefined {
    return list?.map((d) => ({
        data_source_type: d.dataSourceType,
        file_id: d.fileId,
        mount_storage: d.mountStorage && { region: d.mountStorage.region, bucket: d.mountStorage.bucket, file_path: d.mountStorage.filePath },
    }));
}

/** The request body, from the inputs (pure; exported for tests). */
export function createRequest(inputs: FineTuneJobInputs, jobName: string): CreateFineTuneRequest {
    return {
        model: inputs.model,
        training_file_ids: inputs.trainingFileIds,
        validation_file_ids: inputs.validationFileIds,
        training_datasets: wireDatasets(inputs.trainingDatasets),
        validation_datasets: wireDatasets(inputs.validationDatasets),
        hyper_parameters: wireHyperParameters(inputs),
        training_type: inputs.trainingType,
        job_name: jobName,
        model_name: inputs.modelName,
        finetuned_output_suffix: inputs.finetunedOutputSuffix,
    };
}

/** The inputs the marker hashes: every field but the two that only settle an ambiguous match (they change nothing on the cloud). */
const { adoptJobId: _adopt, allowIdenticalJob: _allow, ...DEFINING_FIELDS } = FIELDS;
void _adopt;
void _allow;
const definingInputs = (inputs: FineTuneJobInputs) => pickInputs(DEFINING_FIELDS, inputs);

/**
 * The job `adoptJobId` names, when its content is this resource's: the user
 * vouches that it is this resource's job (an interrupted submit's, which the
 * service left without the marker). Anything else fails, naming the reason.
 */
async function adoptNamedJob(client: DashScopeClient, id: string, inputs: FineTuneJobInputs, marker: string): Promise<FineTuneJob> {
    let job: FineTuneJob;
    try {
        job = await client.getFineTune(id);
    } catch (e) {
        if (hasErrorCode(e, "NotFound")) throw new Error(`adoptJobId: fine-tune ${id} was not found with this resource's credentials and workspace: check the id, or remove adoptJobId to submit a new job`);
        throw e;
    }
    const differs = contentDifference(job, createRequest(inputs, marker));
    if (differs !== undefined) {
        throw new Error(`adoptJobId: fine-tune ${id} differs from this resource in ${differs}, so it is not this resource's job: fix the id, or declare the job as it was submitted`);
    }
    return job;
}

/** The checked inputs of `bailian.FineTuneJob`. */
export type FineTuneJobInputs = KindInputs<typeof fineTuneJobSchema>;

export const fineTuneJobKind: ResourceKind<DashScopeClient, FineTuneJob, FineTuneJobInputs> = {
    token: KINDS.bailianFineTuneJob.token,
    schema: fineTuneJobSchema,
    fields: FIELDS,
    run: {
        statuses: STATUSES,
        statusOf: (j) => j.status,
        // Finished fine-tunes cannot be deleted: a failed one found by its marker may be what a destroy left behind.
        keepsFinishedRecords: true,
        // The model a dependant deploys: a SUCCEEDED read without it is not the end (issue 15 item 15).
        promisedOnSuccess: ["finetunedOutput"],
        failureDetail: async (client, j) => {
            const reason = j.code || j.message ? `${j.code ?? ""}: ${j.message ?? ""}` : "";
            const tail = await client.tailFineTuneLogs(j.job_id, 10).catch(() => []);
            return [reason, tail.length ? `last log lines:\n  ${tail.join("\n  ")}` : ""].filter(Boolean).join("\n");
        },
        cancel: async (client, id) => {
            await client.cancelFineTune(id);
        },
        // GET /fine-tunes/{id}/logs (reference/bailian-finetune.md): paged by offset and line count.
        logTail: (client, j, lines) => client.tailFineTuneLogs(j.job_id, lines),
    },
    regionInput: "workspaceId",
    client: (inputs) => dashScopeClientFor(inputs.workspaceId, inputs.region, inputs.profile),
    // The job_name carries the marker: `<jobName or resource name>-<8 hex>`.
    // Cut on code points: half a surrogate pair would not survive the service's UTF-8 and the marker would never match.
    marker: (inputs) => `${Array.from(String(inputs.jobName ?? inputs.pulumiName ?? "job")).slice(0, 55).join("")}-${resourceHash(inputs, definingInputs(inputs), SENSITIVE_INPUTS)}`,
    sensitiveInputs: SENSITIVE_INPUTS,
    // A finished job an earlier destroy released (./released.ts) is not this resource's any more.
    // Where the service does not keep job names, no job carries the marker: a job with this
    // resource's content whose name proves nothing stops the create (./identicalJobs.ts).
    findByMarker: async (client, marker, inputs, skip) => {
        const adopt = inputs.adoptJobId;
        if (adopt !== undefined && !skip.has(adopt)) return adoptNamedJob(client, adopt, inputs, marker);
        const sent = createRequest(inputs, marker);
        const alive = (j: FineTuneJob) => !["failed", "canceled"].includes(statusClassOf(STATUSES, j.status));
        // A job carrying a marker-shaped name shows that this service keeps the names it is sent: then a
        // job without our marker cannot be one we submitted, and an identical one is someone else's.
        let keepsNames = false;
        const hits = await notReleased(
            client,
            await client.findFineTunes((j) => {
                if (j.job_name === marker || namedByAnotherResource(j, marker)) keepsNames = true;
                return !skip.has(j.job_id) && (j.job_name === marker || (!namedByAnotherResource(j, marker) && alive(j) && contentDifference(j, sent) === undefined));
            }, { model: inputs.model }),
            (j) => TERMINAL.has(statusClassOf(STATUSES, j.status)),
        );
        const mine = preferLive(
            hits.filter((j) => j.job_name === marker),
            (j) => j.status,
            STATUSES,
        );
        if (mine) return mine;
        const unproven = hits.find((j) => j.job_name !== marker);
        if (unproven && !keepsNames && inputs.allowIdenticalJob !== true) throw unprovenJobError(unproven, marker, String(inputs.pulumiName ?? "job"));
        return undefined;
    },
    // The create answer is the job (reference/bailian-finetune.md §5: `{request_id, output: <job>}`): no read follows.
    submit: async (client, inputs, marker) => {
        const job = await client.createFineTune(createRequest(inputs, marker));
        if (typeof job.job_name === "string" && job.job_name !== marker) {
            // The service did not keep the name (./identicalJobs.ts): say so once, while nothing is wrong yet.
            progress(
                `${KINDS.bailianFineTuneJob.token} ${job.job_id}`,
                `DashScope answered job_name "${job.job_name}", not the "${marker}" sent: it does not keep job names, so if a later submit's answer is lost, ` +
                    `the create stops and names the job instead of finding it by its marker (settle it with adoptJobId or allowIdenticalJob)`,
            );
        }
        return { id: job.job_id, remote: job };
    },
    notFoundCodes: ["NotFound"],
    get: (client, id) => client.getFineTune(id),
    idOf: (j) => j.job_id,
    outputs: (j): OutputsOf<FineTuneJobOutputName> => ({
        jobId: j.job_id,
        status: j.status,
        wireJobName: j.job_name,
        finetunedOutput: j.finetuned_output,
        baseModel: j.base_model ?? j.model,
        usage: j.usage,
        createTime: j.create_time,
        endTime: j.end_time,
        effectiveHyperParameters: Object.fromEntries(Object.entries(j.hyper_parameters ?? {}).map(([k, v]) => [Object.hasOwn(WIRE_TO_CAMEL, k) ? WIRE_TO_CAMEL[k] : k, v])),
        failureReason: j.status === "FAILED" ? `${j.code ?? "Failed"}: ${j.message ?? "no reason given"}` : undefined,
    }),
    remove: async (client, id) => {
        try {
            await client.deleteFineTune(id);
            return "deleted";
        } catch (e) {
            // DashScope keeps finished jobs ("can not be deleted because it is succeeded,failed or canceled"):
            // leave a note so that a later create of this resource trains again instead of adopting it.
            if (hasErrorCode(e, "UnsupportedOperation")) {
                await noteReleased(client, id);
                return "refused";
            }
            throw e;
        }
    },
    redact: (client, message) => client.http.redactor.redact(message),
};

