/**
 * Every example program through the real `pulumi` CLI against the emulator:
 * preview calls no cloud, up gives the outputs the example promises, a second
 * up changes nothing and calls no cloud, refresh keeps everything, destroy
 * leaves no record in the stack and no live job or template in the emulator.
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { EXAMPLES, EXAMPLE_CASES, projectName } from "../exampleCases";
import { kindOf } from "./cli";
import { cliFixture, describeCli, leaked, ok, summary, TEST_CREDENTIALS } from "./support";
import { liveRecords } from "./emulatorRecords";

describeCli("examples", function () {
    this.timeout(240_000);

    for (const [dir, c] of Object.entries(EXAMPLE_CASES)) {
        it(`${dir}: preview calls no cloud; up, a no-op up, refresh and destroy behave as the example promises`, async () => {
            const fx = await cliFixture({ program: path.join(EXAMPLES, dir), project: projectName(dir), config: c.config, secretConfig: c.secretConfig });
            try {
                const preview = ok(await fx.stack.preview());
                assert.equal(fx.requests(), 0, "preview made no API request");
                assert.equal(summary(preview)["to create"], c.resources.length + 1, "preview plans the stack and every resource");

                const up = ok(await fx.stack.up("--skip-preview"));
                assert.deepEqual((await fx.stack.resources()).map(kindOf).sort(), [...c.resources].sort());
                const outputs = await fx.stack.outputs();
                c.outputs(outputs);
                const exported = await fx.stack.exportRaw();
                for (const k of c.secretOutputs ?? []) assert.match(exported, new RegExp(`"${k}":\\s*\\{\\s*"4dabf18193072939515e22adb298388d"`), `the ${k} output is a secret in state`);

                const before = fx.requests();
                const again = ok(await fx.stack.up("--skip-preview", "--expect-no-changes"));
                assert.equal(fx.requests(), before, "a no-op up calls no cloud API");
                assert.deepEqual(summary(again), { unchanged: c.resources.length + 1 });

                const refresh = ok(await fx.stack.refresh("--skip-preview"));
                assert.equal((await fx.stack.resources()).length, c.resources.length, "refresh keeps every resource");

                const down = ok(await fx.stack.destroy("--skip-preview"));
                assert.deepEqual(await fx.stack.resources(), []);
                assert.deepEqual(await liveRecords(fx), [], "nothing the stack made is left running or stored in the emulator");

                const secrets = [...TEST_CREDENTIALS, ...Object.values(c.secretConfig ?? {})];
                const shown = [preview, up, again, refresh, down].map((r) => r.output).join("\n") + exported;
                assert.deepEqual(leaked(shown, secrets), [], "no credential or secret in the CLI's output or the exported state");
            } finally {
                await fx.close();
            }
        });
    }
});
