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
 * **Typed to the resources.** Each row is written through {@link row}, typed by the resource's own
 * Args type from `provider/` (`row<TrainingTaskArgs>()({...})`): every path must be an
 * {@link ArgPath} of that type, and paths inside a group (`gpus.cards`, `env.nameField`, ...) must
 * exist under the group. Renaming or removing an argument therefore breaks
 * `tsc --noEmit` here, never silently a guardrail. `policy/` imports only types from `provider/`
 * (design.md §2: arrows point `policy/* -> (types from provider/*)`).
 *
 * @module
 */

import type * as pulumi from "@pulumi/pulumi";
import type { TrainingTemplateArgs } from "../provider/alaya/trainingTemplate";
import type { File, FileArgs, FileOutputName } from "../provider/bailian/file";
import type { FineTuneJobArgs } from "../provider/bailian/fineTuneJob";
import type { AidbTaskArgs } from "../provider/polardb/aidbTask";
import { KINDS, type KindName, dynamicTypeToken } from "../provider/registry";
import { TIONE_INSTANCE_TYPE_GPUS } from "../provider/tione/instanceTypes";
import type { TrainingTaskArgs } from "../provider/tione/trainingTask";

// ---------------------------------------------------------------------------------------------
// Paths typed against a resource's Args.

type Leaf = string | number | boolean | bigint | symbol | null | undefined;
/** Depth counter: how many more levels {@link ArgPath} descends (the deepest Args nest 4 levels). */
type Prev = [never, 0, 1, 2, 3, 4, 5];
/** The plain value of an input: `pulumi.Input<T>` is `T | Promise<T> | Output<T>`. */
type Plain<T> = T extends pulumi.OutputInstance<infer U> ? U : T extends Promise<infer U> ? U : T;
type Value<T> = Exclude<Plain<Exclude<T, undefined | null>>, undefined | null>;
type SubPath<K extends string, V, D extends number> = unknown extends V
    ? K | `${K}.${string}` // free-form (`Record<string, unknown>`): any key below
    : V extends readonly (infer E)[]
      ? K | `${K}[]` | `${K}[].${ArgPath<Value<E>, Prev[D]>}`
      : V extends Leaf
        ? K
        : K | `${K}.${ArgPath<V, Prev[D]>}`;

/**
 * Every dotted path into a resource's Args `T` (inputs unwrapped): `a`, `a.b`, `list[]` and
 * `list[].field`; under a map or a free-form object, any key (`env.HF_TOKEN`).
 */
export type ArgPath<T, D extends number = 5> = [D] extends [never]
    ? never
    : T extends Leaf
      ? never
      : T extends readonly unknown[]
        ? never
        : { [K in keyof T & string]-?: SubPath<K, Value<T[K]>, D> }[keyof T & string];

/** The paths below group `G` (`resourceConfigInfos` -> `gpu`, `instanceNum`, ...), for fields read inside a group. */
export type PathIn<P extends string, G extends string> = P extends `${G}[].${infer S}` ? S : P extends `${G}.${infer S}` ? S : never;

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

/**
 * Automatic retries of a run: a cloud's own (Alaya's `enableAutoRetry` + `maxRetryCount`) or the
 * provider's (`retry.maxAttempts` on the jobs it waits for, provider/core/retry.ts).
 */
export interface RetrySpec {
    /** Boolean field turning automatic retries on; absent where the count alone decides. */
    enabledPath?: string;
    /** Number field: the maximum number of retries, or of attempts with {@link countIsAttempts}. */
    countPath: string;
    /** The count includes the first run (`retry.maxAttempts`): retries are the count minus one. */
    countIsAttempts?: boolean;
}

/** The provider's own retries, on every job kind it waits for (provider/core/retry.ts: `retry.maxAttempts`, default 1). */
const PROVIDER_RETRIES = { countPath: "retry.maxAttempts", countIsAttempts: true } as const;

