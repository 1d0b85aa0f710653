/**
 * Drives the real `pulumi` CLI on a local file backend: one workspace per
 * stack (Pulumi.yaml, backend, PULUMI_HOME), the program served by
 * `languageHost.ts`, policy packs launched by the CLI as executable analyzers.
 * Used by tests/cli, the parity suite, `npm run demo` and `npm run bench`.
 */
import { ChildProcess, spawn, spawnSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { INSPECT_PRELOAD, REPO_ROOT, ensureSelfLink } from "../../harness";
import { PULUMI_DIR } from "../../harness/host";

/** The pinned CLI release (package.json `pulumiCli.version`). */
export const PULUMI_CLI_VERSION: string = require(path.join(REPO_ROOT, "package.json")).pulumiCli.version;

/** Where `npm run pulumi-cli` puts the CLI. */
export function cachedCliBin(): string {
    const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
    return path.join(cache, "pulumi-training", "pulumi-cli", PULUMI_CLI_VERSION, "bin");
}

/**
 * The directory holding a usable `pulumi`: `PULUMI_TRAINING_CLI_BIN`, the
 * cache of `npm run pulumi-cli`, or PATH. Undefined when there is none.
 */
export function findPulumiCli(): string | undefined {
    const candidates = [process.env.PULUMI_TRAINING_CLI_BIN, cachedCliBin()].filter((d): d is string => !!d);
    for (const dir of candidates) if (fs.existsSync(path.join(dir, "pulumi"))) return dir;
    const which = spawnSync("sh", ["-c", "command -v pulumi"], { encoding: "utf8" });
    return which.status === 0 && which.stdout.trim() ? path.dirname(which.stdout.trim()) : undefined;
}

/** Node 22 from the `node` npm package (design.md §7), which the SDK needs; the CLI finds the same one on PATH. */
export const NODE = fs.existsSync(path.join(REPO_ROOT, "node_modules", ".bin", "node")) ? path.join(REPO_ROOT, "node_modules", ".bin", "node") : process.execPath;

/** The compiled language host (`npm run build` makes it; mocha runs this file from source). */
const LANGUAGE_HOST = path.join(REPO_ROOT, "dist", "tests", "cli", "languageHost.js");

/** Where per-run workspaces live: inside the repository, so the provider plugin resolves `pulumi-training` from it. */
const RUNS_DIR = path.join(REPO_ROOT, ".pulumi-training", "cli-runs");

export interface CliStackOptions {
    /** The program: a `.ts` file or a directory with index.ts. */
    program: string;
    project: string;
    stack?: string;
    /** Plain config: bare keys belong to the project; `ns:key` as is. */
    config?: Record<string, string>;
    /** Secret config (`pulumi config set --secret`). */
    secretConfig?: Record<string, string>;
    /** Environment for the CLI, the program and the provider plugin (credentials, endpoints). */
    env?: Record<string, string>;
    /** Called with every chunk preview, up, refresh and destroy print, as they print it. */
    onOutput?: (text: string) => void;
    /** An existing workspace to reuse (another stack of the same backend, for example). */
    workspace?: string;
}

export interface CliResult {
    /** Exit code; null when killed by a signal. */
    code: number | null;
    signal: NodeJS.Signals | null;
    /** stdout and stderr interleaved as they arrived. */
    output: string;
    /** The command line, for messages. */
    command: string;
}

/** A running CLI command, for tests that interrupt it. */
export interface RunningCli {
    child: ChildProcess;
    /** Everything printed so far. */
    output(): string;
    done: Promise<CliResult>;
}

/**
 * Interrupts a running command. `SIGINT` is a Ctrl-C in the terminal: it goes
 * to the command's process group (the CLI starts its plugins in groups of their
 * own, so they do not get it). `crash` is the machine or CI runner dying: the
 * CLI, the language host and every plugin in the workspace are SIGKILLed at once.
 */
export function interrupt(r: RunningCli, how: "SIGINT" | "crash", workspace: string): void {
    if (how === "SIGINT") {
        process.kill(-r.child.pid!, "SIGINT");
        return;
    }
    for (const pid of processesIn(workspace)) {
        try {
            process.kill(pid, "SIGKILL");
        } catch {
            // Already gone.
        }
    }
}

/** Processes whose working directory is `dir` (Linux /proc): the CLI, its language host and plugins. */
export function processesIn(dir: string): number[] {
    const found: number[] = [];
    for (const entry of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        try {
            if (fs.readlinkSync(`/proc/${entry}/cwd`) === dir) found.push(Number(entry));
        } catch {
            // Not ours, or gone.
        }
    }
    return found;
}

/** Fails with the command's whole output unless it exited 0. */
export function assertOk(r: CliResult): CliResult {
    if (r.code !== 0) throw new Error(`\`${r.command}\` exited with ${r.code ?? r.signal}:\n${r.output}`);
    return r;
}

/** A stack of the real CLI, with its own file backend. */
export class CliStack {
    readonly bin: string;
    readonly workspace: string;
    readonly stack: string;
    readonly programPath: string;
    env: Record<string, string>;
    private initialized = false;

    constructor(private readonly opts: CliStackOptions) {
        const bin = findPulumiCli();
        if (!bin) throw new Error("no Pulumi CLI: run `npm run pulumi-cli` (builds it into the cache) or put `pulumi` on PATH");
        ensureSelfLink();
        this.bin = bin;
        this.stack = opts.stack ?? "dev";
        this.programPath = path.resolve(opts.program);
        this.env = { ...(opts.env ?? {}) };
        this.workspace = opts.workspace ?? path.join(RUNS_DIR, `${opts.project}-${crypto.randomBytes(4).toString("hex")}`);
        fs.mkdirSync(path.join(this.workspace, "backend"), { recursive: true });
        fs.mkdirSync(path.join(this.workspace, "home"), { recursive: true });
        // The program's own Pulumi.yaml where it has one (its config schema is checked by the CLI), else a minimal one.
        const dir = fs.statSync(this.programPath).isDirectory() ? this.programPath : path.dirname(this.programPath);
        const own = path.join(dir, "Pulumi.yaml");
        const yaml = fs.existsSync(own) ? fs.readFileSync(own, "utf8").replace(/^main:.*\n/m, "") : `name: ${opts.project}\nruntime: nodejs\n`;
        fs.writeFileSync(path.join(this.workspace, "Pulumi.yaml"), yaml);
        // The program's other files, linked: paths relative to the project directory resolve as in the user's project.
        if (fs.existsSync(own)) {
            for (const entry of fs.readdirSync(dir)) {
                const link = path.join(this.workspace, entry);
                if (/^Pulumi(\..*)?\.yaml$/.test(entry) || entry === "node_modules" || fs.existsSync(link)) continue;
                fs.symlinkSync(path.join(dir, entry), link);
            }
        }
    }

    /** The environment every CLI command runs in: offline, file backend, node 22 and the provider plugin on PATH. */
    cliEnv(): NodeJS.ProcessEnv {
        // The dynamic-provider plugin sits beside the CLI (npm run pulumi-cli puts it there, as a release does); PULUMI_DIR is the fallback.
        const pathDirs = [this.bin, path.join(REPO_ROOT, "node_modules", ".bin"), process.env.PATH ?? "", PULUMI_DIR];
        return {
            ...process.env,
            ...this.env,
            PATH: pathDirs.join(path.delimiter),
            PULUMI_HOME: path.join(this.workspace, "home"),
            PULUMI_BACKEND_URL: `file://${path.join(this.workspace, "backend")}`,
            PULUMI_CONFIG_PASSPHRASE: "pulumi-training-tests",
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            PULUMI_SKIP_CONFIRMATIONS: "true",
        };
    }

    /** Runs `pulumi <args>` in the workspace; `program: true` serves the program to it. */
    start(args: string[], opts: { program?: boolean; stream?: boolean } = {}): RunningCli {
        let host: ChildProcess | undefined;
        const chunks: string[] = [];
        const command = `pulumi ${args.join(" ")}`;
        const running = { child: undefined, output: () => chunks.join(""), done: undefined } as unknown as RunningCli;
        running.done = (async (): Promise<CliResult> => {
            const full = [...args, "--non-interactive", "--color", "never", "--stack", this.stack];
            if (opts.program) {
                host = spawn(NODE, [LANGUAGE_HOST, this.programPath], {
                    cwd: this.workspace,
                    env: this.cliEnv(),
                    stdio: ["pipe", "pipe", "pipe"],
                });
                const port = await new Promise<string>((resolve, reject) => {
                    let buf = "";
                    host!.stdout!.on("data", (d: Buffer) => {
                        buf += d.toString("utf8");
                        const m = /LISTENING (\d+)\n/.exec(buf);
                        if (m) resolve(m[1]);
                    });
                    host!.stderr!.on("data", (d: Buffer) => chunks.push(d.toString("utf8")));
                    host!.on("exit", (code) => reject(new Error(`the language host exited with ${code}: ${chunks.join("")}${buf}`)));
                });
                // What the program prints after start-up is program output, as the CLI would show it.
                host.stdout!.on("data", (d: Buffer) => this.print(chunks, d, opts.stream));
                full.push(`--client=127.0.0.1:${port}`, "--exec-kind", "auto.inline");
            }
            // Its own process group, like a command started from a shell: a Ctrl-C reaches the group (see interrupt()).
            const child = spawn(path.join(this.bin, "pulumi"), full, { cwd: this.workspace, env: this.cliEnv(), stdio: ["ignore", "pipe", "pipe"], detached: true });
            running.child = child;
            child.stdout!.on("data", (d: Buffer) => this.print(chunks, d, opts.stream));
            child.stderr!.on("data", (d: Buffer) => this.print(chunks, d, opts.stream));
            const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on("close", (c, s) => resolve([c, s])));
            host?.stdin?.end();
            host?.kill("SIGTERM");
            return { code, signal, output: chunks.join(""), command };
        })();
        return running;
    }

    private print(chunks: string[], d: Buffer, stream = false): void {
        const text = d.toString("utf8");
        chunks.push(text);
        if (stream) this.opts.onOutput?.(text);
    }

    /** Runs a command to its end. */
    run(args: string[], opts: { program?: boolean; stream?: boolean } = {}): Promise<CliResult> {
        return this.start(args, opts).done;
    }

    /** `pulumi stack init` and the stack's config, once. */
    async init(): Promise<void> {
        if (this.initialized) return;
        this.initialized = true;
        const selected = await this.run(["stack", "select", "--create"]);
        assertOk(selected);
        await this.setConfig(this.opts.config ?? {}, this.opts.secretConfig ?? {});
    }

    /** Sets config values (`--secret` for the second map) in one command. */
    async setConfig(config: Record<string, string>, secretConfig: Record<string, string> = {}): Promise<void> {
        const ns = (k: string) => (k.includes(":") ? k : `${this.opts.project}:${k}`);
        const args = ["config", "set-all"];
        for (const [k, v] of Object.entries(config)) args.push("--plaintext", `${ns(k)}=${v}`);
        for (const [k, v] of Object.entries(secretConfig)) args.push("--secret", `${ns(k)}=${v}`);
        if (args.length > 2) assertOk(await this.run(args));
    }

    async preview(...flags: string[]): Promise<CliResult> {
        await this.init();
        return this.run(["preview", ...flags], { program: true, stream: true });
    }

    async up(...flags: string[]): Promise<CliResult> {
        await this.init();
        return this.run(["up", "--yes", ...flags], { program: true, stream: true });
    }

    /** Starts `pulumi up` without waiting for it (to interrupt it). */
    async startUp(...flags: string[]): Promise<RunningCli> {
        await this.init();
        return this.start(["up", "--yes", "--skip-preview", ...flags], { program: true, stream: true });
    }

    async refresh(...flags: string[]): Promise<CliResult> {
        await this.init();
        return this.run(["refresh", "--yes", ...flags], { stream: true });
    }

    async destroy(...flags: string[]): Promise<CliResult> {
        await this.init();
        return this.run(["destroy", "--yes", ...flags], { stream: true });
    }

    /** `pulumi stack export`: the checkpoint as the CLI stores it (secrets encrypted). */
    async exportRaw(showSecrets = false): Promise<string> {
        const r = assertOk(await this.run(["stack", "export", ...(showSecrets ? ["--show-secrets"] : [])]));
        return r.output;
    }

    /** The deployment from `pulumi stack export`, secrets decrypted. */
    async deployment(): Promise<Deployment> {
        return JSON.parse(await this.exportRaw(true)).deployment as Deployment;
    }

    /** The custom resources of this library in the checkpoint (no stack, no provider). */
    async resources(): Promise<ExportedResource[]> {
        return ((await this.deployment()).resources ?? []).filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"));
    }

    /** Stack outputs, secrets shown. */
    async outputs(): Promise<Record<string, any>> {
        const r = assertOk(await this.run(["stack", "output", "--json", "--show-secrets"]));
        return JSON.parse(r.output);
    }

    /** Removes the workspace (backend and all). */
    dispose(): void {
        fs.rmSync(this.workspace, { recursive: true, force: true });
    }
}

