/**
 * Adopting an existing job with the class's static `get()` through the real
 * `pulumi` CLI: an existing task is read into the stack (and left alone by
 * destroy); a missing id fails preview and up on the resource, saying what to
 * check, and records nothing. (`pulumi import` of a dynamic resource cannot
 * work: the import step reads with no `__provider`; README, "Adopting an
 * existing job".)
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { cliFixture, describeCli, failed, ok } from "./support";

const PROGRAM = path.join(__dirname, "programs", "adopt.ts");

describeCli("adopting an existing job with get()", function () {
    this.timeout(120_000);

    it("get() of an id that does not exist fails preview and up on the resource, naming the id and what to check", async () => {
        const fx = await cliFixture({ program: PROGRAM, project: "test", config: { taskId: "train-1234567890123456789" } });
        try {
            for (const r of [failed(await fx.stack.preview()), failed(await fx.stack.up("--skip-preview"))]) {
                assert.match(r.output, /pulumi-nodejs:dynamic\/tione:TrainingTask adopted {2}error: .*tione:TrainingTask train-1234567890123456789 was not found: check the id, and the region and credentials it is read with/);
            }
            assert.deepEqual(await fx.stack.resources(), [], "nothing recorded");
        } finally {
            await fx.close();
        }
    });

    it("get() of an existing task reads it into the stack, and destroy leaves the task alone", async () => {
        const fx = await cliFixture({ program: path.join(__dirname, "..", "engine", "programs", "tione.ts"), project: "test", secretConfig: { apiToken: "adopt-token" } });
        const adopter = await cliFixture({ program: PROGRAM, project: "test" });
        try {
            // The task is made by one stack's emulator; the adopting stack reads it from the same emulator.
            ok(await fx.stack.up("--skip-preview"));
            const [made] = await fx.stack.resources();
            adopter.stack.env = { ...adopter.stack.env, TENCENTCLOUD_TIONE_ENDPOINT: fx.stack.env.TENCENTCLOUD_TIONE_ENDPOINT };
            await adopter.stack.init();
            await adopter.stack.setConfig({ taskId: made.id! });
            ok(await adopter.stack.up("--skip-preview"));
            assert.equal((await adopter.stack.outputs()).status, "SUCCEED");
            ok(await adopter.stack.destroy("--skip-preview"));
            const tasks = (await fx.control("GET", "/tione/tasks")).tasks.map((t: any) => t.Id);
            assert.deepEqual(tasks, [made.id], "the adopted task is still there");
        } finally {
            await adopter.close();
            await fx.close();
        }
    });
});
