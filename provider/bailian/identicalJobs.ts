/**
 * Fine-tunes whose ownership no marker can prove (issue 16, the DashScope
 * `job_name` variant).
 *
 * The marker lookup finds a job by the `job_name` it was sent. Whether the
 * service keeps that name is undocumented: the job object's `job_name`
 * "equals `job_id` by default", and every documented example shows it so
 * (reference/bailian-finetune.md §5; §3 lists `job_name` only as an optional
 * request field). Where the name is not kept, a job an interrupted submit of
 * this resource created carries no marker, and is indistinguishable from
 * someone else's job with the same content. A second submit could be a
 * second paid job; adopting the job could take another stack's job (a job
 * belongs to exactly one stack). So before submitting, and after a submit
 * whose answer was lost, a job with exactly this resource's content whose
 * name proves nothing stops the create with an error that says what to do,
 * unless the same list shows a job with a marker-shaped name: the service
 * then keeps names, and a job without this resource's marker is not its own.
 */
import type { CreateFineTuneRequest, FineTuneJob, WireDataset } from "../../sdk/dashscope/types";
import { canonicalJson } from "../core/marker";

/**
 * The shape of a name this provider sends (`<prefix>-<8 hex>`, the kind's
 * `marker`). A job id (`ft-<yyyyMMddHHmm>-<4 hex>`, §5) never has it.
 */
const PROVIDER_NAME = /-[0-9a-f]{8}$/;

/**
 * Whether a job's `job_name` proves it is another resource's: it carries a
 * marker-shaped name other than ours. Only a service that keeps the names
 * sent can answer such a name. A name equal to the job id (the documented
 * default), empty, or of any other shape proves nothing.
 */
export function namedByAnotherResource(job: FineTuneJob, marker: string): boolean {
    const name = typeof job.job_name === "string" ? job.job_name : "";
    return name !== marker && name !== job.job_id && PROVIDER_NAME.test(name);
}

/** File ids a request or a job names, training or validation, from both the older ids and the 2026 datasets. */
function fileIds(ids: readonly string[] | undefined, datasets: ReadonlyArray<{ file_id?: string; mount_storage?: unknown }> | undefined): string[] {
    return [...(ids ?? []), ...(datasets ?? []).map((d) => d.file_id ?? canonicalJson(d.mount_storage ?? null))].sort();
}

/** Equal as numbers where both read as finite numbers (`"1e-4"` sent, `0.0001` answered), else as JSON. */
function sameValue(a: unknown, b: unknown): boolean {
    const na = typeof a === "string" || typeof a === "number" ? Number(a) : NaN;
    const nb = typeof b === "string" || typeof b === "number" ? Number(b) : NaN;
    if (Number.isFinite(na) && Number.isFinite(nb)) return na === nb;
    return canonicalJson(a) === canonicalJson(b);
}

/**
 * The first field in which a job differs from what this resource sends, or
 * `undefined` when its content is the same: model, training and validation
 * files (ids or datasets), every hyper-parameter sent, training type. A
 * field the job does not report counts as the same: the 2026 create page
 * leaves `training_file_ids` empty for new jobs (reference/bailian-finetune.md
 * §3) and the job carries the hyper-parameters "actually used" (§5), so
 * missing or extra fields are the service's, not a difference. Erring this
 * way refuses more often; the other way would submit a second paid job.
 */
export function contentDifference(job: FineTuneJob, sent: CreateFineTuneRequest): string | undefined {
    const model = job.model ?? job.base_model;
    if (model !== undefined && model !== sent.model) return "model";
    const training = fileIds(job.training_file_ids, job.training_datasets as WireDataset[] | undefined);
    if (training.length && canonicalJson(training) !== canonicalJson(fileIds(sent.training_file_ids, sent.training_datasets))) return "training files";
    const validation = fileIds(job.validation_file_ids, job.validation_datasets as WireDataset[] | undefined);
    if (validation.length && canonicalJson(validation) !== canonicalJson(fileIds(sent.validation_file_ids, sent.validation_datasets))) return "validation files";
    const hp = (job.hyper_parameters ?? {}) as Record<string, unknown>;
    for (const [k, v] of Object.entries(sent.hyper_parameters ?? {})) {
        if (Object.hasOwn(hp, k) && !sameValue(hp[k], v)) return `hyper_parameters.${k}`;
    }
    if (job.training_type !== undefined && job.training_type !== (sent.training_type ?? "sft")) return "training_type";
    return undefined;
}

/** The inputs that settle an ambiguous match (FineTuneJobArgs `adoptJobId` and `allowIdenticalJob`). */
export const ADOPT_INPUT = "adoptJobId";
export const ALLOW_INPUT = "allowIdenticalJob";

/**
 * The error that stops a create when a job with this resource's content
 * exists that no marker ties to it. Names the job, says why the provider
 * cannot decide, and what the user does. No input value is quoted: the
 * hyper-parameters may hold secrets.
 */
export function unprovenJobError(job: FineTuneJob, marker: string, resource: string): Error {
    return new Error(
        `bailian:FineTuneJob ${resource}: fine-tune ${job.job_id} (${job.status}, created ${job.create_time ?? "at an unknown time"}) has exactly this resource's content ` +
            `(model, files, hyper-parameters, training type), but not its job_name: it reads "${job.job_name}" where this resource sends "${marker}". ` +
            `DashScope does not keep the job names it is sent (it names a job by its id, as every documented example shows), so the provider cannot tell ` +
            `whether ${job.job_id} is the job an interrupted earlier submit of this resource created or someone else's identical job, and it submits nothing: ` +
            `a second submit could be a second paid job, and adopting another stack's job would let this stack cancel it. ` +
            `If ${job.job_id} is this resource's, set \`${ADOPT_INPUT}: "${job.job_id}"\` on it and run \`pulumi up\`: the job is recorded, not submitted again. ` +
            `If it is not, set \`${ALLOW_INPUT}: true\` to submit a job of your own beside it, or cancel or delete ${job.job_id} in the console first.`,
    );
}
