/**
 * `polardb.AidbTask`: a PolarDB for AI (AIDB) model-operator training task.
 * Every argument, its type, default and unit, and what changing it does.
 *
 * @module polardb.AidbTask
 */
import * as pulumi from "@pulumi/pulumi";
import { RUN_OUTPUTS } from "../core/defaults";
import type { AttemptRecord, RetryArgs } from "../core/retry";

/** The shared retry settings and attempt records, documented with each job resource. @group Argument types */
export type { AttemptRecord, RetryArgs } from "../core/retry";
import { noteWaitingJob, dynamicResourceArgs } from "../core/resource";
import { KINDS } from "../registry";
import { secretOutputNames } from "../core/sensitive";
import { SENSITIVE_INPUTS } from "./aidbTask.schema";

/**
 * The task's runtime parameters (`RunningParameter`), sent to PolarDB as one
 * JSON string with sorted keys. Keys are the service's own snake_case names.
 * Alibaba documents these keys only through one example
 * (https://help.aliyun.com/zh/polardb/api-polardb-2017-08-01-createaidbclustertask);
 * the typed ones are checked at preview, and any other key is passed through
 * as given (it must be JSON-serializable). Unset keys take the service's defaults.
 *
 * @group Argument types
 */
export interface RunningParameterArgs {
    /** `sft` (supervised fine-tuning) or `grpo` (reinforcement learning with reward functions). Setting it makes the task a fine-tune, which needs `datasetPath`. */
    train_mode?: pulumi.Input<"sft" | "grpo">;
    /** `lora` (adapters) or `full` (all weights). Setting it makes the task a fine-tune. */
    train_type?: pulumi.Input<"lora" | "full">;
    /** Passes over the training data, at least 1. Drives duration and cost. */
    num_epochs?: pulumi.Input<number>;
    /** Training rows per device step, at least 1. */
    batch_size?: pulumi.Input<number>;
    /** Evaluation rows per step, at least 1. */
    eval_batch_size?: pulumi.Input<number>;
    /** GRPO: completions sampled per prompt, at least 1. */
    num_generations?: pulumi.Input<number>;
    /** Learning rate, greater than 0, as a number or a string such as `"1e-6"` (the documented example uses a string). */
    learning_rate?: pulumi.Input<number | string>;
    /** Share of the training set held out for validation, 0..1 (e.g. 0.1). */
    split_dataset_ratio?: pulumi.Input<number>;
    /** LoRA rank, at least 1 (the example uses 8). */
    lora_rank?: pulumi.Input<number>;
    /** LoRA alpha, at least 1 (the example uses 32). */
    lora_alpha?: pulumi.Input<number>;
    /** Share of GPU memory the generation engine may use, greater than 0 and at most 1 (the example uses 0.4). */
    gpu_memory_utilization?: pulumi.Input<number>;
    /** Files of the dataset to use, with an optional row cap: `test-00000-of-00001.jsonl#1000`. */
    data_file_list?: pulumi.Input<string>;
    /** GRPO: path of a reward plugin inside the task, e.g. `/plugin/train/plugin.py`. */
    external_plugins?: pulumi.Input<string>;
    /** GRPO: comma-separated reward functions, e.g. `format,external_countdown`. */
    reward_funcs?: pulumi.Input<string>;
    /** Any other key the service understands, passed through unchanged. */
    [key: string]: pulumi.Input<unknown> | undefined;
}

/**
 * Arguments of {@link AidbTask}. Every field except the wait settings
 * replaces the task when changed: PolarDB has no action that modifies or
 * stops an AIDB task.
 *
 * @group Arguments
 */
