/**
 * Wire types of the PolarDB AIDB task actions (API version 2017-08-01),
 * PascalCase as the service sends them. Reference: reference/polardb-aidb.md
 * §3-§7, from the `alibabacloud-go/polardb-20170801` request/response models
 * and https://help.aliyun.com/zh/polardb/api-polardb-2017-08-01-createaidbclustertask .
 * Unknown fields are tolerated: the service adds fields over time (TuneArch in 2026-07).
 */

/** Documented task statuses (DescribeAIDBClusterTaskAttribute). The list call shows other spellings (`RUNNING`). */
export type AidbTaskStatus = "ACTIVATION" | "COMPLETED" | "FAILED";

/** Query parameters of CreateAIDBClusterTask. Objects are already serialized (RunningParameter is a JSON string). */
export interface CreateAidbTaskRequest {
    /** The PolarDB cluster (`pc-…`) the task runs on. Required. */
    DBClusterId: string;
    /** `public` (preset model) or `custom`. Required. */
    ModelSource: string;
    /** Preset model name (`Qwen3-8B`) or, for `custom`, the model path. Required. */
    ModelName: string;
    /** The runtime parameters as a JSON string. Required. */
    RunningParameter: string;
    /** Only `aitrain` is documented. Required. */
    KubeType: string;
    RegionId?: string;
    ModelType?: string;
    DatasetPath?: string;
    EvalDatasetPath?: string;
    TaskName?: string;
    ZoneId?: string;
    VPCId?: string;
    VSwitchId?: string;
    SecurityGroupId?: string;
    DBInstanceClass?: string;
    TuneArch?: string;
}

/** CreateAIDBClusterTask answer. */
export interface CreateAidbTaskResponse {
    RequestId?: string;
    /** The new task id, `pm-…` (not the cluster). */
    DBClusterId: string;
    /** Numeric order id, as a string. */
    OrderId?: string;
}

/** One dataset of a task (DescribeAIDBClusterTaskAttribute `DataSets[]`). */
export interface AidbTaskDataset {
    DatasetName?: string;
    Path?: string;
    /** A number as a string, e.g. `"0.1"`. */
    SplitDatasetRatio?: string;
    /** `train` or `eval`. */
    Type?: string;
    [extra: string]: unknown;
}

/** One entry of `TaskInfo[]`. */
export interface AidbTaskInfo {
    ModelName?: string;
    ModelPath?: string;
    ModelSource?: string;
    /** The RunningParameter JSON as the service stores it. */
    RunningTimes?: string;
    StartTime?: string;
    CompletedTime?: string;
    TrainMode?: string;
    TrainType?: string;
    [extra: string]: unknown;
}

/** DescribeAIDBClusterTaskAttribute answer: the task in detail. */
export interface AidbTaskAttribute {
    RequestId?: string;
    /** The task id `pm-…`. */
    DBClusterId: string;
    /** The TaskName sent at create. */
    DBClusterDescription?: string;
    DBClusterStatus: AidbTaskStatus | string;
    DBClusterStatusDesc?: string;
    DBType?: string;
    DBVersion?: string;
    ClusterNetworkType?: string;
    /** `2025-11-12T03:45:13Z`. */
    CreateTime?: string;
    KindCode?: number;
    LockMode?: string;
    MaintainStartTime?: string;
    MaintainEndTime?: string;
    /** Comma-separated output model paths. */
    ModelPath?: string;
    /** A JSON string (`{"networkInterfaceId":…,"port":…,"host":…}`) for test deployments. */
    AccessInfo?: string;
    ExtraInfo?: Array<Record<string, unknown>>;
    DataSets?: AidbTaskDataset[];
    TaskInfo?: AidbTaskInfo[];
    TuneArch?: string;
    VPCId?: string;
    VSwitchId?: string;
    [extra: string]: unknown;
}

/** One item of DescribeAIDBClusterTasks. */
export interface AidbTaskListItem {
    /** The task id `pm-…`. */
    DBNodeId: string;
    /** "May not be returned"; the documented example is `RUNNING`. */
    DBNodeStatus?: string;
    DBNodeStatusDesc?: string;
    /**
     * "The node description", example `test` (SDK model
     * `DescribeAIDBClusterTasksResponseBodyItems`): not documented to be the
     * TaskName, which only the detail's `DBClusterDescription` is.
     */
    DBNodeDescription?: string;
    CreationTime?: string;
    StartTime?: string;
    CompletedTime?: string;
    DataZoneId?: string;
    ModelName?: string;
    ModelPath?: string;
    ModelSource?: string;
    RunningTimes?: string;
    TrainMode?: string;
    TrainType?: string;
    TuneArch?: string;
    [extra: string]: unknown;
}

/** DescribeAIDBClusterTasks answer: every task of one cluster (no paging). */
export interface AidbTaskList {
    RequestId?: string;
    Engine?: string;
    EngineVersion?: string;
    RelativeDBClusterId?: string;
    TaskType?: string;
    Items?: AidbTaskListItem[];
    /** Paging, as the SDK model has it (`DescribeAIDBClusterTasksResponseBody`: PageNumber a number, the others strings); absent where the service returns every task. */
    PageNumber?: number;
    PageSize?: string;
    PageRecordCount?: string;
    TotalRecordCount?: string;
}

/** DeleteAIDBClusterTask answer. */
export interface DeleteAidbTaskResponse {
    RequestId?: string;
    DBClusterId?: string;
    RelativeDBClusterId?: string;
}

/** One SLS log line of DescribeAIDBClusterTaskLogFiles. */
export interface AidbTaskLogItem {
    /** `2026-01-15T14:13:50.830295892Z`. */
    LogTime?: string;
    Message?: string;
    /** Unix seconds as a string. */
    Timestamp?: string;
}

/** One page of DescribeAIDBClusterTaskLogFiles. */
export interface AidbTaskLogPage {
    RequestId?: string;
    StartTime?: string;
    EndTime?: string;
    PageNumber?: number;
    PageSize?: number;
    PageRecordCount?: number;
    Items?: { SlsLogItems?: AidbTaskLogItem[] };
}
