/**
 * A laptop and CI often differ in region or credentials. A job is read and
 * deleted where it was created (the region recorded in its state), and a
 * "not found" under other credentials than it was created with is an error
 * that keeps the job in the stack, never a reason to drop it. (Issue 15, item 2.)
 */
import * as assert from "node:assert/strict";
import { EMULATOR_CREDENTIALS } from "../../emulator";
import { engineFixture } from "./support";

const dynamic = (fx: Awaited<ReturnType<typeof engineFixture>>) => fx.stack.state().resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"));

describe("a job read and destroyed from another environment", function () {
    this.timeout(120_000);

    it("tione.TrainingTask: refresh and destroy under another TENCENTCLOUD_REGION reach the task in the region it was created in", async () => {
        const fx = await engineFixture("tione.ts", { env: { TENCENTCLOUD_REGION: "ap-guangzhou" } });
        try {
            fx.stack.secretConfig = { apiToken: "placement-token" };
            const up = await fx.stack.up();
            assert.ok(up.ok, up.errors.join("\n"));
            const [task] = dynamic(fx);
            assert.equal(task.outputs.pulumiPlacement.region, "ap-guangzhou", "the region is recorded");

            fx.stack.env.TENCENTCLOUD_REGION = "ap-shanghai";
            const refresh = await fx.stack.refresh();
            assert.ok(refresh.ok, refresh.errors.join("\n"));
            assert.deepEqual(dynamic(fx).map((r) => r.id), [task.id], "still recorded");
            const destroy = await fx.stack.destroy();
            assert.ok(destroy.ok, destroy.errors.join("\n"));
            assert.deepEqual((await fx.control("GET", "/tione/tasks")).tasks, [], "deleted where it lives");
        } finally {
            await fx.close();
        }
    });

    it("alaya.TrainingTemplate: refresh and destroy with another account's key fail saying so and keep the template in the stack", async () => {
        const fx = await engineFixture("alaya.ts");
        try {
            fx.stack.secretConfig = { apiToken: "placement-alaya-token" };
            const up = await fx.stack.up();
            assert.ok(up.ok, up.errors.join("\n"));
            const [template] = dynamic(fx);
            assert.match(template.outputs.pulumiPlacement.account, /^acct-[0-9a-f]{12}$/);

            fx.stack.env.ALAYA_API_KEY = EMULATOR_CREDENTIALS.alayaOtherAccountKey;
            for (const run of [await fx.stack.refresh(), await fx.stack.destroy()]) {
                assert.equal(run.ok, false);
                assert.match(run.errors.join("\n"), /is not found with credentials of account acct-[0-9a-f]{12}, but it was created with account acct-[0-9a-f]{12}\. It may still exist there, so it stays in the stack/);
                assert.deepEqual(dynamic(fx).map((r) => r.id), [template.id], "still recorded");
            }
            fx.stack.env.ALAYA_API_KEY = EMULATOR_CREDENTIALS.alayaApiKey;
            const destroy = await fx.stack.destroy();
            assert.ok(destroy.ok, destroy.errors.join("\n"));
            assert.deepEqual((await fx.control("GET", "/alaya/templates")).data ?? [], []);
        } finally {
            await fx.close();
        }
    });
});
