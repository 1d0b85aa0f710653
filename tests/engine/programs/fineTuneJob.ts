// A Pulumi program the engine suites drive through config: each test changes one value.
import * as pulumi from "@pulumi/pulumi";
import { bailian } from "pulumi-training";

const cfg = new pulumi.Config();
const epochs = cfg.getNumber("epochs");
const job = new bailian.FineTuneJob("tune", {
    model: cfg.get("model") ?? "qwen3-8b",
    trainingFileIds: cfg.getObject<string[]>("trainingFileIds") ?? [cfg.require("trainingFileId")],
    trainingType: "efficient_sft",
    hyperParameters: { nEpochs: epochs ?? 2, batchSize: 16, maxLength: 2048, learningRate: cfg.get("learningRate") ?? "1e-4", loraRank: 8 },
    waitForCompletion: cfg.getBoolean("wait") ?? true,
    completionTimeoutMinutes: cfg.getNumber("timeout") ?? 30,
});

export const jobId = job.jobId;
export const status = job.status;
export const finetunedOutput = job.finetunedOutput;
