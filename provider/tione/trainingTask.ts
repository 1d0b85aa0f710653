/**
 * `tione.TrainingTask`: a Tencent Cloud TI-ONE training task. Every argument,
 * its type, default and unit, and what changing it does.
 *
 * @module tione.TrainingTask
 */
import * as pulumi from "@pulumi/pulumi";
import { RUN_OUTPUTS } from "../core/defaults";
import type { AttemptRecord, RetryArgs } from "../core/retry";

/** The shared retry settings and attempt records, documented with each job resource. @group Argument types */
export type { AttemptRecord, RetryArgs } from "../core/retry";
import { noteWaitingJob, dynamicResourceArgs } from "../core/resource";
import { KINDS } from "../registry";
import { secretOutputNames } from "../core/sensitive";
import { SENSITIVE_INPUTS } from "./trainingTask.schema";

/**
 * A COS location. TI-ONE supports a single path.
 *
 * @group Argument types
 */
export interface CosPathArgs {
    /** Bucket name, e.g. `training-1250000000`. */
    bucket: pulumi.Input<string>;
    /** Bucket region, e.g. `ap-guangzhou`. */
    region: pulumi.Input<string>;
    /** Exactly one path inside the bucket, e.g. `["/datasets/alpaca/"]`. */
    paths: pulumi.Input<pulumi.Input<string>[]>;
}

/**
 * Resources for one role. Postpaid tasks name a spec (`instanceType`);
 * prepaid tasks running in a resource group give `cpu` and `memory` (and
 * `gpu`/`gpuType` for GPU work) instead.
 *
 * @group Argument types
 */
export interface ResourceConfigInfoArgs {
    /** `WORKER` (most jobs), `PS` (parameter servers in PS_WORKER mode), `DRIVER` or `EXECUTOR` (Spark). */
    role: pulumi.Input<"PS" | "WORKER" | "DRIVER" | "EXECUTOR">;
    /** CPU per instance in 1/1000 core: 1000 = 1 core. Required with a resource group (`chargeType: "PREPAID"`). */
    cpu?: pulumi.Input<number>;
    /** Memory per instance in MB: 1024 = 1 GB. Required with a resource group. */
    memory?: pulumi.Input<number>;
    /** GPU model, e.g. `A100`, `T4`, with a resource group. */
    gpuType?: pulumi.Input<string>;
    /** GPUs per instance in 1/100 card: 100 = 1 card, 800 = 8 cards. A whole number. */
    gpu?: pulumi.Input<number>;
    /** Postpaid spec id from DescribeBillingSpecs, e.g. `TI.S.MEDIUM.POST` (2C4G), `TI.GN7.8XLARGE128.POST` (32C128G T4×1). Required for `POSTPAID_BY_HOUR`. */
    instanceType?: pulumi.Input<string>;
    /** Number of instances (nodes) for this role. Service default 1. */
    instanceNum?: pulumi.Input<number>;
    /** Display alias of the spec, e.g. `2C2G`; informational. */
    instanceTypeAlias?: pulumi.Input<string>;
    /** RDMA networking between instances (multi-node GPU training). */
    rdmaConfig?: pulumi.Input<{ /** Enable RDMA. Default false. */ enable?: pulumi.Input<boolean> }>;
}

/**
 * A task tag.
 *
 * @group Argument types
 */
export interface TagArgs {
    /** Tag key. `pulumi-training-marker` is reserved for the provider's idempotency marker. */
    tagKey: pulumi.Input<string>;
    /** Tag value. */
    tagValue: pulumi.Input<string>;
}

/**
 * The training image.
 *
 * @group Argument types
 */
