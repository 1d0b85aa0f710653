/**
 * Registered inputs of each resource kind, shaped as the engine harness registers them (camelCase
 * inputs plus the serialized `__provider`). Every fixture complies with every guardrail's default
 * settings, so a test changes one thing and sees one policy react.
 */

import { TYPE_TOKENS } from "../../policy/kinds";

export { TYPE_TOKENS };

/** Stands in for the serialized dynamic provider every registered input carries. */
export const PROVIDER_TEXT = 'exports.handler = __f0;\nfunction __f0() { return require("pulumi-training/provider/stub").provider; }';

type Props = Record<string, unknown>;

/** A TI-ONE task: one T4 worker, tagged, in a VPC, with a custom image. */
export function tioneTask(overrides: Props = {}): Props {
    return {
        __provider: PROVIDER_TEXT,
        name: "llama-lora",
        chargeType: "POSTPAID_BY_HOUR",
        resourceConfigInfos: [
            {
                role: "WORKER",
                instanceType: "TI.GN7.8XLARGE128.POST",
                instanceNum: 1,
                cpu: 32000,
                memory: 131072,
                gpu: 100,
                gpuType: "T4",
            },
        ],
        tags: [
            { tagKey: "cost-center", tagValue: "ml-42" },
            { tagKey: "owner", tagValue: "alice" },
        ],
        imageInfo: { imageType: "CCR", imageUrl: "ccr.ccs.tencentyun.com/ml-team/trainer:1.0", registryRegion: "ap-guangzhou" },
        vpcId: "vpc-2ad0h1qc",
        subnetId: "subnet-5lxo1xjv",
        envs: [{ name: "EPOCHS", value: "3" }],
        region: "ap-guangzhou",
        waitForCompletion: true,
        completionTimeoutMinutes: 600,
        ...overrides,
    };
}

/** An Alaya template: 2 workers × 2 L40S, capped retries, timeout cancel on. */
export function alayaTemplate(overrides: Props = {}): Props {
    return {
        __provider: PROVIDER_TEXT,
        name: "qwen-pretrain",
        image: "harbor.zetyun.cn/anc-public/general/pytorch:2.3-gpu",
        imageType: "general",
        env: { EPOCHS: "3", TOKENIZERS_PARALLELISM: "false" },
        resource: {
            type: "worker",
            gpuName: "NVIDIA-L40S-PCIE-48G",
            cpuCores: "16",
            gpuCount: "2",
            memoryGB: "64",
            productCode: "PRD-QTT",
            productName: "量子训练",
            workerCount: 2,
            productPrice: "0.0002B",
        },
        enableAutoRetry: true,
        maxRetryCount: 2,
        enableTimeoutCancel: true,
        timeoutHours: 12,
        priority: 2,
        ...overrides,
    };
}

/** A Bailian fine-tune: 3 epochs of efficient_sft on qwen3-8b. */
export function bailianJob(overrides: Props = {}): Props {
    return {
        __provider: PROVIDER_TEXT,
        model: "qwen3-8b",
        trainingType: "efficient_sft",
        hyperParameters: { nEpochs: 3, batchSize: 16, learningRate: "1e-4", loraRank: 8 },
        trainingFileIds: ["file-ft-b3c1f0"],
        waitForCompletion: true,
        completionTimeoutMinutes: 1440,
        ...overrides,
    };
}

/** A Bailian dataset file. */
export function bailianFile(overrides: Props = {}): Props {
    return { __provider: PROVIDER_TEXT, source: "./data/train.jsonl", purpose: "fine-tune", ...overrides };
}

/** A PolarDB AIDB task: 3 epochs of LoRA in a VPC. */
export function polardbTask(overrides: Props = {}): Props {
    return {
        __provider: PROVIDER_TEXT,
        dbClusterId: "pc-2ze8a1b3c4d5e6f7",
        modelName: "qwen2.5-7b-instruct",
        regionId: "cn-hangzhou",
        vpcId: "vpc-bp1h3a2b",
        vSwitchId: "vsw-bp1k9x0y",
        runningParameter: { train_mode: "sft", train_type: "lora", num_epochs: 3, batch_size: 8 },
        waitForCompletion: true,
        completionTimeoutMinutes: 1440,
        ...overrides,
    };
}

/** Every kind with its compliant fixture, for tests that sweep all kinds. */
export const ALL_KINDS: { type: string; props: () => Props }[] = [
    { type: TYPE_TOKENS.tioneTrainingTask, props: () => tioneTask() },
    { type: TYPE_TOKENS.alayaTrainingTemplate, props: () => alayaTemplate() },
    { type: TYPE_TOKENS.bailianFineTuneJob, props: () => bailianJob() },
    { type: TYPE_TOKENS.bailianFile, props: () => bailianFile() },
    { type: TYPE_TOKENS.polardbAidbTask, props: () => polardbTask() },
];
