// A Pulumi program the tione engine suite drives through config: each test changes one value.
import * as pulumi from "@pulumi/pulumi";
import { tione } from "pulumi-training";

const cfg = new pulumi.Config();
// Written in plaintext on purpose when set: the registry login is secret by schema.
const registryPassword = cfg.get("registryPassword");
const task = new tione.TrainingTask("lora", {
    imageInfo: registryPassword
        ? { imageType: "CUSTOM", imageUrl: "registry.example.com/team/trainer:1", imageSecret: { username: "ci-bot", password: registryPassword } }
        : undefined,
    name: cfg.get("name"),
    chargeType: "POSTPAID_BY_HOUR",
    resourceConfigInfos: [{ role: "WORKER", instanceType: "TI.GN7.8XLARGE128.POST", instanceNum: 1, gpu: cfg.getNumber("gpu") }],
    startCmdInfo: { startCmd: `python train.py --prompt "it's \\"quoted\\"" && echo 训练 $HOME` },
    tuningParameters: { learning_rate: 1e-4, lora_rank: 8 },
    remark: cfg.get("remark") ?? "engine suite",
    envs: [{ name: "API_TOKEN", value: cfg.requireSecret("apiToken") }],
    waitForCompletion: cfg.getBoolean("wait") ?? true,
    completionTimeoutMinutes: cfg.getNumber("timeout") ?? 30,
});

export const taskId = task.taskId;
export const status = task.status;
export const failureReason = task.failureReason;
export const consoleUrl = task.consoleUrl;
export const startTime = task.startTime;
export const endTime = task.endTime;
export const latestInstanceId = task.latestInstanceId;
export const billingInfo = task.billingInfo;
