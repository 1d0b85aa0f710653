// TI-ONE tasks the policy suite drives through config: how many, how many GPUs each, and an
// env value whose name looks secret, passed in plaintext.
import * as pulumi from "@pulumi/pulumi";
import { tione } from "pulumi-training";

const cfg = new pulumi.Config();
const count = cfg.getNumber("tasks") ?? 1;
export const taskIds: pulumi.Output<string>[] = [];
for (let i = 0; i < count; i++) {
    const task = new tione.TrainingTask(`task-${i}`, {
        chargeType: "POSTPAID_BY_HOUR",
        // `gpu` is in hundredths of a card (TI-ONE ResourceConfigInfo.Gpu): 100 is one card.
        resourceConfigInfos: [{ role: "WORKER", instanceType: "TI.GN7.8XLARGE128.POST", instanceNum: 1, gpu: cfg.getNumber("gpu") ?? 100, gpuType: "T4" }],
        startCmdInfo: { startCmd: "python train.py" },
        envs: [{ name: "WANDB_API_KEY", value: cfg.get("wandbKey") ?? "wandb-plaintext-4e1d" }],
        tags: [{ tagKey: "owner", tagValue: "ml-platform" }],
        waitForCompletion: false,
    });
    taskIds.push(task.taskId);
}
