/**
 * What TI-ONE rejects in a CreateTrainingTask, as the emulator models it:
 * parameter shapes (unknown names -> `UnknownParameter`, wrong types ->
 * `InvalidParameter`, missing required ones -> `MissingParameter`) from the
 * Node models and tccli `api.json`, then the documented value rules with
 * the product's own `InvalidParameterValue.*` codes (reference/tione.md §4, §10).
 */

/** A rejection: error code and message. */
export interface Problem {
    code: string;
    message: string;
}

/**
 * Field kinds: `s` string, `u` unsigned integer, `b` boolean, a struct name,
 * or `[kind]` for a list. A trailing `!` marks a required field.
 */
type Kind = string;

const STRUCTS: Record<string, Record<string, Kind>> = {
    CreateTrainingTask: {
        Name: "s!",
        ChargeType: "s!",
        ResourceConfigInfos: "[ResourceConfigInfo]!",
        TiProjectId: "s",
        FrameworkName: "s",
        FrameworkVersion: "s",
        FrameworkEnvironment: "s",
        ResourceGroupId: "s",
        Tags: "[Tag]",
        ImageInfo: "ImageInfo",
        CodePackagePath: "CosPathInfo",
        StartCmdInfo: "StartCmdInfo",
        TrainingMode: "s",
        DataConfigs: "[DataConfig]",
        VpcId: "s",
        SubnetId: "s",
        Output: "CosPathInfo",
        LogConfig: "LogConfig",
        TuningParameters: "s",
        LogEnable: "b",
        Remark: "s",
        DataSource: "s",
        CallbackUrl: "s",
        EncodedStartCmdInfo: "EncodedStartCmdInfo",
        CodeRepos: "[CodeRepoConfig]",
        ExposeNetworkConfig: "ExposeNetworkConfig",
        Envs: "[EnvVar]",
        TrainToolConfig: "TrainToolConfig",
        ResourceSupplyAttribute: "ResourceSupplyAttribute",
        Queues: "[s]",
    },
    ResourceConfigInfo: {
        Role: "s!",
        Cpu: "u",
        Memory: "u",
        GpuType: "s",
        Gpu: "u",
        InstanceType: "s",
        InstanceNum: "u",
        InstanceTypeAlias: "s",
        RDMAConfig: "RDMAConfig",
    },
    RDMAConfig: { Enable: "b" },
    Tag: { TagKey: "s!", TagValue: "s!" },
    ImageInfo: {
        ImageType: "s!",
        ImageUrl: "s!",
        RegistryRegion: "s",
        RegistryId: "s",
        AllowSaveAllContent: "b",
        ImageName: "s",
        SupportDataPipeline: "b",
        ImageSecret: "ImageSecret",
    },
    ImageSecret: { KeyId: "s", Username: "s", Password: "s", SecretId: "s" },
    // Bucket, Region and Paths are "required but nullable": present keys are type-checked only.
    CosPathInfo: { Bucket: "s", Region: "s", Paths: "[s]" },
    StartCmdInfo: { StartCmd: "s", PsStartCmd: "s", WorkerStartCmd: "s" },
    EncodedStartCmdInfo: { StartCmdInfo: "s" },
    DataConfig: {
        MappingPath: "s",
        DataSourceUsage: "s",
        DataSourceType: "s",
        DataSetSource: "DataSetConfig",
        COSSource: "CosPathInfo",
        CFSSource: "CFSConfig",
        HDFSSource: "HDFSConfig",
        GooseFSSource: "GooseFS",
        CFSTurboSource: "CFSTurbo",
        LocalDiskSource: "LocalDisk",
        CBSSource: "CBSConfig",
        HostPathSource: "HostPath",
        PublicDataSource: "PublicDataSourceFS",
        ReadOnly: "b",
    },
    DataSetConfig: { Id: "s!" },
    CFSConfig: { Id: "s!", Path: "s!", MountType: "s", Protocol: "s", IsPresetStorage: "b" },
    HDFSConfig: { Id: "s!", Path: "s!" },
    GooseFS: { Id: "s", Type: "s", Path: "s", NameSpace: "s", MountOptions: "s" },
    CFSTurbo: { Id: "s", Path: "s" },
    LocalDisk: { InstanceId: "s!", LocalPath: "s" },
    CBSConfig: { VolumeSizeInGB: "u!" },
    HostPath: { Path: "s" },
    PublicDataSourceFS: { DataSourceId: "s", SubPath: "s" },
    LogConfig: { LogsetId: "s!", TopicId: "s!" },
    CodeRepoConfig: { Id: "s!", TargetPath: "s!" },
    EnvVar: { Name: "s", Value: "s" },
    ExposeNetworkConfig: { SSHConfig: "SSHConfig", ExposePortConfig: "ExposePortConfig" },
    SSHConfig: { Enable: "b", PublicKey: "s", Port: "u", LoginCommand: "s", IsAddressChanged: "b", PodSSHInfo: "PodSSHInfo" },
    PodSSHInfo: { Host: "s", Port: "u", LoginCommand: "s" },
    ExposePortConfig: { Enable: "b", VpcId: "s", ClbId: "s", ClbHost: "s" },
    TrainToolConfig: { EnableHangMonitor: "b", HangMonitorNodes: "[s]", LogHangTimeoutInMinute: "u" },
    ResourceSupplyAttribute: { SupplyType: "s", ClusterType: "s" },
    DescribeTrainingTask: { Id: "s!", TiProjectId: "s", InstanceId: "s" },
    DescribeTrainingTasks: {
        TiProjectId: "s",
        Filters: "[Filter]",
        TagFilters: "[TagFilter]",
        Offset: "u",
        Limit: "u",
        Order: "s",
        OrderField: "s",
    },
    Filter: { Name: "s", Values: "[s]", Negative: "b", Fuzzy: "b" },
    TagFilter: { TagKey: "s", TagValues: "[s]" },
    StopTrainingTask: { Id: "s!", TiProjectId: "s" },
    DeleteTrainingTask: { Id: "s!", TiProjectId: "s" },
    // DescribeLogsRequest (tencentcloud-sdk-nodejs tione/v20211111 tione_models.d.ts; reference/tione.md §11).
    DescribeLogs: {
        Service: "s!",
        TiProjectId: "s",
        StartTime: "s",
        EndTime: "s",
        Limit: "u",
        ServiceId: "s",
        PodName: "s",
        Order: "s",
        OrderField: "s",
        Context: "s",
        Filters: "[Filter]",
        Offset: "u",
        LogStream: "s",
    },
};

