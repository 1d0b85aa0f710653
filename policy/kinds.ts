/**
 * The data table of training resource kinds the guardrails know about.
 *
 * Every policy in this pack is written against the *aspects* below (GPUs, compute types, region,
 * images, env, waiting, timeouts, retries, fine-tune settings, networking, tags, billing), never
 * against a particular cloud. A resource kind opts into a policy by describing where that aspect
 * lives in its registered inputs. Adding a kind therefore means adding one row to
 * {@link TRAINING_KINDS}; no policy code changes.
 *
 * Paths are dotted property paths into the resource's registered inputs (camelCase, as the engine
 * registers them). A segment ending in `[]` fans out over an array, e.g.
 * `resourceConfigInfos[].gpuType`.
 *
 * @module
 */

import { KINDS, type KindName, dynamicTypeToken } from "../provider/registry";
import { TIONE_INSTANCE_TYPE_GPUS } from "../provider/tione/instanceTypes";

/** Type tokens of the resource kinds this library registers, from the kinds registry (provider/registry.ts). */
export const TYPE_TOKENS = Object.fromEntries(Object.entries(KINDS).map(([name, kind]) => [name, dynamicTypeToken(kind)])) as Readonly<Record<KindName, string>>;

/**
 * How to count the GPU cards a resource requests: for each group at `groups` (an object or an
 * array of objects), `cards × cardScale × units`.
 */
export interface GpuSpec {
    /** Path to the resource group(s): an object or an array of objects. */
    groups: string;
    /** Field in a group holding the GPUs per unit (per instance, per worker). */
    cards: string;
    /** Multiplier turning `cards` into whole cards (TI-ONE counts in 1/100 card: 0.01). */
    cardScale: number;
    /** Field in a group holding the number of units; absent means 1. */
    units?: string;
    /**
     * Where a group names a spec instead of a card count (TI-ONE's postpaid `instanceType`): the
     * field, and the cards per unit of each known spec. A spec not in the table is reported as
     * unknown, never counted as zero.
     */
    specs?: { field: string; cardsPerUnit: Readonly<Record<string, number>> };
}

/** Categories of compute identifiers that the allow-list policy can restrict. */
export type ComputeCategory = "gpuType" | "instanceType" | "productCode";

/** Where a compute identifier (GPU model, instance spec, product code) sits. */
export interface ComputeField {
    /** Which allow-list applies to this field. */
    category: ComputeCategory;
    /** Path to the value; may fan out with `[]`. */
    path: string;
}

/** Where a resource's region comes from. */
export interface RegionSpec {
    /** Candidate paths, first present wins. */
    paths: string[];
    /**
     * Where the resource's data and outputs live, each with a region of its own (TI-ONE's COS
     * locations): every region found there is judged too, so data cannot leave the allowed regions
     * through a bucket elsewhere. May fan out with `[]`.
     */
    dataPaths?: string[];
}

/** How a kind carries environment variables. */
export type EnvSpec =
    | { shape: "map"; path: string }
    | { shape: "list"; path: string; nameField: string; valueField: string };

/** A job that the provider waits on, with a completion deadline. */
export interface WaitSpec {
    /** Boolean field: whether `up` waits for the job to finish. */
    waitPath: string;
    /** The provider's default when `waitPath` is absent. */
    waitDefault: boolean;
    /** Number field: the completion deadline in minutes. */
    timeoutMinutesPath: string;
    /** The provider's default deadline when `timeoutMinutesPath` is absent. */
    timeoutMinutesDefault: number;
    /** Boolean field, where the provider can stop the job: whether passing the deadline stops it (default false). */
    stopPath?: string;
}

/** A template whose runs the service cancels after a timeout. */
export interface TimeoutCancelSpec {
    /** Boolean field turning timeout cancellation on. */
    enabledPath: string;
    /** Number field: the timeout in hours. */
    hoursPath: string;
}