export interface ImageInfoArgs {
    /** `TCR` (Tencent Container Registry enterprise), `CCR` (personal), `PreSet` (a TI-ONE built-in image) or `CUSTOM` (a third-party registry). */
    imageType: pulumi.Input<"TCR" | "CCR" | "PreSet" | "PRE_SET" | "CUSTOM">;
    /** Image address, e.g. `ccr.ccs.tencentyun.com/my-ns/trainer:1.0`. */
    imageUrl: pulumi.Input<string>;
    /** TCR instance region. */
    registryRegion?: pulumi.Input<string>;
    /** TCR instance id. */
    registryId?: pulumi.Input<string>;
    /** Whether the service may save the whole container contents. */
    allowSaveAllContent?: pulumi.Input<boolean>;
    /** Image display name. */
    imageName?: pulumi.Input<string>;
    /** Whether the image supports the data pipeline. */
    supportDataPipeline?: pulumi.Input<boolean>;
    /**
     * Registry login for `CUSTOM` images only. `password` is base64
     * (KMS-encrypted when `keyId` is set). Secret by schema: it seeds no
     * marker, is masked in errors and progress lines, and the `imageInfo`
     * output that holds it is encrypted in state, even when written in
     * plaintext.
     */
    imageSecret?: pulumi.Input<{
        /** KMS key id that encrypted `password`. */
        keyId?: pulumi.Input<string>;
        /** Registry user name. */
        username?: pulumi.Input<string>;
        /** Registry password, base64. */
        password?: pulumi.Input<string>;
        /** Secret id (SecretsManager). */
        secretId?: pulumi.Input<string>;
    }>;
}

/**
 * Start commands. Sent base64-encoded (`EncodedStartCmdInfo`), so quotes, newlines and non-ASCII text arrive intact.
 *
 * @group Argument types
 */
export interface StartCmdInfoArgs {
    /** Command for single-role jobs, e.g. `python train.py --epochs 3`. */
    startCmd?: pulumi.Input<string>;
    /** Command for PS nodes (PS_WORKER mode). */
    psStartCmd?: pulumi.Input<string>;
    /** Command for worker nodes (PS_WORKER mode). */
    workerStartCmd?: pulumi.Input<string>;
}

/**
 * One data mount. Set `dataSourceType` and the matching source.
 *
 * @group Argument types
 */
export interface DataConfigArgs {
    /** Mount path inside the container, e.g. `/opt/ml/input/data/train`. */
    mappingPath?: pulumi.Input<string>;
    /** What the data is for: BUILTIN_CODE, BUILTIN_DATA, BUILTIN_MODEL, USER_DATA, USER_CODE, USER_MODEL, OUTPUT or OTHER. */
    dataSourceUsage?: pulumi.Input<string>;
    /** DATASET (needs `dataSetSource`), COS (`cosSource`), CFS (`cfsSource`), CFSTurbo (`cfsTurboSource`), GooseFSx (`gooseFSSource`), HDFS or WEDATA_HDFS (`hdfsSource`). */
    dataSourceType?: pulumi.Input<"DATASET" | "COS" | "CFS" | "CFSTurbo" | "GooseFSx" | "HDFS" | "WEDATA_HDFS">;
    /** A TI-ONE dataset. */
    dataSetSource?: pulumi.Input<{ /** Dataset id. */ id: pulumi.Input<string> }>;
    /** A COS path. */
    cosSource?: pulumi.Input<CosPathArgs>;
    /** A CFS file system. */
    cfsSource?: pulumi.Input<{
        /** CFS id. */
        id: pulumi.Input<string>;
        /** Path in the file system. */
        path: pulumi.Input<string>;
        /** `STORAGE` (default) or `SOURCE`. */
        mountType?: pulumi.Input<"STORAGE" | "SOURCE">;
        /** `"1"` NFS or `"2"` TURBO. */
        protocol?: pulumi.Input<"1" | "2">;
        /** Whether this is the platform's preset storage. */
        isPresetStorage?: pulumi.Input<boolean>;
    }>;
    /** An EMR HDFS path. */
    hdfsSource?: pulumi.Input<{ /** EMR cluster id, `emr-xxxxxxxx`. */ id: pulumi.Input<string>; /** HDFS path. */ path: pulumi.Input<string> }>;
    /** A GooseFS / GooseFSx instance. */
    gooseFSSource?: pulumi.Input<{
        /** Instance id. */
        id?: pulumi.Input<string>;
        /** `GooseFS` or `GooseFSx`. */
        type?: pulumi.Input<"GooseFS" | "GooseFSx">;
        /** Path in the instance. */
        path?: pulumi.Input<string>;
        /** GooseFS namespace. */
        nameSpace?: pulumi.Input<string>;
        /** Mount options. */
        mountOptions?: pulumi.Input<string>;
    }>;
    /** A CFS Turbo file system. */
    cfsTurboSource?: pulumi.Input<{ /** CFS Turbo id. */ id?: pulumi.Input<string>; /** Path. */ path?: pulumi.Input<string> }>;
    /** A node-local disk. */
    localDiskSource?: pulumi.Input<{ /** Resource-group node id. */ instanceId: pulumi.Input<string>; /** Local path. */ localPath?: pulumi.Input<string> }>;
    /** A cloud disk created for the task. */
    cbsSource?: pulumi.Input<{ /** Size in GB. */ volumeSizeInGB: pulumi.Input<number> }>;
    /** A host path. */
    hostPathSource?: pulumi.Input<{ /** Path on the host. */ path?: pulumi.Input<string> }>;
    /** A public data source. */
    publicDataSource?: pulumi.Input<{ /** Data source id. */ dataSourceId?: pulumi.Input<string>; /** Sub-path. */ subPath?: pulumi.Input<string> }>;
    /** Mount read-only. */
    readOnly?: pulumi.Input<boolean>;
}