/** Checks `value` against a struct's shape; `path` is the dotted parameter name used in messages (`ResourceConfigInfos.0.Cpu`). */
export function checkShape(struct: string, value: unknown, path = ""): Problem | undefined {
    const fields = STRUCTS[struct];
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
        return { code: "InvalidParameter", message: `The parameter \`${path || struct}\` must be an object.` };
    }
    const obj = value as Record<string, unknown>;
    for (const key of Object.keys(obj)) {
        if (!(key in fields)) return { code: "UnknownParameter", message: `The parameter \`${path ? `${path}.` : ""}${key}\` is not recognized.` };
    }
    for (const [key, kind] of Object.entries(fields)) {
        const name = path ? `${path}.${key}` : key;
        const required = kind.endsWith("!");
        const v = obj[key];
        if (v === undefined || v === null) {
            if (required) return { code: "MissingParameter", message: `The request is missing a required parameter \`${name}\`.` };
            continue;
        }
        const problem = checkKind(required ? kind.slice(0, -1) : kind, v, name);
        if (problem) return problem;
    }
    return undefined;
}

function checkKind(kind: Kind, v: unknown, name: string): Problem | undefined {
    if (kind.startsWith("[")) {
        if (!Array.isArray(v)) return { code: "InvalidParameter", message: `The parameter \`${name}\` must be a list.` };
        const inner = kind.slice(1, -1);
        for (let i = 0; i < v.length; i++) {
            const p = checkKind(inner, v[i], `${name}.${i}`);
            if (p) return p;
        }
        return undefined;
    }
    if (kind === "s") return typeof v === "string" ? undefined : { code: "InvalidParameter", message: `The parameter \`${name}\` must be a string.` };
    if (kind === "b") return typeof v === "boolean" ? undefined : { code: "InvalidParameter", message: `The parameter \`${name}\` must be a boolean.` };
    if (kind === "u") {
        return Number.isSafeInteger(v) && (v as number) >= 0 ? undefined : { code: "InvalidParameter", message: `The parameter \`${name}\` must be a non-negative integer.` };
    }
    return checkShape(kind, v, name);
}

