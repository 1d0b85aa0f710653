import * as pulumi from "@pulumi/pulumi";
import { bailian } from "pulumi-training";

const cfg = new pulumi.Config();
const common = { model: "qwen3-8b", trainingFileIds: [cfg.require("trainingFileId")], waitForCompletion: cfg.getBoolean("wait") ?? true };
export const a = new bailian.FineTuneJob("a", { ...common, hyperParameters: { nEpochs: 1, batchSize: 8, maxLength: 2048 } }).jobId;
export const b = new bailian.FineTuneJob("b", { ...common, hyperParameters: { nEpochs: 2, batchSize: 8, maxLength: 2048 } }).jobId;
