/**
 * Waiting jobs under the real `pulumi` CLI: a stack of 24 TI-ONE tasks, side
 * by side in one run:
 * - the old shape, every task waiting for itself (`waitForCompletion: true`),
 *   under the engine's default `--parallel` (4 × CPUs) and with `--parallel`
 *   at least the number of jobs: a create that waits holds an engine step, so
 *   under the default the jobs beyond the limit are submitted only as earlier
 *   ones finish;
 * - the new shape, tasks with `waitForCompletion: false` and one
 *   `Completion` for the group, under the default `--parallel`;
 * - one task with its Completion: the time to submit one job, the yardstick
 *   of the target (24 jobs all submitted within 2× of it).
 */
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "../harness";
import { findPulumiCli } from "../tests/cli/cli";
import { cliFixture } from "../tests/cli/fixture";

export interface ParallelRun {
    /** `default (8)` or `--parallel 32`. */
    label: string;
    /** Who waits: each job in its own step, or one Completion for the group. */
    design: "each job waits" | "one Completion";
    jobs: number;
    /** When each job was first seen in the emulator, ms after `up` started. */
    submittedMs: number[];
    upMs: number;
    /** How long one job runs on the emulator (its phases × stepMs). */
    jobMs: number;
    ok: boolean;
}

const WAITING = path.join(REPO_ROOT, "tests", "engine", "programs", "tioneMany.ts");
const COMPLETION = path.join(REPO_ROOT, "tests", "cli", "programs", "completion.ts");

async function measure(label: string, design: ParallelRun["design"], jobs: number, flags: string[], stepMs: number): Promise<ParallelRun> {
    const program = design === "one Completion" ? COMPLETION : WAITING;
    const fx = await cliFixture({ program, project: "bench", stepMs, config: { count: String(jobs) } });
    try {
        await fx.stack.init();
        const started = Date.now();
        const submittedMs: number[] = [];
        let done = false;
        const watch = (async () => {
            while (!done) {
                const seen = (await fx.control("GET", "/tione/tasks")).tasks.length;
                while (submittedMs.length < seen) submittedMs.push(Date.now() - started);
                await new Promise((r) => setTimeout(r, 50));
            }
        })();
        const up = await fx.stack.up("--skip-preview", ...flags);
        done = true;
        await watch;
        // SUBMITTING, PENDING, STARTING, RUNNING: four steps before SUCCEED (emulator/tione).
        return { label, design, jobs, submittedMs, upMs: Date.now() - started, jobMs: 4 * stepMs, ok: up.code === 0 };
    } finally {
        await fx.close();
    }
}

export async function measureCliParallel(jobs = 24, stepMs = 2000): Promise<ParallelRun[] | undefined> {
    if (!findPulumiCli()) return undefined;
    const byDefault = `default (${4 * os.availableParallelism()})`;
    const wide = Math.max(jobs, 32);
    return [
        await measure(byDefault, "one Completion", 1, [], stepMs),
        await measure(byDefault, "each job waits", jobs, [], stepMs),
        await measure(`--parallel ${wide}`, "each job waits", jobs, ["--parallel", String(wide)], stepMs),
        await measure(byDefault, "one Completion", jobs, [], stepMs),
    ];
}
