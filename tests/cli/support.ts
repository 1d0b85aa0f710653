/**
 * Whether the CLI layer runs, and everything the CLI specs share (./fixture).
 */
import * as assert from "node:assert/strict";
import { findPulumiCli } from "./cli";

export * from "./fixture";

let announced = false;
let cliTests = 0;
let cliTestsPassed = 0;

// One line at the end of the run, for CI's log: how many scenarios ran through the real CLI.
after(function () {
    if (cliTests > 0) console.log(`\n  CLI layer: ${cliTestsPassed} of ${cliTests} tests passed through the real pulumi CLI (${findPulumiCli()}/pulumi)`);
});

/**
 * `describe` for suites that need the real CLI. Without one the suite is
 * skipped with one line saying how to get it, unless PULUMI_TRAINING_REQUIRE_CLI
 * is set (CI sets it): then the missing CLI fails the run.
 */
export function describeCli(title: string, body: (this: Mocha.Suite) => void): void {
    const bin = findPulumiCli();
    if (bin) {
        describe(`${title} (real pulumi CLI)`, function (this: Mocha.Suite) {
            afterEach(function () {
                cliTests++;
                if (this.currentTest?.state === "passed") cliTestsPassed++;
            });
            body.call(this);
        });
        return;
    }
    if (process.env.PULUMI_TRAINING_REQUIRE_CLI) {
        describe(title, () => it("needs the Pulumi CLI", () => assert.fail("no Pulumi CLI: run `npm run pulumi-cli` first")));
        return;
    }
    if (!announced) {
        announced = true;
        console.log("  (CLI layer skipped: no `pulumi` on PATH or in the cache; `npm run pulumi-cli` builds it, see CONTRIBUTING.md)");
    }
    describe.skip(title, body);
}

