/**
 * `bailian.FineTuneJob`: an Alibaba Model Studio (Bailian) fine-tune, submitted
 * through DashScope. Every argument, its type, default and unit, and what
 * changing it does.
 *
 * @module bailian.FineTuneJob
 */
import * as pulumi from "@pulumi/pulumi";
import { RUN_OUTPUTS } from "../core/defaults";
import type { AttemptRecord, RetryArgs } from "../core/retry";

/** The shared retry settings and attempt records, documented with each job resource. @group Argument types */
export type { AttemptRecord, RetryArgs } from "../core/retry";
import { noteWaitingJob, dynamicResourceArgs } from "../core/resource";
import { KINDS } from "../registry";
import { secretOutputNames } from "../core/sensitive";
import { SENSITIVE_INPUTS } from "./fineTuneJob.schema";

/**
 * A dataset source (2026 API).
 *
 * @group Argument types
 */
export interface DatasetArgs {
    /** `file_id` for a file uploaded with the Files API (see `bailian.File`), or `oss_mount` for an OSS path. */
    dataSourceType: pulumi.Input<"file_id" | "oss_mount">;
    /** The file id, when `dataSourceType` is `file_id`. */
    fileId?: pulumi.Input<string>;
    /** The OSS location, when `dataSourceType` is `oss_mount`. Zip files are not supported for OSS mounts. */
    mountStorage?: pulumi.Input<{
        /** `cn-beijing` or `ap-southeast-1`. */
        region: pulumi.Input<string>;
        /** OSS bucket name. */
        bucket: pulumi.Input<string>;
        /** Path of the `data.jsonl` inside the bucket. */
        filePath: pulumi.Input<string>;
    }>;
}

/**
 * Training hyper-parameters, in camelCase; sent to DashScope in snake_case
 * (`nEpochs` -> `n_epochs`).
 *
 * `nEpochs`, `batchSize` and `maxLength` are required: DashScope's 2026 create
 * page says they "affect the fine-tuning cost and are required". The page says
 * so for text-generation and visual-understanding models and names no
 * exception for other families, so every fine-tune sets them. The other
 * values are optional and take the service's defaults, which depend on the
 * model; the job reports the values it used in
 * {@link FineTuneJob.effectiveHyperParameters}.
 *
 * @group Argument types
 */
export interface HyperParametersArgs {
    /**
     * Passes over the training data, a whole number of at least 1. Required
     * by DashScope, because it sets the cost. 3-5 recommended below 10k rows,
     * 1-2 above. No default.
     */
    nEpochs: pulumi.Input<number>;
    /**
     * Rows per training step, a whole number of at least 1, e.g. 8 or 16.
     * Required by DashScope, because it sets the cost. No default.
     */
    batchSize: pulumi.Input<number>;
    /**
     * Longest row, in tokens, a whole number of at least 1, e.g. 2048 (the
     * service recommends 8192). The service drops longer rows. Required by
     * DashScope, because it sets the cost. No default.
     */
    maxLength: pulumi.Input<number>;
    /** Learning rate, as a number (`1e-5`) or a string (`"1e-5"`), both forms the service accepts. About 1e-5 for full tuning, 1e-4 for LoRA. */
    learningRate?: pulumi.Input<number | string>;
    /** `cosine` (default), `linear`, `inverse_sqrt` or `Constant`. */
    lrSchedulerType?: pulumi.Input<string>;
    /** Share of the training data used for training when no validation set is given (0..1). Default 0.8. */
    split?: pulumi.Input<number>;
    /** Largest validation sample split off the training data. Default 1000. */
    maxSplitValDatasetSample?: pulumi.Input<number>;
    /** Steps between evaluations. Default 50. */
    evalSteps?: pulumi.Input<number>;
    /** Steps between log lines. Default 5. */
    loggingSteps?: pulumi.Input<number>;
    /** Warm-up share of the schedule (0..1). Default 0.05. */
    warmupRatio?: pulumi.Input<number>;
    /** Weight decay. Default 0.1. */
    weightDecay?: pulumi.Input<number>;
    /** Qwen-VL only: freeze the vision tower. Default true; must be true for token-usage billing. */
    freezeVit?: pulumi.Input<boolean>;
    /** LoRA rank (`efficient_sft`, `dpo_lora`). Default 8, 64 recommended. Must match when re-tuning a LoRA model. */
    loraRank?: pulumi.Input<number>;
    /** LoRA alpha (`efficient_sft`, `dpo_lora`). Default 32. */
    loraAlpha?: pulumi.Input<number>;
    /** LoRA dropout (`efficient_sft`, `dpo_lora`), 0..1. Default 0.1. */
    loraDropout?: pulumi.Input<number>;
    /** Mix in the service's augmentation data (`sft`, `efficient_sft`). Default false. */
    dataAugmentation?: pulumi.Input<boolean>;
    /** Comma-separated augmentation sets, e.g. `mix_v2` for Qwen 3. */
    augmentationTypes?: pulumi.Input<string>;
    /** Comma-separated ratios, one per augmentation type, each 0.0-2.0. */
    augmentationRatio?: pulumi.Input<string>;
    /** When checkpoints are saved: `epoch` (default) or `steps`. */
    saveStrategy?: pulumi.Input<"epoch" | "steps">;
    /** Steps between checkpoints when `saveStrategy` is `steps`. Default 50. */
    saveSteps?: pulumi.Input<number>;
    /** Checkpoints kept. Default 1, 10 recommended. */
    saveTotalLimit?: pulumi.Input<number>;
}

