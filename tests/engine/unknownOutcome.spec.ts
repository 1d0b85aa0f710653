/**
 * A job whose first status read missed (the create recorded it without an
 * outcome) must not pass as done on the next up: the update reads it again
 * and resumes waiting, or says the outcome is unknown. (Issue 15, item 14.)
 */
import * as assert from "node:assert/strict";
import { engineFixture } from "./support";

describe("a job recorded without an outcome", function () {
    this.timeout(120_000);

    it("tione.TrainingTask: the next up resumes waiting and records the outcome", async () => {
        const fx = await engineFixture("tione.ts");
        try {
            fx.stack.secretConfig = { apiToken: "unknown-outcome-token" };
            // Every read misses during the first up (count covers the create's read and its recheck).
            await fx.control("POST", "/faults", { kind: "not-found", cloud: "tione", action: "DescribeTrainingTask", count: 2 });
            const first = await fx.stack.up();
            assert.equal(first.ok, false);
            assert.match(first.errors.join("\n"), /was submitted but the cloud does not report it yet/);
            const second = await fx.stack.up();
            assert.ok(second.ok, second.errors.join("\n"));
            assert.equal(second.outputs.status, "SUCCEED", "the outcome is recorded");
        } finally {
            await fx.close();
        }
    });

    it("tione.TrainingTask: when the cloud still does not report it, the next up fails saying the outcome is unknown and how to clear it", async () => {
        const fx = await engineFixture("tione.ts");
        try {
            fx.stack.secretConfig = { apiToken: "unknown-outcome-token" };
            await fx.control("POST", "/faults", { kind: "not-found", cloud: "tione", action: "DescribeTrainingTask", count: 4 });
            assert.equal((await fx.stack.up()).ok, false);
            const second = await fx.stack.up();
            assert.equal(second.ok, false, "no success without a status");
            assert.match(second.errors.join("\n"), /the cloud does not report it \(read twice\): its outcome is unknown.*pulumi state delete 'urn:pulumi:dev::test::pulumi-nodejs:dynamic\/tione:TrainingTask::lora'/s);
        } finally {
            await fx.close();
        }
    });
});
