// The reliability suite's mixed stack: every kind, counts and secrets from config, and
// secrets where people put them (env values, start commands, free-form parameters).
// Resource names encode kind and index (`tione-007`), and every remote object's
// name carries its resource name, so the suite can map each remote job back to
// exactly one resource.
import * as pulumi from "@pulumi/pulumi";
import * as path from "node:path";
import { alaya, bailian, polardb, tione } from "pulumi-training";
import { LITERAL_SECRETS } from "./literalSecrets";

const cfg = new pulumi.Config();
const count = (k: string) => cfg.getNumber(k) ?? 0;
const pad = (i: number) => String(i).padStart(3, "0");
const wait = cfg.getBoolean("wait") ?? true;
const timeout = cfg.getNumber("timeout") ?? 30;
// A value that changes every job's inputs (and so its marker) when set: forces replacements.
const variant = cfg.get("variant") ?? "a";
const tioneSecret = cfg.requireSecret("tioneSecret");
const alayaSecret = cfg.requireSecret("alayaSecret");

const files = Array.from(
    { length: count("file") },
    (_, i) =>
        new bailian.File(`file-${pad(i)}`, {
            source: path.join(cfg.require("dataDir"), `file-${pad(i)}.jsonl`),
            description: `reliability data ${i}`,
        }),
);

const fineTunes = Array.from(
    { length: count("fineTune") },
    (_, i) =>
        new bailian.FineTuneJob(`ft-${pad(i)}`, {
            model: "qwen3-8b",
            trainingFileIds: [files.length ? files[i % files.length].fileId : cfg.require("seedFileId")],
            trainingType: "efficient_sft",
            hyperParameters: { nEpochs: 1, batchSize: 8, maxLength: 2048, learningRate: "1e-4", loraRank: 8 },
            extraHyperParameters: { variant, hub_token: pulumi.secret(LITERAL_SECRETS.fineTuneHubToken) },
            waitForCompletion: wait,
            completionTimeoutMinutes: timeout,
        }),
);

const tasks = Array.from(
    { length: count("tione") },
    (_, i) =>
        new tione.TrainingTask(`tione-${pad(i)}`, {
            chargeType: "POSTPAID_BY_HOUR",
            resourceConfigInfos: [{ role: "WORKER", instanceType: "TI.S.MEDIUM.POST" }],
            startCmdInfo: { startCmd: pulumi.interpolate`python train.py --trial ${i} --variant ${variant} --token=${tioneSecret}` },
            envs: [{ name: "API_TOKEN", value: tioneSecret }],
            waitForCompletion: wait,
            completionTimeoutMinutes: timeout,
        }),
);

const aidb = Array.from(
    { length: count("polardb") },
    (_, i) =>
        new polardb.AidbTask(`aidb-${pad(i)}`, {
            dbClusterId: cfg.require("dbClusterId"),
            modelSource: "public",
            modelName: "Qwen3-8B",
            datasetPath: "pds-2zetrain001",
            runningParameter: { train_mode: "sft", train_type: "lora", num_epochs: 1, learning_rate: "1e-6", trial: i, variant, hub_token: pulumi.secret(LITERAL_SECRETS.polardbToken) },
            waitForCompletion: wait,
            completionTimeoutMinutes: timeout,
        }),
);

const templates = Array.from(
    { length: count("alaya") },
    (_, i) =>
        new alaya.TrainingTemplate(`tpl-${pad(i)}`, {
            name: `tpl-${pad(i)}`,
            description: `reliability template ${i} ${variant}`,
            aidcId: 2,
            trainingType: "PRE_TRAINING",
            trainingFramework: "PyTorch",
            imageType: "general",
            image: "harbor.zetyun.cn/anc-public/general/pytorch:2.3",
            env: { ENV_MODE: "production", API_TOKEN: alayaSecret },
            resource: { type: "worker", cpuCores: 2, gpuCount: 1, memoryGB: 8, workerCount: 1, productCode: "PRD-QTT" },
            startCommand: pulumi.interpolate`python train.py --trial ${i} --token ${alayaSecret}`,
            priority: 2,
        }),
);

export const resources = files.length + fineTunes.length + tasks.length + aidb.length + templates.length;
export const statuses = pulumi.all([...fineTunes.map((j) => j.status), ...tasks.map((t) => t.status), ...aidb.map((t) => t.status)]);
