/**
 * Wire types of Tencent Cloud TI-ONE (service `tione`, version `2021-11-11`),
 * PascalCase as the API sends them. Source: `tencentcloud-sdk-nodejs`
 * `src/services/tione/v20211111/tione_models.ts`; required flags from tccli
 * `api.json` (reference/tione.md §4-§10). Response types keep an index
 * signature: the service adds fields over time and unknown ones are tolerated.
 *
 * @packageDocumentation
 */

/** Task status as DescribeTrainingTask(s) report it (spelled `SUCCEED`, unlike pods' `SUCCEEDED`). */
export type TrainingTaskStatus =
    | "SUBMITTING"
    | "PENDING"
    | "STARTING"
    | "RUNNING"
    | "STOPPING"
    | "STOPPED"
    | "FAILED"
    | "SUCCEED"
    | "SUBMIT_FAILED";

/** Every documented task status, in flow order. */
export const TRAINING_TASK_STATUSES: readonly TrainingTaskStatus[] = [
    "SUBMITTING",
    "PENDING",
    "STARTING",
    "RUNNING",
    "STOPPING",
    "STOPPED",
    "FAILED",
    "SUCCEED",
    "SUBMIT_FAILED",
];

export type ChargeType = "PREPAID" | "POSTPAID_BY_HOUR";
export type ChargeStatus = "BILLING" | "ARREARS_STOP" | "NOT_BILLING";

/** One role's resources. `Cpu` in 1/1000 core, `Memory` in MB, `Gpu` in 1/100 card. */
export interface ResourceConfigInfo {
    Role: "PS" | "WORKER" | "DRIVER" | "EXECUTOR" | string;
    Cpu?: number;
    Memory?: number;
    GpuType?: string;
    Gpu?: number;
    InstanceType?: string;
    InstanceNum?: number;
    InstanceTypeAlias?: string;
    RDMAConfig?: { Enable?: boolean };
}

export interface ImageSecret {
    KeyId?: string;
    Username?: string;
    Password?: string;
    SecretId?: string;
}

export interface ImageInfo {
    ImageType: string;
    ImageUrl: string;
    RegistryRegion?: string;
    RegistryId?: string;
    AllowSaveAllContent?: boolean;
    ImageName?: string;
    SupportDataPipeline?: boolean;
    ImageSecret?: ImageSecret;
}

/** A COS location; only one path is supported. The service returns empty ones as `{"Bucket":"","Region":"","Paths":[]}`. */
export interface CosPathInfo {
    Bucket: string;
    Region: string;
    Paths: string[];
}

export interface StartCmdInfo {
    StartCmd?: string;
    PsStartCmd?: string;
    WorkerStartCmd?: string;
}

/** `StartCmdInfo` is base64 of the full JSON `{"StartCmd":"","PsStartCmd":"","WorkerStartCmd":""}`. */
export interface EncodedStartCmdInfo {
    StartCmdInfo?: string;
}

export interface DataSetConfig {
    Id: string;
}
export interface CFSConfig {
    Id: string;
    Path: string;
    MountType?: "STORAGE" | "SOURCE" | string;
    Protocol?: string;
    IsPresetStorage?: boolean;
}
export interface HDFSConfig {
    Id: string;
    Path: string;
}
export interface GooseFS {
    Id?: string;
    Type?: string;
    Path?: string;
    NameSpace?: string;
    MountOptions?: string;
}
export interface CFSTurbo {
    Id?: string;
    Path?: string;
}
export interface LocalDisk {
    InstanceId: string;
    LocalPath?: string;
}
export interface CBSConfig {
    VolumeSizeInGB: number;
}
export interface HostPath {
    Path?: string;
}
export interface PublicDataSourceFS {
    DataSourceId?: string;
    SubPath?: string;
}

