/**
 * `Completion`: one engine step that waits for a group of training jobs to
 * end, so that the jobs themselves need not.
 *
 * @module Completion
 */
import * as pulumi from "@pulumi/pulumi";
import type { FineTuneJob } from "../bailian/fineTuneJob";
import type { AidbTask } from "../polardb/aidbTask";
import type { TrainingTask } from "../tione/trainingTask";
import { providerFor, registrationProps, withSecretOutputs } from "../core/resource";
import { kindByToken } from "../registry";
import { COMPLETION_LIFECYCLE, COMPLETION_OUTPUTS, COMPLETION_TOKEN, JOB_SECRETS_INPUT, WAITABLE, WAITABLE_TOKENS } from "./completion.kind";

/**
 * A job a {@link Completion} can wait for: a resource of a kind that runs.
 *
 * @group Argument types
 */
export type CompletionJob = TrainingTask | FineTuneJob | AidbTask;

/**
 * Arguments of {@link Completion}.
 *
 * @group Arguments
 */
export interface CompletionArgs {
    /**
     * The jobs to wait for: `tione.TrainingTask`, `bailian.FineTuneJob` or
     * `polardb.AidbTask` resources of this program (declared, or adopted with
     * `get()`), of any clouds, accounts and regions. Declare them with
     * `waitForCompletion: false`, so that their own steps end at submit.
     * Each job's status is read with its own region, workspace, project and
     * credential `profile`. A job whose id changes (it was replaced) replaces
     * the Completion, which then waits for the new set. The Completion
     * depends on every job.
     * @defaultValue required; at least one
     */
    jobs: CompletionJob[];
    /**
     * Deadline for the whole group, in minutes from when the Completion's
     * step starts, greater than 0 and at most 10080 (7 days). Past it the
     * step fails, naming the jobs still running; they keep running, and the
     * next `pulumi up` resumes waiting. Changing it changes nothing on the
     * cloud.
     * @defaultValue `1440` (24 hours)
     */
    completionTimeoutMinutes?: pulumi.Input<number>;
}

/**
 * Waits, in one engine step, until every job in a group has ended; fails,
 * quoting each failed job's reason, when any failed or was canceled. It
 * submits nothing and changes nothing on any cloud: `pulumi destroy`
 * removes only the Completion, never its jobs.
 *
 * Why: a job that waits for itself (`waitForCompletion: true`, the default)
 * holds one of the engine's `--parallel` steps (default 4 × CPUs) until it
 * ends, so in a stack of more waiting jobs than that, the rest are submitted
 * only as earlier ones finish. Declare the jobs with
 * `waitForCompletion: false` and one Completion for the group: every job is
 * submitted at once, and `pulumi up` still returns only when all have ended.
 * Resources that must run after training depend on the Completion.
 *
 * The jobs' own state is as of their submit (status `PENDING`, no trained
 * model path) until a refresh: after a failure, run `pulumi up --refresh`,
 * so the failed jobs are recorded as failed and replaced. A job whose
 * outputs feed another resource (a fine-tune's `finetunedOutput` into a
 * deployment) is best left waiting for itself, where its outputs are final
 * when its step ends.
 *
 * `pulumi preview` makes no API call. `pulumi refresh` re-reads every
 * job's status into `statuses` and `outcome`.
 *
 * @example
 * ```ts
 * import { Completion, tione } from "pulumi-training";
 *
 * const trials = [1e-4, 2e-4, 5e-4].map((lr, i) =>
 *     new tione.TrainingTask(`trial-${i}`, {
 *         chargeType: "POSTPAID_BY_HOUR",
 *         resourceConfigInfos: [{ role: "WORKER", instanceType: "TI.GN7.8XLARGE128.POST" }],
 *         startCmdInfo: { startCmd: `python train.py --lr ${lr}` },
 *         waitForCompletion: false, // submit and move on: the Completion waits
 *     }),
 * );
 * const sweep = new Completion("sweep", { jobs: trials, completionTimeoutMinutes: 600 });
 * export const statuses = sweep.statuses;
 * ```
 *
 * @group Resource
 */
