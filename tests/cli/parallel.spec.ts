/**
 * More waiting jobs than the engine's `--parallel`: the jobs beyond the limit
 * would be submitted only as earlier ones finish (BENCHMARKS.md section 8), so
 * the preview says so once, with the fix, before anything is submitted.
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { cliFixture, describeCli, ok } from "./support";

const PROGRAM = path.join(__dirname, "..", "engine", "programs", "tioneMany.ts");
const WARNING = /more than 4 training jobs in this stack wait for completion, and the engine runs at most 4 steps at once \(--parallel\)/;

describeCli("waiting jobs and --parallel", function () {
    this.timeout(120_000);

    it("a preview of 5 waiting jobs under --parallel 4 warns once, recommending one Completion and naming --parallel; under --parallel 8 it does not", async () => {
        const fx = await cliFixture({ program: PROGRAM, project: "test", config: { count: "5" } });
        try {
            const narrow = ok(await fx.stack.preview("--parallel", "4"));
            assert.match(narrow.output, WARNING);
            assert.match(narrow.output, /pulumi up --parallel <at least the number of jobs>/);
            assert.match(narrow.output, /new Completion\("all", \{ jobs: \[\.\.\.\] \}\)/);
            assert.equal(narrow.output.match(/more than 4 training jobs/g)?.length, 2, "one warning (shown live and in Diagnostics)");
            const wide = ok(await fx.stack.preview("--parallel", "8"));
            assert.doesNotMatch(wide.output, /training jobs in this stack wait for completion/);
            assert.equal(fx.requests(), 0);
        } finally {
            await fx.close();
        }
    });
});
