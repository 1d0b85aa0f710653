/**
 * A PolarDB create whose answer is lost is found by its marker, whatever the
 * list items carry in DBNodeDescription. The SDK model documents that field as
 * "the node description", example `test`
 * (`DescribeAIDBClusterTasksResponseBodyItems`); only the detail's
 * `DBClusterDescription` is the task name. A lookup that trusted the list
 * missed the task and the next up submitted a second GPU task. (Issue 16.)
 */
import * as assert from "node:assert/strict";
import { engineFixture } from "./support";

const CLUSTER = "pc-2ze0000000000000";
const VARIANTS = ["other", "task-name", "empty", "absent"];

describe("polardb.AidbTask: a lost create answer, whatever list items carry in DBNodeDescription", function () {
    this.timeout(120_000);

    for (const listItemDescription of VARIANTS) {
        it(`${listItemDescription}: the up finds the task by its marker, submits once and records the one task`, async () => {
            // Two-second requests: a lookup that misses gives up after twice that, so a regression fails fast.
            const fx = await engineFixture("polardbAidbTask.ts", { env: { PULUMI_TRAINING_REQUEST_TIMEOUT_MS: "2000" } });
            try {
                fx.stack.config = { dbClusterId: CLUSTER, wait: "false" };
                await fx.control("POST", "/polardb/variants", { listItemDescription });
                await fx.control("POST", "/faults", { kind: "lost-response", cloud: "polardb", action: "CreateAIDBClusterTask", count: 1 });

                const up = await fx.stack.up();
                assert.ok(up.ok, up.errors.join("\n"));
                assert.equal(fx.emu.counts().byCloud.polardb.CreateAIDBClusterTask, 1, "submitted once");
                const tasks = (await fx.control("GET", "/polardb/tasks")).tasks;
                assert.equal(tasks.length, 1, "one task exists");
                const recorded = fx.stack.state().resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/")).map((r) => r.id);
                assert.deepEqual(recorded, [tasks[0].id]);
                assert.ok(up.hostLogs.some((l) => /found the job the interrupted submit created/.test(l)), up.hostLogs.join("\n"));
            } finally {
                await fx.close();
            }
        });
    }
});
