import { z } from "zod";
import { profileSchema } from "../core/profile";
import { isUnknown, containsUnknown } from "../core/unknown";
import { retrySchema } from "../core/retry";

/**
 * Input schema of `tione.TrainingTask`: CreateTrainingTask's fields in
 * lowerCamel (reference/tione.md §4, §10) plus the provider settings. Issue
 * paths become check-failure property names (`resourceConfigInfos[0].gpu`).
 * Cross-field rules run even when a field fails its own rule, so one `check`
 * reports everything it can, and they skip any rule whose deciding value is
 * unknown at preview.
 */

/** Tag key the provider adds to every task it submits; its value is the idempotency marker. Reserved. */
export const MARKER_TAG_KEY = "pulumi-training-marker";

/** ≤ 60 characters of Chinese or English letters, digits, `_`, `-`, starting with a letter or digit (reference/tione.md §4). */
export const TASK_NAME_RE = /^[A-Za-z0-9\u4e00-\u9fa5][A-Za-z0-9\u4e00-\u9fa5_-]*$/;
export const TASK_NAME_MAX = 60;
const NAME_CHARS_RULE = "must contain only Chinese or English letters, digits, '_' or '-', and start with a letter or digit";
const NAME_LENGTH_RULE = "must be at most 60 characters";

/**
 * Inputs that can hold secrets (core/sensitive.ts): environment variables,
 * the start command, free-form tuning parameters, a callback URL (which
 * often carries a token in its query), and the registry login of a custom
 * image (`imageInfo.imageSecret`; the rest of `imageInfo` is not secret, but
 * its output is, as it holds the login).
 */
export const SENSITIVE_INPUTS = ["envs", "startCmdInfo", "tuningParameters", "callbackUrl", "imageInfo.imageSecret"] as const;

export const CHARGE_TYPES = ["PREPAID", "POSTPAID_BY_HOUR"] as const;
export const ROLES = ["PS", "WORKER", "DRIVER", "EXECUTOR"] as const;
export const DATA_SOURCES = ["DATASET", "COS", "CFS", "CFSTurbo", "HDFS", "GooseFSx"] as const;
export const DATA_SOURCE_TYPES = ["DATASET", "COS", "CFS", "CFSTurbo", "GooseFSx", "HDFS", "WEDATA_HDFS"] as const;
export const DATA_SOURCE_USAGES = ["BUILTIN_CODE", "BUILTIN_DATA", "BUILTIN_MODEL", "USER_DATA", "USER_CODE", "USER_MODEL", "OUTPUT", "OTHER"] as const;
/** The documented inputs (TCR, CCR, PreSet, CUSTOM) plus `PRE_SET`, the spelling the official output example shows. */
export const IMAGE_TYPES = ["TCR", "CCR", "PreSet", "PRE_SET", "CUSTOM"] as const;

/**
 * Environment variable names, by Kubernetes' rule (`[-._a-zA-Z][-._a-zA-Z0-9]*`):
 * TI-ONE runs tasks as Kubernetes pods (inference), which refuse any other name.
 */
export const ENV_NAME_RE = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const ENV_NAME_RULE = "must be an environment variable name: letters, digits, '_', '-' or '.', not starting with a digit";

/** Largest `tuningParameters` after serialization (reference/tione.md §4). */
export const TUNING_PARAMETERS_MAX = 2048;
export const REMARK_MAX = 1024;
export const DATA_CONFIGS_MAX = 10;

/** The source field each `dataSourceType` needs. */
export const SOURCE_FIELD_FOR_TYPE: Readonly<Record<(typeof DATA_SOURCE_TYPES)[number], string>> = {
    DATASET: "dataSetSource",
    COS: "cosSource",
    CFS: "cfsSource",
    CFSTurbo: "cfsTurboSource",
    GooseFSx: "gooseFSSource",
    HDFS: "hdfsSource",
    WEDATA_HDFS: "hdfsSource",
};

