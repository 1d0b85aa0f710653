/**
 * `npm run demo`: the quickstart against the embedded emulator.
 *
 *   npm run demo              start the emulator, up, print a summary, destroy
 *   npm run demo -- --keep    leave the stack and the emulator running
 *   npm run demo -- refresh   refresh the kept stack (in another terminal)
 *   npm run demo -- destroy   destroy the kept stack
 *
 * With a Pulumi CLI (on PATH, or built by `npm run pulumi-cli`) the program
 * runs through the real `pulumi up` on a local file backend (tests/cli/cli.ts);
 * otherwise through the engine harness (the SDK's own language host and
 * dynamic-provider host, without the CLI). It says which.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { emulatorEnv, startEmulator } from "../emulator";
import { kindByToken } from "../provider/registry";
import { REPO_ROOT, RunResult, TestStack } from "../harness";
import { CliResult, CliStack, ExportedResource, findPulumiCli, kindOf, nameOf } from "../tests/cli/cli";

const DEMO_DIR = path.join(REPO_ROOT, ".pulumi-training", "demo");
const SESSION = path.join(DEMO_DIR, "session.json");
const PROGRAM = path.join(REPO_ROOT, "examples", "quickstart", "index.ts");


interface Session {
    emulatorUrl: string;
    config: Record<string, string>;
    /** Whether the kept stack lives in the Pulumi CLI's backend or in the harness's checkpoint. */
    mode: "cli" | "harness";
}

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s`;

function stackFor(session: Session): TestStack {
    return new TestStack({
        program: PROGRAM,
        projectDir: path.dirname(PROGRAM),
        project: "quickstart",
        stack: "demo",
        config: session.config,
        statePath: path.join(DEMO_DIR, "checkpoint.json"),
        env: { ...emulatorEnv({ url: session.emulatorUrl }), PULUMI_TRAINING_POLL_SCALE: "0.1" },
        onHostLog: (line) => console.log(`  ${elapsed()}  ${line}`),
    });
}

function report(label: string, r: RunResult): void {
    const counts = r.steps.reduce<Record<string, number>>((acc, s) => ((acc[s.op] = (acc[s.op] ?? 0) + 1), acc), {});
    console.log(`\n${label}: ${r.ok ? "succeeded" : "FAILED"} (${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(", ") || "no changes"})`);
    for (const e of r.errors) console.log(`  error: ${e}`);
}

/** One cell of the summary: a list shows its first item and how many more; long text is cut. */
function shorten(value: unknown): string {
    const text = Array.isArray(value)
        ? `${value.length ? String(value[0]) : "(none)"}${value.length > 1 ? ` (+${value.length - 1} more)` : ""}`
        : String(value ?? "-");
    return text.length > 72 ? `${text.slice(0, 71)}…` : text;
}

/** The summary table from each resource's kind, name, id and outputs. */
function printSummary(resources: Array<{ kind: string; name: string; id: string; outputs: Record<string, unknown> }>): void {
    const rows = resources.map((r) => {
        const key = kindByToken(r.kind)?.keyOutput;
        const value = key === undefined ? "" : shorten(r.outputs[key]);
        return [r.kind, r.name, r.id, String(r.outputs.status ?? "-"), key ? `${key}=${value}` : ""];
    });
    const header = ["KIND", "NAME", "ID", "STATUS", "KEY OUTPUT"];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) => "  " + cells.map((c, i) => c.padEnd(widths[i])).join("  ");
    console.log("\nCreated:");
    console.log(line(header));
    for (const r of rows) console.log(line(r));
}

function summary(stack: TestStack): void {
    printSummary(stack.state().resources.map((r) => ({ kind: kindOf(r), name: r.name, id: r.id, outputs: stack.outputsOf(r.name) })));
}

/** The kept demo stack under the real CLI: a workspace of its own, reused by refresh and destroy. */
function cliStack(session: Session): CliStack {
    return new CliStack({
        program: PROGRAM,
        project: "quickstart",
        stack: "demo",
        workspace: path.join(DEMO_DIR, "cli"),
        env: { ...emulatorEnv({ url: session.emulatorUrl }), PULUMI_TRAINING_POLL_SCALE: "0.1" },
        onOutput: (text) => process.stdout.write(text),
    });
}

/** Runs a CLI command of the demo, failing the demo when it fails (the CLI has printed why). */
function cliOk(r: CliResult): void {
    if (r.code !== 0) throw new Error(`\`${r.command}\` failed (exit code ${r.code ?? r.signal})`);
}

