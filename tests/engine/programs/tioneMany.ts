// Many TI-ONE tasks in one stack: the provider's shared rate budget must keep them under 20 requests/s per action.
import * as pulumi from "@pulumi/pulumi";
import { tione } from "pulumi-training";

const cfg = new pulumi.Config();
const count = cfg.getNumber("count") ?? 200;
const tasks = Array.from(
    { length: count },
    (_, i) =>
        new tione.TrainingTask(`task-${String(i).padStart(3, "0")}`, {
            chargeType: "POSTPAID_BY_HOUR",
            resourceConfigInfos: [{ role: "WORKER", instanceType: "TI.S.MEDIUM.POST" }],
            startCmdInfo: { startCmd: `python sweep.py --trial ${i}` },
            completionTimeoutMinutes: 30,
        }),
);

export const statuses = pulumi.all(tasks.map((t) => t.status));
