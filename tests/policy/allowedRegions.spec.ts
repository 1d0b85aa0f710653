import * as assert from "node:assert/strict";
import { alayaTemplate, bailianFile, bailianJob, polardbTask, tioneTask, TYPE_TOKENS } from "./fixtures";
import { assertNoViolations, assertNotApplicable, assertViolation, resourceGuard, runResourcePolicy, UNKNOWN } from "./util";

describe("policy: allowed-regions", () => {
    const chinaOnly = { allowedRegions: ["cn-*", "ap-guangzhou", "ap-shanghai"] };

    it("allows any region by default, and listed regions when configured", async () => {
        assertNoViolations(await runResourcePolicy(resourceGuard("allowedRegions"), { type: TYPE_TOKENS.tioneTrainingTask, props: await tioneTask({ region: "na-ashburn" }) }));
        assertNoViolations(await runResourcePolicy(resourceGuard("allowedRegions", chinaOnly), { type: TYPE_TOKENS.tioneTrainingTask, props: await tioneTask() }));
        assertNoViolations(await runResourcePolicy(resourceGuard("allowedRegions", chinaOnly), { type: TYPE_TOKENS.polardbAidbTask, props: await polardbTask() }));
    });

    it("reports a TI-ONE task (region) and a PolarDB task (regionId) outside the list", async () => {
        const tione = await runResourcePolicy(resourceGuard("allowedRegions", chinaOnly), {
            type: TYPE_TOKENS.tioneTrainingTask,
            props: await tioneTask({ region: "ap-singapore" }),
        });
        assertViolation(
            tione,
            "TI-ONE training task is in region 'ap-singapore' (from region), which is not allowed. Use 'cn-*', 'ap-guangzhou' or 'ap-shanghai', or add the region to allowedRegions.allowedRegions.",
        );
        const polardb = await runResourcePolicy(resourceGuard("allowedRegions", chinaOnly), {
            type: TYPE_TOKENS.polardbAidbTask,
            props: await polardbTask({ regionId: "ap-southeast-1" }),
        });
        assertViolation(polardb, "PolarDB AIDB task is in region 'ap-southeast-1' (from regionId)");
    });

    it("skips a region left to the environment, and unknowns at preview", async () => {
        assertNoViolations(await runResourcePolicy(resourceGuard("allowedRegions", chinaOnly), { type: TYPE_TOKENS.tioneTrainingTask, props: await tioneTask({ region: undefined }) }));
        const tione = await tioneTask({ region: UNKNOWN.string });
        assertNoViolations(await runResourcePolicy(resourceGuard("allowedRegions", chinaOnly), { type: TYPE_TOKENS.tioneTrainingTask, props: tione }));
    });

    it("judges where a TI-ONE task keeps its data: a COS output or data bucket in another region is a violation", async () => {
        const props = await tioneTask({
            region: "ap-guangzhou",
            output: { bucket: "out-125", region: "ap-singapore", paths: ["/adapters/"] },
            dataConfigs: [{ dataSourceType: "COS", cosSource: { bucket: "data-125", region: "na-ashburn", paths: ["/alpaca/"] } }],
        });
        const run = await runResourcePolicy(resourceGuard("allowedRegions", chinaOnly), { type: TYPE_TOKENS.tioneTrainingTask, props });
        assertViolation(run, "TI-ONE training task keeps data in region 'ap-singapore' (output.region)");
        assertViolation(run, "keeps data in region 'na-ashburn' (dataConfigs[0].cosSource.region)");
        const local = await tioneTask({ output: { bucket: "out-125", region: "ap-shanghai", paths: ["/adapters/"] } });
        assertNoViolations(await runResourcePolicy(resourceGuard("allowedRegions", chinaOnly), { type: TYPE_TOKENS.tioneTrainingTask, props: local }));
    });

    it("takes the list from the engine's configuration", async () => {
        const run = await runResourcePolicy(resourceGuard("allowedRegions"), {
            type: TYPE_TOKENS.tioneTrainingTask,
            props: await tioneTask(),
            config: { allowedRegions: ["ap-shanghai"] },
        });
        assertViolation(run, "region 'ap-guangzhou'");
    });

    it("does nothing when disabled", async () => {
        const run = await runResourcePolicy(resourceGuard("allowedRegions", { ...chinaOnly, enforcementLevel: "disabled" }), {
            type: TYPE_TOKENS.tioneTrainingTask,
            props: await tioneTask({ region: "eu-frankfurt" }),
        });
        assert.equal(run.ran, false);
    });

    it("is not applicable to Alaya templates (no region)", async () => {
        assertNotApplicable(await runResourcePolicy(resourceGuard("allowedRegions"), { type: TYPE_TOKENS.alayaTrainingTemplate, props: await alayaTemplate() }));
    });

    it("judges a Bailian job's and file's region input, and skips one whose region is left to provider configuration", async () => {
        const sg = await runResourcePolicy(resourceGuard("allowedRegions", chinaOnly), { type: TYPE_TOKENS.bailianFineTuneJob, props: await bailianJob({ region: "ap-southeast-1" }) });
        assertViolation(sg, "Bailian fine-tune job is in region 'ap-southeast-1' (from region)");
        const file = await runResourcePolicy(resourceGuard("allowedRegions", { allowedRegions: ["ap-southeast-1"] }), { type: TYPE_TOKENS.bailianFile, props: await bailianFile({ region: "cn-beijing" }) });
        assertViolation(file, "Bailian dataset file is in region 'cn-beijing'");
        assertNoViolations(await runResourcePolicy(resourceGuard("allowedRegions", chinaOnly), { type: TYPE_TOKENS.bailianFineTuneJob, props: await bailianJob() }));
    });
});