export interface DataConfig {
    MappingPath?: string;
    DataSourceUsage?: string;
    DataSourceType?: string;
    DataSetSource?: DataSetConfig;
    COSSource?: CosPathInfo;
    CFSSource?: CFSConfig;
    HDFSSource?: HDFSConfig;
    GooseFSSource?: GooseFS;
    CFSTurboSource?: CFSTurbo;
    LocalDiskSource?: LocalDisk;
    CBSSource?: CBSConfig;
    HostPathSource?: HostPath;
    PublicDataSource?: PublicDataSourceFS;
    ReadOnly?: boolean;
}

export interface LogConfig {
    LogsetId: string;
    TopicId: string;
}

export interface Tag {
    TagKey: string;
    TagValue: string;
}

export interface TagFilter {
    TagKey?: string;
    TagValues?: string[];
}

/** DescribeTrainingTasks filter. Documented names: Name, Id, Status, ResourceGroupId, Creator, ChargeType, CHARGE_STATUS. */
export interface Filter {
    Name?: string;
    Values?: string[];
    Negative?: boolean;
    Fuzzy?: boolean;
}

export interface CodeRepoConfig {
    Id: string;
    TargetPath: string;
}

export interface EnvVar {
    Name?: string;
    Value?: string;
}

export interface ExposeNetworkConfig {
    SSHConfig?: {
        Enable?: boolean;
        PublicKey?: string;
        Port?: number;
        LoginCommand?: string;
        IsAddressChanged?: boolean;
        PodSSHInfo?: { Host?: string; Port?: number; LoginCommand?: string };
    };
    ExposePortConfig?: { Enable?: boolean; VpcId?: string; ClbId?: string; ClbHost?: string };
}

export interface TrainToolConfig {
    EnableHangMonitor?: boolean;
    HangMonitorNodes?: string[];
    LogHangTimeoutInMinute?: number;
}

export interface ResourceSupplyAttribute {
    SupplyType?: string;
    ClusterType?: string;
}

/** CreateTrainingTask request (reference/tione.md §4). */
export interface CreateTrainingTaskRequest {
    Name: string;
    ChargeType: ChargeType | string;
    ResourceConfigInfos: ResourceConfigInfo[];
    TiProjectId?: string;
    FrameworkName?: string;
    FrameworkVersion?: string;
    FrameworkEnvironment?: string;
    ResourceGroupId?: string;
    Tags?: Tag[];
    ImageInfo?: ImageInfo;
    CodePackagePath?: CosPathInfo;
    StartCmdInfo?: StartCmdInfo;
    TrainingMode?: string;
    DataConfigs?: DataConfig[];
    VpcId?: string;
    SubnetId?: string;
    Output?: CosPathInfo;
    LogConfig?: LogConfig;
    TuningParameters?: string;
    LogEnable?: boolean;
    Remark?: string;
    DataSource?: string;
    CallbackUrl?: string;
    EncodedStartCmdInfo?: EncodedStartCmdInfo;
    CodeRepos?: CodeRepoConfig[];
    ExposeNetworkConfig?: ExposeNetworkConfig;
    Envs?: EnvVar[];
    TrainToolConfig?: TrainToolConfig;
    ResourceSupplyAttribute?: ResourceSupplyAttribute;
    Queues?: string[];
}

export interface OperatorInfo {
    SubUin?: string;
    SubUinName?: string;
    IsPlatformOperator?: boolean;
    OperationType?: string;
}

/** DescribeTrainingTask's `TrainingTaskDetail` (reference/tione.md §5). Nullable fields come back as `null`. */
export interface TrainingTaskDetail {
    Id: string;
    Name: string;
    Status: TrainingTaskStatus | string;
    Uin?: string;
    SubUin?: string;
    SubUinName?: string | null;
    Region?: string;
    FrameworkName?: string | null;
    FrameworkVersion?: string | null;
    FrameworkEnvironment?: string | null;
    ChargeType?: string;
    ResourceGroupId?: string | null;
    ResourceConfigInfos?: ResourceConfigInfo[];
    Tags?: Tag[] | null;
    TrainingMode?: string | null;
    CodePackagePath?: CosPathInfo | null;
    StartCmdInfo?: StartCmdInfo | null;
    DataSource?: string | null;
    DataConfigs?: DataConfig[] | null;
    TuningParameters?: string | null;
    Output?: CosPathInfo | null;
    LogEnable?: boolean;
    LogConfig?: LogConfig | null;
    VpcId?: string | null;
    SubnetId?: string | null;
    ImageInfo?: ImageInfo | null;
    RuntimeInSeconds?: number | null;
    CreateTime?: string;
    StartTime?: string | null;
    ChargeStatus?: ChargeStatus | string | null;
    LatestInstanceId?: string | null;
    TensorBoardId?: string | null;
    Remark?: string | null;
    FailureReason?: string | null;
    UpdateTime?: string;
    EndTime?: string | null;
    BillingInfo?: string | null;
    ResourceGroupName?: string | null;
    Message?: string | null;
    CallbackUrl?: string | null;
    CodeRepos?: CodeRepoConfig[] | null;
    ExposeNetworkConfig?: ExposeNetworkConfig | null;
    OperatorInfo?: OperatorInfo | null;
    [extra: string]: unknown;
}

