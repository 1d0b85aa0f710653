// A Pulumi program the alaya engine suite drives through config: each test changes one value.
import * as pulumi from "@pulumi/pulumi";
import { alaya } from "pulumi-training";

const cfg = new pulumi.Config();
const secondMount = cfg.get("secondMountPath");
const template = new alaya.TrainingTemplate("tpl", {
    name: cfg.get("templateName") ?? "engine-template",
    description: "engine suite template",
    aidcId: 2,
    trainingType: "PRE_TRAINING",
    trainingFramework: "PyTorch",
    imageType: "general",
    image: "harbor.zetyun.cn/anc-public/general/pytorch:2.3",
    env: { ENV_MODE: "production", API_TOKEN: cfg.requireSecret("apiToken") },
    resource: { type: "worker", cpuCores: 2, gpuCount: 1, memoryGB: 8, workerCount: 1, productCode: "PRD-QTT" },
    enableAutoRetry: true,
    maxRetryCount: 2,
    enableTimeoutCancel: true,
    timeoutHours: 6,
    startCommand: "python train.py --data /root/nas/data",
    priority: cfg.getNumber("priority") ?? 2,
    storageConfigs: [
        { storageId: "nas-1", storageType: "nas-capacity", fileDirectory: "data", mountPath: "/root/nas/data", onlyRead: true },
        ...(secondMount ? [{ storageId: "nas-2", mountPath: secondMount }] : []),
    ],
});

export const templateId = template.templateId;
export const priority = template.priority;
export const env = template.env;