const text = z.string().min(1, "must not be empty");
const wholeAtLeast = (min: number, unit: string) => z.number().int(`must be a whole number ${unit}`).min(min, `must be at least ${min}`);
const oneOf = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { message: `must be one of ${values.join(", ")}` });

const cosPath = z
    .object({
        bucket: text,
        region: text,
        paths: z.array(text).min(1, "must hold one path").max(1, "must hold one path: TI-ONE supports a single COS path"),
    })
    .strict();

const resourceConfigInfo = z
    .object({
        role: oneOf(ROLES),
        cpu: wholeAtLeast(1, "of 1/1000 cores (1000 = 1 core)").optional(),
        memory: wholeAtLeast(1, "of MB").optional(),
        gpuType: text.optional(),
        gpu: wholeAtLeast(0, "of 1/100 cards (100 = 1 card)").optional(),
        instanceType: text.optional(),
        instanceNum: wholeAtLeast(1, "of instances").optional(),
        instanceTypeAlias: text.optional(),
        rdmaConfig: z.object({ enable: z.boolean().optional() }).strict().optional(),
    })
    .strict();

const tag = z
    .object({ tagKey: text, tagValue: z.string() })
    .strict()
    .refine((t) => t.tagKey !== MARKER_TAG_KEY, { message: `"${MARKER_TAG_KEY}" is reserved: the provider sets it to mark the tasks it submits`, path: ["tagKey"] });

const imageInfo = z
    .object({
        imageType: oneOf(IMAGE_TYPES),
        imageUrl: text,
        registryRegion: text.optional(),
        registryId: text.optional(),
        allowSaveAllContent: z.boolean().optional(),
        imageName: text.optional(),
        supportDataPipeline: z.boolean().optional(),
        imageSecret: z
            .object({ keyId: text.optional(), username: text.optional(), password: text.optional(), secretId: text.optional() })
            .strict()
            .optional(),
    })
    .strict();

const dataConfig = z
    .object({
        mappingPath: text.optional(),
        dataSourceUsage: oneOf(DATA_SOURCE_USAGES).optional(),
        dataSourceType: oneOf(DATA_SOURCE_TYPES).optional(),
        dataSetSource: z.object({ id: text }).strict().optional(),
        cosSource: cosPath.optional(),
        cfsSource: z
            .object({
                id: text,
                path: text,
                mountType: oneOf(["STORAGE", "SOURCE"] as const).optional(),
                protocol: oneOf(["1", "2"] as const).optional(),
                isPresetStorage: z.boolean().optional(),
            })
            .strict()
            .optional(),
        hdfsSource: z.object({ id: text, path: text }).strict().optional(),
        gooseFSSource: z
            .object({
                id: text.optional(),
                type: oneOf(["GooseFS", "GooseFSx"] as const).optional(),
                path: text.optional(),
                nameSpace: text.optional(),
                mountOptions: text.optional(),
            })
            .strict()
            .optional(),
        cfsTurboSource: z.object({ id: text.optional(), path: text.optional() }).strict().optional(),
        localDiskSource: z.object({ instanceId: text, localPath: text.optional() }).strict().optional(),
        cbsSource: z.object({ volumeSizeInGB: wholeAtLeast(1, "of GB") }).strict().optional(),
        hostPathSource: z.object({ path: text.optional() }).strict().optional(),
        publicDataSource: z.object({ dataSourceId: text.optional(), subPath: text.optional() }).strict().optional(),
        readOnly: z.boolean().optional(),
    })
    .strict();

const startCmdInfo = z.object({ startCmd: z.string().optional(), psStartCmd: z.string().optional(), workerStartCmd: z.string().optional() }).strict();

