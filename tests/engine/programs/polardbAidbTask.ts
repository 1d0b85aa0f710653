// A Pulumi program the polardb engine suite drives through config: each test changes one value.
import * as pulumi from "@pulumi/pulumi";
import { polardb } from "pulumi-training";

const cfg = new pulumi.Config();
const task = new polardb.AidbTask("grpo", {
    dbClusterId: cfg.require("dbClusterId"),
    modelSource: "public",
    modelName: cfg.get("modelName") ?? "Qwen3-8B",
    datasetPath: cfg.get("datasetPath") ?? "pds-2zetrain001",
    runningParameter: {
        train_mode: "grpo",
        train_type: "lora",
        num_epochs: cfg.getNumber("epochs") ?? 1,
        learning_rate: "1e-6",
        split_dataset_ratio: cfg.getNumber("splitRatio") ?? 0.1,
        reward_funcs: "format,external_countdown",
    },
    regionId: cfg.get("regionId"),
    waitForCompletion: cfg.getBoolean("wait") ?? true,
    completionTimeoutMinutes: cfg.getNumber("timeout") ?? 30,
});

export const taskId = task.taskId;
export const orderId = task.orderId;
export const status = task.status;
export const modelPaths = task.modelPaths;
export const accessInfo = task.accessInfo;
export const datasets = task.datasets;
