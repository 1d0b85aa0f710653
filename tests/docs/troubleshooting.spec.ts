/**
 * The README's troubleshooting table quotes error messages; a reworded message in the code must
 * fail here rather than leave users searching the README for text they will never see.
 *
 * Each row's quoted message (its first code span) is cut at what varies at run time (`...`,
 * `<placeholders>`, "quoted values", ids, numbers, status words, the request-id suffix) and every
 * remaining piece of 15 characters or more must occur in the sources that produce it
 * (provider/, sdk/, emulator/). Messages from outside this package (Node, TypeScript, the Pulumi
 * engine's framing) are listed in EXTERNAL and only checked to still be in the README.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../../harness";

/** Pieces produced by Node, TypeScript or the Pulumi engine rather than by this package. */
const EXTERNAL = [
    /^Cannot find module/,
    /^Cannot read properties of undefined/,
    /resource '[^']*' has a problem/,
    // The Pulumi CLI's own messages (tests/cli shows each of them).
    /^the stack is currently locked/,
    /^Attempting to deploy or update resources with/,
    /^pending operations from previous deployment/,
    /^no language plugin 'pulumi-language-nodejs'/,
];

/** `<service> <action> failed`: the format of every CloudApiError; the action must exist in that client. */
const CLOUD_ERROR = /^(DashScope|TI-ONE|PolarDB|Alaya) (\w+) failed$/;

function sources(): string {
    const out: string[] = [];
    const walk = (dir: string) => {
        for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
            const p = path.join(dir, e.name);
            if (e.isDirectory()) walk(p);
            else if (e.name.endsWith(".ts")) out.push(fs.readFileSync(p, "utf8"));
        }
    };
    for (const d of ["provider", "sdk", "emulator"]) walk(path.join(REPO_ROOT, d));
    return (
        out
            .join("\n")
            // String literals split over lines (`"..." +\n "..."`) read as one, escaped backticks as backticks.
            .replace(/["'`]\s*\+\s*\n\s*["'`]/g, "")
            .replace(/\\`/g, "`")
    );
}

/** The first code span of each row of the README's troubleshooting table. */
function quotedMessages(): string[] {
    const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
    const section = readme.split("\n## Troubleshooting\n")[1]?.split("\n## ")[0];
    assert.ok(section, "the README has a Troubleshooting section");
    const rows = section.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| you see"));
    assert.ok(rows.length >= 10, `found ${rows.length} troubleshooting rows`);
    return rows.map((row) => {
        const m = /(`+)(.+?)\1/.exec(row.split(" | ")[0]);
        assert.ok(m, `troubleshooting row without a quoted message: ${row.slice(0, 80)}`);
        return m[2].trim();
    });
}

/** The literal pieces of a quoted message, without what varies at run time. */
function pieces(message: string): string[] {
    return message
        .split(/\.\.\.|<[^>]*>|"[^"]*"|\((?:HTTP|train-|id )[^)]*\)|\b(?:RUNNING|SUCCEEDED|FAILED|CANCELED|STOPPED)\b(?: job)?|=\d+|\b\d+\b|: |; /)
        .map((p) => p.trim().replace(/^[,;.]\s*/, "").replace(/[,;]$/, ""))
        .filter((p) => p.length >= 15);
}

describe("README troubleshooting", () => {
    it("quotes messages the code still produces", () => {
        const src = sources();
        const stale: string[] = [];
        for (const message of quotedMessages()) {
            for (const piece of pieces(message)) {
                if (EXTERNAL.some((re) => re.test(piece))) continue;
                const cloud = CLOUD_ERROR.exec(piece);
                if (cloud) {
                    if (!src.includes(`"${cloud[2]}"`) && !src.includes(`'${cloud[2]}'`)) stale.push(`${piece}: no action named ${cloud[2]}`);
                    continue;
                }
                // A property path (`hyperParameters.nEpochs`) is composed at run time: each of its names must exist.
                if (!piece.includes(" ")) {
                    for (const name of piece.split(/[.[\]]+/).filter(Boolean)) if (!src.includes(name)) stale.push(`${piece}: ${name}`);
                    continue;
                }
                if (!src.includes(piece)) stale.push(piece);
            }
        }
        assert.deepEqual(stale, [], "README troubleshooting quotes text the code no longer produces: update the table");
    });
});
