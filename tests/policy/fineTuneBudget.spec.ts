import * as assert from "node:assert/strict";
import { bailianJob, polardbTask, tioneTask, TYPE_TOKENS } from "./fixtures";
import { assertNoViolations, assertNotApplicable, assertViolation, resourceGuard, runResourcePolicy, UNKNOWN } from "./util";

const BAILIAN = TYPE_TOKENS.bailianFineTuneJob;
const POLARDB = TYPE_TOKENS.polardbAidbTask;

describe("policy: fine-tune-budget", () => {
    const devStack = { allowedTrainingTypes: ["efficient_sft"], allowedBaseModels: ["qwen3-*", "qwen2.5-*-instruct"], maxEpochs: 5 };

    it("passes fine-tunes within budget, by default and under a dev preset", async () => {
        assertNoViolations(await runResourcePolicy(resourceGuard("fineTuneBudget"), { type: BAILIAN, props: await bailianJob() }));
        assertNoViolations(await runResourcePolicy(resourceGuard("fineTuneBudget", devStack), { type: BAILIAN, props: await bailianJob() }));
        assertNoViolations(await runResourcePolicy(resourceGuard("fineTuneBudget", devStack), { type: POLARDB, props: await polardbTask() }));
    });

    it("reports too many Bailian epochs (hyperParameters.nEpochs) and PolarDB epochs (runningParameter.num_epochs)", async () => {
        const bailian = await runResourcePolicy(resourceGuard("fineTuneBudget"), {
            type: BAILIAN,
            props: await bailianJob({ hyperParameters: { nEpochs: 50, batchSize: 16, maxLength: 2048 } }),
        });
        assertViolation(
            bailian,
            "Bailian fine-tune job runs 50 epochs (hyperParameters.nEpochs); the limit is 10. Lower hyperParameters.nEpochs, or raise fineTuneBudget.maxEpochs.",
        );
        const polardb = await runResourcePolicy(resourceGuard("fineTuneBudget"), {
            type: POLARDB,
            props: await polardbTask({ runningParameter: { num_epochs: 12 } }),
        });
        assertViolation(polardb, "PolarDB AIDB task runs 12 epochs (runningParameter.num_epochs); the limit is 10.");
    });

    it("reports a training type and a base model outside the lists", async () => {
        const run = await runResourcePolicy(resourceGuard("fineTuneBudget", devStack), {
            type: BAILIAN,
            props: await bailianJob({ trainingType: "sft", model: "qwen-max", hyperParameters: { nEpochs: 3, batchSize: 16, maxLength: 2048 } }),
        });
        assertViolation(run, "Bailian fine-tune job uses trainingType 'sft', which is not allowed here. Use 'efficient_sft', or change fineTuneBudget.allowedTrainingTypes.");
        assertViolation(run, "fine-tunes base model 'qwen-max' (model), which is not allowed. Use 'qwen3-*' or 'qwen2.5-*-instruct'");
        const polardb = await runResourcePolicy(resourceGuard("fineTuneBudget", devStack), { type: POLARDB, props: await polardbTask({ modelName: "llama3-70b" }) });
        assertViolation(polardb, "PolarDB AIDB task fine-tunes base model 'llama3-70b' (modelName)");
    });

    it("judges a Bailian fine-tune without trainingType as the service default sft (full-parameter), so leaving it out does not escape the list", async () => {
        const props = await bailianJob({ trainingType: undefined });
        const run = await runResourcePolicy(resourceGuard("fineTuneBudget", { allowedTrainingTypes: ["efficient_sft", "dpo_lora"] }), { type: BAILIAN, props });
        assertViolation(run, "Bailian fine-tune job uses no trainingType, so the service default 'sft', which is not allowed here.");
    });

    it("judges PolarDB's runningParameter.train_type: full as sft and lora as efficient_sft", async () => {
        const guard = resourceGuard("fineTuneBudget", { allowedTrainingTypes: ["efficient_sft", "dpo_lora"] });
        const full = await runResourcePolicy(guard, { type: POLARDB, props: await polardbTask({ runningParameter: { train_mode: "sft", train_type: "full", num_epochs: 1 } }) });
        assertViolation(full, "PolarDB AIDB task uses runningParameter.train_type 'full' (counted as 'sft'), which is not allowed here.");
        assertNoViolations(await runResourcePolicy(guard, { type: POLARDB, props: await polardbTask() }));
    });

    it("takes its settings from the engine's configuration", async () => {
        const run = await runResourcePolicy(resourceGuard("fineTuneBudget"), {
            type: BAILIAN,
            props: await bailianJob(),
            config: { maxEpochs: 2, allowedTrainingTypes: ["dpo_lora"] },
        });
        assertViolation(run, "runs 3 epochs (hyperParameters.nEpochs); the limit is 2.");
        assertViolation(run, "trainingType 'efficient_sft'");
    });

    it("skips values unknown at preview", async () => {
        const props = await bailianJob({ model: UNKNOWN.string, trainingType: UNKNOWN.string, hyperParameters: UNKNOWN.object });
        assertNoViolations(await runResourcePolicy(resourceGuard("fineTuneBudget", devStack), { type: BAILIAN, props }));
    });

    it("does nothing when disabled", async () => {
        const run = await runResourcePolicy(resourceGuard("fineTuneBudget", { enforcementLevel: "disabled", maxEpochs: 1 }), {
            type: BAILIAN,
            props: await bailianJob(),
        });
        assert.equal(run.ran, false);
    });

    it("is not applicable to TI-ONE tasks", async () => {
        assertNotApplicable(await runResourcePolicy(resourceGuard("fineTuneBudget"), { type: TYPE_TOKENS.tioneTrainingTask, props: await tioneTask() }));
    });
});