export class Completion extends pulumi.dynamic.Resource {
    /** Each job's cloud status (e.g. `SUCCEED`, `FAILED`), by job id, as of the last up or refresh. */
    declare public readonly statuses: pulumi.Output<Record<string, string>>;
    /** `succeeded` (every job succeeded), `failed` (one or more failed, were canceled or are gone), or `running` (a deadline passed, or a refresh found jobs still running). */
    declare public readonly outcome: pulumi.Output<"succeeded" | "failed" | "running">;
    /** When the last job was seen ended, ISO 8601 UTC; absent while jobs run. */
    declare public readonly endedAt: pulumi.Output<string | undefined>;

    constructor(name: string, args: CompletionArgs, opts?: pulumi.CustomResourceOptions) {
        const jobs = Array.isArray(args?.jobs) ? args.jobs : [];
        if (!opts?.id && jobs.length === 0) throw new pulumi.RunError(`${COMPLETION_TOKEN} "${name}": jobs is required: pass the job resources to wait for (at least one)`);
        const refs = jobs.map((job, i) => jobRef(name, job, i));
        const props = registrationProps(
            name,
            { jobs: refs.map((r) => r.ref), completionTimeoutMinutes: args?.completionTimeoutMinutes, [JOB_SECRETS_INPUT]: refs.map((r) => r.secrets) },
            COMPLETION_OUTPUTS,
            COMPLETION_TOKEN,
            opts,
        );
        const [module, type] = COMPLETION_TOKEN.split(":");
        super(providerFor(COMPLETION_LIFECYCLE), name, props, withSecretOutputs({ ...opts, dependsOn: dependsOnWith(opts?.dependsOn, jobs) }, [JOB_SECRETS_INPUT]), module, type);
        for (const job of jobs) warnIfWaiting(this, name, job);
    }
}

/** What the Completion records of one job: its kind, id, name and the inputs its status is read with; and its secrets, apart. */
function jobRef(name: string, job: CompletionJob, index: number): { ref: Record<string, unknown>; secrets: pulumi.Output<unknown> } {
    const type = job instanceof pulumi.Resource ? pulumi.resourceType(job) : undefined;
    const row = type ? kindByToken(type) : undefined;
    const waitable = row ? WAITABLE[row.token] : undefined;
    if (!row || !waitable) {
        throw new pulumi.RunError(
            `${COMPLETION_TOKEN} "${name}": jobs[${index}] is ${type ? `a ${type}` : "not a resource"}; pass job resources of a kind that runs (${WAITABLE_TOKENS.join(", ")})`,
        );
    }
    const fields = job as unknown as Record<string, unknown>;
    const pick = (keys: readonly string[]) => Object.fromEntries(keys.filter((k) => fields[k] !== undefined).map((k) => [k, fields[k]]));
    return {
        ref: { type: row.token, id: job.id, name: pulumi.resourceName(job), locator: pick(waitable.locator) },
        secrets: pulumi.secret(pulumi.output(pick(waitable.sensitive))),
    };
}

/** `dependsOn` plus the jobs (their ids are inputs, so the engine orders them first anyway; this also says so in state). */
function dependsOnWith(dependsOn: pulumi.CustomResourceOptions["dependsOn"], jobs: CompletionJob[]): pulumi.CustomResourceOptions["dependsOn"] {
    if (!dependsOn) return jobs;
    if (Array.isArray(dependsOn)) return [...dependsOn, ...jobs];
    if (pulumi.Resource.isInstance(dependsOn)) return [dependsOn, ...jobs];
    return dependsOn; // an Output or Promise of resources: the job ids still order the jobs first
}

/** A job that waits for itself holds an engine step until it ends, which is what the Completion is there to avoid. */
function warnIfWaiting(completion: Completion, name: string, job: CompletionJob): void {
    const wait = (job as unknown as { waitForCompletion?: pulumi.Output<boolean> }).waitForCompletion;
    const say = () =>
        void pulumi.log.warn(
            `${COMPLETION_TOKEN} "${name}" waits for ${pulumi.resourceName(job)}, which also waits for itself (waitForCompletion is not false): ` +
                "its step holds one of the engine's --parallel slots until it ends. Set waitForCompletion: false on it, so it is submitted and let go.",
            completion,
        );
    if (wait === undefined) say();
    else if (pulumi.Output.isInstance(wait)) wait.apply((w) => (w !== false ? say() : undefined));
}
