/**
 * The pack through the real analyzer: `run-policy-pack` spawned on `policy/` (and on the team
 * example in `examples/policy/`), driven over gRPC like the engine drives it, with inputs shaped
 * exactly like the registered inputs of each resource kind (secrets and unknowns in wire form).
 */

import * as assert from "node:assert/strict";
import * as path from "node:path";
import { alayaTemplate, bailianFile, bailianJob, polardbTask, PREPAID, tioneTask, TYPE_TOKENS, uploadedBailianFile } from "./fixtures";
import type { Analyze } from "../../harness";
import { AnalyzeResult, harnessAnalyzeHook, mandatoryDiagnostics, PolicyAnalyzer, secretValue, UNKNOWN_WIRE, urnOf } from "./analyzerClient";

const REPO_ROOT = path.resolve(__dirname, "..", "..");
const TIONE = TYPE_TOKENS.tioneTrainingTask;
const ALAYA = TYPE_TOKENS.alayaTrainingTemplate;

function byPolicy(result: AnalyzeResult): Map<string, AnalyzeResult["diagnostics"]> {
    const map = new Map<string, AnalyzeResult["diagnostics"]>();
    for (const d of result.diagnostics) {
        map.set(d.policyName, [...(map.get(d.policyName) ?? []), d]);
    }
    return map;
}

function policyNames(result: AnalyzeResult): string[] {
    return [...new Set(result.diagnostics.map((d) => d.policyName))].sort();
}

/** A TI-ONE task asking for 16 GPUs with no tags and no VPC. */
async function greedyTask(overrides: Record<string, unknown> = {}) {
    return tioneTask({ resourceConfigInfos: [{ role: "WORKER", instanceType: "TI.GN7.8XLARGE128.POST", instanceNum: 2, gpu: 800, gpuType: "T4" }], tags: undefined, vpcId: undefined, subnetId: undefined, ...overrides });
}

