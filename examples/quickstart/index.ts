// The quickstart: one training resource per cloud. `npm run demo` runs it
// against the embedded emulator; point the same program at real clouds by
// setting their credentials (see the README).
import * as pulumi from "@pulumi/pulumi";
import { bailian } from "pulumi-training";

const config = new pulumi.Config();

// A LoRA fine-tune of Qwen3 on Alibaba Model Studio (Bailian).
const fineTune = new bailian.FineTuneJob("support-bot", {
    model: config.get("baseModel") ?? "qwen3-8b",
    trainingFileIds: [config.require("trainingFileId")],
    trainingType: "efficient_sft",
    hyperParameters: { nEpochs: 3, learningRate: "1e-4", loraRank: 64, loraAlpha: 32 },
    finetunedOutputSuffix: "support",
    completionTimeoutMinutes: 120,
});

export const fineTuneJobId = fineTune.jobId;
export const fineTuneStatus = fineTune.status;
export const fineTunedModel = fineTune.finetunedOutput;
