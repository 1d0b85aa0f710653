/**
 * Registered inputs of each resource kind, produced by the real resource classes: each fixture
 * constructs the class (`new tione.TrainingTask(name, args)`) against an in-process mock monitor in
 * preview mode (zero API calls), captures the inputs exactly as the class serialized them onto the
 * wire (secrets as nested secret values, unknowns as the engine's unknown sentinel, `__provider`
 * and the hidden inputs included), and runs the kind's own `check` on them, as the engine does
 * before it hands inputs to a policy. A fixture that `check` would refuse throws: it cannot exist.
 *
 * Per-test overrides pass through the class too: `await tioneTask({ envs: [...] })` registers a
 * task with those arguments. In overrides, `secret(v)` (util.ts) becomes `pulumi.secret(v)` and an
 * `UNKNOWN.*` sentinel becomes an output unknown at preview, so both reach the policy the way a
 * program's secrets and unknowns do. A key set to `undefined` leaves the argument out.
 *
 * Every base fixture complies with every guardrail's default settings, so a test changes one thing
 * and sees one policy react.
 */

import { Secret } from "@pulumi/policy";
import * as pulumi from "@pulumi/pulumi";
import * as path from "node:path";
import * as alaya from "../../provider/alaya";
import * as bailian from "../../provider/bailian";
import * as polardb from "../../provider/polardb";
import { KIND_ENTRIES, type KindEntry } from "../../provider/registry";
import * as tione from "../../provider/tione";
import { TYPE_TOKENS } from "../../policy/kinds";
import { UNKNOWN_SENTINELS } from "../../policy/props";

export { TYPE_TOKENS };

type Props = Record<string, unknown>;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const outputModule = require("@pulumi/pulumi/output") as { unknown: unknown };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const rpc = require("@pulumi/pulumi/runtime/rpc") as { specialSigKey: string; specialSecretSig: string; unknownValue: string };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const mocks = require("@pulumi/pulumi/runtime/mocks") as { MockMonitor: { prototype: { registerResource(req: unknown, cb: unknown): Promise<void> } } };

/** The engine's unknown value on the wire (`rpc.ts` `unknownValue`), which `check` lets through. */
const WIRE_UNKNOWN = rpc.unknownValue;

/** A real local dataset for `bailian.File`, whose `check` reads and validates the file. */
export const DATASET_PATH = path.join(__dirname, "data", "train.jsonl");

/** Inputs as the class put them on the wire, by resource name (captured before the mock deserializes them). */
const wireInputs = new Map<string, Props>();

let mocksInstalled = false;
function installMocks(): void {
    if (mocksInstalled) return;
    mocksInstalled = true;
    // The mock monitor hands `newResource` deserialized inputs, with nested secrets pushed up to the
    // top-level property; the engine keeps them where they are. Capture the wire form instead.
    const original = mocks.MockMonitor.prototype.registerResource;
    mocks.MockMonitor.prototype.registerResource = async function (this: unknown, req: any, callback: unknown) {
        wireInputs.set(req.getName(), req.getObject().toJavaScript() as Props);
        return original.call(this, req, callback);
    };
    pulumi.runtime.setMocks(
        {
            // Preview: a resource not yet created has no outputs, so `file.fileId` is unknown downstream.
            newResource: (args) => ({ id: undefined, state: {} }),
            call: () => ({}),
        },
        "pulumi-training",
        "dev",
        true,
    );
}

const isWireSecret = (v: unknown): v is { value: unknown } =>
    v !== null && typeof v === "object" && (v as Record<string, unknown>)[rpc.specialSigKey] === rpc.specialSecretSig;

/** Test-side markers (util.ts `secret()`, `UNKNOWN.*`) turned into what a program passes: `pulumi.secret`, an unknown output. */
function toProgramArgs(value: unknown): unknown {
    if (value instanceof Secret) return pulumi.secret(toProgramArgs(value.value) as never);
    if (isWireSecret(value)) return pulumi.secret(toProgramArgs(value.value) as never);
    if (typeof value === "string" && (UNKNOWN_SENTINELS.includes(value) || value === WIRE_UNKNOWN)) return pulumi.output(outputModule.unknown as never);
    if (Array.isArray(value)) return value.map(toProgramArgs);
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, toProgramArgs(v)]));
    }
    return value;
}