async function cliSummary(stack: CliStack): Promise<void> {
    const plain = (o: Record<string, any> | undefined) => Object.fromEntries(Object.entries(o ?? {}).map(([k, v]) => [k, v?.["4dabf18193072939515e22adb298388d"] ? "[secret]" : v]));
    printSummary((await stack.resources()).map((r: ExportedResource) => ({ kind: kindOf(r), name: nameOf(r), id: r.id ?? "", outputs: plain(r.outputs) })));
}

async function runWithCli(session: Session, keep: boolean): Promise<void> {
    const bin = findPulumiCli()!;
    console.log(`Running the quickstart with the Pulumi CLI (${path.join(bin, "pulumi")}) on a local file backend.\n`);
    fs.rmSync(path.join(DEMO_DIR, "cli"), { recursive: true, force: true });
    const stack = cliStack(session);
    cliOk(await stack.up());
    await cliSummary(stack);
    if (!keep) cliOk(await stack.destroy("--skip-preview"));
}

async function main(): Promise<void> {
    const args = process.argv.slice(2);
    const command = args.find((a) => !a.startsWith("--")) ?? "up";
    const keep = args.includes("--keep");
    fs.mkdirSync(DEMO_DIR, { recursive: true });

    if (command === "refresh" || command === "destroy") {
        if (!fs.existsSync(SESSION)) throw new Error("no kept demo stack: run `npm run demo -- --keep` first");
        const session: Session = JSON.parse(fs.readFileSync(SESSION, "utf8"));
        if (session.mode === "cli") {
            const stack = cliStack(session);
            cliOk(command === "refresh" ? await stack.refresh("--skip-preview") : await stack.destroy("--skip-preview"));
            if (command === "refresh") await cliSummary(stack);
            else fs.rmSync(SESSION);
            return;
        }
        const stack = stackFor(session);
        const r = command === "refresh" ? await stack.refresh() : await stack.destroy();
        report(command, r);
        if (command === "refresh") summary(stack);
        else fs.rmSync(SESSION);
        process.exitCode = r.ok ? 0 : 1;
        return;
    }

    fs.rmSync(path.join(DEMO_DIR, "checkpoint.json"), { force: true });
    const emu = await startEmulator({ port: keep ? 4010 : 0, stepMs: 1500, stateFile: path.join(DEMO_DIR, "emulator-state.json") });
    console.log(`Emulator of DashScope, TI-ONE, PolarDB and Alaya listening on ${emu.url}`);
    // Every config value the quickstart reads has a default that the emulator knows (its demo PolarDB cluster, for one).
    const session: Session = { emulatorUrl: emu.url, config: {}, mode: findPulumiCli() ? "cli" : "harness" };

    if (session.mode === "cli") {
        await runWithCli(session, keep);
    } else {
        console.log("No Pulumi CLI on PATH or in the cache (`npm run pulumi-cli` builds one): running the quickstart through the engine harness (the SDK's language host and dynamic-provider host, without the CLI).\n");
        const stack = stackFor(session);
        console.log("Updating (quickstart/demo):");
        const up = await stack.up();
        report("up", up);
        console.log("\nOutputs:");
        for (const [k, v] of Object.entries(up.outputs)) console.log(`  ${k.padEnd(24)} ${JSON.stringify(v)}`);
        summary(stack);
        if (!up.ok) process.exitCode = 1;
        if (!keep) {
            console.log("\nDestroying (quickstart/demo):");
            const down = await stack.destroy();
            report("destroy", down);
            if (!down.ok) process.exitCode = 1;
        }
    }

    if (keep) {
        fs.writeFileSync(SESSION, JSON.stringify(session));
        console.log(`\nThe stack and the emulator (${emu.url}) are still up. In another terminal:`);
        console.log("  npm run demo -- refresh    # read every resource back from the emulator");
        console.log("  npm run demo -- destroy    # cancel and delete what the stack created");
        console.log("Press Ctrl-C here to stop the emulator.");
        return;
    }
    await emu.close();
    console.log(`\nDone in ${elapsed().trim()}; nothing left running.`);
}

main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
});