export interface AidbTaskArgs {
    /**
     * The PolarDB cluster (`pc-…`) whose PolarDB for AI feature runs the task. Replaces.
     * @defaultValue required
     */
    dbClusterId: pulumi.Input<string>;
    /**
     * `public` for a preset model, `custom` for a model trained earlier. Replaces.
     * @defaultValue required
     */
    modelSource: pulumi.Input<"public" | "custom">;
    /**
     * The preset model name (e.g. `Qwen3-8B`), or for `custom` the path of the model. Replaces.
     * @defaultValue required
     */
    modelName: pulumi.Input<string>;
    /**
     * The type of a custom model, e.g. `qwen3`. Replaces.
     * @defaultValue none
     */
    modelType?: pulumi.Input<string>;
    /**
     * The training dataset id (`pds-…`, created with CreateAIDBClusterDataset).
     * Required for fine-tuning (when `runningParameter` sets `train_mode` or
     * `train_type`). Replaces.
     * @defaultValue none
     */
    datasetPath?: pulumi.Input<string>;
    /**
     * The validation dataset id (`pds-…`). Required for evaluation. Replaces.
     * @defaultValue none
     */
    evalDatasetPath?: pulumi.Input<string>;
    /**
     * Runtime parameters, serialized to the `RunningParameter` JSON string. Replaces.
     * @defaultValue required
     */
    runningParameter: pulumi.Input<RunningParameterArgs>;
    /**
     * The model-service type; the only documented value is `aitrain` (model-operator tuning). Replaces.
     * @defaultValue `aitrain`
     */
    kubeType?: pulumi.Input<"aitrain">;
    /**
     * Task name prefix, at most 55 characters. The provider appends `-<8 hex>`,
     * a hash of the resource name and inputs, so a retried or interrupted `up`
     * finds the task it already submitted instead of starting a second one.
     * Replaces.
     * @defaultValue the resource name
     */
    taskName?: pulumi.Input<string>;
    /**
     * Zone of the training resources, e.g. `cn-beijing-i`. Replaces.
     * @defaultValue chosen by the service
     */
    zoneId?: pulumi.Input<string>;
    /**
     * VPC of the training resources (`vpc-…`). Replaces.
     * @defaultValue the cluster's VPC
     */
    vpcId?: pulumi.Input<string>;
    /**
     * vSwitch of the training resources (`vsw-…`). Replaces.
     * @defaultValue none
     */
    vSwitchId?: pulumi.Input<string>;
    /**
     * Security group of the training resources (`sg-…`). Replaces.
     * @defaultValue none
     */
    securityGroupId?: pulumi.Input<string>;
    /**
     * Instance type for training, e.g. `polar.pg.g6.4xlarge.guh`. Drives cost. Replaces.
     * @defaultValue chosen by the service
     */
    dbInstanceClass?: pulumi.Input<string>;
    /**
     * Tuning architecture (added to the API in 2026-07; its values are not documented). Replaces.
     * @defaultValue none
     */
    tuneArch?: pulumi.Input<string>;
    /**
     * Region of the cluster, e.g. `cn-beijing`; picks the API endpoint
     * (`polardb.aliyuncs.com` for the central regions, `polardb.<region>.aliyuncs.com`
     * otherwise). Without a region from any source (and no endpoint override),
     * `up` fails with "PolarDB region missing". Replaces.
     * @defaultValue `alicloud:region` config, then `ALIBABA_CLOUD_REGION_ID`
     */
    regionId?: pulumi.Input<string>;
    /**
     * Credential profile: the account (and endpoint, region, workspace) this
     * resource uses, read from the profile's own stack config namespace
     * (`<namespace>-<profile>:`, e.g. `alicloud-prod:accessKey`) or environment
     * variables (`<PROFILE>_…`, e.g. `PROD_ALIBABA_CLOUD_ACCESS_KEY_ID`) instead of the stack's
     * defaults, with no fallback to them. One stack can so use several
     * accounts; the credentials never enter inputs or state. Lower-case
     * letters, digits and `-`. Replaces.
     * @defaultValue none: the stack's default settings
     */
    profile?: pulumi.Input<string>;
    /**
     * Wait in `pulumi up` until the task ends. When true, a FAILED task fails
     * the update with the tail of its log (the task stays recorded and is
     * replaced on the next up). With false, `up` returns once the task is
     * submitted and `refresh` reports its progress. Changing it changes nothing on the cloud.
     * @defaultValue `true`
     */
    waitForCompletion?: pulumi.Input<boolean>;
    /**
     * Provider-side deadline for waiting, in minutes (Pulumi's customTimeouts
     * do not reach dynamic providers), greater than 0 and at most 10080 (7 days).
     * Past it the task keeps running, is recorded, and the next `up` resumes
     * waiting. Changing it changes nothing on the cloud.
     * @defaultValue `1440` (24 hours)
     */
    completionTimeoutMinutes?: pulumi.Input<number>;
    /**
     * Bounded automatic retries within one `up`: a task that ends failed is
     * submitted again, as a new task, until an attempt succeeds or
     * `maxAttempts` are spent; each attempt is recorded in `attempts`, and
     * failed ones are deleted where the cloud allows. Needs
     * `waitForCompletion`. Changing it changes nothing on the cloud.
     * @defaultValue one attempt: a failed task fails the `up`
     */
    retry?: pulumi.Input<RetryArgs>;
}

