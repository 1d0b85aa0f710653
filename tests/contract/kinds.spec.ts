/**
 * The contract every registered kind (provider/registry.ts) keeps, checked
 * over the registry so that a new kind is held to it by adding its row:
 * identity (class, token, lifecycle), the serialized stub, shape agreement
 * the compiler cannot see (schema keys at run time, sensitive paths, policy
 * paths), and coverage by the emulator, the CLI suites and the examples.
 * The compile-time agreements (Args ↔ schema ↔ field table ↔ outputs) live
 * in each kind (`SchemaMatchesArgs`, `FieldTableFor`, `OutputsOf`).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { REPO_ROOT } from "../../harness";
import * as pkg from "../../provider";
import { STOP_FIELDS, WAIT_FIELDS } from "../../provider/core/defaults";
import type { ResourceKind } from "../../provider/core/kind";
import type { Lifecycle } from "../../provider/core/lifecycle";
import { providerFor } from "../../provider/core/resource";
import { KIND_ENTRIES, type KindEntry, dynamicTypeToken } from "../../provider/registry";
import { TRAINING_KINDS, type TrainingKind } from "../../policy/kinds";
import { KIND_CASES } from "../cli/kinds";
import { EXAMPLE_CASES } from "../exampleCases";

const kindOf = (k: KindEntry) => require(path.join(REPO_ROOT, "provider", k.kindModule))[k.kindExport] as ResourceKind<unknown, unknown>;
const lifecycleOf = (k: KindEntry) => require(path.join(REPO_ROOT, "provider", k.lifecycle)) as Lifecycle;

/** Inputs every class adds and no schema declares as user input. */
const HIDDEN = ["pulumiName", "pulumiUrn"];

/** The zod definition under a node, past wrappers that do not change what a path can reach. */
function unwrapped(schema: z.ZodType): any {
    let def: any = (schema as any).def;
    for (;;) {
        if (["optional", "nullable", "default", "prefault", "readonly", "catch", "nonoptional"].includes(def.type)) def = def.innerType.def;
        else if (def.type === "pipe") def = def.in.def;
        else if (def.type === "lazy") def = def.getter().def;
        else return def;
    }
}

/**
 * Whether a dotted path (`resourceConfigInfos[].gpuType`, `runningParameter.train_type`)
 * can be present in inputs the schema accepts: each segment is a declared key,
 * a key of a record, or any key where the object passes unknown keys through.
 */
function schemaHasPath(schema: z.ZodType, dotted: string): boolean {
    const walk = (def: any, segments: string[]): boolean => {
        if (segments.length === 0) return true;
        const [head, ...rest] = segments;
        switch (def.type) {
            case "any":
            case "unknown":
                return true;
            case "union":
                return def.options.some((o: z.ZodType) => walk(unwrapped(o), segments));
            case "intersection":
                return walk(unwrapped(def.left), segments) || walk(unwrapped(def.right), segments);
            case "record":
                return walk(unwrapped(def.valueType), rest);
            case "object": {
                const key = head.replace(/\[\]$/, "");
                const field = def.shape[key] ?? (def.catchall && unwrapped(def.catchall).type !== "never" ? def.catchall : undefined);
                if (!field) return false;
                let next = unwrapped(field);
                if (head.endsWith("[]")) {
                    if (next.type !== "array") return false;
                    next = unwrapped(next.element);
                }
                return walk(next, rest);
            }
            default:
                return false;
        }
    };
    return walk(unwrapped(schema), dotted.split("."));
}

/** Every input path a policy row reads. */
function policyPaths(row: TrainingKind): string[] {
    const paths: string[] = [];
    if (row.gpus) paths.push(row.gpus.groups);
    for (const c of row.compute ?? []) paths.push(c.path);
    for (const p of [...(row.region?.paths ?? []), ...(row.region?.dataPaths ?? [])]) paths.push(p);
    paths.push(...(row.images ?? []));
    if (row.env) paths.push(row.env.path);
    if (row.completionWait) paths.push(row.completionWait.waitPath, row.completionWait.timeoutMinutesPath);
    if (row.timeoutCancel) paths.push(row.timeoutCancel.enabledPath, row.timeoutCancel.hoursPath);
    if (row.retries) paths.push(...(row.retries.enabledPath ? [row.retries.enabledPath] : []), row.retries.countPath);
    if (row.fineTune) paths.push(...row.fineTune.epochsPaths, row.fineTune.baseModelPath, ...(row.fineTune.trainingTypePath ? [row.fineTune.trainingTypePath] : []));
    if (row.network) paths.push(row.network.vpcPath, row.network.subnetPath);
    if (row.tags) paths.push(row.tags.path);
    if (row.billing) paths.push(row.billing.chargeTypePath, row.billing.resourceGroupPath);
    // Fields read inside a group (cards, units, priced fields) are checked by the compiler through `row<Args>()` (policy/kinds.ts).
    if (row.cost?.basis === "hours") paths.push(...(row.cost.groups ? [row.cost.groups] : row.cost.priced.map((p) => p.field)));
    if (row.cost?.basis === "tokens") paths.push(row.cost.modelPath, ...row.cost.fileIdPaths);
    paths.push(...(row.secrets ?? []).map((s) => s.path));
    return paths;
}

