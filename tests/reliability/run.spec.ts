/**
 * The reliability suite in one run. `npm test` loads every spec file (this one
 * included) in the short form; `npm run test:reliability` runs only this file
 * with RELIABILITY_FULL=1: full counts, and RELIABILITY.md written from the
 * figures each suite recorded. Each suite is also a spec file of its own, so
 * `mocha tests/reliability/soak.spec.ts` runs one; loading it here as well
 * registers it once (the require cache).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { FULL, figures, record } from "./support";

require("./hostile.spec");
require("./badInput.spec");
require("./soak.spec");
require("./interrupted.spec");
require("./durability.spec");
require("./secretPlacements.spec");
require("./stacks.spec");

const REPORT = path.resolve(__dirname, "..", "..", "RELIABILITY.md");
const startedAt = Date.now();

/** A figure, or "n/a" when its suite did not run. */
const fig = (section: string, key: string): string | number => figures[section]?.[key] ?? "n/a";

/** The figures as Markdown: the headline numbers first, then every figure by suite. */
export function renderReport(): string {
    const headline: Array<[string, string | number]> = [
        ["resources in the fault soak", fig("soak", "resources")],
        ["fault rate", fig("soak", "fault rate")],
        ["faults injected", fig("soak", "faults injected")],
        ["duplicate jobs (soak, interrupted apply, durability)", `${fig("soak", "up: duplicates")}, ${fig("interrupted apply", "duplicates after replacement")}, ${fig("emulator durability", "duplicates")}`],
        ["orphaned jobs (soak, interrupted apply, durability)", `${fig("soak", "up: orphans")}, ${fig("interrupted apply", "orphans after replacement")}, ${fig("emulator durability", "orphans")}`],
        ["objects left behind by destroy under faults", fig("soak", "destroy: objects left behind")],
        ["jobs lost across emulator kills", fig("emulator durability", "jobs lost")],
        ["cross-stack adoptions (3 stacks of one program in one account)", fig("stacks", "cross-stack adoptions")],
        ["jobs of other stacks lost to one stack's destroy", fig("stacks", "jobs of other stacks lost to one stack's destroy")],
        ["plaintext secrets in every placement (leaks; outputs checked encrypted)", `${fig("secret placements", "leaks")} (${fig("secret placements", "secret outputs checked encrypted")})`],
        ["invalid inputs tried (each asserted)", `${fig("bad input", "invalid inputs tried")} (${fig("bad input", "cases asserted")})`],
        ["requests the emulator saw during the bad-input preview", fig("bad input", "requests the emulator saw")],
        ["random argument sets checked (valid, arbitrary)", `${fig("bad input", "random valid argument sets checked")}, ${fig("bad input", "random arbitrary argument sets checked")}`],
        ["hostile answers tried", fig("hostile answers", "answers tried")],
        ["secret leaks found (surfaces scanned)", `${fig("secrets", "leaks")} (${fig("secrets", "surfaces scanned")})`],
        ["duration", `${fig("run", "seconds")} s`],
    ];
    const lines = [
        "# Reliability",
        "",
        `Produced by \`npm run test:reliability\` (tests/reliability, ${fig("run", "form")}, finished ${fig("run", "finished")}). ` +
            "`npm test` runs the same suites with smaller counts. Every figure is measured by the run unless marked as configured.",
        "",
        "| headline | value |",
        "|---|---|",
        ...headline.map(([k, v]) => `| ${k} | ${String(v).replace(/\|/g, "\\|")} |`),
        "",
        "What each suite does (tests/reliability):",
        "",
        "- **soak**: a stack of every kind (programs/mixed.ts) is applied, refreshed and destroyed while the emulator fails the configured share of all API requests with 5xx answers, each cloud's throttling error, dropped connections, answers slower than the client timeout, and requests applied whose answer is lost. Runs that fail must fail clearly and are re-run; afterwards every resource has exactly one remote job, recorded in the checkpoint, a further up is a no-op, and destroy leaves nothing behind.",
        "- **interrupted apply**: the engine is killed while creates wait on running jobs; jobs fail meanwhile; the next up adopts the jobs in flight by their markers, submits nothing twice, and reports the failed ones (recorded, replaced by the next up).",
        "- **bad input**: the corpus (corpus.ts) runs as one preview through the engine, each case a resource; each must fail check with its property path and reason, with zero requests; then fast-check properties of check on random valid and arbitrary arguments.",
        "- **hostile answers**: each of the four clients against HTML pages, empty, truncated and mistyped bodies, unknown statuses, extra fields, prototype-named codes, trickling answers, redirects and credential echoes.",
        "- **emulator durability**: the emulator process is SIGKILLed and restarted on its state file while an up waits; no job is lost and the run completes.",
        "- **stacks**: three stacks of the mixed program (two stacks of one project, one of another project) share one account; no job id is recorded by two stacks, and destroying one stack leaves the others' jobs in place.",
        "- **secret placements**: secrets in env values, start commands and `pulumi.secret` literals among free-form parameters; the clouds fail jobs with reasons that quote them, and a console edit adds one; errors show them masked, and the outputs that may hold them are encrypted in the checkpoint.",
        "- **secrets**: every run's checkpoint, `__provider`, log lines and errors, and every hostile error message, are scanned for the emulator's credentials, the programs' secret config values and their `pulumi.secret` literals.",
        "",
        "Scenarios proven elsewhere (tests/engine, through the engine harness; tests/cli, through the real CLI): a lost create answer with a list that lags (listLag.spec.ts), either list order (listOrder.spec.ts), a garbled create answer (garbledCreate.spec.ts), a transient not-found (transientNotFound.spec.ts), a job recorded without an outcome (unknownOutcome.spec.ts), a region or account switch between runs (placement.spec.ts), a fine-tune output reported after success and a fine-tune destroyed then declared again (fineTuneJob.spec.ts), stacks and projects sharing an account (tests/cli/stacks.spec.ts), and secret placements through the real CLI (tests/cli/secrets.spec.ts).",
        "",
    ];
    for (const [section, values] of Object.entries(figures)) {
        lines.push(`## ${section}`, "", "| figure | value |", "|---|---|");
        for (const [k, v] of Object.entries(values)) lines.push(`| ${k} | ${String(v).replace(/\|/g, "\\|")} |`);
        lines.push("");
    }
    return lines.join("\n");
}

after(function () {
    record("run", "form", FULL ? "full (RELIABILITY_FULL=1)" : "short (npm test)");
    record("run", "seconds", Math.round((Date.now() - startedAt) / 1000));
    record("run", "finished", new Date().toISOString().replace(/\.\d+Z$/, "Z"));
    const text = renderReport();
    if (FULL) {
        fs.writeFileSync(REPORT, text);
        console.log(`\n  reliability figures written to ${path.relative(process.cwd(), REPORT)}`);
    } else {
        console.log("\n  reliability figures (short form; RELIABILITY.md is written by npm run test:reliability):");
        for (const [section, values] of Object.entries(figures)) console.log(`    ${section}: ${Object.entries(values).map(([k, v]) => `${k}=${v}`).join("; ")}`);
    }
});
