/**
 * Bad input fails at preview, clearly, and costs nothing: the whole corpus
 * (tests/reliability/corpus.ts) runs as one preview through the engine (real
 * language host, real dynamic-provider host), every case a resource of its
 * own, next to one valid control resource per kind. Each case must fail with
 * its property path and reason; the controls must plan a create; the
 * emulator must see zero requests. Then property-based tests: random valid
 * arguments always pass `check`, and `check` never throws on anything.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { RunningEmulator, emulatorEnv, startEmulator } from "../../emulator";
import type { RunResult } from "../../harness";
import { TestStack } from "../../harness";
import { FAST_POLL } from "../engine/support";
import { BadInput, DataFiles, corpus, dataFilePaths, mutate, validArgs, writeDataFiles } from "./corpus";
import { FULL, KINDS, Kind, SecretsLedger, TYPES, add, record, scale } from "./support";
import { TASK_NAME_MAX } from "../../provider/tione/trainingTask.schema";
import { MAX_TASK_NAME } from "../../provider/polardb/aidbTask.schema";
import { HYPER_PARAMETER_WIRE_NAMES, TRAINING_TYPES } from "../../provider/bailian/fineTuneJob.schema";

const S = "bad input";
const CORPUS_PROGRAM = path.join(__dirname, "programs", "corpus.ts");

/** The engine's error line for one resource (`<urn>: <type> resource '<name>' has a problem: p: r; p: r`). */
function failuresOf(errors: string[], kind: Kind, name: string): Array<{ property: string; reason: string }> | undefined {
    const line = errors.find((e) => e.includes(`::${TYPES[kind]}::${name}: `));
    if (!line) return undefined;
    const problems = line.slice(line.indexOf(" has a problem: ") + " has a problem: ".length);
    // Reasons never contain "; <path>: " themselves, so the list splits there.
    return problems.split(/; (?=[^\s;:]+: )/).map((p) => {
        const i = p.indexOf(": ");
        return { property: p.slice(0, i), reason: p.slice(i + 2) };
    });
}

