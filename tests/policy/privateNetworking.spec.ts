import * as assert from "node:assert/strict";
import { alayaTemplate, polardbTask, tioneTask, TYPE_TOKENS } from "./fixtures";
import { assertNoViolations, assertNotApplicable, assertViolation, resourceGuard, runResourcePolicy, UNKNOWN } from "./util";

const TIONE = TYPE_TOKENS.tioneTrainingTask;
const POLARDB = TYPE_TOKENS.polardbAidbTask;

describe("policy: private-networking", () => {
    it("passes TI-ONE and PolarDB tasks with a VPC and subnet", async () => {
        assertNoViolations(await runResourcePolicy(resourceGuard("privateNetworking"), { type: TIONE, props: await tioneTask() }));
        assertNoViolations(await runResourcePolicy(resourceGuard("privateNetworking"), { type: POLARDB, props: await polardbTask() }));
    });

    it("reports the missing fields of each kind and what to set", async () => {
        const tione = await tioneTask({ vpcId: undefined, subnetId: undefined });
        assertViolation(
            await runResourcePolicy(resourceGuard("privateNetworking"), { type: TIONE, props: tione }),
            "TI-ONE training task does not set vpcId and subnetId, so it would not run on a private network. Set vpcId and subnetId.",
        );
        const polardb = await runResourcePolicy(resourceGuard("privateNetworking"), { type: POLARDB, props: await polardbTask({ vSwitchId: undefined }) });
        assertViolation(polardb, "PolarDB AIDB task does not set vSwitchId, so it would not run on a private network. Set vpcId and vSwitchId.");
    });

    it("restricts VPCs to the configured list (from the helper or the engine)", async () => {
        const helper = await runResourcePolicy(resourceGuard("privateNetworking", { allowedVpcIds: ["vpc-prod-*"] }), { type: TIONE, props: await tioneTask() });
        assertViolation(helper, "TI-ONE training task runs in VPC 'vpc-2ad0h1qc', which is not allowed. Use 'vpc-prod-*'");
        const engine = await runResourcePolicy(resourceGuard("privateNetworking"), {
            type: POLARDB,
            props: await polardbTask(),
            config: { allowedVpcIds: ["vpc-bp1h3a2b"] },
        });
        assertNoViolations(engine);
    });

    it("treats ids unknown at preview (a VPC created in the same stack) as set", async () => {
        const props = await tioneTask({ vpcId: UNKNOWN.string, subnetId: UNKNOWN.string });
        assertNoViolations(await runResourcePolicy(resourceGuard("privateNetworking", { allowedVpcIds: ["vpc-prod-*"] }), { type: TIONE, props }));
    });

    it("does nothing when disabled", async () => {
        const run = await runResourcePolicy(resourceGuard("privateNetworking", "disabled"), { type: TIONE, props: await tioneTask({ vpcId: undefined }) });
        assert.equal(run.ran, false);
    });

    it("is not applicable to Alaya templates", async () => {
        assertNotApplicable(await runResourcePolicy(resourceGuard("privateNetworking"), { type: TYPE_TOKENS.alayaTrainingTemplate, props: await alayaTemplate() }));
    });
});
