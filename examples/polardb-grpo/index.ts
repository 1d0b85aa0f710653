// GRPO fine-tuning on PolarDB for AI: one AIDB task trains Qwen3-8B with LoRA
// against a reward plugin, and the stack exports where the checkpoints are.
import * as pulumi from "@pulumi/pulumi";
import { polardb } from "pulumi-training";

const cfg = new pulumi.Config();

const grpo = new polardb.AidbTask("qwen3-grpo", {
    dbClusterId: cfg.require("dbClusterId"),
    modelSource: "public",
    modelName: cfg.get("modelName") ?? "Qwen3-8B",
    datasetPath: cfg.require("trainDatasetId"),
    evalDatasetPath: cfg.get("evalDatasetId"),
    // The documented RunningParameter example; keys not typed by the library pass through as given.
    runningParameter: {
        train_mode: "grpo",
        train_type: "lora",
        num_epochs: cfg.getNumber("epochs") ?? 1,
        batch_size: 2,
        eval_batch_size: 2,
        num_generations: 2,
        learning_rate: "1e-6",
        split_dataset_ratio: 0.1,
        lora_rank: 8,
        lora_alpha: 32,
        gpu_memory_utilization: 0.4,
        data_file_list: "test-00000-of-00001.jsonl#1000",
        external_plugins: "/plugin/train/plugin.py",
        reward_funcs: "format,external_countdown",
    },
    taskName: "qwen3-grpo",
    // Training takes hours: fail the update after 12 h of waiting (the task keeps running; the next up resumes).
    completionTimeoutMinutes: 12 * 60,
});

export const taskId = grpo.taskId;
export const status = grpo.status;
/** Every checkpoint the task saved, newest first. */
export const modelPaths = grpo.modelPaths;
/** The checkpoint to deploy or tune further. */
export const latestCheckpoint = grpo.modelPaths.apply((paths) => paths[0]);
/** host:port of the test deployment, when the service reports one. */
export const testEndpoint = grpo.accessInfo.apply((a) => (a?.host && a?.port ? `${a.host}:${a.port}` : undefined));
export const completedTime = grpo.completedTime;