describe("reliability: bad input fails preview with the field path and the reason, and makes no request", function () {
    this.timeout(FULL ? 0 : 300_000);
    let emu: RunningEmulator;
    let dir: string;
    let files: DataFiles;
    let cases: BadInput[];
    let run: RunResult;
    let stack: TestStack;
    const ledger = new SecretsLedger(S);
    const names = (i: number) => `bad-${String(i).padStart(3, "0")}`;

    before(async () => {
        emu = await startEmulator();
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "pt-bad-input-"));
        files = writeDataFiles(dir);
        cases = corpus(files);
        const program = [
            ...cases.map((c, i) => ({ name: c.name ?? names(i), kind: c.kind, args: c.args })),
            ...KINDS.map((k) => ({ name: `valid-${k.toLowerCase()}`, kind: k, args: validArgs(k, files) })),
        ];
        const casesFile = path.join(dir, "cases.json");
        fs.writeFileSync(casesFile, JSON.stringify(program));
        stack = new TestStack({ program: CORPUS_PROGRAM, config: { casesFile }, env: { ...emulatorEnv(emu), ...FAST_POLL } });
        const t0 = Date.now();
        run = await stack.preview();
        ledger.scanRun("corpus preview", stack, run);
        record(S, "invalid inputs tried", cases.length);
        record(S, "by kind", KINDS.map((k) => `${k} ${cases.filter((c) => c.kind === k).length}`).join(", "));
        const byCategory = new Map<string, number>();
        for (const c of cases) byCategory.set(c.category, (byCategory.get(c.category) ?? 0) + 1);
        record(S, "by category", [...byCategory].map(([k, n]) => `${k} ${n}`).join(", "));
        record(S, "preview seconds (all cases in one preview)", Math.round((Date.now() - t0) / 1000));
    });

    after(async () => {
        ledger.report();
        await emu.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("the corpus holds at least 150 invalid inputs, covering every category on every kind that has it", () => {
        assert.ok(cases.length >= 150, `${cases.length} cases`);
        for (const k of KINDS) assert.ok(cases.filter((c) => c.kind === k).length >= 10, `${k} has ${cases.filter((c) => c.kind === k).length} cases`);
        assert.equal(new Set(cases.map((c) => c.category)).size, 9);
    });

    it("the preview fails as a whole, and the emulator saw zero requests", () => {
        assert.equal(run.ok, false);
        record(S, "requests the emulator saw", emu.counts().total);
        assert.equal(emu.counts().total, 0);
    });

    it("one valid control resource of each kind passes check in the same preview and is planned for creation", () => {
        for (const k of KINDS) {
            assert.equal(failuresOf(run.errors, k, `valid-${k.toLowerCase()}`), undefined, `valid ${k} failed check`);
            assert.ok(run.steps.some((s) => s.op === "create" && s.urn.endsWith(`::valid-${k.toLowerCase()}`)), `valid ${k} is planned`);
        }
    });

    it("no case is planned for creation and every case failed at check, not elsewhere", () => {
        const planned = run.steps.filter((s) => /::bad-\d{3}$/.test(s.urn) || cases.some((c) => c.name && s.urn.endsWith(`::${c.name}`)));
        assert.deepEqual(planned.map((s) => s.urn), []);
        const notCheck = run.errors.filter((e) => !/ has a problem: /.test(e));
        assert.deepEqual(notCheck, []);
    });

    describe("each case", () => {
        // Titles are built when the file loads; the assertions read the preview the `before` above ran.
        const preview = corpus(dataFilePaths(os.tmpdir()));
        preview.forEach((c, i) => {
            it(`${c.kind} ${c.category}: ${c.what} -> ${c.path}`, () => {
                const name = c.name ?? names(i);
                const failures = failuresOf(run.errors, c.kind, name);
                assert.ok(failures, `no check failure for ${name}: ${JSON.stringify(c.args).slice(0, 200)}`);
                const hit = failures!.find((f) => f.property === c.path);
                assert.ok(hit, `expected a failure at ${c.path}, got ${JSON.stringify(failures)}`);
                assert.match(hit!.reason, c.reason);
                add(S, "cases asserted", 1);
            });
        });
    });

    describe("secrets scan", () => {
        it("no credential appears in the preview's errors, logs or checkpoint", () => {
            assert.ok(ledger.runs >= 1);
            assert.deepEqual(ledger.hits, []);
        });
    });
});

// ---------------------------------------------------------------------------------------------
// Property-based: check over random arguments, in-process (check is pure; the engine adds nothing to it).

type Lifecycle = { check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<{ inputs: Record<string, unknown>; failures?: Array<{ property: string; reason: string }> }> };

const LIFECYCLES: Record<Kind, () => Lifecycle> = {
    tione: () => require("../../provider/tione/trainingTask.lifecycle"),
    polardb: () => require("../../provider/polardb/aidbTask.lifecycle"),
    fineTune: () => require("../../provider/bailian/fineTuneJob.lifecycle"),
    file: () => require("../../provider/bailian/file.lifecycle"),
    alaya: () => require("../../provider/alaya/trainingTemplate.lifecycle"),
};

const RUNS = scale(60, 1000);
const FILE_RUNS = scale(15, 200);

/** Optional field: present or absent. */
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const visible = (s: string) => !/[\p{Cc}\p{Cf}]/u.test(s) && s.trim() !== "";
const anyText = (max: number) => fc.string({ unit: "grapheme", maxLength: max });
const nonEmpty = (max: number) => fc.string({ unit: "grapheme", minLength: 1, maxLength: max });
const taskName = fc.stringMatching(new RegExp(`^[A-Za-z0-9\\u4e00-\\u9fa5][A-Za-z0-9\\u4e00-\\u9fa5_-]{0,${TASK_NAME_MAX - 1}}$`));
const envName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,30}$/);
const posInt = fc.integer({ min: 1, max: 1_000_000 });
const ratio = fc.double({ min: 0, max: 1, noNaN: true });
const timeout = fc.double({ min: 0.01, max: 10080, noNaN: true });
const strip = <T extends Record<string, unknown>>(o: T): T => JSON.parse(JSON.stringify(o));

