// An Alaya NeW (九章智算云) distributed-training template: the image, resources,
// mounts, environment and start command that training tasks are then created
// from (createType=TEMPLATE). Changing any field replaces the template.
import * as pulumi from "@pulumi/pulumi";
import { alaya } from "pulumi-training";

const config = new pulumi.Config();

const template = new alaya.TrainingTemplate("tensorflow-l40s", {
    // Template names are unique per Alaya account; the stack name keeps dev and prod apart.
    name: config.get("templateName") ?? `tensorflow-l40s-${pulumi.getStack()}`,
    description: "TensorFlow on one L40S, data and checkpoints on NAS",
    aidcId: config.getNumber("aidcId") ?? 2,
    trainingType: "PRE_TRAINING",
    trainingFramework: "TensorFlow",
    imageType: "general",
    image: "harbor.zetyun.cn/anc-public/general/tensorflow:2.16.1-gpu-jupyter",
    env: {
        ENV_MODE: "production",
        // A secret from `pulumi config set --secret wandbApiKey ...`: it stays
        // secret in this stack's outputs and state.
        WANDB_API_KEY: config.requireSecret("wandbApiKey"),
    },
    // Numbers here; the provider sends the strings Alaya's API expects.
    // Pick a spec from the product list (GET /v1/product/list-for-training-task).
    resource: {
        type: "worker",
        gpuName: "NVIDIA-L40S-PCIE-48G",
        cpuCores: 1,
        gpuCount: 1,
        memoryGB: 2,
        productCode: config.get("productCode") ?? "PRD-QTT",
        workerCount: 1,
    },
    enableAutoRetry: true,
    maxRetryCount: 3,
    enableTimeoutCancel: true,
    timeoutHours: 12,
    startCommand: "python train.py --data /root/nas/123/data",
    priority: 2,
    storageConfigs: [
        {
            storageId: config.get("storageId") ?? "0000-0000-0000-0000",
            storageType: "nas-capacity",
            fileDirectory: "nas123",
            mountPath: "/root/nas/123",
            onlyRead: true,
        },
    ],
});

/** Reference this id when creating a distributed training task from the template. */
export const templateId = template.templateId;
export const templateName = template.name;
export const createdAt = template.createTime;
/** Secret: shown as [secret] by `pulumi stack output`. */
export const environment = template.env;
