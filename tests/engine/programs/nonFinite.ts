// A TI-ONE task whose tuning parameter is computed, and comes out NaN or Infinity (a division by zero in a user's program).
import * as pulumi from "@pulumi/pulumi";
import { tione } from "pulumi-training";

const cfg = new pulumi.Config();
const steps = cfg.getNumber("steps") ?? 0;
new tione.TrainingTask("sweep", {
    chargeType: "POSTPAID_BY_HOUR",
    resourceConfigInfos: [{ role: "WORKER", instanceType: "TI.GN7.8XLARGE128.POST", instanceNum: 1 }],
    startCmdInfo: { startCmd: "python train.py" },
    tuningParameters: { learning_rate: 1 / steps, warmup_ratio: 0 / steps },
});