/** Automatic retries of a run. */
export interface RetrySpec {
    /** Boolean field turning automatic retries on. */
    enabledPath: string;
    /** Number field: the maximum number of retries. */
    countPath: string;
}

/** Fine-tuning settings. */
export interface FineTuneSpec {
    /** Candidate paths of the epoch count, first present wins. */
    epochsPaths: string[];
    /** Path of the training type, when the kind has one. */
    trainingTypePath?: string;
    /** The type the cloud runs when the path is absent (DashScope's default `sft`, full-parameter): an unset type is judged as this, never waved through. */
    trainingTypeDefault?: string;
    /** The cloud's own type values in the pack's vocabulary (Bailian's training types), e.g. PolarDB `train_type` `full` -> `sft`. */
    trainingTypeAliases?: Readonly<Record<string, string>>;
    /** Path of the base model. */
    baseModelPath: string;
}

/** Private networking fields. */
export interface NetworkSpec {
    /** Path of the VPC id. */
    vpcPath: string;
    /** Path of the subnet (or vSwitch) id. */
    subnetPath: string;
}

/** How a kind carries tags. */
export type TagSpec =
    | { shape: "list"; path: string; keyField: string; valueField: string }
    | { shape: "map"; path: string };

/** Billing fields. */
export interface BillingSpec {
    /** Path of the charge type. */
    chargeTypePath: string;
    /** Charge type values that mean pay-as-you-go by the hour. */
    postpaidValues: string[];
    /** Path of the prepaid resource group id. */
    resourceGroupPath: string;
}

/** One row of the table: a resource kind and where each guarded aspect lives in its inputs. */
export interface TrainingKind {
    /** The type token the engine reports for this kind. */
    type: string;
    /** A human name used in violation messages, e.g. "TI-ONE training task". */
    label: string;
    /** GPU request, for the per-job and per-stack GPU budgets. */
    gpus?: GpuSpec;
    /** Compute identifiers, for the compute allow-lists. */
    compute?: ComputeField[];
    /** Region, for the region allow-list. */
    region?: RegionSpec;
    /** Paths of container image references, for the image allow-list. */
    images?: string[];
    /** Environment variables, for the plaintext-secret check. */
    env?: EnvSpec;
    /** Waiting with a deadline, for the bounded-runtime policy. */
    completionWait?: WaitSpec;
    /** Timeout cancellation, for the bounded-runtime policy. */
    timeoutCancel?: TimeoutCancelSpec;
    /** Automatic retries, for the bounded-retries policy. */
    retries?: RetrySpec;
    /** Fine-tuning settings, for the fine-tune budget. */
    fineTune?: FineTuneSpec;
    /** Private networking fields. */
    network?: NetworkSpec;
    /** Tags. */
    tags?: TagSpec;
    /** Billing fields. */
    billing?: BillingSpec;
}

/** The aspects a kind can describe; each policy declares which ones it reads. */
export type KindAspect = Exclude<keyof TrainingKind, "type" | "label">;

const WAIT_DEFAULTS: WaitSpec = {
    waitPath: "waitForCompletion",
    waitDefault: true,
    timeoutMinutesPath: "completionTimeoutMinutes",
    timeoutMinutesDefault: 1440,
};

/** The wait of a kind whose cloud can stop a job: `stopAtDeadline` makes the deadline bound the bill too. */
const WAIT_AND_STOP: WaitSpec = { ...WAIT_DEFAULTS, stopPath: "stopAtDeadline" };

