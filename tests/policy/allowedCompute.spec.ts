import * as assert from "node:assert/strict";
import { alayaTemplate, bailianJob, polardbTask, tioneTask, TYPE_TOKENS, PREPAID } from "./fixtures";
import { assertNoViolations, assertNotApplicable, assertViolation, resourceGuard, runResourcePolicy, UNKNOWN } from "./util";

const TIONE = TYPE_TOKENS.tioneTrainingTask;
const ALAYA = TYPE_TOKENS.alayaTrainingTemplate;

describe("policy: allowed-compute-types", () => {
    const teamLists = {
        allowedGpuTypes: ["T4", "NVIDIA-L40S-*"],
        allowedInstanceTypes: ["TI.GN7.*"],
        allowedProductCodes: ["PRD-QTT"],
    };

    it("allows anything by default (empty lists) and allow-listed values when configured", async () => {
        assertNoViolations(await runResourcePolicy(resourceGuard("allowedComputeTypes"), { type: TIONE, props: await tioneTask() }));
        assertNoViolations(await runResourcePolicy(resourceGuard("allowedComputeTypes", teamLists), { type: TIONE, props: await tioneTask() }));
        assertNoViolations(await runResourcePolicy(resourceGuard("allowedComputeTypes", teamLists), { type: ALAYA, props: await alayaTemplate() }));
    });

    it("reports a GPU type and an instance type outside the lists, with the field path and the choices", async () => {
        const props = await tioneTask({
            resourceConfigInfos: [
                { role: "WORKER", instanceType: "TI.GN7.8XLARGE128.POST", instanceNum: 1, gpu: 100, gpuType: "T4" },
                { role: "WORKER", instanceType: "TI.HCCPNV100.20XLARGE.POST", instanceNum: 1, gpu: 800, gpuType: "A100" },
            ],
        });
        const run = await runResourcePolicy(resourceGuard("allowedComputeTypes", teamLists), { type: TIONE, props });
        assertViolation(
            run,
            "TI-ONE training task uses GPU type 'A100' at resourceConfigInfos[1].gpuType, which is not allowed. Use one of 'T4' or 'NVIDIA-L40S-*', or add it to allowedComputeTypes.allowedGpuTypes.",
        );
        assertViolation(run, "instance type 'TI.HCCPNV100.20XLARGE.POST' at resourceConfigInfos[1].instanceType");
        assert.equal(run.violations.length, 2);
    });

    it("reports an Alaya product code outside the list, and ignores gpuName '-' (no GPU)", async () => {
        const props = await alayaTemplate({ resource: { gpuName: "-", gpuCount: "0", workerCount: 1, productCode: "PRD-CCI-1" } });
        const run = await runResourcePolicy(resourceGuard("allowedComputeTypes", teamLists), { type: ALAYA, props });
        assertViolation(run, "Alaya training template uses product code 'PRD-CCI-1' at resource.productCode");
        assert.equal(run.violations.length, 1);
    });

    it("takes lists from the engine's configuration, matching case-insensitively", async () => {
        const run = await runResourcePolicy(resourceGuard("allowedComputeTypes"), {
            type: TIONE,
            props: await tioneTask(),
            config: { allowedGpuTypes: ["a100"] },
        });
        assertViolation(run, "GPU type 'T4'");
        const caseInsensitive = await runResourcePolicy(resourceGuard("allowedComputeTypes"), {
            type: TIONE,
            props: await tioneTask(),
            config: { allowedGpuTypes: ["t4"] },
        });
        assertNoViolations(caseInsensitive);
    });

    it("skips values unknown at preview", async () => {
        const props = await tioneTask({ resourceConfigInfos: [{ role: "WORKER", gpuType: UNKNOWN.string, instanceType: UNKNOWN.string }] });
        assertNoViolations(await runResourcePolicy(resourceGuard("allowedComputeTypes", teamLists), { type: TIONE, props }));
    });

    it("does nothing when disabled", async () => {
        const run = await runResourcePolicy(resourceGuard("allowedComputeTypes", { ...teamLists, enforcementLevel: "disabled" }), {
            type: TIONE,
            props: await tioneTask({ ...PREPAID, resourceConfigInfos: [{ role: "WORKER", cpu: 8000, memory: 32768, gpu: 100, gpuType: "H800" }] }),
        });
        assert.equal(run.ran, false);
    });

    it("is not applicable to kinds without compute fields", async () => {
        assertNotApplicable(await runResourcePolicy(resourceGuard("allowedComputeTypes"), { type: TYPE_TOKENS.bailianFineTuneJob, props: await bailianJob() }));
    });

    it("judges a PolarDB task's dbInstanceClass against the instance-type allow-list", async () => {
        const policy = resourceGuard("allowedComputeTypes", { allowedInstanceTypes: ["polar.pg.x4.*"] });
        assertViolation(await runResourcePolicy(policy, { type: TYPE_TOKENS.polardbAidbTask, props: await polardbTask({ dbInstanceClass: "polar.pg.gu30.large" }) }), "polar.pg.gu30.large");
        assertNoViolations(await runResourcePolicy(policy, { type: TYPE_TOKENS.polardbAidbTask, props: await polardbTask({ dbInstanceClass: "polar.pg.x4.large" }) }));
    });
});
