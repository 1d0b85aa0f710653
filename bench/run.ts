/**
 * `npm run bench`: measures the provider, logs progress to stderr, prints
 * the report and writes BENCHMARKS.md. Options: `--full` (adds the
 * 1,000-resource stack and profiles every kind), `--only=a,b` (some measures,
 * printed only), `--rounds=N` (overhead A/B rounds), `--runs=N` (harness-cost
 * repetitions).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT, ensureSelfLink } from "../harness";
import { describeEnvironment } from "./env";
import { measureCliParallel } from "./cliParallel";
import { measureCliScale } from "./cliScale";
import { measureHarnessCost } from "./harnessCost";
import { ALL_KIND_TOKENS, BenchKind, availableKinds } from "./kinds";
import { measureOverhead } from "./overhead";
import { realWait, sharedBudget, simulatePolling } from "./polling";
import { profileHost } from "./profile";
import { BenchResults, renderReport } from "./report";
import { scaleRun } from "./scale";
import { measureStateWeight } from "./stateWeight";
import { fmtMs } from "./stats";
import { throughputRun } from "./throughput";

const MEASURES = ["overhead", "latency", "profile", "state", "polling", "throughput", "scale", "harness", "cli-parallel", "cli-scale"] as const;
type Measure = (typeof MEASURES)[number];

interface Options {
    full: boolean;
    only?: Set<Measure>;
    rounds: number;
    runs: number;
}

function parseArgs(argv: string[]): Options {
    const opt = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
    const only = opt("only")?.split(",").map((s) => s.trim()).filter(Boolean);
    for (const m of only ?? []) if (!(MEASURES as readonly string[]).includes(m)) throw new Error(`unknown measure ${m}; one of ${MEASURES.join(", ")}`);
    const num = (name: string, fallback: number) => {
        const v = Number(opt(name) ?? fallback);
        if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive whole number`);
        return v;
    };
    return { full: argv.includes("--full"), only: only ? new Set(only as Measure[]) : undefined, rounds: num("rounds", 12), runs: num("runs", 5) };
}

const started = performance.now();
function log(line: string): void {
    process.stderr.write(`[bench ${fmtMs(performance.now() - started).padStart(8)}] ${line}\n`);
}

/** The stack the throughput runs use: 400 TI-ONE creates, and N of each other job kind together (buckets are per cloud, so they do not interfere). */
function throughputPlans(kinds: BenchKind[], full: boolean): Array<{ label: string; groups: Array<{ kind: BenchKind; count: number }> }> {
    const plans = [];
    const tione = kinds.find((k) => k.token === "tione:TrainingTask");
    if (tione) plans.push({ label: "TI-ONE ×400", groups: [{ kind: tione, count: 400 }] });
    const others = kinds.filter((k) => k.cloud !== "tione" && k.token !== "bailian:File");
    const n = full ? 400 : 100;
    if (others.length) plans.push({ label: `others ×${n} each`, groups: others.map((kind) => ({ kind, count: n })) });
    return plans;
}

async function main(): Promise<void> {
    const o = parseArgs(process.argv.slice(2));
    const wants = (m: Measure) => !o.only || o.only.has(m);
    ensureSelfLink();
    const kinds = availableKinds();
    const results: BenchResults = {
        env: describeEnvironment(),
        full: o.full,
        kinds: kinds.map((k) => k.token),
        missingKinds: ALL_KIND_TOKENS.filter((t) => !kinds.some((k) => k.token === t)),
    };
    log(`kinds: ${results.kinds.join(", ")}${results.missingKinds.length ? `; not built: ${results.missingKinds.join(", ")}` : ""}`);
    const print = () => process.stdout.write(renderReport(results, "npm run bench") + "\n");
    const model = kinds.find((k) => k.token === "bailian:FineTuneJob");
    if (!model) throw new Error("bailian.FineTuneJob is not built: run `npm run build`");

    if (wants("overhead")) {
        log(`provider overhead: ${o.rounds} interleaved rounds of direct / in-process / host creates per kind`);
        results.overhead = await measureOverhead(kinds, { rounds: o.rounds });
    }
    if (wants("latency")) {
        log("provider overhead at cloud latency (every answer delayed 50 ms)");
        results.overheadAtLatency = await measureOverhead(kinds, { rounds: Math.max(3, Math.ceil(o.rounds / 2)), latencyMs: 50, cold: false });
    }
    if (wants("profile")) {
        const profiled = o.full ? kinds : [model];
        log(`profiling a warm host: ${profiled.map((k) => k.token).join(", ")}`);
        results.profiles = [];
        for (const k of profiled) results.profiles.push(await profileHost(k, 25));
    }
    if (wants("state")) {
        log("state weight");
        results.stateWeight = await measureStateWeight(kinds, 3);
    }
    if (wants("polling")) {
        log("polling: simulated schedule, one real scaled wait (about 40 s), waits sharing the budget with creates");
        results.polling = { ...simulatePolling(kinds), real: await realWait(model, 1, 0.01) };
        const shared = kinds.find((k) => k.token === "tione:TrainingTask") ?? model;
        results.polling.shared = await sharedBudget(shared, 40, 6, 0.02);
    }
    if (wants("throughput")) {
        results.throughput = [];
        for (const plan of throughputPlans(kinds, o.full)) {
            log(`throughput: ${plan.label}`);
            results.throughput.push(await throughputRun(plan.label, plan.groups));
        }
    }
    if (wants("scale")) {
        results.scale = [];
        for (const n of o.full ? [10, 100, 1000] : [10, 100]) {
            log(`scale: ${n} resources`);
            results.scale.push(await scaleRun(kinds, n));
        }
    }
    if (wants("harness")) {
        log("harness and emulator cost");
        const sample = results.stateWeight?.sample ?? (await measureStateWeight(kinds, 1)).sample;
        results.harness = await measureHarnessCost(o.runs, sample);
    }
    if (wants("cli-parallel")) {
        log("waiting jobs under the real CLI: 24 TI-ONE tasks waiting each (default --parallel, --parallel 32) vs one Completion (default)");
        results.cliParallel = await measureCliParallel();
        if (!results.cliParallel) log("no Pulumi CLI (npm run pulumi-cli): cli-parallel skipped");
    }
    if (wants("cli-scale")) {
        results.cliScale = [];
        for (const n of o.full ? [100, 1000] : [100]) {
            log(`the real CLI beside the harness: ${n} resources (preview, up, no-op up)`);
            const run = await measureCliScale(kinds, n);
            if (!run) {
                log("no Pulumi CLI (npm run pulumi-cli): cli-scale skipped");
                break;
            }
            results.cliScale.push(run);
        }
    }
    results.durationMs = performance.now() - started;
    results.env.loadAfter = os.loadavg();
    print();
    fs.mkdirSync(path.join(REPO_ROOT, "dist", "bench"), { recursive: true });
    fs.writeFileSync(path.join(REPO_ROOT, "dist", "bench", "last-run.json"), JSON.stringify({ ...results, stateWeight: results.stateWeight && { ...results.stateWeight, sample: undefined } }, null, 2));
    if (o.only) {
        log("--only: BENCHMARKS.md left as it was");
    } else {
        fs.writeFileSync(path.join(REPO_ROOT, "BENCHMARKS.md"), renderReport(results, o.full ? "npm run bench -- --full" : "npm run bench"));
        log(`wrote BENCHMARKS.md (${fmtMs(results.durationMs)})`);
    }
}

main().then(
    () => process.exit(0),
    (e) => {
        console.error(e instanceof Error ? e.stack : e);
        process.exit(1);
    },
);
