/** Wire types of the DashScope fine-tune API (`/api/v1/fine-tunes`), snake_case as the service sends them. Reference: help.aliyun.com/zh/model-studio/model-training-api-reference. */

export type FineTuneStatus = "PENDING" | "QUEUING" | "RUNNING" | "CANCELING" | "SUCCEEDED" | "FAILED" | "CANCELED";

export type TrainingType = "sft" | "efficient_sft" | "dpo_full" | "dpo_lora" | "cpt";

/** A dataset source in the 2026 API. */
export interface WireDataset {
    data_source_type: "file_id" | "oss_mount";
    file_id?: string;
    mount_storage?: { region: string; bucket: string; file_path: string };
}

export interface CreateFineTuneRequest {
    model: string;
    training_file_ids?: string[];
    validation_file_ids?: string[];
    training_datasets?: WireDataset[];
    validation_datasets?: WireDataset[];
    /** Required since the 2026 API: `n_epochs`, `batch_size` and `max_length` set the cost (reference/bailian-finetune.md §3, §4). */
    hyper_parameters: Record<string, unknown>;
    training_type?: TrainingType;
    job_name?: string;
    model_name?: string;
    finetuned_output_suffix?: string;
}

/** The job object. Unknown fields are kept: the service adds fields over time. */
export interface FineTuneJob {
    job_id: string;
    job_name?: string;
    status: FineTuneStatus | string;
    model?: string;
    base_model?: string;
    finetuned_output?: string;
    training_type?: string;
    training_file_ids?: string[];
    validation_file_ids?: string[];
    hyper_parameters?: Record<string, unknown>;
    create_time?: string;
    end_time?: string;
    usage?: number;
    workspace_id?: string;
    code?: string;
    message?: string;
    [extra: string]: unknown;
}

export interface FineTuneList {
    page_no: number;
    page_size: number;
    total: number;
    jobs: FineTuneJob[];
}

export interface FineTuneLogs {
    total: number;
    logs: string[];
}

/** A file as the Files API reports it. */
export interface DashScopeFile {
    file_id: string;
    name: string;
    description?: string;
    size?: number;
    md5?: string;
    gmt_create?: string;
    purpose?: string;
    [extra: string]: unknown;
}

export interface FileUploadResult {
    uploaded_files: Array<{ file_id: string; name: string }>;
    failed_uploads: Array<{ name: string; code: string; message: string }>;
}

export interface FileList {
    total: number;
    page_no: number;
    page_size: number;
    files: DashScopeFile[];
}
