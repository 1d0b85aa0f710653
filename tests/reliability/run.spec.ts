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

const REPORT = path.resolve(__dirname, "..", "..", "RELIABILITY.md");
const startedAt = Date.now();

/** The figures as Markdown, one table per section. */
export function renderReport(): string {
    const lines = [
        "# Reliability",
        "",
        "Produced by `npm run test:reliability` (tests/reliability, full form). `npm test` runs the same suites with smaller counts.",
        "Every figure below is measured, not configured, unless it says \"configured\".",
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