const tioneArgs = fc
    .record({
        prepaid: fc.boolean(),
        name: opt(taskName),
        roles: fc.array(fc.record({ role: fc.constantFrom("PS", "WORKER", "DRIVER", "EXECUTOR"), instanceType: nonEmpty(30), cpu: posInt, memory: posInt, gpu: fc.nat(800), instanceNum: opt(fc.integer({ min: 1, max: 64 })) }), { minLength: 1, maxLength: 4 }),
        envs: opt(fc.uniqueArray(fc.record({ name: envName, value: anyText(200) }), { selector: (e) => e.name, maxLength: 20 })),
        tags: opt(fc.array(fc.record({ tagKey: nonEmpty(40).filter((k) => k !== "pulumi-training-marker"), tagValue: anyText(40) }), { maxLength: 10 })),
        tuningParameters: opt(fc.oneof(anyText(2048), fc.dictionary(fc.string({ maxLength: 12 }), fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string({ maxLength: 12 })), { maxKeys: 20 }))),
        remark: opt(anyText(1024)),
        startCmd: opt(anyText(500)),
        region: opt(fc.stringMatching(/^[a-z]{2,5}-[a-z]{3,10}(-[a-z0-9]{1,4})?$/)),
        callbackUrl: opt(fc.webUrl({ validSchemes: ["https"] }).filter((u) => !/\s/.test(u))),
        wait: opt(fc.boolean()),
        timeout: opt(timeout),
    })
    .map((r) =>
        strip({
            name: r.name,
            chargeType: r.prepaid ? "PREPAID" : "POSTPAID_BY_HOUR",
            resourceGroupId: r.prepaid ? "trsg-reliability" : undefined,
            resourceConfigInfos: r.roles.map((x) => (r.prepaid ? { role: x.role, cpu: x.cpu, memory: x.memory, gpu: x.gpu, instanceNum: x.instanceNum } : { role: x.role, instanceType: x.instanceType, instanceNum: x.instanceNum })),
            envs: r.envs,
            tags: r.tags,
            tuningParameters: r.tuningParameters,
            remark: r.remark,
            startCmdInfo: r.startCmd === undefined ? undefined : { startCmd: r.startCmd },
            region: r.region,
            callbackUrl: r.callbackUrl,
            waitForCompletion: r.wait,
            completionTimeoutMinutes: r.timeout,
            pulumiName: "prop-task",
        }),
    );

const polardbArgs = fc
    .record({
        cluster: fc.stringMatching(/^pc-[A-Za-z0-9]{1,20}$/),
        source: fc.constantFrom("public", "custom"),
        model: nonEmpty(80),
        mode: opt(fc.constantFrom("sft", "grpo")),
        type: opt(fc.constantFrom("lora", "full")),
        epochs: opt(posInt),
        lr: opt(fc.oneof(fc.double({ min: 1e-9, max: 1, noNaN: true }), fc.constantFrom("1e-6", "2e-5", "0.001"))),
        split: opt(ratio),
        util: opt(fc.double({ min: 0.01, max: 1, noNaN: true })),
        extra: fc.dictionary(fc.string({ unit: "grapheme", minLength: 1, maxLength: 10 }).filter((k) => !["train_mode", "train_type", "num_epochs", "batch_size", "eval_batch_size", "num_generations", "learning_rate", "split_dataset_ratio", "lora_rank", "lora_alpha", "gpu_memory_utilization", "data_file_list", "external_plugins", "reward_funcs", "__proto__"].includes(k)), fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean(), fc.constant(null)), { maxKeys: 8 }),
        taskName: opt(fc.string({ unit: "grapheme", minLength: 1, maxLength: MAX_TASK_NAME }).filter((s) => s.length <= MAX_TASK_NAME && !/[\p{Cc}\p{Cf}]/u.test(s))),
        regionId: opt(fc.constantFrom("cn-beijing", "cn-hangzhou", "ap-southeast-1")),
        wait: opt(fc.boolean()),
        timeout: opt(timeout),
    })
    .map((r) =>
        strip({
            dbClusterId: r.cluster,
            modelSource: r.source,
            modelName: r.model,
            datasetPath: "pds-2zetrain001",
            runningParameter: { ...r.extra, train_mode: r.mode, train_type: r.type, num_epochs: r.epochs, learning_rate: r.lr, split_dataset_ratio: r.split, gpu_memory_utilization: r.util },
            taskName: r.taskName,
            regionId: r.regionId,
            waitForCompletion: r.wait,
            completionTimeoutMinutes: r.timeout,
            pulumiName: "prop-aidb",
        }),
    );