/**
 * Arguments of {@link FineTuneJob}. Every field except the wait settings
 * replaces the job when changed: DashScope cannot modify a fine-tune.
 *
 * @group Arguments
 */
export interface FineTuneJobArgs {
    /**
     * Base model id (e.g. `qwen3-8b`), or the `finetunedOutput` of an earlier job to tune further. Replaces.
     * @defaultValue required
     */
    model: pulumi.Input<string>;
    /**
     * Training file ids from the Files API (the older request shape). Set this or `trainingDatasets`. Replaces.
     * @defaultValue none
     */
    trainingFileIds?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * Training datasets (the 2026 request shape). Set this or `trainingFileIds`. Replaces.
     * @defaultValue none
     */
    trainingDatasets?: pulumi.Input<pulumi.Input<DatasetArgs>[]>;
    /**
     * Validation file ids. Without validation data the service splits the training data (see `hyperParameters.split`). Replaces.
     * @defaultValue none
     */
    validationFileIds?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * Validation datasets (2026 shape). Replaces.
     * @defaultValue none
     */
    validationDatasets?: pulumi.Input<pulumi.Input<DatasetArgs>[]>;
    /**
     * Typed hyper-parameters; at least `nEpochs`, `batchSize` and `maxLength`,
     * which DashScope requires because they set the cost. Replaces.
     * @defaultValue required
     */
    hyperParameters: pulumi.Input<HyperParametersArgs>;
    /**
     * Hyper-parameters this library does not know yet, sent as given (snake_case).
     * The typed ones (such as `n_epochs`) are refused here: set them in `hyperParameters`. Replaces.
     * @defaultValue none
     */
    extraHyperParameters?: pulumi.Input<Record<string, unknown>>;
    /**
     * `sft` (full-parameter), `efficient_sft` (LoRA), `dpo_full`, `dpo_lora` or
     * `cpt` (continued pre-training). Image, video and speech models use
     * `efficient_sft`. Replaces.
     * @defaultValue `sft` (the service's default)
     */
    trainingType?: pulumi.Input<"sft" | "efficient_sft" | "dpo_full" | "dpo_lora" | "cpt">;
    /**
     * Job name prefix. The provider appends `-<8 hex>`, a hash of the resource
     * name and inputs, so a retried or interrupted `up` finds the job it already
     * submitted instead of starting a second one. At most 64 characters, of
     * which the first 55 are used. Replaces.
     * @defaultValue the resource name
     */
    jobName?: pulumi.Input<string>;
    /**
     * The id of a fine-tune this resource adopts instead of submitting one: the
     * job an interrupted `up` submitted where DashScope did not keep its
     * `job_name`, which the create's error names. Its content (model, files,
     * hyper-parameters, training type) must be this resource's; it is then
     * recorded, waited for and, at destroy, canceled or deleted like a job this
     * resource submitted. Ignored once the job is recorded.
     * Changing it changes nothing on the cloud.
     * @defaultValue none: the job is found by its marker, or submitted
     */
    adoptJobId?: pulumi.Input<string>;
    /**
     * Submit even when a fine-tune with exactly this resource's content exists
     * whose `job_name` does not prove it is someone else's. DashScope may not
     * keep job names (its examples show `job_name` equal to `job_id`), and then
     * such a job may be the one an interrupted earlier submit of this resource
     * created: by default the create stops and names it, since a second submit
     * could be a second paid job. Set this when that job is not this
     * resource's. Changing it changes nothing on the cloud.
     * @defaultValue `false`
     */
    allowIdenticalJob?: pulumi.Input<boolean>;
    /**
     * Display name of the resulting model, at most 64 characters. Replaces.
     * @defaultValue chosen by the service
     */
    modelName?: pulumi.Input<string>;
    /**
     * Suffix in the fine-tuned model id (`<model>-<suffix>-<job id>`): 1-32 lowercase letters, digits or `-`. Replaces.
     * @defaultValue none
     */
    finetunedOutputSuffix?: pulumi.Input<string>;
    /**
     * Workspace id (`llm-…`), sent as `X-DashScope-WorkSpace`. Replaces.
     * @defaultValue `dashscope:workspaceId` config, then `DASHSCOPE_WORKSPACE_ID`, then the API key's default workspace
     */
    workspaceId?: pulumi.Input<string>;
    /**
     * DashScope region: `cn-beijing` (China, `dashscope.aliyuncs.com`) or
     * `ap-southeast-1` (international, Singapore,
     * `dashscope-intl.aliyuncs.com`). An API key works only in its own region,
     * so a second region usually comes with a `profile`; an endpoint override
     * (`dashscope:baseUrl`) wins over it. Replaces.
     * @defaultValue the `dashscope:baseUrl` endpoint if set, else `cn-beijing`
     */
    region?: pulumi.Input<"cn-beijing" | "ap-southeast-1">;
    /**
     * Credential profile: the account (and endpoint, region, workspace) this
     * resource uses, read from the profile's own stack config namespace
     * (`<namespace>-<profile>:`, e.g. `dashscope-prod:apiKey`) or environment
     * variables (`<PROFILE>_…`, e.g. `PROD_DASHSCOPE_API_KEY`) instead of the stack's
     * defaults, with no fallback to them. One stack can so use several
     * accounts; the credentials never enter inputs or state. Lower-case
     * letters, digits and `-`. Replaces.
     * @defaultValue none: the stack's default settings
     */
    profile?: pulumi.Input<string>;
    /**
     * Wait in `pulumi up` until the job ends. When true, a failed job fails
     * the update (the job stays recorded and is replaced on the next up).
     * With false, `up` returns once the job is submitted and `refresh` reports
     * its progress. Changing it changes nothing on the cloud.
     * @defaultValue `true`
     */
    waitForCompletion?: pulumi.Input<boolean>;
    /**
     * Provider-side deadline for waiting, in minutes (Pulumi's customTimeouts
     * do not reach dynamic providers), greater than 0 and at most 10080 (7 days).
     * Past it the job keeps running, is recorded, and the next `up` resumes
     * waiting. Changing it changes nothing on the cloud.
     * @defaultValue `1440` (24 hours)
     */
    completionTimeoutMinutes?: pulumi.Input<number>;
    /**
     * Bounded automatic retries within one `up`: a job that ends failed is
     * submitted again, as a new job, until an attempt succeeds or
     * `maxAttempts` are spent; each attempt is recorded in `attempts`, and
     * failed ones are deleted where the cloud allows. Needs
     * `waitForCompletion`. Changing it changes nothing on the cloud.
     * @defaultValue one attempt: a failed job fails the `up`
     */
    retry?: pulumi.Input<RetryArgs>;
    /**
     * Stop the job when `completionTimeoutMinutes` passes while `up` waits,
     * instead of leaving it running: a real bound on its runtime and bill, as
     * far as the provider watches it (not once `up` has returned, and not with
     * `waitForCompletion: false`). The stopped job fails the step and is
     * replaced by the next `up`. Changing it changes nothing on the cloud.
     * @defaultValue `false`: past the deadline the job keeps running
     */
    stopAtDeadline?: pulumi.Input<boolean>;
}

