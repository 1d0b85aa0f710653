/**
 * `alaya.TrainingTemplate`: an Alaya NeW distributed-training template. Every
 * argument, its type, default and unit, and what changing it does.
 *
 * @module alaya.TrainingTemplate
 */
import * as pulumi from "@pulumi/pulumi";
import { dynamicResourceArgs } from "../core/resource";
import { KINDS } from "../registry";
import { secretOutputNames } from "../core/sensitive";
import { SENSITIVE_INPUTS } from "./trainingTemplate.schema";
import { TEMPLATE_INPUTS } from "./trainingTemplate.wire";

/**
 * Compute resources of a template's workers. Alaya's wire format wants the
 * numbers as strings (`"cpuCores": "1"`) except `workerCount`; give them as
 * numbers or strings here, the provider sends what the API expects. Pick a
 * spec from the product list (`GET /v1/product/list-for-training-task`).
 *
 * @group Argument types
 */
export interface TemplateResourceArgs {
    /** Role of the pods, e.g. `worker` (the documented example). */
    type?: pulumi.Input<string>;
    /** GPU model, e.g. `NVIDIA-L40S-PCIE-48G`, as the product list names it. */
    gpuName?: pulumi.Input<string>;
    /** CPU cores per worker (> 0). Sent as a string. */
    cpuCores?: pulumi.Input<number | string>;
    /** GPUs per worker (whole number, 0 or more). Sent as a string. */
    gpuCount?: pulumi.Input<number | string>;
    /** Memory per worker in GB (> 0). Sent as a string. */
    memoryGB?: pulumi.Input<number | string>;
    /** Product (spec) code from the product list, e.g. `PRD-QTT`. */
    productCode?: pulumi.Input<string>;
    /** Product name as the product list shows it, e.g. `量子训练`. */
    productName?: pulumi.Input<string>;
    /** Number of workers (whole number, 1 or more). Sent as an integer. */
    workerCount?: pulumi.Input<number>;
    /** Price as the console shows it, e.g. `"0.0002B"`. Sent as a string. */
    productPrice?: pulumi.Input<string | number>;
}

/**
 * A storage volume mounted into the training containers.
 *
 * @group Argument types
 */
export interface TemplateStorageConfigArgs {
    /** Storage id, e.g. `0000-0000-0000-0000`. The API page marks no storage field required. */
    storageId?: pulumi.Input<string>;
    /** Storage type, e.g. `nas-capacity`. */
    storageType?: pulumi.Input<string>;
    /** Directory inside the storage to mount, e.g. `nas123`. */
    fileDirectory?: pulumi.Input<string>;
    /** Absolute path inside the container, e.g. `/root/nas/123`; distinct across `storageConfigs`. */
    mountPath?: pulumi.Input<string>;
    /** Mount read-only. */
    onlyRead?: pulumi.Input<boolean>;
}

/**
 * Arguments of {@link TrainingTemplate}. Alaya documents no update call for
 * templates: changing ANY field replaces the template (the old one is deleted
 * first, since names are unique per account). The API marks no field as
 * required; this library requires `name`.
 *
 * @group Arguments
 */
