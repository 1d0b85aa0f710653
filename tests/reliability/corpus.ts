/**
 * The bad-input corpus: invalid arguments for every kind, each one mistake on
 * an otherwise valid resource, with the property path and reason `check` must
 * report. Categories follow the issue: wrong types, out-of-range numbers, bad
 * enums, overlong names, invalid JSON and numeric strings, missing required
 * fields, conflicting fields, unicode edge cases and huge maps.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Kind } from "./support";
import { jsonlRow } from "./support";

export type Category = "wrong type" | "out of range" | "bad enum" | "overlong" | "invalid string" | "missing required" | "conflicting" | "unicode" | "huge";

export interface BadInput {
    kind: Kind;
    category: Category;
    /** What is wrong, for the test title. */
    what: string;
    args: Record<string, unknown>;
    /** The property `check` must name. */
    path: string;
    /** What the reason must say. */
    reason: RegExp;
    /** A resource name of its own (the default is `bad-<n>`). */
    name?: string;
}

/** Files the bailian.File cases point at. */
export interface DataFiles {
    dir: string;
    good: string;
    badLine2: string;
    empty: string;
    csv: string;
    notZip: string;
    oversized: string;
    noAssistant: string;
    directory: string;
    missing: string;
}

/** Where the files live in `dir` (nothing is written). */
export function dataFilePaths(dir: string): DataFiles {
    const p = (name: string) => path.join(dir, name);
    return {
        dir,
        good: p("good.jsonl"),
        badLine2: p("bad-line-2.jsonl"),
        empty: p("empty.jsonl"),
        csv: p("data.csv"),
        notZip: p("images.zip"),
        oversized: p("oversized.jsonl"),
        noAssistant: p("no-assistant.jsonl"),
        directory: p("a-directory.jsonl"),
        missing: p("does-not-exist.jsonl"),
    };
}

export function writeDataFiles(dir: string): DataFiles {
    const files = dataFilePaths(dir);
    fs.writeFileSync(files.good, jsonlRow("Fine.") + jsonlRow("Also fine."));
    fs.writeFileSync(files.badLine2, jsonlRow("Fine.") + '{"messages": [\n');
    fs.writeFileSync(files.empty, "");
    fs.writeFileSync(files.csv, "prompt,completion\nhi,hello\n");
    fs.writeFileSync(files.notZip, "this is not a zip archive");
    fs.writeFileSync(files.noAssistant, JSON.stringify({ messages: [{ role: "user", content: "hi" }] }) + "\n");
    // Sparse: the size check must refuse it before reading a byte.
    fs.writeFileSync(files.oversized, "");
    fs.truncateSync(files.oversized, 301 * 1024 * 1024);
    fs.mkdirSync(files.directory, { recursive: true });
    return files;
}

// ---------------------------------------------------------------------------------------------
// Valid arguments per kind: every case changes exactly one thing.

export function validArgs(kind: Kind, files: DataFiles): Record<string, unknown> {
    switch (kind) {
        case "tione":
            return { chargeType: "POSTPAID_BY_HOUR", resourceConfigInfos: [{ role: "WORKER", instanceType: "TI.S.MEDIUM.POST" }], startCmdInfo: { startCmd: "python train.py" } };
        case "polardb":
            return {
                dbClusterId: "pc-2ze0000000000000",
                modelSource: "public",
                modelName: "Qwen3-8B",
                datasetPath: "pds-2zetrain001",
                runningParameter: { train_mode: "sft", train_type: "lora", num_epochs: 1, learning_rate: "1e-6" },
            };
        case "fineTune":
            return { model: "qwen3-8b", trainingFileIds: ["file-ft-0001"], trainingType: "efficient_sft", hyperParameters: { nEpochs: 1, batchSize: 8, maxLength: 2048, loraRank: 8 } };
        case "file":
            return { source: files.good, description: "support answers" };
        case "alaya":
            return {
                name: "reliability-template",
                image: "harbor.zetyun.cn/anc-public/general/pytorch:2.3",
                imageType: "general",
                env: { MODE: "train" },
                resource: { cpuCores: 2, gpuCount: 1, workerCount: 1 },
                storageConfigs: [{ storageId: "nas-1", mountPath: "/root/data" }],
            };
    }
}

type Path = Array<string | number>;

function parsePath(p: string): Path {
    return p.split(/\.|\[(\d+)\]/).filter((x) => x !== undefined && x !== "").map((x) => (/^\d+$/.test(x) ? Number(x) : x));
}

