import * as assert from "node:assert/strict";
import { bailianJob, tioneTask, TYPE_TOKENS } from "./fixtures";
import { assertNoViolations, assertNotApplicable, assertViolation, resourceGuard, runResourcePolicy, UNKNOWN } from "./util";

const TIONE = TYPE_TOKENS.tioneTrainingTask;

describe("policy: required-tags", () => {
    it("passes a task carrying cost-center and owner", async () => {
        assertNoViolations(await runResourcePolicy(resourceGuard("requiredTags"), { type: TIONE, props: await tioneTask() }));
    });

    it("reports missing tags and says how to add them", async () => {
        const run = await runResourcePolicy(resourceGuard("requiredTags"), { type: TIONE, props: await tioneTask({ tags: [{ tagKey: "owner", tagValue: "alice" }] }) });
        assertViolation(run, "TI-ONE training task is missing tags cost-center. Add them as {tagKey, tagValue} entries in tags.");
        const none = await tioneTask({ tags: undefined });
        assertViolation(await runResourcePolicy(resourceGuard("requiredTags"), { type: TIONE, props: none }), "is missing tags cost-center and owner.");
    });

    it("reports empty values unless allowed", async () => {
        const props = await tioneTask({ tags: [{ tagKey: "cost-center", tagValue: " " }, { tagKey: "owner", tagValue: "alice" }] });
        assertViolation(await runResourcePolicy(resourceGuard("requiredTags"), { type: TIONE, props }), "has empty values for tags cost-center.");
        assertNoViolations(await runResourcePolicy(resourceGuard("requiredTags", { allowEmptyValues: true }), { type: TIONE, props }));
    });

    it("takes the keys from the helper or the engine", async () => {
        const helper = await runResourcePolicy(resourceGuard("requiredTags", { requiredTags: ["project"] }), { type: TIONE, props: await tioneTask() });
        assertViolation(helper, "is missing tags project.");
        const engine = await runResourcePolicy(resourceGuard("requiredTags"), { type: TIONE, props: await tioneTask(), config: { requiredTags: ["owner"] } });
        assertNoViolations(engine);
    });

    it("skips tags unknown at preview", async () => {
        assertNoViolations(await runResourcePolicy(resourceGuard("requiredTags"), { type: TIONE, props: await tioneTask({ tags: UNKNOWN.array }) }));
        const unknownKey = await tioneTask({ tags: [{ tagKey: UNKNOWN.string, tagValue: "x" }] });
        assertNoViolations(await runResourcePolicy(resourceGuard("requiredTags"), { type: TIONE, props: unknownKey }));
    });

    it("does nothing when disabled", async () => {
        const run = await runResourcePolicy(resourceGuard("requiredTags"), { type: TIONE, props: await tioneTask({ tags: [] }), config: { enforcementLevel: "disabled" } });
        assert.equal(run.ran, false);
    });

    it("is not applicable to kinds without tags", async () => {
        assertNotApplicable(await runResourcePolicy(resourceGuard("requiredTags"), { type: TYPE_TOKENS.bailianFineTuneJob, props: await bailianJob() }));
    });
});
