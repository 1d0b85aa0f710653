import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { REPO_ROOT, ensureSelfLink } from "../../harness";
import { KIND_ENTRIES } from "../../provider/registry";

/**
 * Every ```ts block of the README, the docs (the generated per-resource reference pages included:
 * their examples come from the TSDoc `@example` blocks) and the examples' READMEs, plus every
 * example program, type-checked against the built package as a user would compile them. The
 * engine harness runs programs with ts-node in transpile-only mode, so this is where a renamed
 * argument breaks a document or an example.
 */
const DOC_FILES = [
    path.join(REPO_ROOT, "README.md"),
    path.join(REPO_ROOT, "CONTRIBUTING.md"),
    ...listMarkdown(path.join(REPO_ROOT, "docs")),
    ...listMarkdown(path.join(REPO_ROOT, "examples")),
].filter((f) => fs.existsSync(f));

/** The per-resource reference pages `npm run docs` writes; they must exist and carry examples. */
const REFERENCE_PAGES = KIND_ENTRIES.map((k) => path.join(REPO_ROOT, "docs", "reference", `${k.module}.${k.className}.md`));

function listMarkdown(dir: string): string[] {
    if (!fs.existsSync(dir)) return [];
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) return e.name === "node_modules" ? [] : listMarkdown(p);
        return e.name.endsWith(".md") ? [p] : [];
    });
}

/** Example programs: every examples/<dir>/index.ts (the policy pack's entry included). */
function examplePrograms(): string[] {
    const root = path.join(REPO_ROOT, "examples");
    return fs
        .readdirSync(root, { withFileTypes: true })
        .filter((e) => e.isDirectory() && fs.existsSync(path.join(root, e.name, "index.ts")))
        .map((e) => path.join(root, e.name, "index.ts"));
}

function snippets(file: string): Array<{ line: number; code: string }> {
    const out: Array<{ line: number; code: string }> = [];
    const re = /```(?:ts|typescript)\n([\s\S]*?)```/g;
    const text = fs.readFileSync(file, "utf8");
    for (let m; (m = re.exec(text)); ) out.push({ line: text.slice(0, m.index).split("\n").length, code: m[1] });
    return out;
}

const COMPILER_OPTIONS: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
    skipLibCheck: true,
    types: ["node"],
};

/** Type-checks `files` and returns one line per diagnostic, named by where the code came from. */
function typeCheck(files: Array<{ path: string; origin: string }>): string[] {
    const program = ts.createProgram(
        files.map((f) => f.path),
        COMPILER_OPTIONS,
    );
    return ts.getPreEmitDiagnostics(program).map((d) => {
        const origin = files.find((f) => f.path === d.file?.fileName)?.origin ?? d.file?.fileName ?? "";
        const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : 0;
        return `${origin} (+${line}): ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
    });
}

describe("documentation snippets", function () {
    this.timeout(120_000);

    it("every TypeScript snippet in the README, the docs and the per-resource reference compiles against the package", () => {
        ensureSelfLink();
        const dir = path.join(REPO_ROOT, ".harness", "snippets");
        fs.rmSync(dir, { recursive: true, force: true });
        fs.mkdirSync(dir, { recursive: true });
        const files: Array<{ path: string; origin: string }> = [];
        for (const doc of DOC_FILES) {
            snippets(doc).forEach((s, i) => {
                const p = path.join(dir, `${path.basename(doc, ".md")}-${files.length}-${i}.ts`);
                // Each snippet is a module of its own, as a file in a user's project would be.
                fs.writeFileSync(p, `${s.code}\nexport {};\n`);
                files.push({ path: p, origin: `${path.relative(REPO_ROOT, doc)}:${s.line}` });
            });
        }
        assert.ok(files.length >= 10, `found ${files.length} snippets`);
        for (const page of REFERENCE_PAGES) {
            assert.ok(fs.existsSync(page), `${path.relative(REPO_ROOT, page)} is missing: run npm run docs`);
            assert.ok(snippets(page).length >= 1, `${path.relative(REPO_ROOT, page)} has no TypeScript example (add an @example to the resource class)`);
        }
        assert.deepEqual(typeCheck(files), []);
    });

    it("every example program compiles against the package", () => {
        ensureSelfLink();
        const programs = examplePrograms();
        assert.ok(programs.length >= 7, `found ${programs.length} example programs`);
        assert.deepEqual(typeCheck(programs.map((p) => ({ path: p, origin: path.relative(REPO_ROOT, p) }))), []);
    });
});
