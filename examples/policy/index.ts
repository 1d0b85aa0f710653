/**
 * A team's own policy pack, built from the pulumi-training guardrails with one object.
 *
 * Run it with `pulumi up --policy-pack examples/policy` (or `pulumi preview --policy-pack ...`).
 * Outside this repository the import is `import { trainingGuardPackArgs } from "pulumi-training/policy";`.
 */

import { PolicyPack } from "@pulumi/policy";
import { trainingGuardPackArgs } from "../../policy/pack";

new PolicyPack(
    "ml-team-guardrails",
    trainingGuardPackArgs({
        // Block the update on any violation...
        all: "mandatory",
        // ...with the team's own limits,
        maxGpusPerJob: { maxGpus: 8 },
        allowedRegions: { allowedRegions: ["cn-beijing", "cn-hangzhou", "ap-guangzhou", "ap-shanghai"] },
        fineTuneBudget: { maxEpochs: 5, allowedTrainingTypes: ["efficient_sft", "dpo_lora"] },
        requiredTags: { requiredTags: ["cost-center", "owner", "project"] },
        approvedImages: { allowedImages: ["ccr.ccs.tencentyun.com/ml-team/*", "harbor.zetyun.cn/anc-public/*"] },
        // ...but only warn about the stack-wide GPU total,
        maxGpusPerStack: { maxGpus: 32, enforcementLevel: "advisory" },
        // turn plaintext secrets in env into Pulumi secrets instead of failing,
        noPlaintextSecretEnv: "remediate",
        // and leave billing to each project.
        chargeType: "disabled",
    }),
);