const TYPED_WIRE = new Set<string>(Object.values(HYPER_PARAMETER_WIRE_NAMES));
const fineTuneArgs = fc
    .record({
        model: nonEmpty(60),
        files: fc.array(nonEmpty(40), { minLength: 1, maxLength: 5 }),
        type: opt(fc.constantFrom(...TRAINING_TYPES)),
        epochs: fc.integer({ min: 1, max: 100 }),
        batch: fc.integer({ min: 1, max: 1024 }),
        maxLength: fc.integer({ min: 1, max: 32768 }),
        lr: opt(fc.oneof(fc.double({ min: 1e-9, max: 1, noNaN: true }), fc.constantFrom("1e-5", "3e-4"))),
        warmup: opt(ratio),
        lora: opt(fc.integer({ min: 1, max: 256 })),
        ratio: opt(fc.array(fc.double({ min: 0, max: 10, noNaN: true }).map((n) => n.toFixed(2)), { minLength: 1, maxLength: 4 }).map((a) => a.join(","))),
        extra: opt(fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !TYPED_WIRE.has(k) && k !== "__proto__"), fc.oneof(fc.integer(), fc.string({ maxLength: 8 })), { maxKeys: 6 })),
        jobName: opt(nonEmpty(64).filter((s) => s.length <= 64 && !/[\p{Cc}\p{Cf}]/u.test(s))),
        suffix: opt(fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,31}$/)),
        wait: opt(fc.boolean()),
        timeout: opt(timeout),
    })
    .map((r) => {
        const loraOk = r.type === undefined || r.type === "efficient_sft" || r.type === "dpo_lora";
        return strip({
            model: r.model,
            trainingFileIds: r.files,
            trainingType: r.type,
            hyperParameters: { nEpochs: r.epochs, batchSize: r.batch, maxLength: r.maxLength, learningRate: r.lr, warmupRatio: r.warmup, loraRank: loraOk ? r.lora : undefined, augmentationRatio: r.ratio },
            extraHyperParameters: r.extra,
            jobName: r.jobName,
            finetunedOutputSuffix: r.suffix,
            waitForCompletion: r.wait,
            completionTimeoutMinutes: r.timeout,
            pulumiName: "prop-ft",
        });
    });

const alayaArgs = fc
    .record({
        name: fc.string({ unit: "grapheme", minLength: 1, maxLength: 255 }).filter((s) => s.length <= 255 && visible(s)),
        image: opt(fc.constantFrom(["general", "harbor.zetyun.cn/anc-public/general/pytorch:2.3"], ["application", "harbor.zetyun.cn/anc-public/application/llama:1"], ["private", "registry.example.com/team/train:7"])),
        env: opt(fc.dictionary(envName, anyText(100), { maxKeys: 30 })),
        cpu: opt(fc.oneof(fc.double({ min: 0.1, max: 256, noNaN: true }), fc.integer({ min: 1, max: 256 }).map(String))),
        gpu: opt(fc.oneof(fc.nat(16), fc.nat(16).map(String))),
        workers: opt(fc.integer({ min: 1, max: 64 })),
        retry: opt(fc.integer({ min: 1, max: 10 })),
        timeoutHours: opt(fc.integer({ min: 1, max: 720 })),
        priority: opt(fc.constantFrom(1, 2, 3)),
        mounts: fc.uniqueArray(fc.stringMatching(/^\/[a-z0-9]{1,12}(\/[a-z0-9]{1,12}){0,2}$/), { maxLength: 5 }),
        framework: opt(fc.constantFrom("PyTorch", "DeepSpeed", "MPI", "TensorFlow")),
        type: opt(fc.constantFrom("PRE_TRAINING", "HPC")),
        command: opt(nonEmpty(300)),
    })
    .map((r) =>
        strip({
            name: r.name,
            imageType: r.image?.[0],
            image: r.image?.[1],
            env: r.env,
            resource: { cpuCores: r.cpu, gpuCount: r.gpu, workerCount: r.workers },
            enableAutoRetry: r.retry !== undefined ? true : undefined,
            maxRetryCount: r.retry,
            enableTimeoutCancel: r.timeoutHours !== undefined ? true : undefined,
            timeoutHours: r.timeoutHours,
            priority: r.priority,
            storageConfigs: r.mounts.map((m, i) => ({ storageId: `nas-${i}`, mountPath: m })),
            trainingFramework: r.framework,
            trainingType: r.type,
            startCommand: r.command,
            pulumiName: "prop-tpl",
        }),
    );