/** The table. One row per resource kind; a new kind plugs in here. */
export const TRAINING_KINDS: readonly TrainingKind[] = [
    {
        type: TYPE_TOKENS.bailianFineTuneJob,
        label: "Bailian fine-tune job",
        // The `region` input; left unset, the endpoint is provider configuration, which a policy cannot see.
        region: { paths: ["region"] },
        completionWait: WAIT_AND_STOP,
        fineTune: {
            epochsPaths: ["hyperParameters.nEpochs"],
            trainingTypePath: "trainingType",
            // reference/bailian-finetune.md: training_type "no, default `sft`" (full-parameter).
            trainingTypeDefault: "sft",
            baseModelPath: "model",
        },
    },
    {
        type: TYPE_TOKENS.bailianFile,
        label: "Bailian dataset file",
        region: { paths: ["region"] },
    },
    {
        type: TYPE_TOKENS.tioneTrainingTask,
        label: "TI-ONE training task",
        gpus: { groups: "resourceConfigInfos", cards: "gpu", cardScale: 0.01, units: "instanceNum", specs: { field: "instanceType", cardsPerUnit: TIONE_INSTANCE_TYPE_GPUS } },
        compute: [
            { category: "gpuType", path: "resourceConfigInfos[].gpuType" },
            { category: "instanceType", path: "resourceConfigInfos[].instanceType" },
        ],
        region: { paths: ["region"], dataPaths: ["codePackagePath.region", "output.region", "dataConfigs[].cosSource.region"] },
        images: ["imageInfo.imageUrl"],
        env: { shape: "list", path: "envs", nameField: "name", valueField: "value" },
        completionWait: WAIT_AND_STOP,
        network: { vpcPath: "vpcId", subnetPath: "subnetId" },
        tags: { shape: "list", path: "tags", keyField: "tagKey", valueField: "tagValue" },
        billing: {
            chargeTypePath: "chargeType",
            postpaidValues: ["POSTPAID_BY_HOUR"],
            resourceGroupPath: "resourceGroupId",
        },
    },
    {
        type: TYPE_TOKENS.polardbAidbTask,
        label: "PolarDB AIDB task",
        region: { paths: ["regionId"] },
        // The node class a task runs on, for the compute allow-lists.
        compute: [{ category: "instanceType", path: "dbInstanceClass" }],
        completionWait: WAIT_DEFAULTS,
        fineTune: {
            epochsPaths: ["runningParameter.num_epochs", "runningParameter.numEpochs"],
            // reference/polardb-aidb.md: train_type is lora or full; judged as their Bailian counterparts.
            trainingTypePath: "runningParameter.train_type",
            trainingTypeAliases: { full: "sft", lora: "efficient_sft" },
            baseModelPath: "modelName",
        },
        network: { vpcPath: "vpcId", subnetPath: "vSwitchId" },
    },
    {
        type: TYPE_TOKENS.alayaTrainingTemplate,
        label: "Alaya training template",
        gpus: { groups: "resource", cards: "gpuCount", cardScale: 1, units: "workerCount" },
        compute: [
            { category: "gpuType", path: "resource.gpuName" },
            { category: "productCode", path: "resource.productCode" },
        ],
        images: ["image"],
        env: { shape: "map", path: "env" },
        timeoutCancel: { enabledPath: "enableTimeoutCancel", hoursPath: "timeoutHours" },
        retries: { enabledPath: "enableAutoRetry", countPath: "maxRetryCount" },
    },
];

/** Finds the row for a type token, or `undefined` for resources this pack does not guard. */
export function findKind(type: string, kinds: readonly TrainingKind[] = TRAINING_KINDS): TrainingKind | undefined {
    return kinds.find((k) => k.type === type);
}

/** The rows that describe at least one of the given aspects. */
export function kindsWithAnyAspect(
    aspects: readonly KindAspect[],
    kinds: readonly TrainingKind[] = TRAINING_KINDS,
): TrainingKind[] {
    return kinds.filter((k) => aspects.some((a) => k[a] !== undefined));
}

/** "TI-ONE training tasks and Alaya training templates": the kinds a policy applies to, for messages and docs. */
export function describeKinds(kinds: readonly TrainingKind[]): string {
    const labels = kinds.map((k) => `${k.label}s`);
    if (labels.length <= 1) {
        return labels.join("");
    }
    return `${labels.slice(0, -1).join(", ")} and ${labels[labels.length - 1]}`;
}