export interface TrainingTemplateArgs {
    /**
     * Template name, unique in the Alaya account, e.g. `pytorch-2gpu-template`. Replaces.
     * @defaultValue required
     */
    name: pulumi.Input<string>;
    /**
     * What the template is for (wire field `desc`). The provider appends a
     * tag `[pulumi:<8 hex>]` on the cloud so it can recognise its own
     * template; outputs show the description without it. Replaces.
     * @defaultValue none
     */
    description?: pulumi.Input<string>;
    /**
     * Compute-centre (AIDC) id the template is bound to by default, e.g. `2`. Replaces.
     * @defaultValue none
     */
    aidcId?: pulumi.Input<number>;
    /**
     * `PRE_TRAINING` (pre-training) or `HPC` (high-performance computing). Replaces.
     * @defaultValue none
     */
    trainingType?: pulumi.Input<"PRE_TRAINING" | "HPC">;
    /**
     * `PyTorch`, `DeepSpeed`, `MPI` or `TensorFlow`. Sent as the documented (misspelled) wire field `trainingFramwork`. Replaces.
     * @defaultValue none
     */
    trainingFramework?: pulumi.Input<"PyTorch" | "DeepSpeed" | "MPI" | "TensorFlow">;
    /**
     * `general` (base image) or `application` (application image) for Alaya's
     * public images under `harbor.zetyun.cn/anc-public/<type>/`, `private` for
     * your own registry. Must match `image`; required with it. Replaces.
     * @defaultValue none
     */
    imageType?: pulumi.Input<"general" | "application" | "private">;
    /**
     * Container image, e.g. `harbor.zetyun.cn/anc-public/general/tensorflow:2.16.1-gpu-jupyter`. Replaces.
     * @defaultValue none
     */
    image?: pulumi.Input<string>;
    /**
     * Environment variables of the training containers. Values may be
     * `pulumi.secret(...)`: they stay secret in outputs and state (Alaya itself
     * stores them as plain template fields). Replaces.
     * @defaultValue none
     */
    env?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /**
     * Compute resources per worker and the worker count. Replaces.
     * @defaultValue none
     */
    resource?: pulumi.Input<TemplateResourceArgs>;
    /**
     * Retry a failed task automatically. Replaces.
     * @defaultValue none
     */
    enableAutoRetry?: pulumi.Input<boolean>;
    /**
     * Most automatic retries (1 or more); only with `enableAutoRetry: true`. Replaces.
     * @defaultValue none
     */
    maxRetryCount?: pulumi.Input<number>;
    /**
     * Cancel a task that runs longer than `timeoutHours`. Replaces.
     * @defaultValue none
     */
    enableTimeoutCancel?: pulumi.Input<boolean>;
    /**
     * Task time limit in whole hours (1 or more); required when `enableTimeoutCancel` is true. Replaces.
     * @defaultValue none
     */
    timeoutHours?: pulumi.Input<number>;
    /**
     * Start command, e.g. `python train.py --data /root/nas/123/data`. Replaces.
     * @defaultValue none
     */
    startCommand?: pulumi.Input<string>;
    /**
     * Scheduling priority, 1 to 3. Replaces.
     * @defaultValue none
     */
    priority?: pulumi.Input<number>;
    /**
     * Storage volumes to mount; mount paths must be absolute and distinct. Replaces.
     * @defaultValue none
     */
    storageConfigs?: pulumi.Input<pulumi.Input<TemplateStorageConfigArgs>[]>;
    /**
     * Credential profile: the account (and endpoint, region, workspace) this
     * resource uses, read from the profile's own stack config namespace
     * (`<namespace>-<profile>:`, e.g. `alaya-prod:apiKey`) or environment
     * variables (`<PROFILE>_…`, e.g. `PROD_ALAYA_API_KEY`) instead of the stack's
     * defaults, with no fallback to them. One stack can so use several
     * accounts; the credentials never enter inputs or state. Lower-case
     * letters, digits and `-`. Replaces.
     * @defaultValue none: the stack's default settings
     */
    profile?: pulumi.Input<string>;
}

/**
 * Every output the engine must hand back: the provider's own, and the template
 * fields as Alaya reports them (under the input names, so that an adopted
 * template, which has no inputs, still shows them).
 */
const OUTPUTS = ["templateId", "createTime", "updateTime", ...TEMPLATE_INPUTS] as const satisfies readonly (keyof TrainingTemplate)[];

/** The outputs the cloud reports (the kind's `outputs` may report only these). @internal */
export type TrainingTemplateOutputName = (typeof OUTPUTS)[number];

/**
 * Outputs stored encrypted whatever the program marked secret: the echoes of
 * the inputs that can hold secrets (core/sensitive.ts).
 */
const SECRET_OUTPUTS = [...secretOutputNames(SENSITIVE_INPUTS)];

/**
 * An Alaya NeW (九章智算云) distributed-training template
 * (`POST /v1/training/template/create`): a saved set of resources, image,
 * mounts, environment and start command that training tasks can be created
 * from (`createType=TEMPLATE`).
 *
 * A template is configuration, not a job: `pulumi up` creates it and returns
 * at once. Alaya's create answer carries no id, so the provider finds the new
 * template by name; before creating, it refuses if a template of that name
 * exists that it did not create. `pulumi refresh` shows a template edited in
 * the console (the input-named outputs then show Alaya's values) and the next
 * `up` puts it back by replacing it; a template deleted in the console leaves
 * the stack on refresh and is created again by the next `up`. `pulumi destroy`
 * deletes it (tasks already created from it are not affected).
 *
 * The template list and detail calls this relies on are not documented by
 * Alaya; their assumed shape can be overridden with `alaya:<key>` config
 * (see `sdk/alaya/assumptions.ts`).
 *
 * Credentials: `ALAYA_API_KEY` or `pulumi config set --secret alaya:apiKey` (the Open API key).
 * Endpoint: `ALAYA_BASE_URL` or `alaya:endpoint` (default `https://api.alayanew.com`).
 *
 * @example
 * ```ts
 * import * as pulumi from "@pulumi/pulumi";
 * import { alaya } from "pulumi-training";
 *
 * const config = new pulumi.Config();
 * const template = new alaya.TrainingTemplate("pytorch-l40s", {
 *     name: `pytorch-l40s-${pulumi.getStack()}`, // unique per Alaya account
 *     trainingType: "PRE_TRAINING",
 *     trainingFramework: "PyTorch",
 *     imageType: "general",
 *     image: "harbor.zetyun.cn/anc-public/general/pytorch:2.3",
 *     env: { WANDB_API_KEY: config.requireSecret("wandbApiKey") }, // stays secret in state
 *     resource: { type: "worker", gpuName: "NVIDIA-L40S-PCIE-48G", cpuCores: 8, gpuCount: 1, memoryGB: 64, workerCount: 1 },
 *     startCommand: "python train.py",
 *     enableTimeoutCancel: true,
 *     timeoutHours: 12,
 * });
 * export const templateId = template.templateId;
 * ```
 *
 * @example
 * Adopt a template created elsewhere (read-only, never deleted by the stack):
 *
 * ```ts
 * import { alaya } from "pulumi-training";
 *
 * const existing = alaya.TrainingTemplate.get("existing", "tpl_6f1a62c0a5bf4e0c9b2f");
 * export const existingImage = existing.image;
 * ```
 *
 * @group Resource
 */
