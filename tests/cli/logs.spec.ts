/**
 * `pulumi-training logs` (issue 20) against a stack the real `pulumi` CLI
 * applied: it finds the job through `pulumi stack export`, credentials
 * through the stack's config and environment, and prints or follows the
 * cloud's log. Run as a user runs it: the built bin, in the project's
 * directory, with `pulumi` on PATH.
 */
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as path from "node:path";
import { REPO_ROOT } from "../../harness";
import { NODE } from "./cli";
import { CliFixture, cliFixture, describeCli, ok } from "./support";

const PROGRAM = path.join(__dirname, "..", "engine", "programs", "retried.ts");
const BIN = path.join(REPO_ROOT, "dist", "provider", "cli", "main.js");

/** Runs the bin in the stack's workspace; answers its exit code and output. */
function logs(fx: CliFixture, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        const child = spawn(NODE, [BIN, "logs", ...args], { cwd: fx.stack.workspace, env: fx.stack.cliEnv() });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
        child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
}

describeCli("pulumi-training logs", function () {
    this.timeout(180_000);
    let fx: CliFixture;
    afterEach(() => fx?.close());

    async function stack(stepMs: number, wait: boolean): Promise<CliFixture> {
        fx = await cliFixture({ program: PROGRAM, project: "logs", secretConfig: { apiToken: "logs-cli-token-0123456789" }, stepMs });
        await fx.stack.init();
        await fx.stack.setConfig({ kind: "polardb", dbClusterId: "pc-2ze0000000000000", maxAttempts: "1", wait: String(wait) });
        return fx;
    }

    it("prints the last lines of a finished job's log, found by its resource name", async () => {
        await stack(150, true);
        ok(await fx.stack.up("--skip-preview"));
        const r = await logs(fx, ["retried", "--lines", "5"]);
        assert.equal(r.code, 0, r.stderr);
        const lines = r.stdout.trim().split("\n");
        assert.equal(lines.length, 5);
        assert.match(lines[lines.length - 1], /COMPLETED/);
    });

    it("names the stack's resources when the name is unknown, and exits 2", async () => {
        await stack(150, true);
        ok(await fx.stack.up("--skip-preview"));
        const r = await logs(fx, ["nope"]);
        assert.equal(r.code, 2);
        assert.match(r.stderr, /no pulumi-training resource named nope in this stack \(resources: retried\)/);
    });

    it("--follow prints new lines as the job runs, each once, and returns when it ends", async () => {
        await stack(1500, false);
        ok(await fx.stack.up("--skip-preview"));
        const [task] = (await fx.control("GET", "/objects?cloud=polardb&kind=task")).objects;
        assert.notEqual(task.status, "COMPLETED", "the job still runs when logs starts following it");
        const r = await logs(fx, ["retried", "--follow", "--interval", "1"]);
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /accepted on pc-2ze0000000000000/);
        assert.match(r.stdout, /COMPLETED\n$/);
        const lines = r.stdout.trim().split("\n");
        assert.equal(new Set(lines).size, lines.length, "no line printed twice");
    });
});