/** The parts of `pulumi stack export` the tests read. */
export interface Deployment {
    resources?: ExportedResource[];
    pending_operations?: Array<{ type: string; resource: ExportedResource }>;
}

export interface ExportedResource {
    urn: string;
    type: string;
    id?: string;
    custom?: boolean;
    delete?: boolean;
    pendingReplacement?: boolean;
    inputs?: Record<string, any>;
    outputs?: Record<string, any>;
    initErrors?: string[];
}

/** The resource's name from its URN. */
export const nameOf = (r: { urn: string }) => r.urn.split("::").pop()!;

/** The kind token (`tione:TrainingTask`) from a dynamic resource's type. */
export const kindOf = (r: { type: string }) => r.type.replace(/^pulumi-nodejs:dynamic\//, "");

/**
 * The policy pack at `packDir` as the executable analyzer the CLI launches for
 * `--policy-pack <file>`: `run-policy-pack` with the engine address the CLI
 * passes, as the Go language host's RunPlugin does for a PulumiPolicy.yaml pack.
 */
export function policyPackExecutable(packDir: string, workspace: string): string {
    const dir = path.join(workspace, "policy-packs", path.basename(packDir));
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, "analyzer");
    const runPolicyPack = require.resolve("@pulumi/pulumi/cmd/run-policy-pack/index.js", { paths: [packDir, REPO_ROOT] });
    const preload = INSPECT_PRELOAD;
    fs.writeFileSync(
        file,
        `#!/bin/sh\ncd ${JSON.stringify(packDir)}\nexec node --require ${JSON.stringify(preload)} ${JSON.stringify(runPolicyPack)} "$1" ${JSON.stringify(packDir)}\n`,
        { mode: 0o755 },
    );
    return file;
}
