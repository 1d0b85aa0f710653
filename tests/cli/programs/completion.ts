// A group of TI-ONE tasks that do not wait for themselves, and one Completion that waits for all of them.
// Config: count (tasks), completion (false: no Completion), jobsWait (the tasks' own waitForCompletion),
// timeout (the Completion's deadline, minutes), dbClusterId (adds a PolarDB AIDB task to the group),
// region (the tasks' region).
import * as pulumi from "@pulumi/pulumi";
import { Completion, CompletionJob, polardb, tione } from "pulumi-training";

const cfg = new pulumi.Config();
const count = cfg.getNumber("count") ?? 3;
const jobsWait = cfg.getBoolean("jobsWait") ?? false;
const jobs: CompletionJob[] = Array.from(
    { length: count },
    (_, i) =>
        new tione.TrainingTask(`task-${String(i).padStart(3, "0")}`, {
            chargeType: "POSTPAID_BY_HOUR",
            resourceConfigInfos: [{ role: "WORKER", instanceType: "TI.S.MEDIUM.POST" }],
            startCmdInfo: { startCmd: pulumi.interpolate`python sweep.py --trial ${i} --token ${cfg.getSecret("token") ?? "none"}` },
            region: cfg.get("region"),
            remark: cfg.get("remark"),
            waitForCompletion: jobsWait,
        }),
);
const dbClusterId = cfg.get("dbClusterId");
if (dbClusterId) {
    jobs.push(
        new polardb.AidbTask("grpo", {
            dbClusterId,
            modelSource: "public",
            modelName: "Qwen3-8B",
            datasetPath: "pds-2zetrain001",
            runningParameter: { train_mode: "grpo", train_type: "lora", num_epochs: 1, learning_rate: "1e-6", split_dataset_ratio: 0.1, reward_funcs: "format" },
            regionId: "cn-beijing",
            waitForCompletion: false,
        }),
    );
}

const done = cfg.getBoolean("completion") === false ? undefined : new Completion("all", { jobs, completionTimeoutMinutes: cfg.getNumber("timeout") ?? 30 });

export const jobIds = pulumi.all(jobs.map((j) => j.id));
export const statuses = done?.statuses;
export const outcome = done?.outcome;
export const endedAt = done?.endedAt;