const VALID: Record<Exclude<Kind, "file">, fc.Arbitrary<Record<string, unknown>>> = { tione: tioneArgs, polardb: polardbArgs, fineTune: fineTuneArgs, alaya: alayaArgs };

/** Names that live on Object.prototype: a lookup table indexed with one of them must not find anything. */
const PROTOTYPE_NAMES = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"];

/** Nested places worth a hostile value, per kind (top-level keys are covered separately). */
const NESTED: Record<Kind, string[]> = {
    tione: ["resourceConfigInfos[0].role", "resourceConfigInfos[0].cpu", "dataConfigs[0].dataSourceType", "dataConfigs[0].constructor", "envs[0].name", "tags[0].tagKey", "imageInfo.imageType", "tuningParameters.constructor"],
    polardb: ["runningParameter.constructor", "runningParameter.train_mode", "runningParameter.num_epochs", "runningParameter.__proto__"],
    fineTune: ["hyperParameters.constructor", "hyperParameters.nEpochs", "extraHyperParameters.constructor", "extraHyperParameters.toString", "trainingDatasets[0].dataSourceType"],
    file: ["purpose", "source"],
    alaya: ["env.constructor", "env.toString", "resource.constructor", "resource.cpuCores", "storageConfigs[0].mountPath", "storageConfigs[1].mountPath"],
};

/** Anything a program could pass: random JSON-ish values, sprinkled over a valid argument set or on their own. */
function anyArgs(kind: Kind, files: () => DataFiles): fc.Arbitrary<Record<string, unknown>> {
    const keys = kind === "file" ? ["source", "purpose", "description", "workspaceId", "sha256"] : Object.keys(validArgs(kind, files()));
    const value = fc.oneof(fc.anything({ withNullPrototype: false, maxDepth: 3 }), fc.string({ unit: "grapheme" }), fc.double(), fc.constant(null), fc.constantFrom(...PROTOTYPE_NAMES));
    return fc.oneof(
        fc.record({ at: fc.constantFrom(...NESTED[kind]), v: value }).map(({ at, v }) => mutate(validArgs(kind, files()), at, v)),
        fc.record({ key: fc.constantFrom(...PROTOTYPE_NAMES.filter((k) => k !== "__proto__")), v: value }).map(({ key, v }) => ({ ...validArgs(kind, files()), [key]: v })),
        fc.dictionary(fc.string({ maxLength: 20 }), value, { maxKeys: 8 }),
        fc.record({ key: fc.constantFrom(...keys, "pulumiName", "__provider"), v: value }).map(({ key, v }) => ({ ...validArgs(kind, files()), [key]: v })),
        fc.array(fc.record({ key: fc.constantFrom(...keys), v: value }), { maxLength: 4 }).map((kvs) => Object.fromEntries([...Object.entries(validArgs(kind, files())), ...kvs.map((x) => [x.key, x.v])])),
    ).map((o) => JSON.parse(JSON.stringify(o ?? {}) ?? "{}"));
}

