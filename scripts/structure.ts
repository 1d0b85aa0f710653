/**
 * Prints what imports what, by area (a top-level folder, or a cloud's folder
 * inside `sdk/`, `provider/`, `emulator/`), and the files most imported
 * inside `provider/`: the figure CONTRIBUTING's "Layout" section describes.
 *
 *     npx ts-node scripts/structure.ts
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const ROOT = resolve(__dirname, "..");
const SKIP = new Set(["node_modules", "dist", "docs", ".git", "examples"]);

function sources(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        if (SKIP.has(name)) return [];
        if (statSync(path).isDirectory()) return sources(path);
        return /\.tsx?$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
    });
}

/** `provider/tione/x.ts` -> `provider/tione`; `tests/unit/x.ts` -> `tests/unit`; `bench/x.ts` -> `bench`. */
function areaOf(file: string): string {
    const parts = relative(ROOT, file).split("/");
    return parts.length > 2 ? `${parts[0]}/${parts[1]}` : parts[0];
}

const edges = new Map<string, number>();
const fanIn = new Map<string, Set<string>>();
for (const file of sources(ROOT)) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/(?:from|import|require\()\s*["'](\.{1,2}\/[^"']+)["']/g)) {
        const target = resolve(dirname(file), m[1]);
        const from = areaOf(file);
        const to = areaOf(target);
        if (from !== to) edges.set(`${from} -> ${to}`, (edges.get(`${from} -> ${to}`) ?? 0) + 1);
        const rel = relative(ROOT, target);
        if (rel.startsWith("provider/")) {
            const users = fanIn.get(rel) ?? new Set<string>();
            users.add(relative(ROOT, file));
            fanIn.set(rel, users);
        }
    }
}

console.log("# imports between areas (count of import statements)");
for (const [edge, n] of [...edges].sort()) console.log(`${edge}  ${n}`);
console.log("\n# most-imported provider modules (importing files)");
for (const [mod, users] of [...fanIn].sort((a, b) => b[1].size - a[1].size).slice(0, 12)) console.log(`${mod}  ${users.size}`);