/** The most retries a spec's count allows: `count - 1` for a count of attempts. */
export function retriesOf(spec: RetrySpec, count: number): number {
    return spec.countIsAttempts ? Math.max(0, count - 1) : count;
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

/** The unit a price is quoted per hour of: an instance (node, worker) of the priced type, or one GPU card. */
export type PriceUnit = "instance" | "card";

/** A field whose value is looked up in the cost policy's price table. */
export interface PricedField {
    /** Field in a group (or on the resource when the spec has no `groups`) naming what is priced. */
    field: string;
    /** What one price covers per hour: one instance of the group (× units), or one GPU card (× cards of the group). */
    unit: PriceUnit;
}

/**
 * How the cost policy estimates a job. `hours`: for each group, the first of `priced` that has a
 * price, × its count (units, or cards from the kind's {@link GpuSpec}) × the runtime bound (from
 * {@link TrainingKind.completionWait} or {@link TrainingKind.timeoutCancel}) × (1 + retries).
 * `tokens`: the training files' tokens × epochs × a price per 1,000 tokens of the model.
 */
export type CostSpec =
    | {
          basis: "hours";
          /** Path to the resource group(s); absent: the resource itself is one group. */
          groups?: string;
          /** Field in a group holding its number of instances; absent means 1. */
          units?: string;
          /** Priced fields, most specific first: the first with a price wins. */
          priced: PricedField[];
      }
    | {
          basis: "tokens";
          /** Path of the model the price is looked up by. */
          modelPath: string;
          /** Paths of the training file ids (fan out with `[]`); each must be a declared dataset file ({@link DatasetFileSpec}). */
          fileIdPaths: string[];
      };

/** A dataset file kind whose size the cost policy can read from the stack (Bailian `File` outputs). */
export interface DatasetFileSpec {
    /** Output holding the file id jobs refer to. */
    idPath: string;
    /** Output holding the uploaded size in bytes (known once the file is uploaded). */
    sizeBytesPath: string;
}

/**
 * What a secret-bearing field holds, which decides how the secret policy reads it:
 * - `credential`: the value is itself a secret (a registry password): any plaintext value is reported;
 * - `command`: a shell command line: reported when it carries a credential (`--token hf_…`, `KEY=…`, a URL with a password);
 * - `parameters`: free-form parameters (an object, or a JSON string): a key that looks secret or a credential-shaped value is reported.
 */
export type SecretFieldKind = "credential" | "command" | "parameters";

/** A field, besides env, that can carry a secret. */
export interface SecretField {
    /** Path of the field (no `[]` fan-out). */
    path: string;
    /** How to read it. */
    holds: SecretFieldKind;
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
    /** How to estimate a job's cost, for the cost guardrail. */
    cost?: CostSpec;
    /** A dataset file whose size fine-tune estimates read (outputs, seen by stack policies). */
    datasetFile?: DatasetFileSpec;
    /** Fields besides env that can carry secrets, for the plaintext-secret check. */
    secrets?: SecretField[];
}

/** The aspects a kind can describe; each policy declares which ones it reads. */
export type KindAspect = Exclude<keyof TrainingKind, "type" | "label">;

/**
 * A row whose paths are checked against `P`, the paths of one resource's Args ({@link ArgPath}).
 * `G`, `E`, `T` and `C` are the group paths of the GPU spec, a list-shaped env, list-shaped tags
 * and the cost spec, inferred from the row, so that fields read inside a group are checked too.
 */
export interface TypedKind<P extends string, G extends P, E extends P, T extends P, C extends P> {
    type: string;
    label: string;
    gpus?: { groups: G; cards: PathIn<P, G>; cardScale: number; units?: PathIn<P, G>; specs?: { field: PathIn<P, G>; cardsPerUnit: Readonly<Record<string, number>> } };
    compute?: { category: ComputeCategory; path: P }[];
    region?: { paths: P[]; dataPaths?: P[] };
    images?: P[];
    env?: { shape: "map"; path: P } | { shape: "list"; path: E; nameField: PathIn<P, E>; valueField: PathIn<P, E> };
    completionWait?: { waitPath: P; waitDefault: boolean; timeoutMinutesPath: P; timeoutMinutesDefault: number; stopPath?: P };
    timeoutCancel?: { enabledPath: P; hoursPath: P };
    retries?: { enabledPath?: P; countPath: P; countIsAttempts?: boolean };
    fineTune?: Omit<FineTuneSpec, "epochsPaths" | "trainingTypePath" | "baseModelPath"> & { epochsPaths: P[]; trainingTypePath?: P; baseModelPath: P };
    network?: { vpcPath: P; subnetPath: P };
    tags?: { shape: "list"; path: T; keyField: PathIn<P, T>; valueField: PathIn<P, T> } | { shape: "map"; path: P };
    billing?: { chargeTypePath: P; postpaidValues: string[]; resourceGroupPath: P };
    cost?:
        | { basis: "hours"; groups?: C; units?: PathIn<P, C>; priced: { field: [C] extends [never] ? P : PathIn<P, C>; unit: PriceUnit }[] }
        | { basis: "tokens"; modelPath: P; fileIdPaths: P[] };
    datasetFile?: { idPath: P; sizeBytesPath: P };
    secrets?: { path: P; holds: SecretFieldKind }[];
}

/**
 * Writes a row typed to a resource's Args: `row<TrainingTaskArgs>()({ ... })`. Every path must
 * exist in `Args` (inputs unwrapped), so a renamed or removed argument is a compile error here.
 */
export function row<Args>() {
    return <G extends ArgPath<Args> = never, E extends ArgPath<Args> = never, T extends ArgPath<Args> = never, C extends ArgPath<Args> = never>(
        spec: TypedKind<ArgPath<Args>, G, E, T, C>,
    ): TrainingKind => spec as TrainingKind;
}

/** The wait settings every job kind shares (provider/core/defaults.ts `WAIT_FIELDS`). */
const WAIT_DEFAULTS = {
    waitPath: "waitForCompletion",
    waitDefault: true,
    timeoutMinutesPath: "completionTimeoutMinutes",
    timeoutMinutesDefault: 1440,
} as const;

/** The wait of a kind whose cloud can stop a job: `stopAtDeadline` makes the deadline bound the bill too. */
const WAIT_AND_STOP = { ...WAIT_DEFAULTS, stopPath: "stopAtDeadline" } as const;

/** A Bailian `File` as the stack sees it: its inputs and the outputs the cloud reports. */
type FileState = FileArgs & { [K in FileOutputName]?: pulumi.Unwrap<File[K]> };

/** The table. One row per resource kind; a new kind plugs in here. */
export const TRAINING_KINDS: readonly TrainingKind[] = [
    row<FineTuneJobArgs>()({
        type: TYPE_TOKENS.bailianFineTuneJob,
        label: "Bailian fine-tune job",
        // The `region` input; left unset, the endpoint is provider configuration, which a policy cannot see.
        region: { paths: ["region"] },
        completionWait: WAIT_AND_STOP,
        retries: PROVIDER_RETRIES,
        fineTune: {
            epochsPaths: ["hyperParameters.nEpochs"],
            trainingTypePath: "trainingType",
            // reference/bailian-finetune.md: training_type "no, default `sft`" (full-parameter).
            trainingTypeDefault: "sft",
            baseModelPath: "model",
        },
        // reference/bailian-finetune.md §5: the job bills `usage`, in tokens; no GPU or hour is exposed.
        cost: { basis: "tokens", modelPath: "model", fileIdPaths: ["trainingFileIds[]", "trainingDatasets[].fileId"] },
        // Free-form extra hyper-parameters are passed through (provider SENSITIVE_INPUTS); the typed ones hold no secret.
        secrets: [{ path: "extraHyperParameters", holds: "parameters" }],
    }),
    row<FileState>()({
        type: TYPE_TOKENS.bailianFile,
        label: "Bailian dataset file",
        region: { paths: ["region"] },
        datasetFile: { idPath: "fileId", sizeBytesPath: "sizeBytes" },
    }),
    row<TrainingTaskArgs>()({
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
        retries: PROVIDER_RETRIES,
        network: { vpcPath: "vpcId", subnetPath: "subnetId" },
        tags: { shape: "list", path: "tags", keyField: "tagKey", valueField: "tagValue" },
        billing: {
            chargeTypePath: "chargeType",
            postpaidValues: ["POSTPAID_BY_HOUR"],
            resourceGroupPath: "resourceGroupId",
        },
        // A postpaid config is billed per instance of its spec (reference/tione.md: "2.00元/小时 (按量计费)"
        // per task in BillingInfo); a config that names cards and a GPU type is priced per card.
        cost: {
            basis: "hours",
            groups: "resourceConfigInfos",
            units: "instanceNum",
            priced: [
                { field: "instanceType", unit: "instance" },
                { field: "gpuType", unit: "card" },
            ],
        },
        secrets: [
            // reference/tione.md ImageSecret: the registry password of a CUSTOM image.
            { path: "imageInfo.imageSecret.password", holds: "credential" },
            { path: "startCmdInfo.startCmd", holds: "command" },
            { path: "startCmdInfo.psStartCmd", holds: "command" },
            { path: "startCmdInfo.workerStartCmd", holds: "command" },
            { path: "tuningParameters", holds: "parameters" },
            // A callback URL can carry a password or a `?token=` (the provider treats it as sensitive).
            { path: "callbackUrl", holds: "command" },
        ],
    }),
    row<AidbTaskArgs>()({
        type: TYPE_TOKENS.polardbAidbTask,
        label: "PolarDB AIDB task",
        region: { paths: ["regionId"] },
        // The node class a task runs on, for the compute allow-lists.
        compute: [{ category: "instanceType", path: "dbInstanceClass" }],
        completionWait: WAIT_DEFAULTS,
        retries: PROVIDER_RETRIES,
        fineTune: {
            epochsPaths: ["runningParameter.num_epochs", "runningParameter.numEpochs"],
            // reference/polardb-aidb.md: train_type is lora or full; judged as their Bailian counterparts.
            trainingTypePath: "runningParameter.train_type",
            trainingTypeAliases: { full: "sft", lora: "efficient_sft" },
            baseModelPath: "modelName",
        },
        network: { vpcPath: "vpcId", subnetPath: "vSwitchId" },
        // One task on one node of dbInstanceClass; reference/polardb-aidb.md documents no GPU count per class.
        cost: { basis: "hours", priced: [{ field: "dbInstanceClass", unit: "instance" }] },
        secrets: [{ path: "runningParameter", holds: "parameters" }],
    }),
    row<TrainingTemplateArgs>()({
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
        // reference/alaya-templates.md: a product (productCode, with its productPrice) per worker; else priced per card.
        cost: {
            basis: "hours",
            groups: "resource",
            units: "workerCount",
            priced: [
                { field: "productCode", unit: "instance" },
                { field: "gpuName", unit: "card" },
            ],
        },
        secrets: [{ path: "startCommand", holds: "command" }],
    }),
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
