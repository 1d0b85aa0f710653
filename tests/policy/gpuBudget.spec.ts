import * as assert from "node:assert/strict";
import { countGpus } from "../../policy/gpuBudget";
import { TRAINING_KINDS } from "../../policy/kinds";
import { alayaTemplate, bailianJob, PREPAID, tioneTask, TYPE_TOKENS } from "./fixtures";
import {
    assertNoViolations,
    assertNotApplicable,
    assertViolation,
    resourceGuard,
    runResourcePolicy,
    runStackPolicy,
    stackGuard,
    UNKNOWN,
} from "./util";

const TIONE = TYPE_TOKENS.tioneTrainingTask;
const ALAYA = TYPE_TOKENS.alayaTrainingTemplate;

/** A TI-ONE task with `cards` whole GPUs per instance and `instances` instances. */
async function tioneWithGpus(cards: number, instances: number) {
    return await tioneTask({
        resourceConfigInfos: [{ role: "WORKER", instanceType: "TI.GN7.8XLARGE128.POST", instanceNum: instances, gpu: cards * 100, gpuType: "T4" }],
    });
}

describe("policy: GPU budgets", () => {
    describe("countGpus", () => {
        const tione = TRAINING_KINDS.find((k) => k.type === TIONE)!.gpus!;
        const alaya = TRAINING_KINDS.find((k) => k.type === ALAYA)!.gpus!;

        it("counts TI-ONE gpu in 1/100 card times instanceNum over every resource config", async () => {
            const props = await tioneTask({
                ...PREPAID,
                resourceConfigInfos: [
                    { role: "PS", instanceNum: 2, cpu: 4000, memory: 8192 },
                    { role: "WORKER", cpu: 8000, memory: 32768, instanceNum: 3, gpu: 400 },
                    { role: "WORKER", cpu: 8000, memory: 32768, instanceNum: 1, gpu: 50 },
                ],
            });
            const request = countGpus(tione, props);
            assert.equal(request.cards, 12.5);
            assert.equal(request.complete, true);
            assert.deepEqual(request.parts.map((p) => p.path), ["resourceConfigInfos[1]", "resourceConfigInfos[2]"]);
        });

        it("counts Alaya gpuCount (a numeric string) times workerCount", async () => {
            assert.equal(countGpus(alaya, await alayaTemplate()).cards, 4);
        });

        it("treats a missing instanceNum as one instance", async () => {
            assert.equal(countGpus(tione, await tioneTask({ ...PREPAID, resourceConfigInfos: [{ role: "WORKER", cpu: 8000, memory: 32768, gpu: 200 }] })).cards, 2);
        });

        it("returns a lower bound, marked incomplete, when counts are unknown at preview", async () => {
            const props = await tioneTask({
                ...PREPAID,
                resourceConfigInfos: [
                    { role: "WORKER", cpu: 8000, memory: 32768, instanceNum: UNKNOWN.number, gpu: 800 },
                    { role: "WORKER", cpu: 8000, memory: 32768, instanceNum: 1, gpu: UNKNOWN.number },
                ],
            });
            const request = countGpus(tione, props);
            assert.equal(request.cards, 8);
            assert.equal(request.complete, false);
            assert.equal(countGpus(tione, await tioneTask({ resourceConfigInfos: UNKNOWN.array })).complete, false);
        });
    });

    describe("postpaid TI-ONE specs (instanceType, no gpu)", () => {
        /** The README's own form: a postpaid spec and no `gpu`. */
        const postpaid = (instanceType: string, instanceNum: number) => tioneTask({ resourceConfigInfos: [{ role: "WORKER", instanceType, instanceNum }] });

        it("counts a listed spec's cards times instanceNum: 16 × TI.GN7.8XLARGE128.POST (T4×1) is 16 cards, over a limit of 8", async () => {
            const run = await runResourcePolicy(resourceGuard("maxGpusPerJob"), { type: TIONE, props: await postpaid("TI.GN7.8XLARGE128.POST", 16) });
            assertViolation(run, "TI-ONE training task requests 16 GPU cards (resourceConfigInfos[0]: 1 × 16)");
        });

        it("counts fractional and multi-card specs, and CPU-only specs as no GPU", async () => {
            const tione = TRAINING_KINDS.find((k) => k.type === TIONE)!.gpus!;
            assert.equal(countGpus(tione, await postpaid("TI.GN7.LARGE20.POST", 4)).cards, 1);
            assert.equal(countGpus(tione, await postpaid("TI.GN7.20XLARGE320.POST", 2)).cards, 8);
            const cpu = countGpus(tione, await postpaid("TI.S.MEDIUM.POST", 3));
            assert.deepEqual([cpu.cards, cpu.unknownSpecs], [0, []]);
        });

        it("reports a spec the pack does not know by name instead of counting it as zero, in the job and the stack budget", async () => {
            const props = await postpaid("TI.GN10X.8XLARGE160.POST", 1);
            assertViolation(await runResourcePolicy(resourceGuard("maxGpusPerJob"), { type: TIONE, props }), "uses instance types whose GPU count the pack does not know: TI.GN10X.8XLARGE160.POST (resourceConfigInfos[0].instanceType)");
            const stack = await runStackPolicy(stackGuard("maxGpusPerStack"), [{ type: TIONE, name: "new-gpus", props }]);
            assertViolation(stack, "the stack's GPU total cannot be counted: instance types whose GPU count the pack does not know (new-gpus: TI.GN10X.8XLARGE160.POST)");
        });

        it("learns a spec from instanceTypeCards in the policy's config", async () => {
            const props = await postpaid("TI.GN10X.8XLARGE160.POST", 4);
            const run = await runResourcePolicy(resourceGuard("maxGpusPerJob"), { type: TIONE, props, config: { instanceTypeCards: { "TI.GN10X.8XLARGE160.POST": 4 } } });
            assertViolation(run, "requests 16 GPU cards (resourceConfigInfos[0]: 4 × 4)");
        });

        it("an explicit gpu wins over the spec", async () => {
            const tione = TRAINING_KINDS.find((k) => k.type === TIONE)!.gpus!;
            assert.equal(countGpus(tione, await tioneWithGpus(2, 1)).cards, 2);
        });
    });

    describe("max-gpus-per-job", () => {
        it("passes a job within the default 8 cards", async () => {
            assertNoViolations(await runResourcePolicy(resourceGuard("maxGpusPerJob"), { type: TIONE, props: await tioneWithGpus(4, 2) }));
            assertNoViolations(await runResourcePolicy(resourceGuard("maxGpusPerJob"), { type: ALAYA, props: await alayaTemplate() }));
        });

        it("reports a TI-ONE job over budget, naming the request and what to change", async () => {
            const run = await runResourcePolicy(resourceGuard("maxGpusPerJob"), { type: TIONE, props: await tioneWithGpus(8, 2) });
            const v = assertViolation(run, "TI-ONE training task requests 16 GPU cards (resourceConfigInfos[0]: 8 × 2); the limit is 8 per job.");
            assert.match(v.message, /Lower gpu or instanceNum in resourceConfigInfos so the job needs 8 cards or fewer, or raise maxGpusPerJob\.maxGpus\./);
            assert.equal(v.enforcementLevel, "advisory");
        });

        it("reports an Alaya template over budget", async () => {
            const props = await alayaTemplate({ resource: { gpuName: "NVIDIA-H800", gpuCount: "8", workerCount: 4, productCode: "PRD-QTT" } });
            const run = await runResourcePolicy(resourceGuard("maxGpusPerJob"), { type: ALAYA, props });
            assertViolation(run, "Alaya training template requests 32 GPU cards (resource: 8 × 4)");
        });

        it("reports a known lower bound already over budget at preview, and skips one that is not", async () => {
            const over = await tioneTask({ ...PREPAID, resourceConfigInfos: [{ role: "WORKER", cpu: 8000, memory: 32768, instanceNum: UNKNOWN.number, gpu: 1600 }] });
            assertViolation(await runResourcePolicy(resourceGuard("maxGpusPerJob"), { type: TIONE, props: over }), "requests at least 16 GPU cards");
            const under = await tioneTask({ ...PREPAID, resourceConfigInfos: [{ role: "WORKER", cpu: 8000, memory: 32768, instanceNum: UNKNOWN.number, gpu: 400 }] });
            assertNoViolations(await runResourcePolicy(resourceGuard("maxGpusPerJob"), { type: TIONE, props: under }));
        });

        it("honours a configured limit from the engine and one baked in by the pack helper", async () => {
            const fromEngine = await runResourcePolicy(resourceGuard("maxGpusPerJob"), {
                type: TIONE,
                props: await tioneWithGpus(4, 1),
                config: { maxGpus: 2, enforcementLevel: "mandatory" },
            });
            assert.equal(assertViolation(fromEngine, "the limit is 2 per job").enforcementLevel, "mandatory");
            const baked = await runResourcePolicy(resourceGuard("maxGpusPerJob", { maxGpus: 32 }), { type: TIONE, props: await tioneWithGpus(8, 2) });
            assertNoViolations(baked);
        });

        it("does nothing when disabled", async () => {
            const run = await runResourcePolicy(resourceGuard("maxGpusPerJob", "disabled"), { type: TIONE, props: await tioneWithGpus(8, 8) });
            assert.equal(run.ran, false);
            assert.deepEqual(run.violations, []);
            const viaConfig = await runResourcePolicy(resourceGuard("maxGpusPerJob"), {
                type: TIONE,
                props: await tioneWithGpus(8, 8),
                config: { enforcementLevel: "disabled" },
            });
            assert.equal(viaConfig.ran, false);
        });

        it("is not applicable to kinds without GPUs", async () => {
            assertNotApplicable(
                await runResourcePolicy(resourceGuard("maxGpusPerJob"), { type: TYPE_TOKENS.bailianFineTuneJob, props: await bailianJob() }),
                /applies only to TI-ONE training tasks and Alaya training templates/,
            );
            assertNotApplicable(await runResourcePolicy(resourceGuard("maxGpusPerJob"), { type: "aws:s3/bucket:Bucket", props: {} }));
        });
    });

    describe("max-gpus-per-stack", () => {
        let stack: { type: string; name: string; props: Record<string, unknown> }[];
        before(async () => {
            stack = [
                { type: TIONE, name: "tione-lora", props: await tioneWithGpus(8, 2) },
                { type: ALAYA, name: "alaya-pretrain", props: await alayaTemplate({ resource: { gpuCount: 4, workerCount: 2 } }) },
                { type: ALAYA, name: "alaya-small", props: await alayaTemplate() },
                { type: TYPE_TOKENS.bailianFineTuneJob, name: "bailian", props: await bailianJob() },
            ];
        });

        it("passes a stack within the default 32 cards", async () => {
            assertNoViolations(await runStackPolicy(stackGuard("maxGpusPerStack"), stack));
        });

        it("reports the total across clouds with the largest jobs first", async () => {
            const run = await runStackPolicy(stackGuard("maxGpusPerStack"), stack, { maxGpus: 20 });
            assertViolation(
                run,
                "the stack's training jobs request 28 GPU cards across 3 jobs (tione-lora: 16, alaya-pretrain: 8, alaya-small: 4); the limit is 20 per stack.",
            );
        });

        it("honours a limit baked in by the pack helper, and reports mandatory when asked", async () => {
            const run = await runStackPolicy(stackGuard("maxGpusPerStack", { maxGpus: 16, enforcementLevel: "mandatory" }), stack);
            assert.equal(assertViolation(run, "the limit is 16 per stack").enforcementLevel, "mandatory");
        });

        it("does nothing when disabled", async () => {
            const run = await runStackPolicy(stackGuard("maxGpusPerStack", "disabled"), stack, { maxGpus: 1 });
            assert.equal(run.ran, false);
            assert.deepEqual(run.violations, []);
        });

        it("is not applicable to a stack without GPU jobs", async () => {
            assertNotApplicable(await runStackPolicy(stackGuard("maxGpusPerStack"), [{ type: TYPE_TOKENS.bailianFineTuneJob, props: await bailianJob() }]));
        });
    });
});