/**
 * Arguments of {@link TrainingTask}: every CreateTrainingTask field in
 * lowerCamel, plus `region` and the wait settings. TI-ONE cannot modify a
 * task, so changing any field except the wait settings **replaces** the task;
 * because names are unique, the old task is stopped and deleted first.
 *
 * @group Arguments
 */
export interface TrainingTaskArgs {
    /**
     * Task name: at most 60 Chinese or English letters, digits, `_` or `-`,
     * starting with a letter or digit; unique in the region while the task
     * exists. Replaces.
     * @defaultValue the Pulumi resource name
     */
    name?: pulumi.Input<string>;
    /**
     * `POSTPAID_BY_HOUR` (pay per hour for `instanceType` specs) or `PREPAID` (run in a prepaid resource group; needs `resourceGroupId`). Replaces.
     * @defaultValue required
     */
    chargeType: pulumi.Input<"PREPAID" | "POSTPAID_BY_HOUR">;
    /**
     * Resources per role; at least one. Replaces.
     * @defaultValue required
     */
    resourceConfigInfos: pulumi.Input<pulumi.Input<ResourceConfigInfoArgs>[]>;
    /**
     * Workspace (project) id; whitelist-only. Replaces.
     * @defaultValue none
     */
    tiProjectId?: pulumi.Input<string>;
    /**
     * Training framework, e.g. `PYTORCH`, `TENSORFLOW`, `SPARK`, `PYSPARK`; omit with a custom image. Replaces.
     * @defaultValue none
     */
    frameworkName?: pulumi.Input<string>;
    /**
     * Framework version, e.g. `1.9`. Replaces.
     * @defaultValue none
     */
    frameworkVersion?: pulumi.Input<string>;
    /**
     * Framework environment, e.g. `torch1.9-py3.8-cuda11.1-gpu`. Replaces.
     * @defaultValue none
     */
    frameworkEnvironment?: pulumi.Input<string>;
    /**
     * Prepaid resource group id (`trsg-…`, from DescribeBillingResourceGroups). Required for `PREPAID`. Replaces.
     * @defaultValue none
     */
    resourceGroupId?: pulumi.Input<string>;
    /**
     * Tags. The provider adds `pulumi-training-marker`. Replaces.
     * @defaultValue none
     */
    tags?: pulumi.Input<pulumi.Input<TagArgs>[]>;
    /**
     * Custom training image. Replaces.
     * @defaultValue none
     */
    imageInfo?: pulumi.Input<ImageInfoArgs>;
    /**
     * COS location of the code package. Replaces.
     * @defaultValue none
     */
    codePackagePath?: pulumi.Input<CosPathArgs>;
    /**
     * Start commands (sent as `EncodedStartCmdInfo`). Replaces.
     * @defaultValue none
     */
    startCmdInfo?: pulumi.Input<StartCmdInfoArgs>;
    /**
     * Distributed mode, e.g. `PS_WORKER`, `DDP`, `MPI`, `HOROVOD`. Replaces.
     * @defaultValue none
     */
    trainingMode?: pulumi.Input<string>;
    /**
     * Data mounts; at most 10. Replaces.
     * @defaultValue none
     */
    dataConfigs?: pulumi.Input<pulumi.Input<DataConfigArgs>[]>;
    /**
     * VPC to attach the task to. Replaces.
     * @defaultValue none
     */
    vpcId?: pulumi.Input<string>;
    /**
     * Subnet in `vpcId`. Replaces.
     * @defaultValue none
     */
    subnetId?: pulumi.Input<string>;
    /**
     * COS output location (checkpoints, model). Destroy never deletes what the task wrote there. Replaces.
     * @defaultValue none
     */
    output?: pulumi.Input<CosPathArgs>;
    /**
     * CLS log set and topic for the task's logs. Replaces.
     * @defaultValue none
     */
    logConfig?: pulumi.Input<{ /** CLS logset id. */ logsetId: pulumi.Input<string>; /** CLS topic id. */ topicId: pulumi.Input<string> }>;
    /**
     * Hyper-parameters passed to the job: an object (serialized as JSON) or a
     * string, at most 2048 characters either way. Replaces.
     * @defaultValue none
     */
    tuningParameters?: pulumi.Input<string | Record<string, unknown>>;
    /**
     * Ship logs to CLS (`logConfig`). Replaces.
     * @defaultValue `false`
     */
    logEnable?: pulumi.Input<boolean>;
    /**
     * Free-text remark, at most 1024 characters. Replaces.
     * @defaultValue none
     */
    remark?: pulumi.Input<string>;
    /**
     * Data source kind for `dataConfigs`: DATASET, COS, CFS, CFSTurbo, HDFS or GooseFSx. Replaces.
     * @defaultValue none
     */
    dataSource?: pulumi.Input<"DATASET" | "COS" | "CFS" | "CFSTurbo" | "HDFS" | "GooseFSx">;
    /**
     * URL TI-ONE calls back on create/start/stop (https://cloud.tencent.com/document/product/851/84292). Replaces.
     * @defaultValue none
     */
    callbackUrl?: pulumi.Input<string>;
    /**
     * Code repositories to mount. Replaces.
     * @defaultValue none
     */
    codeRepos?: pulumi.Input<pulumi.Input<{ /** Repository id, `cr-…`. */ id: pulumi.Input<string>; /** Mount path. */ targetPath: pulumi.Input<string> }>[]>;
    /**
     * SSH and port exposure. Replaces.
     * @defaultValue none
     */
    exposeNetworkConfig?: pulumi.Input<{
        /** SSH into the task's pods. */
        sshConfig?: pulumi.Input<{ /** Enable SSH. */ enable?: pulumi.Input<boolean>; /** Public key to authorize. */ publicKey?: pulumi.Input<string>; /** SSH port. */ port?: pulumi.Input<number> }>;
        /** Expose a port through a CLB. */
        exposePortConfig?: pulumi.Input<{ /** Enable. */ enable?: pulumi.Input<boolean>; /** VPC id. */ vpcId?: pulumi.Input<string>; /** CLB id. */ clbId?: pulumi.Input<string> }>;
    }>;
    /** Environment variables. Values may be secrets (`pulumi.secret`); they stay encrypted in state. Replaces.
     * @defaultValue none
     */
    envs?: pulumi.Input<pulumi.Input<{ /** Variable name. */ name: pulumi.Input<string>; /** Value. */ value: pulumi.Input<string> }>[]>;
    /**
     * Hang detection. Replaces.
     * @defaultValue none
     */
    trainToolConfig?: pulumi.Input<{
        /** Watch for hung training. Default false. */
        enableHangMonitor?: pulumi.Input<boolean>;
        /** Nodes to watch. */
        hangMonitorNodes?: pulumi.Input<pulumi.Input<string>[]>;
        /** Minutes without log output that count as hung, 1-14400. */
        logHangTimeoutInMinute?: pulumi.Input<number>;
    }>;
    /** Capacity kind: `supplyType` TIDE, SPOT or empty (regular); `clusterType` DEFAULT or THIRD. Replaces.
     * @defaultValue none
     */
    resourceSupplyAttribute?: pulumi.Input<{ /** TIDE, SPOT or "" (regular postpaid). */ supplyType?: pulumi.Input<"TIDE" | "SPOT" | "">; /** DEFAULT or THIRD. */ clusterType?: pulumi.Input<"DEFAULT" | "THIRD"> }>;
    /**
     * Queue ids to submit to. Replaces.
     * @defaultValue none
     */
    queues?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * Region, e.g. `ap-guangzhou`, sent as `X-TC-Region` to the documented
     * host `tione.tencentcloudapi.com` (or to `tencentcloud:tioneEndpoint`). Replaces.
     * @defaultValue `tencentcloud:region` config, then `TENCENTCLOUD_REGION`, then `ap-guangzhou`
     */
    region?: pulumi.Input<string>;
    /**
     * Credential profile: the account (and endpoint, region, workspace) this
     * resource uses, read from the profile's own stack config namespace
     * (`<namespace>-<profile>:`, e.g. `tencentcloud-prod:secretId`) or environment
     * variables (`<PROFILE>_…`, e.g. `PROD_TENCENTCLOUD_SECRET_ID`) instead of the stack's
     * defaults, with no fallback to them. One stack can so use several
     * accounts; the credentials never enter inputs or state. Lower-case
     * letters, digits and `-`. Replaces.
     * @defaultValue none: the stack's default settings
     */
    profile?: pulumi.Input<string>;
    /**
     * Wait in `pulumi up` until the task ends. When true, a FAILED task fails
     * the update (the task stays recorded and is replaced on the next up).
     * With false, `up` returns once the task is submitted and `refresh`
     * reports its progress. Changing it changes nothing on the cloud.
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
    "taskId",
    "taskName",
    "status",
    "failureReason",
    "runtimeInSeconds",
    "billingInfo",
    "chargeStatus",
    "startTime",
    "endTime",
    "latestInstanceId",
    "consoleUrl",
] as const satisfies readonly (keyof TrainingTask)[];

/** The outputs the cloud reports (the kind's `outputs` may report only these). @internal */
export type TrainingTaskOutputName = (typeof OUTPUTS)[number];

/**
 * Outputs stored encrypted whatever the program marked secret: the echoes of
 * the inputs that can hold secrets, and cloud text that may repeat them (core/sensitive.ts).
 */
const SECRET_OUTPUTS = [...secretOutputNames(SENSITIVE_INPUTS), ...RUN_OUTPUTS, "failureReason"];

/**
 * A Tencent Cloud TI-ONE training task (`CreateTrainingTask`, API 2021-11-11).
 *
 * `pulumi up` submits the task and, by default, waits for it to finish. A
 * task that ends FAILED, SUBMIT_FAILED or STOPPED is replaced on the next
 * `up`; a SUCCEED task stays as it is, also after TI-ONE drops its record.
 * `pulumi destroy` stops a running task, waits until it is STOPPED and
 * deletes it; COS output and trained models are never deleted.
 *
 * Submission is idempotent: the task carries a `pulumi-training-marker` tag,
 * and an interrupted or retried `up` finds the task by its Name and adopts it
 * when the marker matches. A same-named task without the marker is never
 * adopted silently: rename, or adopt it with {@link TrainingTask.get}.
 *
 * Credentials: `TENCENTCLOUD_SECRET_ID`/`TENCENTCLOUD_SECRET_KEY` (plus
 * `TENCENTCLOUD_SESSION_TOKEN` or `TENCENTCLOUD_SECURITY_TOKEN`), or config
 * `tencentcloud:secretId`, `tencentcloud:secretKey`, `tencentcloud:securityToken`.
 * Endpoint override: `TENCENTCLOUD_TIONE_ENDPOINT` or `tencentcloud:tioneEndpoint`.
 *
 * @example
 * ```ts
 * import * as pulumi from "@pulumi/pulumi";
 * import { tione } from "pulumi-training";
 *
 * const task = new tione.TrainingTask("qwen-lora", {
 *     name: `qwen-lora-${pulumi.getStack()}`, // unique per region
 *     region: "ap-guangzhou",
 *     chargeType: "POSTPAID_BY_HOUR",
 *     resourceConfigInfos: [{ role: "WORKER", instanceType: "TI.GN7.8XLARGE128.POST", instanceNum: 1 }],
 *     imageInfo: { imageType: "CCR", imageUrl: "ccr.ccs.tencentyun.com/my-ns/llm-lora:1.0" },
 *     startCmdInfo: { startCmd: "python /opt/ml/code/train_lora.py --epochs 3" },
 *     output: { bucket: "training-1250000000", region: "ap-guangzhou", paths: ["/adapters/qwen-lora/"] },
 *     completionTimeoutMinutes: 360,
 * });
 * export const taskId = task.taskId;
 * export const consoleUrl = task.consoleUrl;
 * ```
 *
 * @example
 * Adopt a task submitted elsewhere (read into the stack, never deleted by it):
 *
 * ```ts
 * import { tione } from "pulumi-training";
 *
 * const earlier = tione.TrainingTask.get("earlier", "train-1234567890", { region: "ap-shanghai" });
 * export const earlierStatus = earlier.status;
 * ```
 *
 * @group Resource
 */
export class TrainingTask extends pulumi.dynamic.Resource {
    /** The task id, `train-<digits>`. */
    declare public readonly taskId: pulumi.Output<string>;
    /** The task Name as submitted (`name`, or the resource name). */
    declare public readonly taskName: pulumi.Output<string>;
    /** SUBMITTING, PENDING, STARTING, RUNNING, STOPPING, STOPPED, FAILED, SUCCEED or SUBMIT_FAILED, as of the last up or refresh. */
    declare public readonly status: pulumi.Output<string>;
    /** TI-ONE's failure reason, when the task FAILED or SUBMIT_FAILED. Secret in state: a cloud message may repeat a secret input. */
    declare public readonly failureReason: pulumi.Output<string | undefined>;
    /** Seconds the task has run (from start to end, or to the last read). */
    declare public readonly runtimeInSeconds: pulumi.Output<number | undefined>;
    /** Billing summary as TI-ONE prints it, e.g. `2.00元/小时 (按量计费)`. */
    declare public readonly billingInfo: pulumi.Output<string | undefined>;
    /** BILLING, ARREARS_STOP or NOT_BILLING. */
    declare public readonly chargeStatus: pulumi.Output<string | undefined>;
    /** Start time, ISO 8601 UTC (TI-ONE prints China time, e.g. `2025-05-29T14:43:53+08`). */
    declare public readonly startTime: pulumi.Output<string | undefined>;
    /** End time, ISO 8601 UTC, once the task ended. */
    declare public readonly endTime: pulumi.Output<string | undefined>;
    /** The current run's instance id (`<task id>-<suffix>`), the ServiceId for DescribeLogs / DescribeEvents. */
    declare public readonly latestInstanceId: pulumi.Output<string | undefined>;
    /** Link to the task in the TI-ONE console. */
    declare public readonly consoleUrl: pulumi.Output<string>;