/** A deep copy with `p` set to `value` (or removed when `value` is DELETE). */
export function mutate(base: Record<string, unknown>, p: string, value: unknown): Record<string, unknown> {
    const copy = JSON.parse(JSON.stringify(base));
    const keys = parsePath(p);
    let cur = copy;
    keys.slice(0, -1).forEach((k, i) => {
        if (cur[k] === undefined || cur[k] === null || typeof cur[k] !== "object") cur[k] = typeof keys[i + 1] === "number" ? [] : {};
        cur = cur[k];
    });
    const last = keys[keys.length - 1];
    if (value === DELETE) delete cur[last];
    else cur[last] = value;
    return copy;
}

export const DELETE = Symbol("delete");

// ---------------------------------------------------------------------------------------------

const huge = (n: number, fn: (i: number) => [string, unknown]) => Object.fromEntries(Array.from({ length: n }, (_, i) => fn(i)));

/** The whole corpus. */
export function corpus(files: DataFiles): BadInput[] {
    const cases: BadInput[] = [];
    /** One case: `set` applies the mistake(s) to the kind's valid arguments. */
    const add = (kind: Kind, category: Category, what: string, set: Record<string, unknown> | ((a: Record<string, unknown>) => Record<string, unknown>), at: string, reason: RegExp, name?: string) => {
        let args = validArgs(kind, files);
        if (typeof set === "function") args = set(args);
        else for (const [p, v] of Object.entries(set)) args = mutate(args, p, v);
        cases.push({ kind, category, what, args, path: at, reason, name });
    };
    const at = (kind: Kind, category: Category, p: string, value: unknown, reason: RegExp, what?: string, reportedAt = p) =>
        add(kind, category, what ?? `${p} = ${short(value)}`, { [p]: value }, reportedAt, reason);

    // ---------------------------------------------------------------- tione.TrainingTask
    const T: Kind = "tione";
    at(T, "wrong type", "chargeType", 5, /must be one of PREPAID, POSTPAID_BY_HOUR/);
    at(T, "wrong type", "resourceConfigInfos", "WORKER", /expected array/);
    at(T, "wrong type", "resourceConfigInfos[0].cpu", "2000", /expected number/);
    at(T, "wrong type", "logEnable", "yes", /expected boolean/);
    at(T, "wrong type", "tags", { team: "ml" }, /expected array/);
    at(T, "wrong type", "envs", [{ name: "TOKEN", value: 5 }], /expected string/, "envs[0].value = 5", "envs[0].value");
    at(T, "wrong type", "waitForCompletion", "false", /expected boolean/);
    at(T, "wrong type", "completionTimeoutMinutes", "30", /expected number/);
    at(T, "wrong type", "startCmdInfo", "python train.py", /expected object/);
    at(T, "wrong type", "queues", "queue-1", /expected array/);
    at(T, "wrong type", "remark", 42, /expected string/);
    at(T, "wrong type", "resourceConfigInfos[0].rdmaConfig", true, /expected object/);
    at(T, "wrong type", "imageInfo", null, /expected object, received null/);
    at(T, "out of range", "resourceConfigInfos[0].cpu", 0, /must be at least 1/);
    at(T, "out of range", "resourceConfigInfos[0].cpu", 1.5, /whole number of 1\/1000 cores/);
    at(T, "out of range", "resourceConfigInfos[0].gpu", -100, /must be at least 0/);
    at(T, "out of range", "resourceConfigInfos[0].instanceNum", 0, /must be at least 1/);
    at(T, "out of range", "completionTimeoutMinutes", 0, /greater than 0/);
    at(T, "out of range", "completionTimeoutMinutes", -5, /greater than 0/);
    at(T, "out of range", "completionTimeoutMinutes", 20000, /at most 10080/);
    at(T, "out of range", "exposeNetworkConfig.sshConfig.port", 70000, /at most 65535/);
    at(T, "out of range", "exposeNetworkConfig.sshConfig.port", 0, /at least 1/);
    at(T, "out of range", "trainToolConfig.logHangTimeoutInMinute", 0, /at least 1/);
    at(T, "out of range", "trainToolConfig.logHangTimeoutInMinute", 20000, /at most 14400/);
    at(T, "out of range", "dataConfigs", Array.from({ length: 11 }, () => ({ dataSourceType: "DATASET", dataSetSource: { id: "ds-1" } })), /at most 10 data configs/, "dataConfigs with 11 items");
    at(T, "bad enum", "chargeType", "HOURLY", /must be one of PREPAID, POSTPAID_BY_HOUR/);
    at(T, "bad enum", "chargeType", "postpaid_by_hour", /must be one of PREPAID, POSTPAID_BY_HOUR/, "chargeType in lower case");
    at(T, "bad enum", "resourceConfigInfos[0].role", "CHIEF", /must be one of PS, WORKER, DRIVER, EXECUTOR/);
    at(T, "bad enum", "imageInfo", { imageType: "DOCKERHUB", imageUrl: "x" }, /must be one of TCR, CCR/, "imageInfo.imageType = DOCKERHUB", "imageInfo.imageType");
    at(T, "bad enum", "dataSource", "S3", /must be one of DATASET, COS/);
    at(T, "bad enum", "dataConfigs", [{ dataSourceUsage: "INPUT" }], /must be one of BUILTIN_CODE/, "dataConfigs[0].dataSourceUsage = INPUT", "dataConfigs[0].dataSourceUsage");
    at(T, "bad enum", "dataConfigs", [{ dataSourceType: "S3" }], /must be one of DATASET, COS/, "dataConfigs[0].dataSourceType = S3", "dataConfigs[0].dataSourceType");
    at(T, "bad enum", "resourceSupplyAttribute", { supplyType: "CHEAP" }, /must be one of TIDE, SPOT/, "resourceSupplyAttribute.supplyType = CHEAP", "resourceSupplyAttribute.supplyType");
    at(T, "bad enum", "dataConfigs", [{ dataSourceType: "CFS", cfsSource: { id: "cfs-1", path: "/", protocol: "3" } }], /must be one of 1, 2/, "dataConfigs[0].cfsSource.protocol = 3", "dataConfigs[0].cfsSource.protocol");
    at(T, "overlong", "name", "t".repeat(61), /at most 60 characters/, "name of 61 characters");
    at(T, "overlong", "name", "训".repeat(61), /at most 60 characters/, "name of 61 Chinese characters");
    at(T, "overlong", "remark", "r".repeat(1025), /at most 1024 characters/, "remark of 1025 characters");
    at(T, "overlong", "tuningParameters", JSON.stringify({ notes: "n".repeat(2040) }), /at most 2048 characters/, "tuningParameters string of 2055 characters");
    add(T, "overlong", "no name and a 61-character resource name", {}, "name", /is required: the resource name .* is not a valid task name/, "r".repeat(61));
    add(T, "invalid string", "no name and a resource name with a dot", {}, "name", /is required: the resource name "task.v2" is not a valid task name/, "task.v2");
    at(T, "invalid string", "callbackUrl", "ftp://hooks.example.com/ti", /http\(s\) URL/);
    at(T, "invalid string", "callbackUrl", "https://hooks example.com", /http\(s\) URL/, "callbackUrl with a space");
    at(T, "invalid string", "region", "Guangzhou", /Tencent Cloud region/);
    at(T, "missing required", "chargeType", DELETE, /must be one of PREPAID, POSTPAID_BY_HOUR/, "chargeType missing");
    at(T, "missing required", "resourceConfigInfos", DELETE, /expected array, received undefined/, "resourceConfigInfos missing");
    at(T, "missing required", "resourceConfigInfos", [], /at least one role/, "resourceConfigInfos empty");
    at(T, "missing required", "resourceConfigInfos[0].role", DELETE, /must be one of PS, WORKER/, "resourceConfigInfos[0].role missing");
    at(T, "missing required", "resourceConfigInfos[0].instanceType", DELETE, /is required when chargeType is POSTPAID_BY_HOUR/, "POSTPAID_BY_HOUR without instanceType");
    add(T, "missing required", "PREPAID without resourceGroupId", { chargeType: "PREPAID", "resourceConfigInfos[0].cpu": 4000, "resourceConfigInfos[0].memory": 8192 }, "resourceGroupId", /is required when chargeType is PREPAID/);
    add(T, "missing required", "PREPAID without memory", { chargeType: "PREPAID", resourceGroupId: "trsg-1", "resourceConfigInfos[0].cpu": 4000 }, "resourceConfigInfos[0].memory", /is required when chargeType is PREPAID/);
    at(T, "missing required", "imageInfo", { imageType: "TCR" }, /expected string, received undefined/, "imageInfo without imageUrl", "imageInfo.imageUrl");
    at(T, "missing required", "logConfig", { logsetId: "ls-1" }, /expected string, received undefined/, "logConfig without topicId", "logConfig.topicId");
    at(T, "missing required", "envs", [{ value: "x" }], /expected string, received undefined/, "envs[0] without name", "envs[0].name");
    at(T, "missing required", "codeRepos", [{ id: "repo-1" }], /expected string, received undefined/, "codeRepos[0] without targetPath", "codeRepos[0].targetPath");
    at(T, "conflicting", "imageInfo", { imageType: "TCR", imageUrl: "ccr.ccs.tencentyun.com/a/b:1", imageSecret: { username: "u" } }, /applies only to imageType CUSTOM/, "imageSecret on a TCR image", "imageInfo.imageSecret");
    at(T, "conflicting", "dataConfigs", [{ dataSourceType: "COS" }], /is required when dataSourceType is COS/, "dataSourceType COS without cosSource", "dataConfigs[0].cosSource");
    at(T, "conflicting", "tags", [{ tagKey: "pulumi-training-marker", tagValue: "x" }], /reserved/, "the reserved marker tag", "tags[0].tagKey");
    at(T, "conflicting", "codePackagePath", { bucket: "b", region: "ap-guangzhou", paths: ["/a", "/b"] }, /single COS path/, "two code package paths", "codePackagePath.paths");
    at(T, "conflicting", "envs", [{ name: "TOKEN", value: "1" }, { name: "TOKEN", value: "2" }], /duplicates envs\[0\]\.name/, "the same env variable twice", "envs[1].name");
    add(T, "conflicting", "a misspelt argument (chargetype)", (a) => ({ ...a, chargetype: "PREPAID" }), "(resource)", /unknown argument "chargetype": did you mean chargeType\?/);
    at(T, "conflicting", "resourceConfigInfos[0].gpus", 100, /unknown argument "gpus": did you mean gpu\?/, "a misspelt nested argument (gpus)", "resourceConfigInfos[0]");
    at(T, "unicode", "name", "训练🚀", /must contain only Chinese or English letters/, "name with an emoji");
    at(T, "unicode", "name", "train\u200bjob", /must contain only/, "name with a zero-width space");
    at(T, "unicode", "name", "ｔｒａｉｎ", /must contain only/, "name in full-width letters");
    at(T, "unicode", "name", "train\njob", /must contain only/, "name with a line break");
    at(T, "unicode", "envs", [{ name: "变量", value: "1" }], /environment variable name/, "env name in Chinese", "envs[0].name");
    at(T, "unicode", "envs", [{ name: "MY VAR", value: "1" }], /environment variable name/, "env name with a space", "envs[0].name");
    at(T, "unicode", "envs", [{ name: "1ST", value: "1" }], /not starting with a digit/, "env name starting with a digit", "envs[0].name");
    at(T, "unicode", "region", "ap-广州", /Tencent Cloud region/, "region in Chinese");
    at(T, "huge", "tuningParameters", huge(300, (i) => [`param_${i}`, i]), /serializes to \d+ characters; TI-ONE accepts at most 2048/, "tuningParameters object with 300 keys");
    at(T, "huge", "envs", Array.from({ length: 3000 }, (_, i) => ({ name: i === 2999 ? "BAD NAME" : `VAR_${i}`, value: "v" })), /environment variable name/, "3000 envs, the last one misnamed", "envs[2999].name");
    at(T, "huge", "tags", Array.from({ length: 2000 }, (_, i) => ({ tagKey: i === 1999 ? "pulumi-training-marker" : `k${i}`, tagValue: "v" })), /reserved/, "2000 tags, the last one reserved", "tags[1999].tagKey");

    // ---------------------------------------------------------------- polardb.AidbTask
    const P: Kind = "polardb";
    at(P, "wrong type", "dbClusterId", 123, /expected string/);
    at(P, "wrong type", "modelName", 7, /is required: a preset model/);
    at(P, "wrong type", "runningParameter", '{"train_mode":"sft"}', /expected object/, "runningParameter as a JSON string");
    at(P, "wrong type", "runningParameter", [1, 2], /expected object/);
    at(P, "wrong type", "runningParameter.num_epochs", "3", /expected number/);
    at(P, "wrong type", "runningParameter.split_dataset_ratio", "0.1", /expected number/);
    at(P, "wrong type", "waitForCompletion", 1, /expected boolean/);
    at(P, "wrong type", "datasetPath", ["pds-1"], /expected string/);
    at(P, "out of range", "runningParameter.num_epochs", 0, /must be at least 1/);
    at(P, "out of range", "runningParameter.num_epochs", 2.5, /must be a whole number/);
    at(P, "out of range", "runningParameter.split_dataset_ratio", 1.5, /between 0 and 1/);
    at(P, "out of range", "runningParameter.split_dataset_ratio", -0.1, /between 0 and 1/);
    at(P, "out of range", "runningParameter.learning_rate", 0, /greater than 0/);
    at(P, "out of range", "runningParameter.gpu_memory_utilization", 0, /greater than 0 and at most 1/);
    at(P, "out of range", "runningParameter.gpu_memory_utilization", 1.2, /greater than 0 and at most 1/);
    at(P, "out of range", "runningParameter.lora_rank", -8, /at least 1/);
    at(P, "out of range", "runningParameter.batch_size", 0, /at least 1/);
    at(P, "out of range", "completionTimeoutMinutes", 0, /greater than 0/);
    at(P, "out of range", "completionTimeoutMinutes", 99999, /at most 10080/);
    at(P, "bad enum", "modelSource", "private", /must be "public" \(a preset model\) or "custom"/);
    at(P, "bad enum", "kubeType", "k8s", /must be "aitrain"/);
    at(P, "bad enum", "runningParameter.train_mode", "rlhf", /must be one of sft, grpo/);
    at(P, "bad enum", "runningParameter.train_type", "qlora", /must be one of lora, full/);
    at(P, "overlong", "taskName", "t".repeat(56), /at most 55 characters/, "taskName of 56 characters");
    at(P, "invalid string", "runningParameter.learning_rate", "fast", /positive number such as "1e-6"/);
    at(P, "invalid string", "runningParameter.learning_rate", "-1e-6", /positive number/);
    at(P, "invalid string", "runningParameter.reward_funcs", "", /must not be empty/);
    at(P, "invalid string", "dbClusterId", "cluster-1", /must be a PolarDB cluster id/);
    at(P, "invalid string", "dbClusterId", "pc-", /must be a PolarDB cluster id/);
    at(P, "invalid string", "vpcId", "vpc_123", /must look like "vpc-2zeabc123"/);
    at(P, "invalid string", "vSwitchId", "vs-1", /must look like "vsw-2zeabc123"/);
    at(P, "invalid string", "securityGroupId", "sg-", /must look like "sg-2zeabc123"/);
    at(P, "invalid string", "zoneId", "Beijing", /zone id/);
    at(P, "invalid string", "regionId", "CN-BEIJING", /region id/);
    at(P, "missing required", "dbClusterId", DELETE, /expected string, received undefined/, "dbClusterId missing");
    at(P, "missing required", "modelSource", DELETE, /must be "public"/, "modelSource missing");
    at(P, "missing required", "modelName", DELETE, /is required: a preset model/, "modelName missing");
    at(P, "missing required", "runningParameter", DELETE, /expected object, received undefined/, "runningParameter missing");
    at(P, "missing required", "datasetPath", DELETE, /is required for fine-tuning/, "a fine-tune without datasetPath");
    add(P, "missing required", "an evaluation without any dataset", { runningParameter: { num_generations: 2 }, datasetPath: DELETE }, "datasetPath", /set datasetPath \(fine-tuning\) or evalDatasetPath/);
    add(P, "conflicting", "a misspelt argument (runningParameters)", (a) => ({ ...a, runningParameters: { num_epochs: 2 } }), "(resource)", /unknown argument "runningParameters": did you mean runningParameter\?/);
    add(P, "conflicting", "a misspelt argument (dbclusterID)", (a) => ({ ...a, dbclusterID: "pc-1" }), "(resource)", /unknown argument "dbclusterID": did you mean dbClusterId\?/);
    at(P, "unicode", "taskName", "任务\u0000一", /control characters/, "taskName with a NUL");
    at(P, "unicode", "taskName", "task\nname", /control characters/, "taskName with a line break");
    at(P, "unicode", "taskName", "task\u202Eeman", /invisible formatting characters/, "taskName with a right-to-left override");
    at(P, "unicode", "dbClusterId", "pc-２ze0000", /must be a PolarDB cluster id/, "dbClusterId with a full-width digit");
    at(P, "unicode", "regionId", "cn-北京", /region id/, "regionId in Chinese");
    at(P, "huge", "runningParameter", { train_mode: "sft", train_type: "lora", ...huge(400, (i) => [`extra_setting_${i}`, `value ${i}`]) }, /bytes once encoded for the request URL; at most 4096 fit/, "runningParameter with 400 keys");
    at(P, "huge", "runningParameter", { train_mode: "sft", ...huge(2000, (i) => [`k${i}`, i]), num_epochs: -1 }, /at least 1/, "runningParameter with 2000 keys and a bad num_epochs", "runningParameter.num_epochs");

    // ---------------------------------------------------------------- bailian.FineTuneJob
    const F: Kind = "fineTune";
    at(F, "wrong type", "model", 8, /is required: the base model id/);
    at(F, "wrong type", "trainingFileIds", "file-ft-0001", /expected array/);
    at(F, "wrong type", "trainingFileIds", [1], /expected string/, "trainingFileIds[0] = 1", "trainingFileIds[0]");
    at(F, "wrong type", "hyperParameters.nEpochs", "3", /expected number/);
    at(F, "wrong type", "hyperParameters.freezeVit", "no", /expected boolean/);
    at(F, "wrong type", "extraHyperParameters", "lr=1", /expected record/);
    at(F, "wrong type", "hyperParameters", [], /expected object/);
    at(F, "wrong type", "validationFileIds", { a: 1 }, /expected array/);
    at(F, "out of range", "hyperParameters.nEpochs", 0, /must be at least 1/);
    at(F, "out of range", "hyperParameters.nEpochs", 1.5, /whole number/);
    at(F, "out of range", "hyperParameters.batchSize", -1, /at least 1/);
    at(F, "out of range", "hyperParameters.learningRate", 0, /greater than 0/);
    at(F, "out of range", "hyperParameters.warmupRatio", 2, /between 0 and 1/);
    at(F, "out of range", "hyperParameters.loraDropout", -0.5, /between 0 and 1/);
    at(F, "out of range", "hyperParameters.weightDecay", -1, /must not be negative/);
    at(F, "out of range", "hyperParameters.split", 1.01, /between 0 and 1/);
    at(F, "out of range", "completionTimeoutMinutes", 0, /greater than 0/);
    at(F, "out of range", "completionTimeoutMinutes", 10081, /at most 10080/);
    at(F, "bad enum", "trainingType", "lora", /expected one of "sft"\|"efficient_sft"/);
    at(F, "bad enum", "hyperParameters.saveStrategy", "hourly", /expected one of "epoch"\|"steps"/);
    at(F, "bad enum", "trainingDatasets", [{ dataSourceType: "s3" }], /expected one of "file_id"\|"oss_mount"/, "trainingDatasets[0].dataSourceType = s3", "trainingDatasets[0].dataSourceType");
    at(F, "overlong", "jobName", "j".repeat(65), /at most 64 characters/, "jobName of 65 characters");
    at(F, "overlong", "modelName", "m".repeat(65), /at most 64 characters/, "modelName of 65 characters");
    at(F, "overlong", "finetunedOutputSuffix", "s".repeat(33), /1-32 lowercase letters/, "finetunedOutputSuffix of 33 characters");
    at(F, "invalid string", "hyperParameters.augmentationRatio", "0.1;0.2", /comma-separated list of numbers/);
    at(F, "invalid string", "hyperParameters.learningRate", "fast", /positive number such as "1e-5"/);
    at(F, "invalid string", "hyperParameters.learningRate", "0", /positive number/);
    at(F, "invalid string", "finetunedOutputSuffix", "My_Model", /1-32 lowercase letters/);
    at(F, "missing required", "model", DELETE, /is required: the base model id/, "model missing");
    at(F, "missing required", "model", "", /is required: the base model id/, "model empty");
    at(F, "missing required", "trainingFileIds", DELETE, /set trainingFileIds or trainingDatasets/, "no training data at all");
    at(F, "missing required", "trainingFileIds", [], /at least one file id/, "trainingFileIds empty");
    at(F, "missing required", "trainingFileIds", [""], /must not be empty/, "trainingFileIds holding an empty id", "trainingFileIds[0]");
    at(F, "missing required", "hyperParameters.batchSize", DELETE, /is required: DashScope requires batch_size/, "hyperParameters without batchSize");
    at(F, "missing required", "hyperParameters.maxLength", DELETE, /is required: DashScope requires max_length/, "hyperParameters without maxLength");
    add(F, "missing required", "a file_id dataset without fileId", { trainingFileIds: DELETE, trainingDatasets: [{ dataSourceType: "file_id" }] }, "trainingDatasets[0].fileId", /is required when dataSourceType is "file_id"/);
    add(F, "missing required", "an oss_mount dataset without mountStorage", { trainingFileIds: DELETE, trainingDatasets: [{ dataSourceType: "oss_mount" }] }, "trainingDatasets[0].mountStorage", /is required when dataSourceType is "oss_mount"/);
    add(F, "missing required", "mountStorage without filePath", { trainingFileIds: DELETE, trainingDatasets: [{ dataSourceType: "oss_mount", mountStorage: { region: "cn-beijing", bucket: "b" } }] }, "trainingDatasets[0].mountStorage.filePath", /expected string, received undefined/);
    add(F, "conflicting", "trainingFileIds and trainingDatasets together", { trainingDatasets: [{ dataSourceType: "file_id", fileId: "file-ft-2" }] }, "trainingDatasets", /conflicts with trainingFileIds/);
    add(F, "conflicting", "validationFileIds and validationDatasets together", { validationFileIds: ["file-ft-3"], validationDatasets: [{ dataSourceType: "file_id", fileId: "file-ft-4" }] }, "validationDatasets", /conflicts with validationFileIds/);
    add(F, "conflicting", "a LoRA setting on full sft", { trainingType: "sft" }, "hyperParameters.loraRank", /applies only to trainingType "efficient_sft" or "dpo_lora", not "sft"/);
    at(F, "conflicting", "extraHyperParameters.n_epochs", 3, /is a typed hyper-parameter: set hyperParameters\.nEpochs instead/, "n_epochs through extraHyperParameters");
    at(F, "conflicting", "extraHyperParameters.learning_rate", "-1", /set hyperParameters\.learningRate instead/, "an invalid learning_rate smuggled through extraHyperParameters");
    add(F, "conflicting", "a misspelt argument (hyperparameters)", (a) => ({ ...a, hyperparameters: { nEpochs: 3 } }), "(resource)", /unknown argument "hyperparameters": did you mean hyperParameters\?/);
    at(F, "conflicting", "hyperParameters.epochs", 3, /unknown argument "epochs"/, "an unknown hyper-parameter (epochs)", "hyperParameters");
    at(F, "unicode", "finetunedOutputSuffix", "模型", /1-32 lowercase letters/, "finetunedOutputSuffix in Chinese");
    at(F, "unicode", "jobName", "job\u0000x", /control characters/, "jobName with a NUL");
    at(F, "unicode", "modelName", "model\u200b", /invisible formatting characters/, "modelName with a zero-width space");
    at(F, "unicode", "finetunedOutputSuffix", "abc\u200b", /1-32 lowercase letters/, "finetunedOutputSuffix with a zero-width space");
    at(F, "huge", "extraHyperParameters", huge(5000, (i) => [i === 4999 ? "learning_rate" : `custom_${i}`, i]), /set hyperParameters\.learningRate instead/, "extraHyperParameters with 5000 keys, the last a typed one", "extraHyperParameters.learning_rate");

    // ---------------------------------------------------------------- bailian.File
    const B: Kind = "file";
    at(B, "missing required", "source", DELETE, /is required: the path of the local file/, "source missing");
    at(B, "missing required", "source", "", /is required: the path of the local file/, "source empty");
    at(B, "wrong type", "source", 5, /is required: the path of the local file/);
    at(B, "wrong type", "description", 7, /expected string/);
    at(B, "invalid string", "source", files.missing, /no such file/, "source that does not exist");
    at(B, "invalid string", "source", files.directory, /is not a regular file/, "source that is a directory");
    at(B, "invalid string", "source", files.badLine2, /line 2/, "JSONL whose line 2 is not JSON");
    at(B, "invalid string", "source", files.noAssistant, /assistant/, "JSONL without an assistant answer");
    at(B, "invalid string", "source", files.empty, /is empty/, "an empty file");
    at(B, "invalid string", "source", files.csv, /must be a \.jsonl file/, "a .csv file for fine-tuning");
    at(B, "invalid string", "source", files.notZip, /zip signature/, "a .zip that is not a zip archive");
    at(B, "out of range", "source", files.oversized, /300\.0 MiB/, "a 301 MiB file (the limit is 300 MB)");
    at(B, "bad enum", "purpose", "training", /must be one of fine-tune, file-extract, batch/);
    at(B, "wrong type", "purpose", 3, /must be one of fine-tune/);
    at(B, "invalid string", "sha256", "abc", /computed by the provider/);
    at(B, "invalid string", "workspaceId", "", /too small|at least 1|>=1/);
    add(B, "conflicting", "a misspelt argument (sources)", (a) => ({ ...a, sources: "x.jsonl" }), "(resource)", /unknown argument "sources": did you mean source\?/);

    // ---------------------------------------------------------------- alaya.TrainingTemplate
    const A: Kind = "alaya";
    at(A, "wrong type", "name", 5, /is required: the template name/);
    at(A, "wrong type", "aidcId", "2", /expected number/);
    at(A, "wrong type", "env", "MODE=train", /expected record/);
    at(A, "wrong type", "env.MODE", 1, /must be a string/);
    at(A, "wrong type", "resource", "worker", /expected object/);
    at(A, "wrong type", "storageConfigs", { storageId: "nas-1" }, /expected array/);
    at(A, "wrong type", "enableAutoRetry", "true", /expected boolean/);
    at(A, "wrong type", "priority", "2", /expected number/);
    at(A, "wrong type", "resource.workerCount", "2", /expected number/);
    at(A, "out of range", "priority", 0, /must be 1, 2 or 3/);
    at(A, "out of range", "priority", 4, /must be 1, 2 or 3/);
    at(A, "out of range", "priority", 2.5, /must be 1, 2 or 3/);
    at(A, "out of range", "aidcId", 0, /compute-centre id/);
    add(A, "out of range", "maxRetryCount 0", { enableAutoRetry: true, maxRetryCount: 0 }, "maxRetryCount", /at least 1/);
    at(A, "out of range", "timeoutHours", 0, /at least 1 hour/);
    at(A, "out of range", "resource.cpuCores", 0, /greater than 0/);
    at(A, "out of range", "resource.cpuCores", "-2", /greater than 0, as a number or a numeric string/);
    at(A, "out of range", "resource.gpuCount", 1.5, /whole number/);
    at(A, "out of range", "resource.workerCount", 0, /at least 1/);
    at(A, "out of range", "resource.productPrice", -1, /must not be negative/);
    at(A, "bad enum", "trainingType", "SFT", /must be one of PRE_TRAINING, HPC/);
    at(A, "bad enum", "trainingFramework", "JAX", /must be one of PyTorch, DeepSpeed, MPI, TensorFlow/);
    at(A, "bad enum", "imageType", "public", /must be one of general, application, private/);
    at(A, "overlong", "name", "n".repeat(256), /at most 255 characters/, "name of 256 characters");
    at(A, "overlong", "name", "n".repeat(20000), /at most 255 characters/, "name of 20000 characters");
    at(A, "invalid string", "resource.memoryGB", "lots", /numeric string/);
    at(A, "invalid string", "storageConfigs[0].mountPath", "data", /absolute path/);
    at(A, "invalid string", "startCommand", "", /must not be empty/);
    at(A, "missing required", "name", DELETE, /is required: the template name/, "name missing");
    at(A, "missing required", "name", "   ", /is required: the template name/, "name of spaces");
    at(A, "invalid string", "storageConfigs", [{ storageId: "" }], /must not be empty/, "storageConfigs[0] with an empty storageId", "storageConfigs[0].storageId");
    at(A, "missing required", "imageType", DELETE, /is required with image/, "image without imageType");
    at(A, "missing required", "image", DELETE, /is required with imageType "general"/, "imageType without image");
    at(A, "missing required", "enableTimeoutCancel", true, /is required \(1 or more hours\) when enableTimeoutCancel is true/, "enableTimeoutCancel without timeoutHours", "timeoutHours");
    add(A, "conflicting", "maxRetryCount without enableAutoRetry", { enableAutoRetry: false, maxRetryCount: 2 }, "maxRetryCount", /applies only with enableAutoRetry: true/);
    at(A, "conflicting", "imageType", "private", /is "private", but .* is a public Alaya image/, "imageType private with a public image");
    at(A, "conflicting", "imageType", "application", /use "general"/, "imageType application with a general image");
    at(A, "conflicting", "storageConfigs", [{ storageId: "a", mountPath: "/data" }, { storageId: "b", mountPath: "/data/" }], /mount paths must be distinct/, "two mounts at /data and /data/", "storageConfigs[1].mountPath");
    add(A, "conflicting", "the API's own misspelling trainingFramwork", (a) => ({ ...a, trainingFramwork: "PyTorch" }), "(resource)", /unknown argument "trainingFramwork": did you mean trainingFramework\?/);
    at(A, "unicode", "env", { 变量: "1" }, /is not a valid variable name/, "env key in Chinese", "env.变量");
    at(A, "unicode", "env", { "1ABC": "1" }, /is not a valid variable name/, "env key starting with a digit", "env.1ABC");
    at(A, "unicode", "env", { "A-B": "1" }, /is not a valid variable name/, "env key with a dash", "env.A-B");
    at(A, "unicode", "name", "tpl\u0000x", /control characters/, "name with a NUL");
    at(A, "unicode", "name", "\u200b", /invisible formatting characters/, "name of a zero-width space only");
    at(A, "unicode", "name", "tpl\u202Egnp.exe", /invisible formatting characters/, "name with a right-to-left override");
    at(A, "huge", "env", huge(5000, (i) => [i === 4999 ? "BAD KEY" : `VAR_${i}`, "v"]), /is not a valid variable name/, "env with 5000 keys, the last misnamed", "env.BAD KEY");
    at(A, "huge", "storageConfigs", Array.from({ length: 2000 }, (_, i) => ({ storageId: `s${i}`, mountPath: i === 1999 ? "/mnt/0" : `/mnt/${i}` })), /like storageConfigs\[0\]: mount paths must be distinct/, "2000 mounts, the last one a duplicate", "storageConfigs[1999].mountPath");

    return cases;
}

function short(v: unknown): string {
    const s = typeof v === "symbol" || v === undefined ? "(removed)" : JSON.stringify(v);
    return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}
