// One stack, two accounts and two regions per cloud: the default credentials, and the
// profiles `intl` (DashScope Singapore) and `other` (a second TI-ONE account in Shanghai).
import * as pulumi from "@pulumi/pulumi";
import { bailian, tione } from "pulumi-training";

const cfg = new pulumi.Config();
const hyperParameters = { nEpochs: 1, batchSize: 8, maxLength: 2048, learningRate: "1e-4", loraRank: 8 };

const beijing = new bailian.FineTuneJob("beijing", {
    model: "qwen3-8b",
    trainingFileIds: [cfg.require("trainingFileId")],
    trainingType: "efficient_sft",
    hyperParameters,
    region: "cn-beijing",
    waitForCompletion: false,
});
const singapore = new bailian.FineTuneJob("singapore", {
    model: "qwen3-8b",
    trainingFileIds: [cfg.require("intlTrainingFileId")],
    trainingType: "efficient_sft",
    hyperParameters,
    region: "ap-southeast-1",
    profile: "intl",
    waitForCompletion: false,
});
const guangzhou = new tione.TrainingTask("guangzhou", {
    chargeType: "POSTPAID_BY_HOUR",
    resourceConfigInfos: [{ role: "WORKER", instanceType: "TI.S.MEDIUM.POST", instanceNum: 1 }],
    waitForCompletion: false,
});
const shanghai = new tione.TrainingTask("shanghai", {
    chargeType: "POSTPAID_BY_HOUR",
    resourceConfigInfos: [{ role: "WORKER", instanceType: "TI.S.MEDIUM.POST", instanceNum: 1 }],
    region: "ap-shanghai",
    profile: "other",
    waitForCompletion: false,
});

export const jobIds = [beijing.jobId, singapore.jobId];
export const taskIds = [guangzhou.taskId, shanghai.taskId];