    /** The charge type, as given. */
    declare public readonly chargeType: pulumi.Output<string>;
    /** The resources per role, as given (policies count GPUs from them). */
    declare public readonly resourceConfigInfos: pulumi.Output<ResourceConfigInfoArgs[]>;
    /** The region, as given. */
    declare public readonly region: pulumi.Output<string | undefined>;

    /** Every attempt `retry` made in the `up` that created this task, the last one being the task recorded: id, status, failure reason, start and end. Secret in state: failure text may repeat a secret input. */
    declare public readonly attempts: pulumi.Output<AttemptRecord[] | undefined>;
    /** The last lines of the task's log when `up` saw it end (at most 20 lines, 4 KB), secrets masked. Secret in state. */
    declare public readonly logTail: pulumi.Output<string[] | undefined>;
    constructor(name: string, args: TrainingTaskArgs, opts?: pulumi.CustomResourceOptions) {
        super(...dynamicResourceArgs(KINDS.tioneTrainingTask, name, args, [...OUTPUTS, ...RUN_OUTPUTS], SECRET_OUTPUTS, opts));
        if (!opts?.id) noteWaitingJob(args);
    }

    /**
     * Adopts an existing task into the stack by id (`pulumi import` cannot
     * work for dynamic resources). Pass `region` (and `tiProjectId`) in
     * `state` when the task is not in the default region or workspace.
     */
    static get(name: string, id: pulumi.Input<string>, state?: Partial<TrainingTaskArgs>, opts?: pulumi.CustomResourceOptions): TrainingTask {
        return new TrainingTask(name, (state ?? {}) as TrainingTaskArgs, { ...opts, id });
    }
}
