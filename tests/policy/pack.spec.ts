import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { TRAINING_KINDS, TrainingKind } from "../../policy/kinds";
import {
    TRAINING_GUARD_DEFAULTS,
    TRAINING_GUARD_PACK_NAME,
    TRAINING_GUARDS,
    TrainingGuardArgs,
    trainingGuardPackArgs,
    trainingGuardPolicies,
    trainingGuardSettings,
} from "../../policy/pack";
import { assertNoViolations, assertViolation, runResourcePolicy, runStackPolicy } from "./util";

const POLICY_DIR = path.join(__dirname, "..", "..", "policy");

// Compile-time checks of the helper's types (tsc runs over tests/):
const typedArgs: TrainingGuardArgs = { all: "mandatory", maxGpusPerJob: { maxGpus: 8 }, requiredTags: "advisory" };
// @ts-expect-error maxGpus is a number
const wrongType: TrainingGuardArgs = { maxGpusPerJob: { maxGpus: "8" } };
// @ts-expect-error there is no such guardrail
const wrongKey: TrainingGuardArgs = { maxGpuPerJob: "mandatory" };
void [typedArgs, wrongType, wrongKey];

describe("policy: the pack and its args helper", () => {
    const policies = trainingGuardPolicies();

    describe("metadata of every policy", () => {
        it("registers every guardrail under its own key, with a unique kebab-case name", () => {
            for (const [key, def] of Object.entries(TRAINING_GUARDS)) {
                assert.equal(def.key, key);
                assert.match(def.name, /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
            }
            const names = policies.map((p) => p.name);
            assert.equal(new Set(names).size, names.length);
            assert.ok(!names.includes("all"));
        });

        for (const policy of trainingGuardPolicies()) {
            it(`${policy.name}: description, severity, tags, remediation steps and a schema carrying its defaults`, () => {
                assert.ok(policy.description.length > 20 && policy.description.endsWith("."));
                assert.ok(policy.displayName);
                assert.ok(["low", "medium", "high", "critical"].includes(policy.severity!));
                assert.ok(policy.tags && policy.tags.length > 0);
                assert.ok(policy.remediationSteps);
                const def = Object.values(TRAINING_GUARDS).find((d) => d.name === policy.name)!;
                const properties = policy.configSchema!.properties;
                assert.deepEqual(Object.keys(properties).sort(), Object.keys(def.defaults).sort());
                assert.ok(!("enforcementLevel" in properties));
                for (const [key, schema] of Object.entries(properties)) {
                    assert.ok(typeof schema === "object" && schema.description, `${policy.name}.${key} has a description`);
                    assert.deepEqual((schema as { default?: unknown }).default, (def.defaults as Record<string, unknown>)[key]);
                }
            });
        }

        it("is advisory by default; the secret policy runs at remediate to see secrets, and only warns", () => {
            for (const policy of policies) {
                const expected = policy.name === "no-plaintext-secret-env" ? "remediate" : "advisory";
                assert.equal(policy.enforcementLevel, expected, policy.name);
            }
            assert.equal(TRAINING_GUARD_DEFAULTS.noPlaintextSecretEnv.onPlaintext, "warn");
            assert.equal(TRAINING_GUARD_DEFAULTS.maxGpusPerJob.maxGpus, 8);
            assert.equal(TRAINING_GUARD_DEFAULTS.maxGpusPerJob.enforcementLevel, "advisory");
        });
    });

    describe("trainingGuardPolicies(args)", () => {
        it("applies `all` and per-guardrail settings in one object", () => {
            const built = trainingGuardPolicies({ all: "mandatory", maxGpusPerJob: { maxGpus: 4 }, requiredTags: "disabled", chargeType: { enforcementLevel: "advisory" } });
            const byName = new Map(built.map((p) => [p.name, p]));
            assert.equal(byName.get("max-gpus-per-job")!.enforcementLevel, "mandatory");
            assert.equal((byName.get("max-gpus-per-job")!.configSchema!.properties.maxGpus as { default: number }).default, 4);
            assert.equal(byName.get("required-tags")!.enforcementLevel, "disabled");
            assert.equal(byName.get("charge-type")!.enforcementLevel, "advisory");
            assert.equal(byName.get("allowed-regions")!.enforcementLevel, "mandatory");
            // mandatory for the secret policy means: remediate level, reject plaintext
            assert.equal(byName.get("no-plaintext-secret-env")!.enforcementLevel, "remediate");
            assert.equal(trainingGuardSettings({ all: "mandatory" }).noPlaintextSecretEnv.onPlaintext, "reject");
            assert.equal(trainingGuardSettings({ noPlaintextSecretEnv: { enforcementLevel: "mandatory", onPlaintext: "wrap" } }).noPlaintextSecretEnv.onPlaintext, "wrap");
        });

        it("bakes settings in as defaults, while configuration from the engine still wins", async () => {
            const policy = trainingGuardPolicies({ maxGpusPerJob: { maxGpus: 1 } })[0] as ResourceValidationPolicy;
            const props = { resourceConfigInfos: [{ role: "WORKER", gpu: 200, instanceNum: 1 }] };
            const type = TRAINING_KINDS[2].type;
            assertViolation(await runResourcePolicy(policy, { type, props }), "the limit is 1 per job");
            assertNoViolations(await runResourcePolicy(policy, { type, props, config: { maxGpus: 2 } }));
        });

        it("rejects unknown guardrails, unknown settings, wrong types and bad levels", () => {
            assert.throws(() => trainingGuardPolicies({ maxGpuPerJob: "mandatory" } as TrainingGuardArgs), /unknown guardrail 'maxGpuPerJob'; the guardrails are maxGpusPerJob, /);
            assert.throws(
                () => trainingGuardPolicies({ maxGpusPerJob: { maxGPUs: 4 } } as unknown as TrainingGuardArgs),
                /policy 'max-gpus-per-job' \(maxGpusPerJob\) has no setting 'maxGPUs'; its settings are maxGpus/,
            );
            assert.throws(() => trainingGuardPolicies({ maxGpusPerJob: { maxGpus: "4" } } as unknown as TrainingGuardArgs), /config 'maxGpus' must be a number/);
            assert.throws(() => trainingGuardPolicies({ all: "strict" } as unknown as TrainingGuardArgs), /all: enforcement level must be one of/);
        });

        it("gives trainingGuardPackArgs() everything PolicyPack needs", () => {
            const args = trainingGuardPackArgs({ all: "advisory" });
            assert.equal(args.policies.length, Object.keys(TRAINING_GUARDS).length);
            assert.ok(args.description && args.displayName);
            assert.match(TRAINING_GUARD_PACK_NAME, /^[a-zA-Z0-9-_.]{1,100}$/);
        });
    });

    describe("a new kind plugs in with one row of the kinds table", () => {
        const sagemaker: TrainingKind = {
            type: "pulumi-nodejs:dynamic/sagemaker:TrainingJob",
            label: "SageMaker training job",
            gpus: { groups: "resourceConfig", cards: "gpusPerInstance", cardScale: 1, units: "instanceCount" },
            region: { paths: ["region"] },
            network: { vpcPath: "vpcConfig.vpcId", subnetPath: "vpcConfig.subnetId" },
        };
        const kinds = [...TRAINING_KINDS, sagemaker];
        const props = { resourceConfig: { gpusPerInstance: 8, instanceCount: 4 }, region: "us-east-1" };

        it("is matched by every policy reading an aspect it describes", async () => {
            const built = new Map(trainingGuardPolicies({ allowedRegions: { allowedRegions: ["eu-*"] } }, { kinds }).map((p) => [p.name, p]));
            const job = { type: sagemaker.type, props };
            assertViolation(await runResourcePolicy(built.get("max-gpus-per-job") as ResourceValidationPolicy, job), "SageMaker training job requests 32 GPU cards");
            assertViolation(await runResourcePolicy(built.get("allowed-regions") as ResourceValidationPolicy, job), "SageMaker training job is in region 'us-east-1'");
            assertViolation(
                await runResourcePolicy(built.get("private-networking") as ResourceValidationPolicy, job),
                "does not set vpcConfig.vpcId and vpcConfig.subnetId",
            );
            const stack = await runStackPolicy(built.get("max-gpus-per-stack") as StackValidationPolicy, [job, job]);
            assertViolation(stack, "request 64 GPU cards across 2 jobs");
        });
    });

    describe("the pack directory", () => {
        it("constructs PolicyPack only in index.ts (in code; examples in comments are fine)", () => {
            for (const file of fs.readdirSync(POLICY_DIR).filter((f) => f.endsWith(".ts"))) {
                const code = fs
                    .readFileSync(path.join(POLICY_DIR, file), "utf8")
                    .replace(/\/\*[\s\S]*?\*\//g, "")
                    .replace(/\/\/.*$/gm, "");
                assert.equal(/new PolicyPack\(/.test(code), file === "index.ts", file);
            }
        });

        it("has PulumiPolicy.yaml and a package.json with a version", () => {
            assert.match(fs.readFileSync(path.join(POLICY_DIR, "PulumiPolicy.yaml"), "utf8"), /^runtime: nodejs$/m);
            const pkg = JSON.parse(fs.readFileSync(path.join(POLICY_DIR, "package.json"), "utf8")) as { version?: string };
            assert.match(pkg.version ?? "", /^\d+\.\d+\.\d+/);
        });

        it("documents every policy, its key and every setting in the README", () => {
            const readme = fs.readFileSync(path.join(POLICY_DIR, "README.md"), "utf8");
            for (const def of Object.values(TRAINING_GUARDS)) {
                assert.ok(readme.includes(`\`${def.name}\``), `README names ${def.name}`);
                assert.ok(readme.includes(`\`${def.key}\``), `README names ${def.key}`);
                for (const key of Object.keys(def.defaults)) {
                    assert.ok(readme.includes(`\`${key}\``), `README documents ${def.key}.${key}`);
                }
            }
        });
    });
});