/**
 * A dataset the task used, as the service reports it.
 *
 * @group Output types
 */
export interface AidbTaskDatasetOutput {
    /** Dataset name. */
    datasetName?: string;
    /** Storage path, e.g. `polardb_ai/datasets/train/grpo/dataset02/test-00000.jsonl#1000`. */
    path?: string;
    /** Share held out for validation, as the service prints it (`"0.1"`). */
    splitDatasetRatio?: string;
    /** `train` or `eval`. */
    type?: string;
}

const OUTPUTS = [
    "taskId",
    "orderId",
    "status",
    "wireTaskName",
    "modelPaths",
    "createTime",
    "startTime",
    "completedTime",
    "accessInfo",
    "datasets",
] as const satisfies readonly (keyof AidbTask)[];

/** The outputs the cloud reports (the kind's `outputs` may report only these). @internal */
export type AidbTaskOutputName = (typeof OUTPUTS)[number];

/**
 * Outputs stored encrypted whatever the program marked secret: the echoes of
 * the inputs that can hold secrets (core/sensitive.ts).
 */
const SECRET_OUTPUTS = [...secretOutputNames(SENSITIVE_INPUTS), ...RUN_OUTPUTS];

/**
 * A PolarDB for AI ("AIDB") model-operator training task
 * (`CreateAIDBClusterTask`), run on an existing PolarDB cluster.
 *
 * `pulumi up` submits the task and, by default, waits until it is COMPLETED
 * or FAILED. A FAILED task fails the update with the last lines of its log
 * and is replaced on the next `up`; a COMPLETED task stays as it is, also
 * after the service drops its record. There is no stop or modify action: a
 * changed input replaces the task, and `pulumi destroy` deletes it (a running
 * task is deleted directly). The trained models under `modelPaths` are kept.
 *
 * Credentials: `ALIBABA_CLOUD_ACCESS_KEY_ID`/`ALIBABA_CLOUD_ACCESS_KEY_SECRET`
 * (plus `ALIBABA_CLOUD_SECURITY_TOKEN` for STS), or `alicloud:accessKey`,
 * `alicloud:secretKey`, `alicloud:securityToken` config. Region:
 * `regionId`, `alicloud:region` or `ALIBABA_CLOUD_REGION_ID`. Endpoint override:
 * `alicloud:polardbEndpoint` or `ALIBABA_CLOUD_POLARDB_ENDPOINT`.
 *
 * @example
 * ```ts
 * import { polardb } from "pulumi-training";
 *
 * const grpo = new polardb.AidbTask("qwen3-grpo", {
 *     dbClusterId: "pc-2ze0000000000000", // a cluster with PolarDB for AI enabled
 *     regionId: "cn-beijing",
 *     modelSource: "public",
 *     modelName: "Qwen3-8B",
 *     datasetPath: "pds-2zetrain001", // from CreateAIDBClusterDataset
 *     runningParameter: { train_mode: "grpo", train_type: "lora", num_epochs: 1, learning_rate: "1e-6", reward_funcs: "format" },
 *     completionTimeoutMinutes: 12 * 60,
 * });
 * export const checkpoints = grpo.modelPaths;
 * ```
 *
 * @example
 * Adopt a task submitted elsewhere (read into the stack, never deleted by it):
 *
 * ```ts
 * import { polardb } from "pulumi-training";
 *
 * const earlier = polardb.AidbTask.get("earlier", "pm-2ze1234567890abc", { dbClusterId: "pc-2ze0000000000000", regionId: "cn-beijing" });
 * export const earlierStatus = earlier.status;
 * ```
 *
 * @group Resource
 */