export const trainingTaskSchema = z
    .object({
        name: z.string().max(TASK_NAME_MAX, NAME_LENGTH_RULE).regex(TASK_NAME_RE, NAME_CHARS_RULE).optional(),
        chargeType: oneOf(CHARGE_TYPES),
        resourceConfigInfos: z.array(resourceConfigInfo).min(1, "must list at least one role's resources"),
        tiProjectId: text.optional(),
        frameworkName: text.optional(),
        frameworkVersion: text.optional(),
        frameworkEnvironment: text.optional(),
        resourceGroupId: text.optional(),
        tags: z.array(tag).optional(),
        imageInfo: imageInfo.optional(),
        codePackagePath: cosPath.optional(),
        startCmdInfo: startCmdInfo.optional(),
        trainingMode: text.optional(),
        dataConfigs: z.array(dataConfig).max(DATA_CONFIGS_MAX, `must list at most ${DATA_CONFIGS_MAX} data configs`).optional(),
        vpcId: text.optional(),
        subnetId: text.optional(),
        output: cosPath.optional(),
        logConfig: z.object({ logsetId: text, topicId: text }).strict().optional(),
        tuningParameters: z
            .union([z.string().max(TUNING_PARAMETERS_MAX, `must be at most ${TUNING_PARAMETERS_MAX} characters`), z.record(z.string(), z.unknown())], {
                message: "must be a string or an object of hyper-parameters",
            })
            .optional(),
        logEnable: z.boolean().optional(),
        remark: z.string().max(REMARK_MAX, `must be at most ${REMARK_MAX} characters`).optional(),
        dataSource: oneOf(DATA_SOURCES).optional(),
        callbackUrl: z.string().regex(/^https?:\/\/\S+$/, "must be an http(s) URL").optional(),
        codeRepos: z.array(z.object({ id: text, targetPath: text }).strict()).optional(),
        exposeNetworkConfig: z
            .object({
                sshConfig: z
                    .object({ enable: z.boolean().optional(), publicKey: text.optional(), port: wholeAtLeast(1, "port").max(65535, "must be at most 65535").optional() })
                    .strict()
                    .optional(),
                exposePortConfig: z.object({ enable: z.boolean().optional(), vpcId: text.optional(), clbId: text.optional() }).strict().optional(),
            })
            .strict()
            .optional(),
        envs: z.array(z.object({ name: text.regex(ENV_NAME_RE, ENV_NAME_RULE), value: z.string() }).strict()).optional(),
        trainToolConfig: z
            .object({
                enableHangMonitor: z.boolean().optional(),
                hangMonitorNodes: z.array(text).optional(),
                logHangTimeoutInMinute: wholeAtLeast(1, "of minutes").max(14400, "must be at most 14400").optional(),
            })
            .strict()
            .optional(),
        resourceSupplyAttribute: z
            .object({ supplyType: oneOf(["TIDE", "SPOT", ""] as const).optional(), clusterType: oneOf(["DEFAULT", "THIRD"] as const).optional() })
            .strict()
            .optional(),
        queues: z.array(text).optional(),
        region: z.string().regex(/^[a-z]{2,}-[a-z]+(-[a-z0-9]+)*$/, "must be a Tencent Cloud region such as \"ap-guangzhou\"").optional(),
        profile: profileSchema,
        waitForCompletion: z.boolean().optional(),
        retry: retrySchema(true),
        stopAtDeadline: z.boolean().optional(),
        completionTimeoutMinutes: z.number().positive("must be greater than 0").max(7 * 24 * 60, "must be at most 10080 (7 days)").optional(),
        pulumiName: z.string().optional(),
    })
    .strict()
    .superRefine(crossFieldRules, { when: () => true });

type Issue = { path: PropertyKey[]; message: string };

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v) && !isUnknown(v);
const known = (v: unknown) => v !== undefined && !isUnknown(v);

/**
 * The rules that span fields (reference/tione.md §4, §10). Runs on raw
 * inputs (types not yet guaranteed), so every access is guarded.
 */