describe("reliability: check under random arguments (fast-check)", function () {
    this.timeout(FULL ? 0 : 120_000);
    let dir: string;
    let files: DataFiles;
    const tried: Record<string, number> = {};

    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "pt-prop-"));
        files = writeDataFiles(dir);
    });
    after(() => {
        fs.rmSync(dir, { recursive: true, force: true });
        record(S, "random valid argument sets checked", Object.entries(tried).filter(([k]) => k.startsWith("valid")).reduce((a, [, n]) => a + n, 0));
        record(S, "random arbitrary argument sets checked", Object.entries(tried).filter(([k]) => k.startsWith("any")).reduce((a, [, n]) => a + n, 0));
    });

    for (const kind of Object.keys(VALID) as Array<Exclude<Kind, "file">>) {
        it(`${kind}: random valid arguments always pass check`, async () => {
            const lc = LIFECYCLES[kind]();
            await fc.assert(
                fc.asyncProperty(VALID[kind], async (args) => {
                    tried[`valid ${kind}`] = (tried[`valid ${kind}`] ?? 0) + 1;
                    const r = await lc.check({}, args);
                    assert.deepEqual(r.failures ?? [], [], JSON.stringify(args).slice(0, 500));
                }),
                { numRuns: RUNS },
            );
        });
    }

    it("file: random valid JSONL files always pass check", async () => {
        const lc = LIFECYCLES.file();
        const row = fc.record({ user: nonEmpty(200).filter(visible), answer: nonEmpty(200).filter(visible), system: opt(nonEmpty(100).filter(visible)) });
        let n = 0;
        await fc.assert(
            fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 20 }), opt(anyText(200)), async (rows, description) => {
                tried["valid file"] = (tried["valid file"] ?? 0) + 1;
                const p = path.join(dir, `random-${n++}.jsonl`);
                fs.writeFileSync(
                    p,
                    rows
                        .map((r) => JSON.stringify({ messages: [...(r.system ? [{ role: "system", content: r.system }] : []), { role: "user", content: r.user }, { role: "assistant", content: r.answer }] }))
                        .join("\n") + "\n",
                );
                const r = await lc.check({}, strip({ source: p, description, pulumiName: "prop-file" }));
                assert.deepEqual(r.failures ?? [], [], fs.readFileSync(p, "utf8").slice(0, 300));
                assert.match(String(r.inputs.sha256), /^[0-9a-f]{64}$/);
            }),
            { numRuns: FILE_RUNS },
        );
    });

    for (const kind of KINDS) {
        it(`${kind}: names from Object.prototype, as keys and as values in every nested place, never leak into a failure`, async () => {
            const lc = LIFECYCLES[kind]();
            for (const at of NESTED[kind]) {
                for (const name of PROTOTYPE_NAMES) {
                    for (const args of [mutate(validArgs(kind, files), at, name), mutate(validArgs(kind, files), at.replace(/[^.\]]+$/, name), 1)]) {
                        tried[`any ${kind}`] = (tried[`any ${kind}`] ?? 0) + 1;
                        const r = await lc.check({}, JSON.parse(JSON.stringify(args)));
                        for (const f of r.failures ?? []) assert.ok(!/native code|\[object Object\]|^function /.test(`${f.property} ${f.reason}`), `${at}=${name}: ${JSON.stringify(f)}`);
                    }
                }
            }
        });

        it(`${kind}: check never throws, whatever the arguments, and every failure names a property and a reason`, async () => {
            const lc = LIFECYCLES[kind]();
            await fc.assert(
                fc.asyncProperty(anyArgs(kind, () => files), async (args) => {
                    tried[`any ${kind}`] = (tried[`any ${kind}`] ?? 0) + 1;
                    const r = await lc.check({}, args);
                    assert.ok(r && typeof r === "object" && r.inputs);
                    for (const f of r.failures ?? []) {
                        assert.ok(typeof f.property === "string" && f.property.length > 0, JSON.stringify(f));
                        assert.ok(typeof f.reason === "string" && f.reason.length > 0 && !/\[object Object\]|native code|^undefined$/.test(f.reason), JSON.stringify(f));
                        assert.ok(!/native code|\[object Object\]/.test(f.property), JSON.stringify(f));
                    }
                }),
                { numRuns: kind === "file" ? FILE_RUNS * 2 : RUNS },
            );
        });
    }
});