export class AidbTask extends pulumi.dynamic.Resource {
    /** The task id, `pm-…`. */
    declare public readonly taskId: pulumi.Output<string>;
    /** The order id of the submission (numeric string). Reported only by the create call, so undefined for a task adopted with {@link AidbTask.get}. */
    declare public readonly orderId: pulumi.Output<string | undefined>;
    /** ACTIVATION (training), COMPLETED or FAILED, as of the last up or refresh. */
    declare public readonly status: pulumi.Output<string>;
    /** The TaskName sent to PolarDB: the `taskName` prefix plus the idempotency marker. */
    declare public readonly wireTaskName: pulumi.Output<string>;
    /** Paths of the trained model checkpoints, newest first as the service lists them. Empty until COMPLETED. */
    declare public readonly modelPaths: pulumi.Output<string[]>;
    /** Creation time, ISO-8601 UTC (`2025-11-12T03:45:13Z`). */
    declare public readonly createTime: pulumi.Output<string>;
    /** Training start time, ISO-8601 UTC. */
    declare public readonly startTime: pulumi.Output<string | undefined>;
    /** Completion time, ISO-8601 UTC, once the task ended. */
    declare public readonly completedTime: pulumi.Output<string | undefined>;
    /** How to reach a test deployment of the model (`{networkInterfaceId, host, port}`), parsed from the service's JSON string, when it reports one. */
    declare public readonly accessInfo: pulumi.Output<Record<string, unknown> | undefined>;
    /** The datasets the task used. */
    declare public readonly datasets: pulumi.Output<AidbTaskDatasetOutput[]>;

    /** The parent PolarDB cluster (`pc-…`), as given. */
    declare public readonly dbClusterId: pulumi.Output<string>;
    /** The model trained, as given. */
    declare public readonly modelName: pulumi.Output<string>;

    /** Every attempt `retry` made in the `up` that created this task, the last one being the task recorded: id, status, failure reason, start and end. Secret in state: failure text may repeat a secret input. */
    declare public readonly attempts: pulumi.Output<AttemptRecord[] | undefined>;
    /** The last lines of the task's log when `up` saw it end (at most 20 lines, 4 KB), secrets masked. Secret in state. */
    declare public readonly logTail: pulumi.Output<string[] | undefined>;
    constructor(name: string, args: AidbTaskArgs, opts?: pulumi.CustomResourceOptions) {
        super(...dynamicResourceArgs(KINDS.polardbAidbTask, name, args, [...OUTPUTS, ...RUN_OUTPUTS], SECRET_OUTPUTS, opts));
        if (!opts?.id) noteWaitingJob(args);
    }

    /**
     * Adopts an existing task into the stack by id (`pm-…`); `pulumi import`
     * cannot work for dynamic resources. Pass at least `dbClusterId` (the
     * parent cluster, needed to delete the task) and `regionId` when it is not
     * configured, in `state`.
     */
    static get(name: string, id: pulumi.Input<string>, state?: Partial<AidbTaskArgs>, opts?: pulumi.CustomResourceOptions): AidbTask {
        return new AidbTask(name, (state ?? {}) as AidbTaskArgs, { ...opts, id });
    }
}
