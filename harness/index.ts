import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CheckpointFile, Checkpoint } from "./checkpoint";
import { Analyze, Deployment, PolicyDiagnostic, Step } from "./engine";
import { DynamicProviderHost, PULUMI_DIR } from "./host";
import { EngineLog, FakeMonitor } from "./monitor";
import { Props, unwrapSecrets } from "./values";

export { Step, PolicyDiagnostic, Analyze } from "./engine";
export { Checkpoint, ResourceState } from "./checkpoint";
export * as values from "./values";

export const REPO_ROOT = path.resolve(__dirname, "..").replace(/[\\/]dist$/, "");

/** The util.inspect workaround, preloaded into program processes. */
export const INSPECT_PRELOAD = path.join(REPO_ROOT, "harness", "inspectPreload.js");

/**
 * The dynamic-provider host requires `pulumi-training/...` from the project
 * directory, as it would in a user's project where the package sits in
 * node_modules. Inside this repository that is a link to the repository itself.
 */
export function ensureSelfLink(): void {
    const link = path.join(REPO_ROOT, "node_modules", "pulumi-training");
    if (fs.existsSync(path.join(link, "package.json"))) return;
    fs.rmSync(link, { force: true, recursive: true });
    fs.symlinkSync("..", link, "dir");
}

export interface StackOptions {
    /** The Pulumi program: a `.ts` file (run through the SDK's ts-node) or a directory with index.ts. */
    program: string;
    /** Project directory (host and program cwd). Default: the program's directory. */
    projectDir?: string;
    project?: string;
    stack?: string;
    /** Plain config, full `namespace:key` names or bare keys (prefixed with the project). */
    config?: Record<string, string>;
    /** Secret config. */
    secretConfig?: Record<string, string>;
    /** Environment for the program and the provider host (credentials, endpoints). */
    env?: Record<string, string>;
    /** Checkpoint path. Default: a fresh temporary file. */
    statePath?: string;
    /** Policy analyzer called on every registered resource after Check. */
    analyze?: Analyze;
    /** Live provider output (progress lines), as the CLI would stream it. */
    onHostLog?: (line: string) => void;
}

export interface RunResult {
    ok: boolean;
    steps: Step[];
    /** Errors the engine reported (check failures, provider errors, policy violations). */
    errors: string[];
    /** What the program logged through the engine. */
    logs: EngineLog[];
    /** What the provider host printed (progress lines, warnings). */
    hostLogs: string[];
    /** Stack outputs, secrets unwrapped. */
    outputs: Props;
    policyDiagnostics: PolicyDiagnostic[];
    /** gRPC calls made to the provider host, by method. */
    providerCalls: Record<string, number>;
}

/**
 * A Pulumi stack run the way the CLI runs it, without the CLI: the program
 * through `@pulumi/pulumi/cmd/run` against a fake ResourceMonitor, every
 * dynamic resource through the real `cmd/dynamic-provider` host, state in a
 * JSON checkpoint.
 */
export class TestStack {
    readonly project: string;
    readonly stack: string;
    readonly projectDir: string;
    readonly programPath: string;
    readonly checkpoint: CheckpointFile;
    config: Record<string, string>;
    secretConfig: Record<string, string>;
    private running: Array<{ kill(): void }> = [];
    env: Record<string, string>;

    constructor(private readonly opts: StackOptions) {
        ensureSelfLink();
        this.programPath = path.resolve(opts.program);
        this.projectDir = path.resolve(opts.projectDir ?? (fs.statSync(this.programPath).isDirectory() ? this.programPath : path.dirname(this.programPath)));
        this.project = opts.project ?? "test";
        this.stack = opts.stack ?? "dev";
        this.config = { ...(opts.config ?? {}) };
        this.secretConfig = { ...(opts.secretConfig ?? {}) };
        this.env = { ...(opts.env ?? {}) };
        const statePath = opts.statePath ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pt-stack-")), "checkpoint.json");
        this.checkpoint = new CheckpointFile(statePath);
    }

    up(): Promise<RunResult> {
        return this.runProgram(false);
    }

    preview(): Promise<RunResult> {
        return this.runProgram(true);
    }

    refresh(): Promise<RunResult> {
        return this.withoutProgram((d) => d.refresh());
    }

    destroy(): Promise<RunResult> {
        return this.withoutProgram((d) => d.destroyAll());
    }

    /**
     * Kills the running operation's program and provider host at once, the way
     * a crashed or interrupted `pulumi up` ends: whatever was not checkpointed
     * is lost, and jobs already submitted keep running on the cloud.
     */
    interrupt(): void {
        for (const p of this.running) p.kill();
    }