const NAME_RE = /^[A-Za-z0-9\u4e00-\u9fa5][A-Za-z0-9\u4e00-\u9fa5_-]*$/;
const CHARGE_TYPES = ["PREPAID", "POSTPAID_BY_HOUR"];
const ROLES = ["PS", "WORKER", "DRIVER", "EXECUTOR"];
const DATA_SOURCES = ["DATASET", "COS", "CFS", "CFSTurbo", "HDFS", "GooseFSx"];
/** DataConfig.DataSourceType -> the source struct it needs. */
const SOURCE_FIELD: Record<string, string> = {
    DATASET: "DataSetSource",
    COS: "COSSource",
    CFS: "CFSSource",
    CFSTurbo: "CFSTurboSource",
    GooseFSx: "GooseFSSource",
    HDFS: "HDFSSource",
    WEDATA_HDFS: "HDFSSource",
};
const USAGES = ["BUILTIN_CODE", "BUILTIN_DATA", "BUILTIN_MODEL", "USER_DATA", "USER_CODE", "USER_MODEL", "OUTPUT", "OTHER"];
/** The documented input values plus `PRE_SET`, the spelling the official output example shows. */
const IMAGE_TYPES = ["TCR", "CCR", "PreSet", "PRE_SET", "CUSTOM"];
const START_CMD_KEYS = ["StartCmd", "PsStartCmd", "WorkerStartCmd"];

const bad = (code: string, message: string): Problem => ({ code, message });

/** Decodes `EncodedStartCmdInfo.StartCmdInfo` (base64 of the StartCmdInfo JSON); a string on failure. */
export function decodeStartCmd(encoded: string): Record<string, string> | string {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded) || encoded.length % 4 !== 0) return "is not base64";
    try {
        const parsed = JSON.parse(Buffer.from(encoded, "base64").toString("utf8"));
        if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return "does not decode to a JSON object";
        for (const [k, v] of Object.entries(parsed)) {
            if (!START_CMD_KEYS.includes(k)) return `decodes to an object with the unknown key ${k}`;
            if (typeof v !== "string") return `decodes to an object whose ${k} is not a string`;
        }
        return parsed as Record<string, string>;
    } catch {
        return "does not decode to JSON";
    }
}

function checkCosPath(p: any, name: string): Problem | undefined {
    if (p && Array.isArray(p.Paths) && p.Paths.length > 1) return bad("InvalidParameterValue.PathIllegal", `\`${name}.Paths\` supports only one path.`);
    return undefined;
}

