import * as assert from "node:assert/strict";
import { alayaTemplate, tioneTask, TYPE_TOKENS } from "./fixtures";
import { assertNoViolations, assertNotApplicable, assertViolation, resourceGuard, runResourcePolicy, UNKNOWN } from "./util";

const TIONE = TYPE_TOKENS.tioneTrainingTask;

describe("policy: charge-type", () => {
    it("is inert by default: hourly postpaid without a resource group passes", async () => {
        assertNoViolations(await runResourcePolicy(resourceGuard("chargeType"), { type: TIONE, props: await tioneTask() }));
    });

    it("reports hourly postpaid billing when forbidden", async () => {
        const run = await runResourcePolicy(resourceGuard("chargeType", { forbidPostpaidByHour: true }), { type: TIONE, props: await tioneTask() });
        assertViolation(
            run,
            "TI-ONE training task is billed POSTPAID_BY_HOUR (chargeType), which is not allowed. Set chargeType: PREPAID with resourceGroupId naming a prepaid resource group.",
        );
        const prepaid = await tioneTask({ chargeType: "PREPAID", resourceGroupId: "trsg-9x8y7z" });
        assertNoViolations(await runResourcePolicy(resourceGuard("chargeType", { forbidPostpaidByHour: true }), { type: TIONE, props: prepaid }));
    });

    it("reports a missing resource group when required by the engine's configuration", async () => {
        const run = await runResourcePolicy(resourceGuard("chargeType"), { type: TIONE, props: await tioneTask(), config: { requireResourceGroup: true } });
        assertViolation(run, "TI-ONE training task does not set resourceGroupId. Set it to a prepaid resource group (with chargeType: PREPAID).");
    });

    it("skips values unknown at preview", async () => {
        const props = await tioneTask({ chargeType: UNKNOWN.string, resourceGroupId: UNKNOWN.string });
        assertNoViolations(
            await runResourcePolicy(resourceGuard("chargeType", { forbidPostpaidByHour: true, requireResourceGroup: true }), { type: TIONE, props }),
        );
    });

    it("does nothing when disabled", async () => {
        const run = await runResourcePolicy(resourceGuard("chargeType", { forbidPostpaidByHour: true, enforcementLevel: "disabled" }), {
            type: TIONE,
            props: await tioneTask(),
        });
        assert.equal(run.ran, false);
    });

    it("is not applicable to kinds without billing fields", async () => {
        assertNotApplicable(await runResourcePolicy(resourceGuard("chargeType"), { type: TYPE_TOKENS.alayaTrainingTemplate, props: await alayaTemplate() }));
    });
});
