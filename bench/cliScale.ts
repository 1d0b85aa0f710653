/**
 * The same stack through the real `pulumi` CLI and through the engine
 * harness, side by side in one run: `preview` of the new stack, `up`, and a
 * no-op `up`, each timed and its API requests counted (preview and the no-op
 * up must make none), with the peak memory of every process of the run: the
 * CLI, the language host that runs the program, and the dynamic-provider host.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { TestStack } from "../harness";
import { CliStack, findPulumiCli } from "../tests/cli/cli";
import { BenchEmulator, PROGRAMS, mixedStack, spread, startBenchEmulator } from "./fixture";
import { BenchKind } from "./kinds";
import { now } from "./stats";

/** The processes of a run, by what they are. */
export type ProcessRole = "cli" | "language host" | "provider host" | "program" | "other";

/** Peak `VmHWM` per role among this process's descendants (children, their children, …), sampled from `/proc`. */
export class TreeMemorySampler {
    private readonly peaks = new Map<number, { role: ProcessRole; peak: number }>();
    private timer?: NodeJS.Timeout;

    constructor(private readonly intervalMs = 100) {}

    start(): this {
        this.sample();
        this.timer = setInterval(() => this.sample(), this.intervalMs);
        this.timer.unref();
        return this;
    }

    stop(): void {
        if (this.timer) clearInterval(this.timer);
        this.sample();
    }

    /** The largest peak of a role, bytes; NaN when no such process was seen. */
    peakOf(role: ProcessRole): number {
        const xs = [...this.peaks.values()].filter((p) => p.role === role).map((p) => p.peak);
        return xs.length ? Math.max(...xs) : NaN;
    }

    private sample(): void {
        for (const pid of descendants(process.pid)) {
            try {
                const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
                const m = /^VmHWM:\s+(\d+) kB/m.exec(status);
                if (!m) continue;
                const known = this.peaks.get(pid);
                const role = known?.role ?? roleOf(fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0"));
                this.peaks.set(pid, { role, peak: Math.max(known?.peak ?? 0, Number(m[1]) * 1024) });
            } catch {
                // Gone between the listing and the read.
            }
        }
    }
}

function roleOf(argv: string[]): ProcessRole {
    const line = argv.join(" ");
    if (line.includes("cmd/dynamic-provider")) return "provider host";
    if (line.includes("languageHost.js")) return "language host";
    if (line.includes("cmd/run")) return "program";
    if (path.basename(argv[0] ?? "") === "pulumi") return "cli";
    return "other";
}

function descendants(root: number): number[] {
    const out: number[] = [];
    const queue = [root];
    while (queue.length) {
        const pid = queue.shift()!;
        let tids: string[] = [];
        try {
            tids = fs.readdirSync(`/proc/${pid}/task`);
        } catch {
            continue;
        }
        for (const tid of tids) {
            try {
                const text = fs.readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").trim();
                if (text) for (const c of text.split(/\s+/).map(Number)) if (!out.includes(c)) out.push(c), queue.push(c);
            } catch {
                // Gone.
            }
        }
    }
    return out;
}

/** One operation on both sides. */
export interface CliScalePhase {
    op: "preview (new stack)" | "up" | "up (no change)";
    harnessMs: number;
    cliMs: number;
    harnessOk: boolean;
    cliOk: boolean;
    harnessRequests: number;
    cliRequests: number;
    /** Peak memory during the CLI's operation, bytes. */
    cliPeak: Record<"cli" | "language host" | "provider host", number>;
    /** Peak memory during the harness's operation, bytes. */
    harnessPeak: Record<"program" | "provider host", number>;
    /** The first lines of an error, when one side failed. */
    error?: string;
}

export interface CliScaleRun {
    resources: number;
    phases: CliScalePhase[];
}

async function timed<T>(be: BenchEmulator, run: () => Promise<T>): Promise<{ value: T; ms: number; requests: number; mem: TreeMemorySampler }> {
    const before = be.requests();
    const mem = new TreeMemorySampler(100).start();
    const t0 = now();
    const value = await run();
    const ms = now() - t0;
    mem.stop();
    return { value, ms, requests: be.requests() - before, mem };
}

/**
 * `n` resources spread over the kinds (waitForCompletion false, as in the
 * harness scale run), one emulator per side (names are unique on some
 * clouds: a shared one would let one side adopt the other's jobs).
 */
export async function measureCliScale(kinds: BenchKind[], n: number): Promise<CliScaleRun | undefined> {
    if (!findPulumiCli()) return undefined;
    const [hbe, cbe] = [await startBenchEmulator({ stepMs: 50 }), await startBenchEmulator({ stepMs: 50 })];
    let cli: CliStack | undefined;
    try {
        const groups = spread(kinds, n);
        const harness: TestStack = mixedStack(hbe, groups);
        const spec = mixedStack(cbe, groups).config.spec;
        cli = new CliStack({ program: path.join(PROGRAMS, "mixed.ts"), project: "bench", config: { spec }, env: cbe.env });
        await cli.init();
        const phases: CliScalePhase[] = [];
        const ops: Array<[CliScalePhase["op"], () => Promise<{ ok: boolean; errors: string[] }>, () => Promise<{ code: number | null; output: string }>]> = [
            ["preview (new stack)", () => harness.preview(), () => cli!.preview()],
            ["up", () => harness.up(), () => cli!.up("--skip-preview")],
            ["up (no change)", () => harness.up(), () => cli!.up("--skip-preview")],
        ];
        for (const [op, runHarness, runCli] of ops) {
            const h = await timed(hbe, runHarness);
            const c = await timed(cbe, runCli);
            const cliOk = c.value.code === 0;
            phases.push({
                op,
                harnessMs: h.ms,
                cliMs: c.ms,
                harnessOk: h.value.ok,
                cliOk,
                harnessRequests: h.requests,
                cliRequests: c.requests,
                cliPeak: { cli: c.mem.peakOf("cli"), "language host": c.mem.peakOf("language host"), "provider host": c.mem.peakOf("provider host") },
                harnessPeak: { program: h.mem.peakOf("program"), "provider host": h.mem.peakOf("provider host") },
                error: !h.value.ok ? h.value.errors.slice(0, 2).join("; ") : !cliOk ? c.value.output.split("\n").filter((l) => /error/i.test(l)).slice(0, 2).join("; ") : undefined,
            });
        }
        return { resources: n, phases };
    } finally {
        cli?.dispose();
        await hbe.close();
        await cbe.close();
    }
}