/** DescribeTrainingTasks' list item (reference/tione.md §7): a subset of the detail plus a few list-only fields. */
export interface TrainingTaskSetItem {
    Id: string;
    Name: string;
    Status: TrainingTaskStatus | string;
    FrameworkName?: string | null;
    FrameworkVersion?: string | null;
    FrameworkEnvironment?: string | null;
    ChargeType?: string;
    ChargeStatus?: string | null;
    ResourceGroupId?: string | null;
    ResourceConfigInfos?: ResourceConfigInfo[];
    TrainingMode?: string | null;
    RuntimeInSeconds?: number | null;
    CreateTime?: string;
    StartTime?: string | null;
    EndTime?: string | null;
    Output?: CosPathInfo | null;
    FailureReason?: string | null;
    UpdateTime?: string;
    BillingInfo?: string | null;
    ResourceGroupName?: string | null;
    ImageInfo?: ImageInfo | null;
    Message?: string | null;
    Tags?: Tag[] | null;
    CallbackUrl?: string | null;
    SubUin?: string;
    SubUinName?: string | null;
    /** A string in the vendor model (tencentcloud-sdk-nodejs tione v20211111 TrainingTaskSetItem). */
    AppId?: string;
    Envs?: EnvVar[] | null;
    LatestOperatorInfo?: OperatorInfo | null;
    [extra: string]: unknown;
}

/** DescribeTrainingTasks request. `Limit` defaults to 10 and is at most 50. */
export interface DescribeTrainingTasksRequest {
    TiProjectId?: string;
    Filters?: Filter[];
    TagFilters?: TagFilter[];
    Offset?: number;
    Limit?: number;
    Order?: "ASC" | "DESC";
    OrderField?: "CreateTime" | "UpdateTime" | "StartTime";
}

export interface DescribeTrainingTasksResponse {
    TrainingTaskSet: TrainingTaskSetItem[];
    TotalCount: number;
    RequestId: string;
}

/** DescribeLogs request (DescribeLogsRequest, tencentcloud-sdk-nodejs tione/v20211111). For Service TRAIN, `ServiceId` is the task's `LatestInstanceId`. */
export interface DescribeLogsRequest {
    Service: "TRAIN" | "NOTEBOOK" | "INFER" | "BATCH";
    TiProjectId?: string;
    /** RFC3339; default an hour before now. */
    StartTime?: string;
    /** RFC3339; default now. */
    EndTime?: string;
    /** Default 100, at most 1000. */
    Limit?: number;
    ServiceId?: string;
    PodName?: string;
    /** Default DESC (newest first). */
    Order?: "ASC" | "DESC";
    OrderField?: "Timestamp";
    Context?: string;
    Filters?: Filter[];
    Offset?: number;
    LogStream?: "stdout" | "stderr";
}

/** One log line (LogIdentity); every field may be null. */
export interface LogIdentity {
    Id?: string | null;
    Message?: string | null;
    PodName?: string | null;
    /** RFC3339. */
    Timestamp?: string | null;
}

export interface DescribeLogsResponse {
    Context?: string | null;
    Content?: LogIdentity[] | null;
    RequestId: string;
}