/** Validates a CreateTrainingTask body; undefined when the real API would accept it as far as the emulator models it. */
export function validateCreate(p: Record<string, any>): Problem | undefined {
    const shape = checkShape("CreateTrainingTask", p);
    if (shape) return shape;

    if (p.Name.length > 60 || !NAME_RE.test(p.Name)) {
        return bad("InvalidParameterValue", "`Name` must be at most 60 characters of Chinese or English letters, digits, `_` or `-`, starting with a letter or digit.");
    }
    if (!CHARGE_TYPES.includes(p.ChargeType)) return bad("InvalidParameterValue", `\`ChargeType\` must be one of ${CHARGE_TYPES.join(", ")}.`);
    if (p.ChargeType === "PREPAID" && !p.ResourceGroupId) return bad("MissingParameter", "`ResourceGroupId` is required when `ChargeType` is PREPAID.");
    if (p.ResourceConfigInfos.length === 0) return bad("InvalidParameterValue.ResourceConfigIllegal", "`ResourceConfigInfos` must not be empty.");
    for (const [i, r] of (p.ResourceConfigInfos as any[]).entries()) {
        const at = `ResourceConfigInfos.${i}`;
        if (!ROLES.includes(r.Role)) return bad("InvalidParameterValue.ResourceConfigIllegal", `\`${at}.Role\` must be one of ${ROLES.join(", ")}.`);
        if (p.ChargeType === "POSTPAID_BY_HOUR" && !r.InstanceType) {
            return bad("InvalidParameterValue.ResourceConfigIllegal", `\`${at}.InstanceType\` is required for POSTPAID_BY_HOUR (a spec from DescribeBillingSpecs).`);
        }
        if (p.ChargeType === "PREPAID" && (!r.Cpu || !r.Memory)) {
            return bad("InvalidParameterValue.ResourceConfigIllegal", `\`${at}.Cpu\` and \`${at}.Memory\` are required with a resource group.`);
        }
    }
    if (p.DataSource !== undefined && !DATA_SOURCES.includes(p.DataSource)) return bad("InvalidParameterValue", `\`DataSource\` must be one of ${DATA_SOURCES.join(", ")}.`);
    const configs: any[] = p.DataConfigs ?? [];
    if (configs.length > 10) return bad("InvalidParameterValue.DatasetNumLimitExceeded", "At most 10 `DataConfigs` are allowed.");
    for (const [i, d] of configs.entries()) {
        const at = `DataConfigs.${i}`;
        if (d.DataSourceUsage !== undefined && !USAGES.includes(d.DataSourceUsage)) return bad("InvalidParameterValue", `\`${at}.DataSourceUsage\` must be one of ${USAGES.join(", ")}.`);
        if (d.DataSourceType !== undefined) {
            const field = SOURCE_FIELD[d.DataSourceType];
            if (!field) return bad("InvalidParameterValue.UnsupportedDataConfig", `\`${at}.DataSourceType\` must be one of ${Object.keys(SOURCE_FIELD).join(", ")}.`);
            if (!d[field]) return bad("InvalidParameterValue.UnsupportedDataConfig", `\`${at}.${field}\` is required when DataSourceType is ${d.DataSourceType}.`);
        }
        const cos = checkCosPath(d.COSSource, `${at}.COSSource`);
        if (cos) return cos;
        if (d.CFSSource?.MountType !== undefined && !["STORAGE", "SOURCE"].includes(d.CFSSource.MountType)) return bad("InvalidParameterValue", `\`${at}.CFSSource.MountType\` must be STORAGE or SOURCE.`);
        if (d.CFSSource?.Protocol !== undefined && !["1", "2"].includes(d.CFSSource.Protocol)) return bad("InvalidParameterValue", `\`${at}.CFSSource.Protocol\` must be "1" (NFS) or "2" (TURBO).`);
    }
    const cosProblem = checkCosPath(p.CodePackagePath, "CodePackagePath") ?? checkCosPath(p.Output, "Output");
    if (cosProblem) return cosProblem;
    if (p.TuningParameters !== undefined && p.TuningParameters.length > 2048) return bad("InvalidParameterValue.ParamLengthExceedLimit", "`TuningParameters` must be at most 2048 characters.");
    if (p.Remark !== undefined && p.Remark.length > 1024) return bad("InvalidParameterValue.ParamLengthExceedLimit", "`Remark` must be at most 1024 characters.");
    if (p.ImageInfo) {
        if (!IMAGE_TYPES.includes(p.ImageInfo.ImageType)) return bad("InvalidParameterValue.ImageIllegal", `\`ImageInfo.ImageType\` must be one of TCR, CCR, PreSet, CUSTOM.`);
        if (p.ImageInfo.ImageSecret && p.ImageInfo.ImageType !== "CUSTOM") return bad("InvalidParameterValue.ImageIllegal", "`ImageInfo.ImageSecret` is only for CUSTOM images.");
    }
    if (p.EncodedStartCmdInfo?.StartCmdInfo !== undefined) {
        const decoded = decodeStartCmd(p.EncodedStartCmdInfo.StartCmdInfo);
        if (typeof decoded === "string") return bad("InvalidParameterValue", `\`EncodedStartCmdInfo.StartCmdInfo\` ${decoded}.`);
    }
    const hang = p.TrainToolConfig?.LogHangTimeoutInMinute;
    if (hang !== undefined && (hang < 1 || hang > 14400)) return bad("InvalidParameterValue", "`TrainToolConfig.LogHangTimeoutInMinute` must be from 1 to 14400.");
    const supply = p.ResourceSupplyAttribute;
    if (supply?.SupplyType !== undefined && !["TIDE", "SPOT", ""].includes(supply.SupplyType)) return bad("InvalidParameterValue", "`ResourceSupplyAttribute.SupplyType` must be TIDE, SPOT or empty.");
    if (supply?.ClusterType !== undefined && !["DEFAULT", "THIRD"].includes(supply.ClusterType)) return bad("InvalidParameterValue", "`ResourceSupplyAttribute.ClusterType` must be DEFAULT or THIRD.");
    return undefined;
}