describe("policy pack through the real analyzer (run-policy-pack over gRPC)", function () {
    this.timeout(180_000);

    describe("policy/ (pulumi-training-guardrails)", () => {
        let analyzer: PolicyAnalyzer;
        let startupMs = 0;

        before(async () => {
            const started = Date.now();
            analyzer = await PolicyAnalyzer.start(path.join(REPO_ROOT, "policy"));
            startupMs = Date.now() - started;
        });

        after(async () => {
            await analyzer?.stop();
        });

        it("starts, prints its port, and describes every policy (GetAnalyzerInfo)", async () => {
            assert.ok(startupMs > 0);
            const info = await analyzer.getAnalyzerInfo();
            assert.equal(info.name, "pulumi-training-guardrails");
            assert.equal(info.version, "0.1.0");
            assert.equal(info.supportsConfig, true);
            assert.equal(info.policies.length, 13);
            const policies = new Map(info.policies.map((p) => [p.name, p]));
            assert.equal(policies.get("max-gpus-per-stack")!.policyType, "stack");
            assert.equal(policies.get("max-gpus-per-job")!.policyType, "resource");
            assert.equal(policies.get("max-gpus-per-job")!.enforcementLevel, "advisory");
            assert.equal(policies.get("max-gpus-per-job")!.severity, "high");
            assert.equal(policies.get("max-gpus-per-job")!.configSchema!.properties.maxGpus.default, 8);
            assert.equal(policies.get("no-plaintext-secret-env")!.enforcementLevel, "remediate");
            assert.equal(policies.get("no-plaintext-secret-env")!.configSchema!.properties.onPlaintext.default, "warn");
        });

        it("applies the defaults in code before any Configure, and passes compliant inputs of every kind", async () => {
            const kinds = [
                { type: TIONE, props: await tioneTask() },
                { type: ALAYA, props: await alayaTemplate() },
                { type: TYPE_TOKENS.bailianFineTuneJob, props: await bailianJob() },
                { type: TYPE_TOKENS.bailianFile, props: await bailianFile() },
                { type: TYPE_TOKENS.polardbAidbTask, props: await polardbTask() },
            ];
            for (const kind of kinds) {
                const result = await analyzer.remediateAndAnalyze({ type: kind.type, name: "ok", properties: kind.props });
                assert.deepEqual(result.diagnostics, [], `${kind.type}: ${result.diagnostics.map((d) => d.message).join("; ")}`);
            }
            const greedy = await analyzer.analyze({ type: TIONE, name: "greedy-defaults", properties: await greedyTask() });
            assert.match(byPolicy(greedy).get("max-gpus-per-job")![0].message, /the limit is 8 per job/);
        });

        it("reports advisory diagnostics with the policy's description, message, severity and URN (Analyze)", async () => {
            const result = await analyzer.analyze({ type: TIONE, name: "greedy", properties: await greedyTask() });
            assert.deepEqual(policyNames(result), ["max-gpus-per-job", "private-networking", "required-tags"]);
            const gpu = byPolicy(result).get("max-gpus-per-job")![0];
            assert.equal(gpu.enforcementLevel, "advisory");
            assert.equal(gpu.severity, "high");
            assert.equal(gpu.policyPackName, "pulumi-training-guardrails");
            assert.equal(gpu.policyPackVersion, "0.1.0");
            assert.equal(
                gpu.message,
                "A training job may request at most the configured number of GPU cards.\n" +
                    "TI-ONE training task requests 16 GPU cards (resourceConfigInfos[0]: 8 × 2); the limit is 8 per job. " +
                    "Lower gpu or instanceNum in resourceConfigInfos so the job needs 8 cards or fewer, or raise maxGpusPerJob.maxGpus.",
            );
            assert.deepEqual(mandatoryDiagnostics(result), []);
            assert.ok(result.notApplicable.some((n) => n.policyName === "fine-tune-budget" && /applies only to Bailian fine-tune jobs and PolarDB AIDB tasks/.test(n.reason)));
        });

        it("takes a config override and an enforcement override from Configure", async () => {
            await analyzer.configure({
                "max-gpus-per-job": { enforcementLevel: "mandatory", maxGpus: 2 },
                "required-tags": "disabled",
                "allowed-regions": { allowedRegions: ["ap-shanghai"] },
            });
            const result = await analyzer.analyze({ type: TIONE, name: "greedy", properties: await greedyTask() });
            const diagnostics = byPolicy(result);
            assert.equal(diagnostics.get("max-gpus-per-job")![0].enforcementLevel, "mandatory");
            assert.match(diagnostics.get("max-gpus-per-job")![0].message, /requests 16 GPU cards .* the limit is 2 per job/);
            assert.equal(diagnostics.has("required-tags"), false);
            assert.equal(diagnostics.get("private-networking")![0].enforcementLevel, "advisory");
            assert.match(diagnostics.get("allowed-regions")![0].message, /region 'ap-guangzhou' \(from region\), which is not allowed\. Use 'ap-shanghai'/);
            assert.deepEqual(mandatoryDiagnostics(result).map((d) => d.policyName), ["max-gpus-per-job"]);
        });

        it("does not crash on values unknown at preview, and still reports what is already known", async () => {
            const props = await tioneTask({
                region: UNKNOWN_WIRE.string,
                vpcId: UNKNOWN_WIRE.string,
                tags: UNKNOWN_WIRE.array,
                imageInfo: { imageType: "CCR", imageUrl: UNKNOWN_WIRE.string },
                ...PREPAID,
                resourceConfigInfos: [
                    { role: "WORKER", cpu: 8000, memory: 32768, instanceNum: UNKNOWN_WIRE.number, gpu: 400 },
                    { role: "WORKER", cpu: 8000, memory: 32768, instanceNum: 1, gpu: UNKNOWN_WIRE.number },
                ],
                completionTimeoutMinutes: UNKNOWN_WIRE.number,
            });
            const result = await analyzer.remediateAndAnalyze({ type: TIONE, name: "preview", properties: props });
            const diagnostics = byPolicy(result);
            assert.match(diagnostics.get("max-gpus-per-job")![0].message, /requests at least 4 GPU cards/);
            assert.deepEqual(policyNames(result), ["max-gpus-per-job"]);
            assert.ok(!result.diagnostics.some((d) => /during preview/.test(d.message)), "no policy fell over on an unknown");
            const allUnknown = await analyzer.analyze({ type: TIONE, name: "preview2", properties: await tioneTask({ resourceConfigInfos: UNKNOWN_WIRE.array }) });
            assert.deepEqual(allUnknown.diagnostics.filter((d) => d.policyName === "max-gpus-per-job"), []);
        });

        it("tells secret env values from plaintext through Remediate, then Analyze (warn by default)", async () => {
            await analyzer.configure({});
            const props = await alayaTemplate({ env: { HF_TOKEN: secretValue("hf_x"), WANDB_API_KEY: "wk-plain", EPOCHS: "3" } });
            const result = await analyzer.remediateAndAnalyze({ type: ALAYA, name: "tpl", properties: props });
            assert.deepEqual(result.remediatedBy, []);
            const secrets = byPolicy(result).get("no-plaintext-secret-env")!;
            assert.equal(secrets.length, 1);
            assert.equal(secrets[0].enforcementLevel, "advisory");
            assert.match(secrets[0].message, /sets WANDB_API_KEY \(env\.WANDB_API_KEY\) in plaintext/);
            assert.equal(secrets[0].severity, "critical");
            const tione = await tioneTask({ envs: [{ name: "HF_TOKEN", value: secretValue("t") }, { name: "DB_PASSWORD", value: "p" }] });
            const tioneResult = await analyzer.remediateAndAnalyze({ type: TIONE, name: "task", properties: tione });
            assert.match(byPolicy(tioneResult).get("no-plaintext-secret-env")![0].message, /sets DB_PASSWORD \(envs\[1\]\.value\) in plaintext/);
        });

        it("wraps plaintext secrets when remediating, and blocks them when rejecting", async () => {
            const props = await alayaTemplate({ env: { HF_TOKEN: secretValue("hf_x"), WANDB_API_KEY: "wk-plain", EPOCHS: "3" } });
            await analyzer.configure({ "no-plaintext-secret-env": { enforcementLevel: "remediate", onPlaintext: "wrap" } });
            const wrapped = await analyzer.remediateAndAnalyze({ type: ALAYA, name: "tpl", properties: props });
            assert.deepEqual(wrapped.remediatedBy, ["no-plaintext-secret-env"]);
            const env = (wrapped.properties as Record<string, Record<string, unknown>>).env;
            assert.deepEqual(env.WANDB_API_KEY, secretValue("wk-plain"));
            assert.deepEqual(env.HF_TOKEN, secretValue("hf_x"));
            assert.equal(env.EPOCHS, "3");
            assert.equal((wrapped.properties as Record<string, unknown>).__provider, props.__provider);
            assert.deepEqual(wrapped.diagnostics, []);

            await analyzer.configure({ "no-plaintext-secret-env": { enforcementLevel: "remediate", onPlaintext: "reject" } });
            const rejected = await analyzer.remediateAndAnalyze({ type: ALAYA, name: "tpl", properties: props });
            assert.deepEqual(mandatoryDiagnostics(rejected).map((d) => d.policyName), ["no-plaintext-secret-env"]);
        });

        it("fails closed, naming the fix, for a caller that skips Remediate (the policy cannot see secretness then)", async () => {
            await analyzer.configure({});
            const props = await alayaTemplate({ env: { HF_TOKEN: secretValue("hf_x") } });
            const result = await analyzer.analyze({ type: ALAYA, name: "no-remediate", properties: props });
            const diagnostics = byPolicy(result).get("no-plaintext-secret-env") ?? [];
            assert.equal(diagnostics.length, 1);
            assert.match(diagnostics[0].message, /HF_TOKEN.*cannot see whether a value is already a Pulumi secret.*enforcementLevel "remediate"/s);
        });

        it("reports a plaintext token as mandatory under a plain mandatory level (what `all: mandatory` sends), where it used to be not applicable", async () => {
            // The CLI expands `"all": "mandatory"` into every policy's level; Remediate then skips this policy.
            await analyzer.configure({ "no-plaintext-secret-env": { enforcementLevel: "mandatory" } });
            const props = await alayaTemplate({ env: { HF_TOKEN: "hf_AbCdEfGhIjKlMnOpQrStUvWx" } });
            const result = await analyzer.remediateAndAnalyze({ type: ALAYA, name: "all-mandatory", properties: props });
            const mandatory = mandatoryDiagnostics(result).filter((d) => d.policyName === "no-plaintext-secret-env");
            assert.equal(mandatory.length, 1);
            assert.doesNotMatch(mandatory[0].message, /AbCdEfGh/);
        });

        it("checks fine-tune budgets and networking on Bailian and PolarDB inputs", async () => {
            await analyzer.configure({ "allowed-regions": { allowedRegions: ["cn-*"] }, "fine-tune-budget": { allowedTrainingTypes: ["efficient_sft"] } });
            const bailian = await analyzer.analyze({
                type: TYPE_TOKENS.bailianFineTuneJob,
                name: "ft",
                properties: await bailianJob({ trainingType: "sft", hyperParameters: { nEpochs: 50, batchSize: 16, maxLength: 2048 } }),
            });
            // Not allowed-regions: this fine-tune leaves its region to provider configuration, which the pack cannot see.
            assert.deepEqual(policyNames(bailian), ["fine-tune-budget"]);
            assert.equal(byPolicy(bailian).get("fine-tune-budget")!.length, 2);
            const polardb = await analyzer.analyze({
                type: TYPE_TOKENS.polardbAidbTask,
                name: "aidb",
                properties: await polardbTask({ vSwitchId: undefined, runningParameter: { num_epochs: 20 } }),
            });
            assert.deepEqual(policyNames(polardb), ["fine-tune-budget", "private-networking"]);
        });

        it("sums GPUs across clouds in AnalyzeStack, at the configured limit and level", async () => {
            const stack = [
                { type: "pulumi:pulumi:Stack", name: "pulumi-training-dev", properties: {} },
                { type: TIONE, name: "tione-a", properties: await tioneTask({ ...PREPAID, resourceConfigInfos: [{ role: "WORKER", cpu: 8000, memory: 32768, instanceNum: 2, gpu: 400 }] }) },
                { type: ALAYA, name: "alaya-a", properties: await alayaTemplate() },
                { type: TYPE_TOKENS.bailianFineTuneJob, name: "ft", properties: await bailianJob() },
            ];
            await analyzer.configure({});
            assert.deepEqual((await analyzer.analyzeStack(stack)).diagnostics, []);
            await analyzer.configure({ "max-gpus-per-stack": { enforcementLevel: "mandatory", maxGpus: 10 } });
            const result = await analyzer.analyzeStack(stack);
            assert.equal(result.diagnostics.length, 1);
            const d = result.diagnostics[0];
            assert.equal(d.policyName, "max-gpus-per-stack");
            assert.equal(d.enforcementLevel, "mandatory");
            assert.match(d.message, /request 12 GPU cards across 2 jobs \(tione-a: 8, alaya-a: 4\); the limit is 10 per stack/);
            await analyzer.configure({ "max-gpus-per-stack": { enforcementLevel: "disabled", maxGpus: 1 } });
            assert.deepEqual((await analyzer.analyzeStack(stack)).diagnostics, []);
        });

        it("estimates cost in AnalyzeStack, tracing a fine-tune to its File through property dependencies, as a mandatory stack limit", async () => {
            const file = { type: TYPE_TOKENS.bailianFile, name: "data", properties: await uploadedBailianFile({ fileId: "file-ft-1", sizeBytes: 4_000_000 }) };
            const job = {
                type: TYPE_TOKENS.bailianFineTuneJob,
                name: "bot",
                properties: await bailianJob({ trainingFileIds: [UNKNOWN_WIRE.string] }),
                propertyDependencies: { trainingFileIds: [urnOf(TYPE_TOKENS.bailianFile, "data")] },
            };
            const task = { type: TIONE, name: "lora", properties: await tioneTask({ resourceConfigInfos: [{ role: "WORKER", instanceType: "TI.GN7.8XLARGE128.POST", instanceNum: 2 }], completionTimeoutMinutes: 600 }) };
            await analyzer.configure({
                "max-estimated-cost": { enforcementLevel: "mandatory", hourlyPrices: { "TI.GN7.*": 30 }, tokenPrices: { "qwen3-*": 0.05 }, maxPerStack: 700 },
            });
            const result = await analyzer.analyzeStack([file, job, task]);
            const cost = mandatoryDiagnostics(result).filter((d) => d.policyName === "max-estimated-cost");
            assert.equal(cost.length, 1, JSON.stringify(result.diagnostics));
            assert.match(cost[0].message, /estimated at 750 across 2 jobs \(lora: 600, bot: 150\); the limit is 700 per stack/);
        });

        it("plugs into the engine harness's analyze hook (Remediate, then Analyze, per registered resource)", async () => {
            await analyzer.configure({ "max-gpus-per-job": "mandatory" });
            const remediated: string[] = [];
            const hook: Analyze = harnessAnalyzeHook(analyzer, (urn, policies) => remediated.push(`${urn}: ${policies.join(",")}`));
            const urn = urnOf(TIONE, "greedy");
            const diagnostics = await hook({ urn, type: TIONE, name: "greedy", props: await greedyTask({ envs: [{ name: "HF_TOKEN", value: secretValue("t") }] }) });
            const gpu = diagnostics.find((d) => d.policyName === "max-gpus-per-job")!;
            assert.equal(gpu.enforcementLevel, "mandatory");
            assert.equal(gpu.urn, urn);
            assert.ok(!diagnostics.some((d) => d.policyName === "no-plaintext-secret-env"));
            assert.deepEqual(remediated, []);
        });

        it("leaves resources it does not guard alone", async () => {
            const result = await analyzer.analyze({ type: "pulumi:pulumi:Stack", name: "pulumi-training-dev", urn: urnOf("pulumi:pulumi:Stack", "pulumi-training-dev"), properties: {} });
            assert.deepEqual(result.diagnostics, []);
            assert.equal(result.notApplicable.length, 11);
        });
    });

    describe("examples/policy (a team pack built from ours with one object)", () => {
        let analyzer: PolicyAnalyzer;

        before(async () => {
            analyzer = await PolicyAnalyzer.start(path.join(REPO_ROOT, "examples", "policy"));
        });

        after(async () => {
            await analyzer?.stop();
        });

        it("serves the team's levels and limits", async () => {
            const info = await analyzer.getAnalyzerInfo();
            assert.equal(info.name, "ml-team-guardrails");
            assert.equal(info.version, "1.0.0");
            const levels = Object.fromEntries(info.policies.map((p) => [p.name, p.enforcementLevel]));
            assert.equal(levels["max-gpus-per-job"], "mandatory");
            assert.equal(levels["max-gpus-per-stack"], "advisory");
            assert.equal(levels["charge-type"], "disabled");
            assert.equal(levels["no-plaintext-secret-env"], "remediate");
            const requiredTags = info.policies.find((p) => p.name === "required-tags")!;
            assert.deepEqual(requiredTags.configSchema!.properties.requiredTags.default, ["cost-center", "owner", "project"]);
        });

        it("blocks a job that breaks the team's rules, and wraps its plaintext secrets", async () => {
            await analyzer.configure({});
            const props = await greedyTask({ envs: [{ name: "HF_TOKEN", value: "hf_plain" }] });
            const result = await analyzer.remediateAndAnalyze({ type: TIONE, name: "greedy", properties: props });
            assert.deepEqual(mandatoryDiagnostics(result).map((d) => d.policyName).sort(), ["max-gpus-per-job", "private-networking", "required-tags"]);
            assert.match(byPolicy(result).get("required-tags")![0].message, /missing tags cost-center, owner and project/);
            assert.deepEqual(result.remediatedBy, ["no-plaintext-secret-env"]);
            const envs = (result.properties as { envs: { value: unknown }[] }).envs;
            assert.deepEqual(envs[0].value, secretValue("hf_plain"));
        });
    });
});