const OUTPUTS = [
    "jobId",
    "status",
    "wireJobName",
    "finetunedOutput",
    "baseModel",
    "usage",
    "createTime",
    "endTime",
    "effectiveHyperParameters",
    "failureReason",
] as const satisfies readonly (keyof FineTuneJob)[];

/** The outputs the cloud reports (the kind's `outputs` may report only these). @internal */
export type FineTuneJobOutputName = (typeof OUTPUTS)[number];

/**
 * Outputs stored encrypted whatever the program marked secret: the echoes of
 * the inputs that can hold secrets, and cloud text that may repeat them (core/sensitive.ts).
 */
const SECRET_OUTPUTS = [...secretOutputNames(SENSITIVE_INPUTS), ...RUN_OUTPUTS, "effectiveHyperParameters", "failureReason"];

/**
 * An Alibaba Model Studio (Bailian) fine-tune job, submitted through DashScope
 * (`POST /api/v1/fine-tunes`).
 *
 * `pulumi up` submits the job and, by default, waits for it to finish. A job
 * that ends FAILED or CANCELED is replaced on the next `up`; a SUCCEEDED job
 * stays as it is, also after the service drops its record. `pulumi destroy`
 * cancels a running job, waits for it to stop and deletes it; DashScope keeps
 * the records of finished jobs, which destroy leaves in place with a warning.
 * The fine-tuned model is never deleted.
 *
 * Credentials: `DASHSCOPE_API_KEY` or `pulumi config set --secret dashscope:apiKey`.
 * Endpoint: `DASHSCOPE_HTTP_BASE_URL` or `dashscope:baseUrl`.
 *
 * @example
 * ```ts
 * import { bailian } from "pulumi-training";
 *
 * const data = new bailian.File("train", { source: "data/train.jsonl" });
 * const job = new bailian.FineTuneJob("support-bot", {
 *     model: "qwen3-8b",
 *     trainingFileIds: [data.fileId],
 *     trainingType: "efficient_sft",
 *     hyperParameters: { nEpochs: 3, batchSize: 16, maxLength: 2048, learningRate: "1e-4", loraRank: 64 },
 *     completionTimeoutMinutes: 180,
 * });
 * export const model = job.finetunedOutput;
 * ```
 *
 * @example
 * Adopt a job submitted elsewhere (read into the stack, never deleted by it):
 *
 * ```ts
 * import { bailian } from "pulumi-training";
 *
 * const earlier = bailian.FineTuneJob.get("earlier", "ft-202611011200-1c7f");
 * export const earlierModel = earlier.finetunedOutput;
 * ```
 *
 * @group Resource
 */
