/**
 * The README's settings are the ones the provider reads: every stack-config
 * key and environment variable the provider's code reads appears in the
 * "Credentials, endpoints and regions" or "Provider settings" table, and
 * every key or variable those tables name is read by the code.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../../harness";

/** Variables the engine sets for the program, which users do not set (read as a fallback only). */
const ENGINE_VARIABLES = new Set(["PULUMI_NODEJS_PARALLEL"]);

function sources(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        return e.isDirectory() ? sources(p) : e.name.endsWith(".ts") ? [p] : [];
    });
}

/** `alaya:${key}` in code and `alaya:<key>` in the README are the same family of keys. */
const normalised = (name: string) => name.replace(/\$\{\w+\}/, "<key>");

/** Every config key and environment variable `setting`/`numberSetting` calls and `process.env` reads name in `provider/`. */
function readByCode(): Set<string> {
    const names = new Set<string>();
    for (const file of sources(path.join(REPO_ROOT, "provider"))) {
        const text = fs.readFileSync(file, "utf8");
        for (const call of text.matchAll(/\b(?:setting|numberSetting)\(\s*\[([^\]]*)\],\s*\[([^\]]*)\]/g)) {
            for (const literal of `${call[1]},${call[2]}`.matchAll(/["`]([^"`]+)["`]/g)) names.add(normalised(literal[1]));
        }
        for (const env of text.matchAll(/process\.env\.([A-Z][A-Z0-9_]+)/g)) if (!ENGINE_VARIABLES.has(env[1])) names.add(env[1]);
    }
    return names;
}

/** The backticked config keys (`ns:key`) and variables (`UPPER_CASE`) in the table rows of a README section (in its first `columns` columns). */
function namedInReadme(section: string, columns = Infinity): Set<string> {
    const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
    const start = readme.indexOf(`\n## ${section}\n`);
    assert.ok(start >= 0, `README has no section "${section}"`);
    const end = readme.indexOf("\n## ", start + 1);
    const rows = readme.slice(start, end).split("\n").filter((l) => l.startsWith("|"));
    const names = new Set<string>();
    for (const row of rows) {
        const cells = row.split("|").slice(1, 1 + columns).join("|");
        for (const m of cells.matchAll(/`([^`]+)`/g)) {
            const token = m[1];
            if (/^[a-z][A-Za-z-]*:[A-Za-z<>]+$/.test(token) || /^[A-Z][A-Z0-9_]+$/.test(token)) names.add(token);
        }
    }
    return names;
}

describe("README settings", () => {
    const code = readByCode();
    const readme = new Set([...namedInReadme("Credentials, endpoints and regions"), ...namedInReadme("Provider settings", 2)]);

    it("name every config key and environment variable the provider reads", () => {
        assert.ok(code.size > 15, `found only ${code.size} settings in provider/: has the reading code changed shape?`);
        assert.deepEqual([...code].filter((n) => !readme.has(n)).sort(), []);
    });

    it("name nothing the provider does not read", () => {
        assert.deepEqual([...readme].filter((n) => !code.has(n)).sort(), []);
    });
});