function crossFieldRules(raw: unknown, ctx: { addIssue(issue: { code: "custom"; path: PropertyKey[]; message: string }): void }): void {
    if (!isObject(raw)) return;
    for (const issue of crossFieldIssues(raw)) ctx.addIssue({ code: "custom", ...issue });
}

/** The cross-field issues of a set of inputs; exported for tests. */
export function crossFieldIssues(a: Record<string, unknown>): Issue[] {
    const issues: Issue[] = [];
    // The Name defaults to the resource name, which must then follow the Name rule.
    if (a.name === undefined && typeof a.pulumiName === "string" && (a.pulumiName.length > TASK_NAME_MAX || !TASK_NAME_RE.test(a.pulumiName))) {
        issues.push({ path: ["name"], message: `is required: the resource name "${a.pulumiName}" is not a valid task name (a task name ${NAME_LENGTH_RULE} and ${NAME_CHARS_RULE}); set name explicitly` });
    }
    const configs = Array.isArray(a.resourceConfigInfos) ? a.resourceConfigInfos : [];
    if (a.chargeType === "PREPAID") {
        if (a.resourceGroupId === undefined) issues.push({ path: ["resourceGroupId"], message: "is required when chargeType is PREPAID (the prepaid resource group to run in)" });
        configs.forEach((c, i) => {
            if (!isObject(c)) return;
            // "Cpu … needed with a resource group" (reference/tione.md §10); the official PREPAID example sets Memory too.
            if (c.cpu === undefined) issues.push({ path: ["resourceConfigInfos", i, "cpu"], message: "is required when chargeType is PREPAID (1/1000 cores, 1000 = 1 core)" });
            if (c.memory === undefined) issues.push({ path: ["resourceConfigInfos", i, "memory"], message: "is required when chargeType is PREPAID (MB)" });
        });
    }
    if (a.chargeType === "POSTPAID_BY_HOUR") {
        configs.forEach((c, i) => {
            if (isObject(c) && c.instanceType === undefined) {
                issues.push({ path: ["resourceConfigInfos", i, "instanceType"], message: "is required when chargeType is POSTPAID_BY_HOUR (a spec id such as \"TI.S.MEDIUM.POST\", from DescribeBillingSpecs)" });
            }
        });
    }
    if (Array.isArray(a.dataConfigs)) {
        a.dataConfigs.forEach((d, i) => {
            if (!isObject(d) || typeof d.dataSourceType !== "string") return;
            const field = Object.hasOwn(SOURCE_FIELD_FOR_TYPE, d.dataSourceType) ? SOURCE_FIELD_FOR_TYPE[d.dataSourceType as keyof typeof SOURCE_FIELD_FOR_TYPE] : undefined;
            if (field && d[field] === undefined) issues.push({ path: ["dataConfigs", i, field], message: `is required when dataSourceType is ${d.dataSourceType}` });
        });
    }
    if (isObject(a.imageInfo) && known(a.imageInfo.imageSecret) && known(a.imageInfo.imageType) && a.imageInfo.imageType !== "CUSTOM") {
        issues.push({ path: ["imageInfo", "imageSecret"], message: "applies only to imageType CUSTOM (third-party registries)" });
    }
    if (Array.isArray(a.envs)) {
        const first = new Map<string, number>();
        a.envs.forEach((e, i) => {
            if (!isObject(e) || typeof e.name !== "string") return;
            const at = first.get(e.name);
            if (at !== undefined) issues.push({ path: ["envs", i, "name"], message: `duplicates envs[${at}].name ("${e.name}"): each variable can be set once` });
            else first.set(e.name, i);
        });
    }
    if (isObject(a.tuningParameters) && !containsUnknown(a.tuningParameters)) {
        const length = JSON.stringify(a.tuningParameters).length;
        if (length > TUNING_PARAMETERS_MAX) issues.push({ path: ["tuningParameters"], message: `serializes to ${length} characters; TI-ONE accepts at most ${TUNING_PARAMETERS_MAX}` });
    }
    return issues;
}
