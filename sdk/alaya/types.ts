/**
 * Wire types of the Alaya NeW Open API, spelled as the documentation spells
 * them (https://docs.alayanew.com/cn/docs/api-reference/distributed-training/template-create).
 * What the documentation leaves open lives in `assumptions.ts`, not here.
 */

/** `PRE_TRAINING` (pre-training) or `HPC` (high-performance computing). */
export type AlayaTrainingType = "PRE_TRAINING" | "HPC";

/** The documented training frameworks. */
export type AlayaTrainingFramework = "PyTorch" | "DeepSpeed" | "MPI" | "TensorFlow";

/** `general` (base image), `application` (application image) or `private` (private image); must match `image`. */
export type AlayaImageType = "general" | "application" | "private";

/**
 * The `resource` object. The page calls it free-form and shows these keys;
 * its numbers are strings except `workerCount`.
 */
export interface WireTemplateResource {
    type?: string;
    gpuName?: string;
    cpuCores?: string;
    gpuCount?: string;
    memoryGB?: string;
    productCode?: string;
    productName?: string;
    workerCount?: number;
    productPrice?: string;
    [extra: string]: unknown;
}

/** One `storageConfigs` item. */
export interface WireStorageConfig {
    storageId?: string;
    storageType?: string;
    fileDirectory?: string;
    mountPath?: string;
    onlyRead?: boolean;
}

/** Body of `POST /v1/training/template/create`. The page marks no field as required. */
export interface CreateTemplateRequest {
    name: string;
    desc?: string;
    /** Compute-centre id, an integer. */
    aidcId?: number;
    trainingType?: AlayaTrainingType;
    /** Sic: the documented field name is misspelled. */
    trainingFramwork?: AlayaTrainingFramework;
    imageType?: AlayaImageType;
    image?: string;
    env?: Record<string, string>;
    resource?: WireTemplateResource;
    enableAutoRetry?: boolean;
    storageConfigs?: WireStorageConfig[];
    maxRetryCount?: number;
    enableTimeoutCancel?: boolean;
    timeoutHours?: number;
    startCommand?: string;
    /** 1 to 3. */
    priority?: number;
}

/** One item of `GET /v1/product/list-for-training-task` (https://docs.alayanew.com/en/docs/api-reference/distributed-training/product-list). */
export interface TrainingProduct {
    name: string;
    aidcId: number;
    /** The value for `resource.productCode`. */
    productCode: string;
    cpuCores: string;
    memoryGB: string;
    gpuCount: string;
    diskGB: string;
    price: string;
    /** `"-"` or null without a GPU. */
    gpuName: string | null;
    /** Code from the `unit_of_measure` dictionary. */
    priceUnit: number;
    remainingCount: number;
    ext?: Record<string, string>;
    [extra: string]: unknown;
}