export class FineTuneJob extends pulumi.dynamic.Resource {
    /** The DashScope job id, `ft-<yyyyMMddHHmm>-<4 hex>`. */
    declare public readonly jobId: pulumi.Output<string>;
    /** PENDING, QUEUING, RUNNING, CANCELING, SUCCEEDED, FAILED or CANCELED, as of the last up or refresh. */
    declare public readonly status: pulumi.Output<string>;
    /** The `job_name` DashScope reports: the one sent (the `jobName` prefix plus the idempotency marker), or the job id where the service does not keep the name sent. */
    declare public readonly wireJobName: pulumi.Output<string>;
    /** The fine-tuned model id, to deploy or tune further. Set once the job SUCCEEDED. */
    declare public readonly finetunedOutput: pulumi.Output<string | undefined>;
    /** The base model the service trained from. */
    declare public readonly baseModel: pulumi.Output<string>;
    /** Tokens billed, once the job SUCCEEDED or was CANCELED. */
    declare public readonly usage: pulumi.Output<number | undefined>;
    /** Creation time as the service prints it (`yyyy-MM-dd HH:mm:ss`, service time zone). */
    declare public readonly createTime: pulumi.Output<string>;
    /** End time, once the job ended. */
    declare public readonly endTime: pulumi.Output<string | undefined>;
    /** The hyper-parameters the service used, defaults included, in camelCase. Secret in state: it echoes `extraHyperParameters`. */
    declare public readonly effectiveHyperParameters: pulumi.Output<Record<string, unknown>>;
    /** The service's code and message when the job FAILED. Secret in state: a cloud message may repeat a secret input. */
    declare public readonly failureReason: pulumi.Output<string | undefined>;

    /** The base model, as given. */
    declare public readonly model: pulumi.Output<string>;
    /** The training type, as given. */
    declare public readonly trainingType: pulumi.Output<string | undefined>;

    /** Every attempt `retry` made in the `up` that created this job, the last one being the job recorded: id, status, failure reason, start and end. Secret in state: failure text may repeat a secret input. */
    declare public readonly attempts: pulumi.Output<AttemptRecord[] | undefined>;
    /** The last lines of the job's log when `up` saw it end (at most 20 lines, 4 KB), secrets masked. Secret in state. */
    declare public readonly logTail: pulumi.Output<string[] | undefined>;
    constructor(name: string, args: FineTuneJobArgs, opts?: pulumi.CustomResourceOptions) {
        super(...dynamicResourceArgs(KINDS.bailianFineTuneJob, name, args, [...OUTPUTS, ...RUN_OUTPUTS], SECRET_OUTPUTS, opts));
        if (!opts?.id) noteWaitingJob(args);
    }

    /**
     * Adopts an existing fine-tune job into the stack by id (`pulumi import`
     * cannot work for dynamic resources). Pass `workspaceId` in `state` when
     * the job lives in a non-default workspace.
     */
    static get(name: string, id: pulumi.Input<string>, state?: Partial<FineTuneJobArgs>, opts?: pulumi.CustomResourceOptions): FineTuneJob {
        return new FineTuneJob(name, (state ?? {}) as FineTuneJobArgs, { ...opts, id });
    }
}