    /** The checkpoint as a JavaScript value (secrets decrypted, still marked). */
    state(): Checkpoint {
        return this.checkpoint.load();
    }

    /** A resource's outputs, secrets unwrapped, by resource name. */
    outputsOf(name: string): Props {
        const r = this.state().resources.find((x) => x.name === name);
        if (!r) throw new Error(`no resource named ${name} in the checkpoint`);
        return unwrapSecrets(r.outputs);
    }

    private fullConfig(): { config: Record<string, string>; secretKeys: string[] } {
        const ns = (k: string) => (k.includes(":") ? k : `${this.project}:${k}`);
        const config: Record<string, string> = {};
        for (const [k, v] of Object.entries(this.config)) config[ns(k)] = v;
        for (const [k, v] of Object.entries(this.secretConfig)) config[ns(k)] = v;
        return { config, secretKeys: Object.keys(this.secretConfig).map(ns) };
    }

    private hostEnv(): NodeJS.ProcessEnv {
        return { ...process.env, ...this.env };
    }

    private async startHost(): Promise<DynamicProviderHost> {
        const { config, secretKeys } = this.fullConfig();
        this.running = [];
        const host = await DynamicProviderHost.start({ cwd: this.projectDir, env: this.hostEnv(), project: this.project, config, secretKeys, onLog: this.opts.onHostLog });
        this.running.push(host);
        return host;
    }

    private async withoutProgram(op: (d: Deployment) => Promise<void>): Promise<RunResult> {
        const host = await this.startHost();
        const d = new Deployment(host, this.checkpoint, { project: this.project, stack: this.stack }, false);
        let ok = true;
        try {
            await op(d);
        } catch {
            ok = false;
        } finally {
            await host.stop();
        }
        return { ok: ok && d.errors.length === 0, steps: d.steps, errors: d.errors, logs: [], hostLogs: host.logs, outputs: unwrapSecrets(this.state().outputs), policyDiagnostics: [], providerCalls: host.calls };
    }

    private async runProgram(dryRun: boolean): Promise<RunResult> {
        const host = await this.startHost();
        const d = new Deployment(host, this.checkpoint, { project: this.project, stack: this.stack }, dryRun, this.opts.analyze);
        const monitor = new FakeMonitor(d);
        const addr = await monitor.start();
        const { config, secretKeys } = this.fullConfig();
        let exitCode: number | null = null;
        const programOutput: string[] = [];
        try {
            const args = [
                "--require",
                INSPECT_PRELOAD,
                path.join(PULUMI_DIR, "cmd", "run", "index.js"),
                `--monitor=${addr}`,
                `--engine=${addr}`,
                `--project=${this.project}`,
                `--stack=${this.stack}`,
                `--pwd=${this.projectDir}`,
                `--root-directory=${this.projectDir}`,
                ...(dryRun ? ["--dry-run"] : []),
                this.programPath,
            ];
            const child = spawn(process.execPath, args, {
                cwd: this.projectDir,
                env: {
                    ...this.hostEnv(),
                    PULUMI_CONFIG: JSON.stringify(config),
                    PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(secretKeys),
                    PULUMI_NODEJS_TYPESCRIPT: "true",
                    PULUMI_NODEJS_TRANSPILE_ONLY: "true",
                },
                stdio: ["ignore", "pipe", "pipe"],
            });
            this.running.push({ kill: () => child.kill("SIGKILL") });
            child.stdout.on("data", (b: Buffer) => programOutput.push(b.toString("utf8")));
            child.stderr.on("data", (b: Buffer) => programOutput.push(b.toString("utf8")));
            exitCode = await new Promise<number | null>((resolve) => child.on("exit", resolve));
            if (exitCode === 0) await monitor.ensureFinished();
        } catch (e) {
            d.errors.push((e as Error).message);
        } finally {
            monitor.stop();
            await host.stop();
        }
        const ok = exitCode === 0 && d.errors.length === 0;
        // A program that dies before registering anything leaves no engine error: report how it ended.
        const extra = programOutput.join("").trim();
        if (!ok && d.errors.length === 0) d.errors.push(`the program exited with code ${exitCode}${extra ? `: ${extra}` : " and printed nothing"}`);
        return {
            ok,
            steps: d.steps,
            errors: d.errors,
            logs: monitor.logs,
            hostLogs: host.logs,
            outputs: unwrapSecrets(monitor.stackOutputs),
            policyDiagnostics: d.policyDiagnostics,
            providerCalls: host.calls,
        };
    }
}
