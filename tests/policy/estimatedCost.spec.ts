import * as assert from "node:assert/strict";
import { lookupPattern } from "../../policy/config";
import { alayaTemplate, bailianFile, bailianJob, polardbTask, PREPAID, tioneTask, TYPE_TOKENS, uploadedBailianFile } from "./fixtures";
import { assertNoViolations, assertViolation, runStackPolicy, stackGuard, UNKNOWN } from "./util";

const TIONE = TYPE_TOKENS.tioneTrainingTask;
const ALAYA = TYPE_TOKENS.alayaTrainingTemplate;
const POLARDB = TYPE_TOKENS.polardbAidbTask;
const JOB = TYPE_TOKENS.bailianFineTuneJob;
const FILE = TYPE_TOKENS.bailianFile;

/** Two postpaid T4 instances, waited on for 600 minutes (10 h). */
async function twoT4Instances(overrides: Record<string, unknown> = {}) {
    return await tioneTask({ resourceConfigInfos: [{ role: "WORKER", instanceType: "TI.GN7.8XLARGE128.POST", instanceNum: 2 }], completionTimeoutMinutes: 600, ...overrides });
}

const T4_PRICE = { "TI.GN7.8XLARGE128.POST": 30 };

describe("policy: max-estimated-cost", () => {
    describe("price tables", () => {
        it("prefers an exact key, then the longest matching pattern, case-insensitively", () => {
            const table = { "TI.GN7.*": 30, "TI.GN7.20XLARGE*": 100, "TI.GN7.20XLARGE320.POST": 110 };
            assert.deepEqual(lookupPattern(table, "ti.gn7.20xlarge320.post"), { key: "TI.GN7.20XLARGE320.POST", price: 110 });
            assert.deepEqual(lookupPattern(table, "TI.GN7.20XLARGE160.POST"), { key: "TI.GN7.20XLARGE*", price: 100 });
            assert.deepEqual(lookupPattern(table, "TI.GN7.8XLARGE128.POST"), { key: "TI.GN7.*", price: 30 });
        });

        it("returns nothing (unknown), never zero, for a value no key matches", () => {
            assert.equal(lookupPattern({ "TI.GN7.*": 30 }, "TI.GN10X.4XLARGE64.POST"), undefined);
        });
    });

    describe("TI-ONE (per instance-hour or card-hour × the runtime bound)", () => {
        it("a job over maxPerJob is reported with its estimate: price × instances × wait deadline", async () => {
            const policy = stackGuard("maxEstimatedCost", { hourlyPrices: T4_PRICE, maxPerJob: 500 });
            const run = await runStackPolicy(policy, [{ type: TIONE, name: "lora", props: await twoT4Instances() }]);
            const v = assertViolation(run, "TI-ONE training task 'lora' is estimated at 600");
            assert.match(v.message, /30\/h \('TI\.GN7\.8XLARGE128\.POST'\) × 2 instances × 10 h = 600/);
            assert.match(v.message, /the limit is 500 per job/);
            assert.match(v.urn ?? "", /::lora$/, "attributed to the job");
        });

        it("counts every attempt retry may make: retry.maxAttempts 3 triples the estimate", async () => {
            const policy = stackGuard("maxEstimatedCost", { hourlyPrices: T4_PRICE, maxPerJob: 1000 });
            const run = await runStackPolicy(policy, [{ type: TIONE, name: "lora", props: await twoT4Instances({ retry: { maxAttempts: 3 } }) }]);
            assertViolation(run, "TI-ONE training task 'lora' is estimated at 1800");
        });

        it("a job within maxPerJob passes", async () => {
            const policy = stackGuard("maxEstimatedCost", { hourlyPrices: T4_PRICE, maxPerJob: 600 });
            assertNoViolations(await runStackPolicy(policy, [{ type: TIONE, props: await twoT4Instances() }]));
        });

        it("says a wait deadline bounds the wait, not the bill, unless stopAtDeadline is on", async () => {
            const policy = stackGuard("maxEstimatedCost", { hourlyPrices: T4_PRICE, maxPerJob: 1 });
            const waits = await runStackPolicy(policy, [{ type: TIONE, props: await twoT4Instances() }]);
            assert.match(waits.violations[0].message, /a wait deadline, not a stop: the job can bill beyond it unless stopAtDeadline: true/);
            const stops = await runStackPolicy(policy, [{ type: TIONE, props: await twoT4Instances({ stopAtDeadline: true }) }]);
            assert.match(stops.violations[0].message, /stopAtDeadline stops the job there/);
        });

        it("uses the kind's default deadline (1440 min) when completionTimeoutMinutes is unset", async () => {
            const props = await twoT4Instances({ completionTimeoutMinutes: undefined });
            const run = await runStackPolicy(stackGuard("maxEstimatedCost", { hourlyPrices: T4_PRICE, maxPerJob: 1 }), [{ type: TIONE, props }]);
            assertViolation(run, /× 24 h = 1440.*completionTimeoutMinutes default 1440 min/);
        });

        it("prices a config by card (gpu / 100 × instanceNum) when only its gpuType has a price", async () => {
            const props = await tioneTask({
                ...PREPAID,
                resourceConfigInfos: [{ role: "WORKER", instanceNum: 2, cpu: 32000, memory: 131072, gpu: 400, gpuType: "A100" }],
                completionTimeoutMinutes: 60,
            });
            const run = await runStackPolicy(stackGuard("maxEstimatedCost", { hourlyPrices: { A100: 10 }, maxPerJob: 50 }), [{ type: TIONE, props }]);
            assertViolation(run, /gpuType 'A100': 10\/h \('A100'\) × 8 cards × 1 h = 80/);
        });

        it("reports a missing price as unknown, never as zero, and does not pass the limit", async () => {
            const run = await runStackPolicy(stackGuard("maxEstimatedCost", { hourlyPrices: { "TI.S.*": 1 }, maxPerJob: 1_000_000 }), [{ type: TIONE, name: "lora", props: await twoT4Instances() }]);
            const v = assertViolation(run, "estimated cost unknown: no price for instanceType 'TI.GN7.8XLARGE128.POST'");
            assert.equal(v.enforcementLevel, "advisory");
            assert.match(v.message, /cannot be judged, so it is not passed/);
        });

        it("has no runtime bound, so no estimate, when waitForCompletion is false", async () => {
            const run = await runStackPolicy(stackGuard("maxEstimatedCost", { hourlyPrices: T4_PRICE, maxPerJob: 1_000_000 }), [
                { type: TIONE, props: await twoT4Instances({ waitForCompletion: false }) },
            ]);
            assertViolation(run, /unknown: no runtime bound \(waitForCompletion: false/);
        });

        it("treats counts unknown at preview as unknown, not as one instance", async () => {
            const run = await runStackPolicy(stackGuard("maxEstimatedCost", { hourlyPrices: T4_PRICE, maxPerJob: 1_000_000 }), [
                { type: TIONE, props: await tioneTask({ resourceConfigInfos: [{ role: "WORKER", instanceType: "TI.GN7.8XLARGE128.POST", instanceNum: UNKNOWN.number }] }) },
            ]);
            assertViolation(run, /resourceConfigInfos\[0\]\.instanceNum unknown at preview/);
        });
    });

    describe("Alaya (per worker-hour × timeoutHours × (1 + retries))", () => {
        it("multiplies the product price by workers, the service-enforced timeout and the retries", async () => {
            // Fixture: PRD-QTT, 2 workers, timeoutHours 12, enableAutoRetry with maxRetryCount 2.
            const run = await runStackPolicy(stackGuard("maxEstimatedCost", { hourlyPrices: { "PRD-*": 5 }, maxPerJob: 100 }), [{ type: ALAYA, props: await alayaTemplate() }]);
            assertViolation(run, /productCode 'PRD-QTT': 5\/h \('PRD-\*'\) × 2 instances × 12 h × 3 \(1 \+ retries\) = 360.*enforced by the service/);
        });

        it("has no runtime bound when timeout cancellation is off", async () => {
            const run = await runStackPolicy(stackGuard("maxEstimatedCost", { hourlyPrices: { "PRD-*": 5 }, maxPerJob: 100 }), [
                { type: ALAYA, props: await alayaTemplate({ enableTimeoutCancel: false }) },
            ]);
            assertViolation(run, /no runtime bound \(enableTimeoutCancel is off/);
        });
    });

    describe("PolarDB AIDB (per node-hour of dbInstanceClass)", () => {
        it("prices the task's node class", async () => {
            // reference/polardb-aidb.md: DBInstanceClass "e.g. polar.pg.g6.4xlarge.guh".
            const run = await runStackPolicy(stackGuard("maxEstimatedCost", { hourlyPrices: { "polar.pg.*.guh": 20 }, maxPerJob: 100 }), [
                { type: POLARDB, props: await polardbTask({ dbInstanceClass: "polar.pg.g6.4xlarge.guh", completionTimeoutMinutes: 600 }) },
            ]);
            assertViolation(run, /dbInstanceClass 'polar\.pg\.g6\.4xlarge\.guh': 20\/h .* × 1 instance × 10 h = 200/);
        });

        it("says the price is unknown when the service picks the node class", async () => {
            const run = await runStackPolicy(stackGuard("maxEstimatedCost", { hourlyPrices: { "*": 20 }, maxPerJob: 100 }), [{ type: POLARDB, props: await polardbTask() }]);
            assertViolation(run, /no dbInstanceClass set, so the service picks the machine and its price is unknown/);
        });
    });

    describe("Bailian fine-tunes (dataset tokens × epochs × price per 1,000 tokens)", () => {
        const prices = { tokenPrices: { "qwen3-*": 0.05 }, maxPerJob: 100 };

        it("estimates from the size of a bailian.File the stack declares", async () => {
            // 4,000,000 bytes / 4 = 1,000,000 tokens × 3 epochs × 0.05 / 1000 = 150.
            const run = await runStackPolicy(stackGuard("maxEstimatedCost", prices), [
                { type: FILE, name: "data", props: await uploadedBailianFile({ fileId: "file-ft-b3c1f0", sizeBytes: 4_000_000 }) },
                { type: JOB, name: "bot", props: await bailianJob({ trainingFileIds: ["file-ft-b3c1f0"] }) },
            ]);
            assertViolation(run, /'bot' is estimated at 150 \(4000000 bytes \/ 4 bytes per token ≈ 1000000 tokens × 3 epochs × 0\.05 per 1,000 tokens/);
        });

        it("follows the property dependency to the File when the id is unknown at preview, and says its size is not known yet", async () => {
            const run = await runStackPolicy(stackGuard("maxEstimatedCost", prices), [
                { type: FILE, name: "data", props: await bailianFile() },
                { type: JOB, name: "bot", props: await bailianJob({ trainingFileIds: [UNKNOWN.string] }), propertyDependencies: { trainingFileIds: ["data"] } },
            ]);
            assertViolation(run, /bailian\.File 'data' is not uploaded yet, so its size is unknown until the first up/);
        });

        it("cannot see the size of a file id that is not a bailian.File of the stack, and says so", async () => {
            const run = await runStackPolicy(stackGuard("maxEstimatedCost", prices), [{ type: JOB, name: "bot", props: await bailianJob({ trainingFileIds: ["file-ft-elsewhere"] }) }]);
            assertViolation(run, /training file 'file-ft-elsewhere' \(trainingFileIds\[0\]\) is not a bailian\.File of this stack/);
        });

        it("cannot see the size of an OSS-mounted dataset, and says so", async () => {
            const props = await bailianJob({
                trainingFileIds: undefined,
                trainingDatasets: [{ dataSourceType: "oss_mount", mountStorage: { region: "cn-beijing", bucket: "ml-data", filePath: "support/data.jsonl" } }],
            });
            const run = await runStackPolicy(stackGuard("maxEstimatedCost", prices), [{ type: JOB, name: "bot", props }]);
            assertViolation(run, /no training file id in trainingFileIds\[\] or trainingDatasets\[\]\.fileId \(an OSS-mounted dataset's size cannot be seen\)/);
        });

        it("reports a model without a token price as unknown", async () => {
            const run = await runStackPolicy(stackGuard("maxEstimatedCost", { tokenPrices: { "qwen2.5-*": 0.05 }, maxPerJob: 100 }), [
                { type: FILE, props: await uploadedBailianFile({ fileId: "file-ft-b3c1f0", sizeBytes: 400 }) },
                { type: JOB, props: await bailianJob() },
            ]);
            assertViolation(run, /no token price for model 'qwen3-8b'/);
        });
    });

    describe("per stack", () => {
        it("adds every job's estimate and reports a total over maxPerStack, listing the jobs", async () => {
            const run = await runStackPolicy(stackGuard("maxEstimatedCost", { hourlyPrices: T4_PRICE, maxPerStack: 1000 }), [
                { type: TIONE, name: "a", props: await twoT4Instances() },
                { type: TIONE, name: "b", props: await twoT4Instances() },
            ]);
            assertViolation(run, "the stack's training jobs are estimated at 1200 across 2 jobs (a: 600, b: 600); the limit is 1000 per stack");
        });

        it("a stack within maxPerStack passes", async () => {
            const run = await runStackPolicy(stackGuard("maxEstimatedCost", { hourlyPrices: T4_PRICE, maxPerStack: 1200 }), [
                { type: TIONE, name: "a", props: await twoT4Instances() },
                { type: TIONE, name: "b", props: await twoT4Instances() },
            ]);
            assertNoViolations(run);
        });

        it("a stack total with an unpriced job is a lower bound that cannot pass the limit", async () => {
            const run = await runStackPolicy(stackGuard("maxEstimatedCost", { hourlyPrices: T4_PRICE, maxPerStack: 5000 }), [
                { type: TIONE, name: "a", props: await twoT4Instances() },
                { type: ALAYA, name: "b", props: await alayaTemplate() },
            ]);
            assertViolation(run, /the stack's estimated cost is at least 600 across 2 jobs \(a: 600, b: unknown\); 1 of them cannot be estimated/);
        });
    });

    describe("levels and settings", () => {
        it("is a mandatory stop when configured mandatory", async () => {
            const run = await runStackPolicy(stackGuard("maxEstimatedCost", { hourlyPrices: T4_PRICE, maxPerJob: 500, enforcementLevel: "mandatory" }), [{ type: TIONE, props: await twoT4Instances() }]);
            assert.equal(assertViolation(run, "estimated at 600").enforcementLevel, "mandatory");
        });

        it("fails closed on an unknown estimate under a mandatory limit, and only warns with onUnknown: warn", async () => {
            const failing = await runStackPolicy(stackGuard("maxEstimatedCost", { maxPerJob: 500, enforcementLevel: "mandatory" }), [{ type: TIONE, props: await twoT4Instances() }]);
            assert.equal(assertViolation(failing, "estimated cost unknown").enforcementLevel, "mandatory");
            const warning = await runStackPolicy(stackGuard("maxEstimatedCost", { maxPerJob: 500, onUnknown: "warn", enforcementLevel: "mandatory" }), [{ type: TIONE, props: await twoT4Instances() }]);
            assert.equal(assertViolation(warning, "estimated cost unknown").enforcementLevel, "advisory");
        });

        it("reports nothing without limits (the default), even with prices", async () => {
            assertNoViolations(await runStackPolicy(stackGuard("maxEstimatedCost", { hourlyPrices: T4_PRICE }), [{ type: TIONE, props: await twoT4Instances() }]));
        });

        it("shows each estimate and the total as advisory notes with reportEstimates", async () => {
            const run = await runStackPolicy(stackGuard("maxEstimatedCost", { hourlyPrices: T4_PRICE, reportEstimates: true }), [{ type: TIONE, name: "lora", props: await twoT4Instances() }]);
            assert.equal(assertViolation(run, "TI-ONE training task 'lora': estimated cost 600").enforcementLevel, "advisory");
            assertViolation(run, "the stack's training jobs are estimated at 600 across 1 jobs");
        });

        it("takes prices and limits from the engine's configuration", async () => {
            const run = await runStackPolicy(stackGuard("maxEstimatedCost"), [{ type: TIONE, props: await twoT4Instances() }], { hourlyPrices: T4_PRICE, maxPerJob: 100 });
            assertViolation(run, "estimated at 600");
        });

        it("rejects an unknown onUnknown action with a clear error", async () => {
            await assert.rejects(
                runStackPolicy(stackGuard("maxEstimatedCost"), [{ type: TIONE, props: await twoT4Instances() }], { onUnknown: "ignore" }),
                /config 'onUnknown' must be one of 'fail', 'warn', got "ignore"/,
            );
        });
    });
});
