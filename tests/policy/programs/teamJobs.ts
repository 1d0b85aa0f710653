// A team's training stack for the policy pack's CLI suite: a TI-ONE task on postpaid T4 instances
// with a bounded, enforced runtime, and a Bailian fine-tune on a dataset file the stack uploads.
// Stack config drives the scenarios: `instances` (TI-ONE instanceNum), `dataset` (path of the JSONL).
import * as pulumi from "@pulumi/pulumi";
import { bailian, tione } from "pulumi-training";

const cfg = new pulumi.Config();

const task = new tione.TrainingTask("lora", {
    chargeType: "POSTPAID_BY_HOUR",
    resourceConfigInfos: [{ role: "WORKER", instanceType: "TI.GN7.8XLARGE128.POST", instanceNum: cfg.getNumber("instances") ?? 1 }],
    startCmdInfo: { startCmd: "python train.py --epochs 3" },
    envs: [{ name: "WANDB_API_KEY", value: cfg.get("wandbKey") ?? "wandb-plaintext-7c2a" }],
    tags: [{ tagKey: "owner", tagValue: "ml-platform" }],
    completionTimeoutMinutes: 120,
    stopAtDeadline: true,
});

const data = new bailian.File("support-data", { source: cfg.require("dataset") });

const job = new bailian.FineTuneJob("support-bot", {
    model: "qwen3-8b",
    trainingType: "efficient_sft",
    trainingFileIds: [data.fileId],
    hyperParameters: { nEpochs: 3, batchSize: 16, maxLength: 2048 },
    waitForCompletion: false,
});

export const taskId = task.taskId;
export const jobId = job.jobId;
