// A LoRA fine-tune of Qwen2.5-7B-Instruct as one Tencent Cloud TI-ONE
// training task. `pulumi up` submits it (CreateTrainingTask), waits until it
// SUCCEEDs and exports where the adapter went; changing anything below
// replaces the task (TI-ONE cannot modify one), and `pulumi destroy` stops a
// running task before deleting it. The adapter in COS is never deleted.
import * as pulumi from "@pulumi/pulumi";
import { tione } from "pulumi-training";

const config = new pulumi.Config();
const region = config.get("region") ?? "ap-guangzhou";
const bucket = config.require("dataBucket");
const resourceGroupId = config.get("resourceGroupId");
// Task names are unique per region; the stack name keeps dev and prod apart.
const taskName = `qwen-lora-${pulumi.getStack()}`;

// With a prepaid resource group the task asks for raw capacity (cpu in
// 1/1000 core, memory in MB, gpu in 1/100 card); pay-as-you-go names a spec.
const worker: tione.ResourceConfigInfoArgs = resourceGroupId
    ? { role: "WORKER", cpu: 16_000, memory: 128 * 1024, gpuType: config.get("gpuType") ?? "A100", gpu: 100, instanceNum: 1 }
    : { role: "WORKER", instanceType: config.get("instanceType") ?? "TI.GN7.8XLARGE128.POST", instanceNum: 1 };

const lora = new tione.TrainingTask("qwen-lora", {
    name: taskName,
    region,
    chargeType: resourceGroupId ? "PREPAID" : "POSTPAID_BY_HOUR",
    resourceGroupId,
    resourceConfigInfos: [worker],
    imageInfo: { imageType: "CCR", imageUrl: config.require("image") },
    // Sent base64-encoded, so the quoting below reaches the container as written.
    startCmdInfo: {
        startCmd: [
            "python /opt/ml/code/train_lora.py",
            "--model Qwen/Qwen2.5-7B-Instruct",
            "--data /opt/ml/input/data/train",
            "--output /opt/ml/output",
            `--system-prompt "You are a helpful support agent. Answer in the user's language."`,
        ].join(" "),
    },
    // An object is serialized to JSON (at most 2048 characters) and handed to the job.
    tuningParameters: { lora_rank: 16, lora_alpha: 32, learning_rate: 1e-4, epochs: 3, max_seq_len: 4096 },
    dataConfigs: [
        {
            mappingPath: "/opt/ml/input/data/train",
            dataSourceUsage: "USER_DATA",
            dataSourceType: "COS",
            cosSource: { bucket, region, paths: ["/datasets/support-chat/"] },
            readOnly: true,
        },
    ],
    output: { bucket, region, paths: [`/adapters/${taskName}/`] },
    envs: [
        { name: "HF_HUB_OFFLINE", value: "1" },
        // A secret stays encrypted in this stack's state.
        ...(config.get("wandbApiKey") ? [{ name: "WANDB_API_KEY", value: config.requireSecret("wandbApiKey") }] : []),
    ],
    tags: [{ tagKey: "team", tagValue: "support-ml" }],
    remark: "LoRA adapter for the support assistant",
    completionTimeoutMinutes: config.getNumber("timeoutMinutes") ?? 360,
});

export const taskId = lora.taskId;
export const status = lora.status;
/** Open this to watch the run in the TI-ONE console. */
export const consoleUrl = lora.consoleUrl;
/** Where the adapter lands (never deleted by destroy). */
export const adapterLocation = `cos://${bucket}/adapters/${taskName}/`;
export const runtimeInSeconds = lora.runtimeInSeconds;
export const billing = lora.billingInfo;
/** The ServiceId for DescribeLogs / DescribeEvents (Service TRAIN). */
export const logServiceId = lora.latestInstanceId;
