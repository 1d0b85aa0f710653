// Credentials from encrypted stack config instead of environment variables.
//
// The provider reads `dashscope:apiKey`, `tencentcloud:secretId`/`secretKey`,
// `alicloud:accessKey`/`secretKey` and `alaya:apiKey` (and the endpoint and
// region keys) from this stack's config inside the provider process, so a
// team can keep one stack per account in Pulumi.<stack>.yaml, encrypted, with
// nothing exported in the shell. This program never reads a credential
// itself: it only asks whether one is set, and declares one training resource
// for each cloud that has credentials in the config.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { alaya, bailian, polardb, tione } from "pulumi-training";

const config = new pulumi.Config();

/** Whether `<namespace>:<key>` is set in this stack's config. Read as a secret, so it is never printed. */
const isSet = (namespace: string, key: string) => new pulumi.Config(namespace).getSecret(key) !== undefined;

const clouds = {
    bailian: isSet("dashscope", "apiKey"),
    tione: isSet("tencentcloud", "secretId") && isSet("tencentcloud", "secretKey"),
    polardb: isSet("alicloud", "accessKey") && isSet("alicloud", "secretKey"),
    alaya: isSet("alaya", "apiKey"),
};

if (!Object.values(clouds).some(Boolean)) {
    throw new Error(
        "No cloud credentials in this stack's config. Set at least one cloud's keys, e.g. " +
            "`pulumi config set --secret dashscope:apiKey <key>` (see README.md in this directory). " +
            "To use environment variables instead, run examples/quickstart.",
    );
}

// Alibaba Model Studio (Bailian): upload the dataset, LoRA-tune Qwen3 on it.
let fineTune: bailian.FineTuneJob | undefined;
if (clouds.bailian) {
    const data = new bailian.File("train", { source: path.join(__dirname, "data", "train.jsonl"), description: "config-credentials example" });
    fineTune = new bailian.FineTuneJob("support-bot", {
        model: config.get("baseModel") ?? "qwen3-8b",
        trainingFileIds: [data.fileId],
        trainingType: "efficient_sft",
        hyperParameters: { nEpochs: 2, batchSize: 16, maxLength: 2048, learningRate: "1e-4", loraRank: 8 },
        completionTimeoutMinutes: 120,
    });
}

// Tencent Cloud TI-ONE: a pay-as-you-go task; the region comes from `tencentcloud:region`.
let task: tione.TrainingTask | undefined;
if (clouds.tione) {
    task = new tione.TrainingTask("lora", {
        name: `config-credentials-${pulumi.getStack()}`,
        chargeType: "POSTPAID_BY_HOUR",
        resourceConfigInfos: [{ role: "WORKER", instanceType: config.get("tioneInstanceType") ?? "TI.GN7.8XLARGE128.POST", instanceNum: 1 }],
        startCmdInfo: { startCmd: "python /opt/ml/code/train_lora.py --epochs 2" },
        remark: "config-credentials example",
        completionTimeoutMinutes: 360,
    });
}

// PolarDB for AI: a GRPO task on your cluster; the region comes from `alicloud:region`.
let aidb: polardb.AidbTask | undefined;
if (clouds.polardb) {
    aidb = new polardb.AidbTask("grpo", {
        dbClusterId: config.require("dbClusterId"),
        modelSource: "public",
        modelName: "Qwen3-8B",
        datasetPath: config.require("polardbDatasetId"),
        runningParameter: { train_mode: "grpo", train_type: "lora", num_epochs: 1, learning_rate: "1e-6", reward_funcs: "format" },
        completionTimeoutMinutes: 12 * 60,
    });
}

// Alaya NeW: a training template (configuration only: up returns at once).
let template: alaya.TrainingTemplate | undefined;
if (clouds.alaya) {
    template = new alaya.TrainingTemplate("pytorch", {
        name: `config-credentials-${pulumi.getStack()}`,
        trainingType: "PRE_TRAINING",
        trainingFramework: "PyTorch",
        imageType: "general",
        image: "harbor.zetyun.cn/anc-public/general/pytorch:2.3",
        resource: { type: "worker", gpuName: "NVIDIA-L40S-PCIE-48G", cpuCores: 8, gpuCount: 1, memoryGB: 64, workerCount: 1, productCode: config.get("alayaProductCode") ?? "PRD-QTT" },
        startCommand: "python train.py",
        enableTimeoutCancel: true,
        timeoutHours: 12,
    });
}

/** The clouds this stack's config has credentials for. */
export const configuredClouds = Object.entries(clouds).filter(([, on]) => on).map(([cloud]) => cloud);
export const fineTuneJobId = fineTune?.jobId;
export const fineTuneStatus = fineTune?.status;
export const fineTunedModel = fineTune?.finetunedOutput;
export const tioneTaskId = task?.taskId;
export const tioneStatus = task?.status;
export const polardbTaskId = aidb?.taskId;
export const polardbStatus = aidb?.status;
export const polardbCheckpoints = aidb?.modelPaths;
export const alayaTemplateId = template?.templateId;
