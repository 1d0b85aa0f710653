/**
 * What a person sees in the real CLI's output while a job waits: progress
 * lines on the resource's own row as they happen (not on the stack's, and not
 * only when the up ends), and under the resource in Diagnostics.
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { cliFixture, describeCli, ok } from "./support";

const PROGRAMS = path.join(__dirname, "..", "engine", "programs");

describeCli("progress while a job waits", function () {
    this.timeout(120_000);

    it("each status change is shown on the resource's row while the create runs, and listed under the resource in Diagnostics", async () => {
        const seen: Array<{ at: number; text: string }> = [];
        const fx = await cliFixture({
            program: path.join(PROGRAMS, "tione.ts"),
            project: "test",
            secretConfig: { apiToken: "progress-token" },
            stepMs: 1500,
            onOutput: (text) => seen.push({ at: Date.now(), text }),
        });
        try {
            const up = ok(await fx.stack.up("--skip-preview"));
            const row = /^ \+ {2}pulumi-nodejs:dynamic\/tione:TrainingTask lora creating \(\d+s\) \[tione:TrainingTask (train-\d+)\] (.+)$/gm;
            const live = [...up.output.matchAll(row)].map((m) => m[2]);
            assert.ok(live.some((l) => /^submitted; console: /.test(l)), up.output);
            assert.ok(live.some((l) => /-> RUNNING/.test(l)), up.output);
            assert.ok(live.some((l) => /-> SUCCEED/.test(l)), up.output);
            assert.doesNotMatch(up.output, /pulumi:pulumi:Stack \S+ creating \(\d+s\) \[tione:TrainingTask/, "no progress line is attributed to the stack");

            // Live: the RUNNING line arrived well before the CLI printed that the resource was created.
            const when = (re: RegExp) => seen.find((c) => re.test(c.text))?.at ?? Infinity;
            assert.ok(when(/-> RUNNING/) + 1000 <= when(/TrainingTask lora created/), "the RUNNING line was printed while the job ran");

            const diagnostics = up.output.slice(up.output.indexOf("Diagnostics:"));
            assert.match(diagnostics, /pulumi-nodejs:dynamic\/tione:TrainingTask \(lora\):\n(?: {4}\[tione:TrainingTask train-\d+\] .*\n)+/);
        } finally {
            await fx.close();
        }
    });
});