/** Wire values as the dynamic-provider host hands them to `check`: secrets unwrapped (the host receives plain values). */
function plain(value: unknown): unknown {
    if (isWireSecret(value)) return plain(value.value);
    if (Array.isArray(value)) return value.map(plain);
    if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
    return value;
}

/** Keys `check` added (derived inputs such as the File's `sha256`) merged into the wire inputs, which keep their secrets. */
function withDerived(wire: Props, checked: Props): Props {
    const result: Props = { ...wire };
    for (const [k, v] of Object.entries(checked)) {
        if (!(k in wire)) result[k] = v;
    }
    return result;
}

let counter = 0;

/** Registers `Class` with `args` and returns the checked inputs a policy would see; throws when `check` refuses them. */
async function register<Args>(
    entry: KindEntry,
    Class: new (name: string, args: Args) => pulumi.CustomResource,
    args: Props,
): Promise<Props> {
    installMocks();
    const name = `fixture-${++counter}`;
    const resource = new Class(name, toProgramArgs(args) as Args);
    await new Promise<void>((resolve) => resource.urn.apply(() => resolve()));
    const wire = wireInputs.get(name);
    wireInputs.delete(name);
    if (!wire) throw new Error(`${entry.token}: the class registered nothing`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const lifecycle = require(path.join("..", "..", "provider", entry.lifecycle)) as { check(olds: Props, news: Props): Promise<{ inputs?: Props; failures?: { property: string; reason: string }[] }> };
    const checked = await lifecycle.check({}, plain(wire) as Props);
    if (checked.failures && checked.failures.length > 0) {
        throw new Error(`fixture refused by ${entry.token} check: ${checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
    }
    return withDerived(wire, checked.inputs ?? {});
}

const entry = (token: string): KindEntry => KIND_ENTRIES.find((k) => k.token === token)!;

/** `{...base, ...overrides}`, where an override of `undefined` removes the argument. */
function merged(base: Props, overrides: Props): Props {
    return Object.fromEntries(Object.entries({ ...base, ...overrides }).filter(([, v]) => v !== undefined));
}

/**
 * TI-ONE billing on a prepaid resource group, where configs give cards (`gpu`) and a GPU type
 * instead of a postpaid spec (`check` requires `instanceType` only for POSTPAID_BY_HOUR).
 */
export const PREPAID = { chargeType: "PREPAID", resourceGroupId: "trsg-2ad0h1qc" } as const;

/** A TI-ONE task: one postpaid T4 instance, tagged, in a VPC, with a custom image. */
export function tioneTask(overrides: Props = {}): Promise<Props> {
    const base: Props = {
        name: "llama-lora",
        chargeType: "POSTPAID_BY_HOUR",
        resourceConfigInfos: [{ role: "WORKER", instanceType: "TI.GN7.8XLARGE128.POST", instanceNum: 1, cpu: 32000, memory: 131072, gpu: 100, gpuType: "T4" }],
        tags: [
            { tagKey: "cost-center", tagValue: "ml-42" },
            { tagKey: "owner", tagValue: "alice" },
        ],
        imageInfo: { imageType: "CCR", imageUrl: "ccr.ccs.tencentyun.com/ml-team/trainer:1.0", registryRegion: "ap-guangzhou" },
        vpcId: "vpc-2ad0h1qc",
        subnetId: "subnet-5lxo1xjv",
        envs: [{ name: "EPOCHS", value: "3" }],
        region: "ap-guangzhou",
        waitForCompletion: true,
        completionTimeoutMinutes: 600,
    };
    return register(entry("tione:TrainingTask"), tione.TrainingTask as never, merged(base, overrides));
}

/** An Alaya template: 2 workers × 2 L40S, capped retries, timeout cancel on. */
export function alayaTemplate(overrides: Props = {}): Promise<Props> {
    const base: Props = {
        name: "qwen-pretrain",
        image: "harbor.zetyun.cn/anc-public/general/pytorch:2.3-gpu",
        imageType: "general",
        env: { EPOCHS: "3", TOKENIZERS_PARALLELISM: "false" },
        resource: {
            type: "worker",
            gpuName: "NVIDIA-L40S-PCIE-48G",
            cpuCores: "16",
            gpuCount: "2",
            memoryGB: "64",
            productCode: "PRD-QTT",
            productName: "量子训练",
            workerCount: 2,
            productPrice: "0.0002B",
        },
        enableAutoRetry: true,
        maxRetryCount: 2,
        enableTimeoutCancel: true,
        timeoutHours: 12,
        priority: 2,
    };
    return register(entry("alaya:TrainingTemplate"), alaya.TrainingTemplate as never, merged(base, overrides));
}

/** A Bailian fine-tune: 3 epochs of efficient_sft on qwen3-8b. */
export function bailianJob(overrides: Props = {}): Promise<Props> {
    const base: Props = {
        model: "qwen3-8b",
        trainingType: "efficient_sft",
        hyperParameters: { nEpochs: 3, batchSize: 16, maxLength: 2048, learningRate: "1e-4", loraRank: 8 },
        trainingFileIds: ["file-ft-b3c1f0"],
        waitForCompletion: true,
        completionTimeoutMinutes: 1440,
    };
    return register(entry("bailian:FineTuneJob"), bailian.FineTuneJob as never, merged(base, overrides));
}

/** A Bailian dataset file as registered (before upload: no outputs yet), from a real JSONL file. */
export function bailianFile(overrides: Props = {}): Promise<Props> {
    return register(entry("bailian:File"), bailian.File as never, merged({ source: DATASET_PATH, purpose: "fine-tune" }, overrides));
}

/**
 * A Bailian dataset file after upload, as a stack policy sees it: the registered inputs plus the
 * outputs the provider reports (`fileId`, `sizeBytes`). Outputs are not arguments, so they are
 * added to what the class registered rather than passed through it.
 */
export async function uploadedBailianFile(outputs: { fileId: string; sizeBytes: number }, overrides: Props = {}): Promise<Props> {
    return { ...(await bailianFile(overrides)), ...outputs };
}

/** A PolarDB AIDB task: 3 epochs of LoRA in a VPC. */
export function polardbTask(overrides: Props = {}): Promise<Props> {
    const base: Props = {
        dbClusterId: "pc-2ze8a1b3c4d5e6f7",
        modelSource: "public",
        modelName: "qwen2.5-7b-instruct",
        datasetPath: "oss://ml-data/alpaca/train.jsonl",
        regionId: "cn-hangzhou",
        vpcId: "vpc-bp1h3a2b",
        vSwitchId: "vsw-bp1k9x0y",
        runningParameter: { train_mode: "sft", train_type: "lora", num_epochs: 3, batch_size: 8 },
        waitForCompletion: true,
        completionTimeoutMinutes: 1440,
    };
    return register(entry("polardb:AidbTask"), polardb.AidbTask as never, merged(base, overrides));
}

/** Every kind with its compliant fixture, for tests that sweep all kinds. */
export const ALL_KINDS: { type: string; props: () => Promise<Props> }[] = [
    { type: TYPE_TOKENS.tioneTrainingTask, props: () => tioneTask() },
    { type: TYPE_TOKENS.alayaTrainingTemplate, props: () => alayaTemplate() },
    { type: TYPE_TOKENS.bailianFineTuneJob, props: () => bailianJob() },
    { type: TYPE_TOKENS.bailianFile, props: () => bailianFile() },
    { type: TYPE_TOKENS.polardbAidbTask, props: () => polardbTask() },
];