describe("the kinds registry", () => {
    it("names every kind once, by token and by class", () => {
        assert.equal(new Set(KIND_ENTRIES.map((k) => k.token)).size, KIND_ENTRIES.length);
        assert.equal(new Set(KIND_ENTRIES.map((k) => k.source)).size, KIND_ENTRIES.length);
    });

    it("lists every resource class the package exports under a cloud, and nothing else", () => {
        const exported = Object.entries(pkg).flatMap(([module, members]) =>
            Object.entries(members as Record<string, unknown>)
                .filter(([, v]) => isResourceClass(v))
                .map(([className]) => `${module}:${className}`),
        );
        assert.deepEqual(exported.sort(), KIND_ENTRIES.map((k) => k.token).sort());
    });

    it("exports exactly one resource class at the top level: the cross-cloud Completion, which is no registry kind", () => {
        assert.deepEqual(
            Object.entries(pkg)
                .filter(([, v]) => isResourceClass(v))
                .map(([name]) => name),
            ["Completion"],
        );
    });
});

for (const entry of KIND_ENTRIES) {
    describe(`${entry.token} keeps the kind contract`, () => {
        const kind = kindOf(entry);

        it("its kind description carries the registry's token, and runs exactly when the registry says so", () => {
            assert.equal(kind.token, entry.token);
            assert.equal(kind.run !== undefined, entry.runs);
        });

        it("its lifecycle module implements every provider method", () => {
            const lifecycle = lifecycleOf(entry);
            for (const m of ["configure", "check", "diff", "create", "read", "update", "delete"] as const) assert.equal(typeof lifecycle[m], "function", m);
        });

        it("its serialized stub is under 3 KB, names only its lifecycle, and is one object for every resource of the kind", async () => {
            const stub = providerFor(entry.lifecycle);
            assert.equal(providerFor(entry.lifecycle), stub, "one stub per kind: Pulumi caches serialization by object identity");
            const { text } = await pulumi.runtime.serializeFunction(() => stub);
            assert.ok(Buffer.byteLength(text) < 3072, `the stub serializes to ${Buffer.byteLength(text)} bytes`);
            assert.match(text, new RegExp(entry.lifecycle.replace(/[./]/g, "\\$&")));
            assert.doesNotMatch(text, /secret|apiKey|accessKey|token/i, "the stub captures no credential or config");
        });

        it("its schema declares exactly the field table's inputs, the wait settings of a job (and the stop setting where the cloud can stop one), and the hidden inputs", () => {
            const shape = Object.keys(unwrapped(kind.schema).shape ?? {});
            const expected = [...Object.keys(kind.fields), ...(kind.run ? Object.keys(WAIT_FIELDS) : []), ...(kind.run?.cancel ? Object.keys(STOP_FIELDS) : [])];
            assert.deepEqual(shape.filter((k) => !HIDDEN.includes(k)).sort(), [...new Set(expected)].sort());
        });

        it("every sensitive input is a path its schema accepts", () => {
            const missing = kind.sensitiveInputs.filter((p) => !schemaHasPath(kind.schema, p));
            assert.deepEqual(missing, []);
        });

        it("every input path the policy pack reads exists in its schema", () => {
            const rows = TRAINING_KINDS.filter((r) => r.type === dynamicTypeToken(entry));
            const missing = rows.flatMap((r) => policyPaths(r).filter((p) => !schemaHasPath(kind.schema, p)).map((p) => `${r.label}: ${p}`));
            assert.deepEqual(missing, [], "a guardrail reading a path the resource cannot register never fires");
        });

        it("is served by its emulator module", () => {
            const mount = fs.readFileSync(path.join(REPO_ROOT, "emulator", entry.cloud, "index.ts"), "utf8");
            assert.match(mount, new RegExp(`readonly name = "${entry.cloud}"`));
            const index = fs.readFileSync(path.join(REPO_ROOT, "emulator", "index.ts"), "utf8");
            assert.match(index, new RegExp(`from "\\./${entry.cloud}"`), "startEmulator mounts it");
        });

        it("runs through the real CLI's lifecycle suites and at least one example program", () => {
            assert.ok(KIND_CASES.some((c) => c.token === entry.token), "tests/cli/kinds.ts has a case for it");
            assert.ok(Object.values(EXAMPLE_CASES).some((e) => e.resources.includes(entry.token)), "an example program declares it");
        });
    });
}

describe("the policy pack's kinds", () => {
    it("guard only registered kinds", () => {
        const registered = new Set(KIND_ENTRIES.map(dynamicTypeToken));
        assert.deepEqual(TRAINING_KINDS.map((r) => r.type).filter((t) => !registered.has(t)), []);
    });
});

function isResourceClass(v: unknown): boolean {
    return typeof v === "function" && (v as { prototype?: unknown }).prototype instanceof pulumi.dynamic.Resource;
}
