import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { REPO_ROOT, ensureSelfLink } from "../harness";

/** Every ```ts block of the README and the docs, type-checked against the built package as a user would compile it. */
const DOC_FILES = [path.join(REPO_ROOT, "README.md"), ...listMarkdown(path.join(REPO_ROOT, "docs")), ...listMarkdown(path.join(REPO_ROOT, "examples"))];

function listMarkdown(dir: string): string[] {
    if (!fs.existsSync(dir)) return [];
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) return e.name === "reference" ? [] : listMarkdown(p);
        return e.name.endsWith(".md") ? [p] : [];
    });
}

function snippets(file: string): Array<{ line: number; code: string }> {
    const out: Array<{ line: number; code: string }> = [];
    const re = /```(?:ts|typescript)\n([\s\S]*?)```/g;
    const text = fs.readFileSync(file, "utf8");
    for (let m; (m = re.exec(text)); ) out.push({ line: text.slice(0, m.index).split("\n").length, code: m[1] });
    return out;
}

describe("documentation snippets", function () {
    this.timeout(120_000);

    it("every TypeScript snippet in the README and docs compiles against the package", () => {
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
        assert.ok(files.length >= 2, `found ${files.length} snippets`);
        const program = ts.createProgram(
            files.map((f) => f.path),
            { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, esModuleInterop: true, skipLibCheck: true, types: ["node"] },
        );
        const problems = ts.getPreEmitDiagnostics(program).map((d) => {
            const origin = files.find((f) => f.path === d.file?.fileName)?.origin ?? d.file?.fileName ?? "";
            const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : 0;
            return `${origin} (+${line}): ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
        });
        assert.deepEqual(problems, []);
    });
});
