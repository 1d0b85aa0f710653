// The quickstart: one training resource per cloud. `npm run demo` runs it
// against the embedded emulator; point the same program at real clouds by
// setting their credentials (see the README). Every value read from config
// below has a default that works on the emulator.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { alaya, bailian, polardb, tione } from "pulumi-training";

const config = new pulumi.Config();

// Alibaba Model Studio (Bailian): upload a chat dataset, then LoRA-tune Qwen3 on it.
// The file is identified by its content: edit the JSONL and the next `up`
// uploads it again and trains a new job on it.
const dataset = new bailian.File("support-data", {
    source: path.join(__dirname, "data", "support.jsonl"),
    description: "Support conversations (training)",
});

const fineTune = new bailian.FineTuneJob("support-bot", {
    model: config.get("baseModel") ?? "qwen3-8b",
    trainingFileIds: [dataset.fileId],
    trainingType: "efficient_sft",
    hyperParameters: { nEpochs: 3, batchSize: 16, maxLength: 2048, learningRate: "1e-4", loraRank: 64, loraAlpha: 32 },
    finetunedOutputSuffix: "support",
    completionTimeoutMinutes: 120,
});

// Tencent Cloud TI-ONE: a pay-as-you-go training task on one GPU node.
const lora = new tione.TrainingTask("qwen-lora", {
    name: `qwen-lora-${pulumi.getStack()}`,
    chargeType: "POSTPAID_BY_HOUR",
    resourceConfigInfos: [{ role: "WORKER", instanceType: "TI.GN7.8XLARGE128.POST", instanceNum: 1 }],
    startCmdInfo: { startCmd: "python /opt/ml/code/train_lora.py --model Qwen/Qwen2.5-7B-Instruct" },
    tuningParameters: { lora_rank: 16, learning_rate: 1e-4, epochs: 3 },
    remark: "quickstart",
    completionTimeoutMinutes: 360,
});

// PolarDB for AI: GRPO fine-tuning on a PolarDB cluster you already have.
const grpo = new polardb.AidbTask("qwen3-grpo", {
    dbClusterId: config.get("dbClusterId") ?? "pc-2ze0000000000000",
    modelSource: "public",
    modelName: "Qwen3-8B",
    datasetPath: config.get("polardbDatasetId") ?? "pds-2zetrain001",
    runningParameter: { train_mode: "grpo", train_type: "lora", num_epochs: 1, learning_rate: "1e-6", reward_funcs: "format" },
    completionTimeoutMinutes: 12 * 60,
});

// Alaya NeW: a reusable training template (image, resources, command).
// A secret from `pulumi config set --secret wandbApiKey ...` stays encrypted in state.
const wandbApiKey = config.getSecret("wandbApiKey");
const template = new alaya.TrainingTemplate("pytorch-l40s", {
    name: `pytorch-l40s-${pulumi.getStack()}`,
    aidcId: config.getNumber("alayaAidcId") ?? 2,
    trainingType: "PRE_TRAINING",
    trainingFramework: "PyTorch",
    imageType: "general",
    image: "harbor.zetyun.cn/anc-public/general/pytorch:2.3",
    env: wandbApiKey ? { WANDB_API_KEY: wandbApiKey } : {},
    resource: { type: "worker", gpuName: "NVIDIA-L40S-PCIE-48G", cpuCores: 8, gpuCount: 1, memoryGB: 64, workerCount: 1, productCode: config.get("alayaProductCode") ?? "PRD-QTT" },
    startCommand: "python train.py",
    timeoutHours: 12,
    enableTimeoutCancel: true,
});

export const datasetFileId = dataset.fileId;
export const fineTuneJobId = fineTune.jobId;
export const fineTuneStatus = fineTune.status;
export const fineTunedModel = fineTune.finetunedOutput;
export const tioneTaskId = lora.taskId;
export const tioneStatus = lora.status;
export const tioneConsoleUrl = lora.consoleUrl;
export const polardbTaskId = grpo.taskId;
export const polardbStatus = grpo.status;
export const polardbCheckpoints = grpo.modelPaths;
export const alayaTemplateId = template.templateId;
