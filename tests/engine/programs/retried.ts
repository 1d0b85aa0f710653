// A Pulumi program the retry suite drives through config: one job of the kind `kind` names, with `retry`.
import * as pulumi from "@pulumi/pulumi";
import { bailian, polardb, tione } from "pulumi-training";

const cfg = new pulumi.Config();
const retry = {
    maxAttempts: cfg.requireNumber("maxAttempts"),
    minIntervalSeconds: 0,
    retryableReasons: cfg.getObject<string[]>("retryableReasons"),
};
const common = { waitForCompletion: cfg.getBoolean("wait") ?? true, completionTimeoutMinutes: 30, retry };

function declare(): { id: pulumi.Output<string>; status: pulumi.Output<string>; attempts: pulumi.Output<unknown>; logTail: pulumi.Output<string[] | undefined> } {
    switch (cfg.require("kind")) {
        case "tione": {
            const t = new tione.TrainingTask("retried", {
                chargeType: "POSTPAID_BY_HOUR",
                resourceConfigInfos: [{ role: "WORKER", instanceType: "TI.GN7.8XLARGE128.POST", instanceNum: 1 }],
                startCmdInfo: { startCmd: "python train.py" },
                envs: [{ name: "API_TOKEN", value: cfg.requireSecret("apiToken") }],
                ...common,
            });
            return { id: t.taskId, status: t.status, attempts: t.attempts, logTail: t.logTail };
        }
        case "bailian": {
            const j = new bailian.FineTuneJob("retried", {
                model: "qwen3-8b",
                trainingFileIds: [cfg.require("trainingFileId")],
                trainingType: "efficient_sft",
                hyperParameters: { nEpochs: 1, batchSize: 16, maxLength: 2048, loraRank: 8 },
                ...common,
            });
            return { id: j.jobId, status: j.status, attempts: j.attempts, logTail: j.logTail };
        }
        default: {
            const t = new polardb.AidbTask("retried", {
                dbClusterId: cfg.require("dbClusterId"),
                modelSource: "public",
                modelName: "Qwen3-8B",
                datasetPath: "pds-2zetrain001",
                runningParameter: { train_mode: "sft", train_type: "lora", num_epochs: 1 },
                ...common,
            });
            return { id: t.taskId, status: t.status, attempts: t.attempts, logTail: t.logTail };
        }
    }
}

const job = declare();
export const jobId = job.id;
export const status = job.status;
export const attempts = job.attempts;
export const logTail = job.logTail;
