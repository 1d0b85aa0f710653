/**
 * Waiting jobs under the real `pulumi` CLI: a stack of 24 TI-ONE tasks that
 * wait for completion, once under the engine's default `--parallel` (4 × CPUs)
 * and once with `--parallel` at least the number of jobs, side by side in one
 * run. A create that waits for its job holds an engine step, so under the
 * default the jobs beyond the limit are submitted only as earlier ones finish.
 */
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "../harness";
import { findPulumiCli } from "../tests/cli/cli";
import { cliFixture } from "../tests/cli/fixture";

export interface ParallelRun {
    /** `default (8)` or `--parallel 32`. */
    label: string;
    jobs: number;
    /** When each job was first seen in the emulator, ms after `up` started. */
    submittedMs: number[];
    upMs: number;
    /** How long one job runs on the emulator (its phases × stepMs). */
    jobMs: number;
    ok: boolean;
}

const PROGRAM = path.join(REPO_ROOT, "tests", "engine", "programs", "tioneMany.ts");

export async function measureCliParallel(jobs = 24, stepMs = 2000): Promise<ParallelRun[] | undefined> {
    if (!findPulumiCli()) return undefined;
    const defaultParallel = 4 * os.availableParallelism();
    const runs: ParallelRun[] = [];
    for (const [label, flags] of [
        [`default (${defaultParallel})`, []],
        [`--parallel ${Math.max(jobs, 32)}`, ["--parallel", String(Math.max(jobs, 32))]],
    ] as Array<[string, string[]]>) {
        const fx = await cliFixture({ program: PROGRAM, project: "bench", stepMs, config: { count: String(jobs) } });
        try {
            await fx.stack.init();
            const started = Date.now();
            const submittedMs: number[] = [];
            let done = false;
            const watch = (async () => {
                while (!done) {
                    const seen = (await fx.control("GET", "/tione/tasks")).tasks.length;
                    while (submittedMs.length < seen) submittedMs.push(Date.now() - started);
                    await new Promise((r) => setTimeout(r, 100));
                }
            })();
            const up = await fx.stack.up("--skip-preview", ...flags);
            done = true;
            await watch;
            // SUBMITTING, PENDING, STARTING, RUNNING: four steps before SUCCEED (emulator/tione).
            runs.push({ label, jobs, submittedMs, upMs: Date.now() - started, jobMs: 4 * stepMs, ok: up.code === 0 });
        } finally {
            await fx.close();
        }
    }
    return runs;
}