export class TrainingTemplate extends pulumi.dynamic.Resource {
    /** The template id, e.g. `tpl_6f1a62c0a5bf4e0c9b2f` (learned from the template list). */
    declare public readonly templateId: pulumi.Output<string>;
    /** Creation time as Alaya reports it, when it does. */
    declare public readonly createTime: pulumi.Output<string | undefined>;
    /** Last-change time as Alaya reports it, when it does; a console edit moves it. */
    declare public readonly updateTime: pulumi.Output<string | undefined>;

    /** The name as Alaya reports it. */
    declare public readonly name: pulumi.Output<string>;
    /** The description as Alaya reports it, without the provider's tag. */
    declare public readonly description: pulumi.Output<string | undefined>;
    /** The compute-centre id as Alaya reports it. */
    declare public readonly aidcId: pulumi.Output<number | undefined>;
    /** The training type as Alaya reports it. */
    declare public readonly trainingType: pulumi.Output<string | undefined>;
    /** The training framework as Alaya reports it. */
    declare public readonly trainingFramework: pulumi.Output<string | undefined>;
    /** The image type as Alaya reports it. */
    declare public readonly imageType: pulumi.Output<string | undefined>;
    /** The image as Alaya reports it. */
    declare public readonly image: pulumi.Output<string | undefined>;
    /** The environment as Alaya reports it. Always secret in state (it may hold tokens, also ones added in the console). */
    declare public readonly env: pulumi.Output<Record<string, string> | undefined>;
    /** The resources as Alaya reports them, in the shape of the input. */
    declare public readonly resource: pulumi.Output<Record<string, string | number> | undefined>;
    /** Auto retry as Alaya reports it. */
    declare public readonly enableAutoRetry: pulumi.Output<boolean | undefined>;
    /** Retry limit as Alaya reports it. */
    declare public readonly maxRetryCount: pulumi.Output<number | undefined>;
    /** Timeout cancel as Alaya reports it. */
    declare public readonly enableTimeoutCancel: pulumi.Output<boolean | undefined>;
    /** Timeout in hours as Alaya reports it. */
    declare public readonly timeoutHours: pulumi.Output<number | undefined>;
    /** Start command as Alaya reports it. Always secret in state (a command may carry a token). */
    declare public readonly startCommand: pulumi.Output<string | undefined>;
    /** Priority as Alaya reports it. */
    declare public readonly priority: pulumi.Output<number | undefined>;
    /** Storage mounts as Alaya reports them. */
    declare public readonly storageConfigs: pulumi.Output<Array<Record<string, string | boolean>> | undefined>;

    constructor(name: string, args: TrainingTemplateArgs, opts?: pulumi.CustomResourceOptions) {
        super(...dynamicResourceArgs(KINDS.alayaTrainingTemplate, name, args, OUTPUTS, SECRET_OUTPUTS, opts));
    }

    /**
     * Adopts an existing template into the stack by id (`pulumi import`
     * cannot work for dynamic resources), e.g. one a create refused because
     * the name was taken. The outputs then carry every field Alaya reports.
     * The adopted resource is read-only: to manage the template, declare a
     * `TrainingTemplate` with its fields instead (after deleting the
     * original, or under another name).
     */
    static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): TrainingTemplate {
        return new TrainingTemplate(name, {} as TrainingTemplateArgs, { ...opts, id });
    }
}
