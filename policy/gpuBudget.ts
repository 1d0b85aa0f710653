/**
 * GPU budgets: cards per job, and cards per stack across every cloud.
 *
 * A kind takes part by describing its GPU request in the kinds table (`gpus`): TI-ONE counts
 * `gpu / 100 × instanceNum` over its resource configs, or, for a postpaid config that names an
 * `instanceType` and no `gpu`, the spec's cards (provider/tione/instanceTypes.ts) × instanceNum;
 * Alaya `gpuCount × workerCount`. A spec the pack does not know is a violation that names it,
 * never zero cards: teach it with `instanceTypeCards`.
 *
 * @module
 */

import { formatNumber } from "./config";
import { GpuSpec, TrainingKind } from "./kinds";
import { readItems, readOne, toNumber, toText } from "./props";
import { ResourceGuardDefinition, StackGuardDefinition } from "./guard";

/** One resource group's share of a GPU request. */
export interface GpuPart {
    /** Where the group sits, e.g. `resourceConfigInfos[1]`. */
    path: string;
    /** Cards per unit, already scaled to whole cards. */
    cardsPerUnit: number;
    /** Units (instances, workers). */
    units: number;
}

/** The GPU request of one resource. */
export interface GpuRequest {
    /** Whole cards requested, counting only known values (a lower bound when `complete` is false). */
    cards: number;
    /** False when some count was unknown (preview): `cards` is then a lower bound. */
    complete: boolean;
    /** The groups that request cards. */
    parts: GpuPart[];
    /** Specs whose cards the pack does not know (`instanceType` values), with where they sit. */
    unknownSpecs: Array<{ path: string; spec: string }>;
}

/**
 * Counts the GPU cards a resource requests, following the kind's {@link GpuSpec}. Unknown counts
 * (preview) are left out and make the result incomplete; an unknown number of units counts as 1,
 * which keeps the result a lower bound. Values that are not numbers count as 0: the provider's
 * own `check` rejects them.
 */
export function countGpus(spec: GpuSpec, props: unknown, extraSpecCards: Readonly<Record<string, number>> = {}): GpuRequest {
    const request: GpuRequest = { cards: 0, complete: true, parts: [], unknownSpecs: [] };
    for (const group of readItems(props, spec.groups)) {
        if (group.status === "unknown") {
            request.complete = false;
            continue;
        }
        if (group.status !== "known") {
            continue;
        }
        const cardsRead = readOne(group.value, spec.cards);
        const unitsRead = spec.units ? readOne(group.value, spec.units) : undefined;
        if (cardsRead.status === "unknown" || unitsRead?.status === "unknown") {
            request.complete = false;
        }
        let cardsPerUnit = (cardsRead.status === "known" ? (toNumber(cardsRead.value) ?? 0) : 0) * spec.cardScale;
        if (cardsRead.status === "absent" && spec.specs) {
            // A postpaid group names its machine, not its cards: the spec's cards, or "unknown" said out loud.
            const specRead = readOne(group.value, spec.specs.field);
            if (specRead.status === "unknown") request.complete = false;
            const name = specRead.status === "known" ? toText(specRead.value) : undefined;
            if (name !== undefined) {
                const known = Object.hasOwn(extraSpecCards, name) ? extraSpecCards[name] : Object.hasOwn(spec.specs.cardsPerUnit, name) ? spec.specs.cardsPerUnit[name] : undefined;
                if (known === undefined) request.unknownSpecs.push({ path: `${group.path}.${spec.specs.field}`, spec: name });
                else cardsPerUnit = known;
            }
        }
        const units = unitsRead?.status === "known" ? (toNumber(unitsRead.value) ?? 1) : 1;
        if (cardsPerUnit > 0) {
            request.parts.push({ path: group.path, cardsPerUnit, units });
            request.cards += cardsPerUnit * units;
        }
    }
    return request;
}

function describeParts(parts: readonly GpuPart[]): string {
    return parts
        .map((p) => `${p.path}: ${formatNumber(p.cardsPerUnit)} × ${formatNumber(p.units)}`)
        .join(", ");
}

/** Configuration of {@link maxGpusPerJob}. */
export type MaxGpusPerJobConfig = {
    /** The most GPU cards one job may request. */
    maxGpus: number;
    /** GPU cards per instance of specs the pack does not list (TI-ONE `instanceType`), e.g. `{"TI.GN10X.4XLARGE64.POST": 1}`. */
    instanceTypeCards: Record<string, number>;
};

/** The config schema of `instanceTypeCards`, shared by both GPU budgets. */
const INSTANCE_TYPE_CARDS_SCHEMA = {
    type: "object",
    additionalProperties: { type: "number", minimum: 0 },
    description: "GPU cards per instance of specs the pack does not list (TI-ONE instanceType), e.g. {\"TI.GN10X.4XLARGE64.POST\": 1}.",
} as const;

/** The violation for specs whose cards are unknown: the budget cannot be judged, so it is not passed. */
function unknownSpecsMessage(label: string, unknown: GpuRequest["unknownSpecs"], key: string): string {
    const listed = unknown.map((u) => `${u.spec} (${u.path})`).join(", ");
    return (
        `${label} uses instance types whose GPU count the pack does not know: ${listed}. ` +
        `Its GPUs cannot be counted, so the budget is not judged passed: add each type's cards per instance to ${key}.instanceTypeCards, or use a listed type.`
    );
}

/** At most `maxGpus` GPU cards per training job. */
export const maxGpusPerJob: ResourceGuardDefinition<MaxGpusPerJobConfig> = {
    scope: "resource",
    key: "maxGpusPerJob",
    name: "max-gpus-per-job",
    displayName: "GPU budget per job",
    description: "A training job may request at most the configured number of GPU cards.",
    severity: "high",
    tags: ["cost", "gpu"],
    remediationSteps:
        "Request fewer GPUs per instance or fewer instances/workers, or ask for the job's limit (maxGpusPerJob.maxGpus) to be raised.",
    defaultLevel: "advisory",
    defaults: { maxGpus: 8, instanceTypeCards: {} },
    schema: {
        maxGpus: { type: "number", minimum: 0, description: "The most GPU cards one job may request." },
        instanceTypeCards: INSTANCE_TYPE_CARDS_SCHEMA,
    },
    aspects: ["gpus"],
    validate({ config, kind, props }, reportViolation) {
        const request = countGpus(kind.gpus!, props, config.instanceTypeCards);
        if (request.unknownSpecs.length) reportViolation(unknownSpecsMessage(kind.label, request.unknownSpecs, "maxGpusPerJob"));
        if (request.cards <= config.maxGpus) {
            return; // within budget, or unknown at preview: `up` checks the resolved values
        }
        const lowerBound = request.complete ? "" : "at least ";
        reportViolation(
            `${kind.label} requests ${lowerBound}${formatNumber(request.cards)} GPU cards (${describeParts(request.parts)}); ` +
                `the limit is ${formatNumber(config.maxGpus)} per job. ` +
                `Lower ${gpuFieldsHint(kind)} so the job needs ${formatNumber(config.maxGpus)} cards or fewer, or raise maxGpusPerJob.maxGpus.`,
        );
    },
};

/** "gpu or instanceNum in resourceConfigInfos" for messages. */
function gpuFieldsHint(kind: TrainingKind): string {
    const spec = kind.gpus!;
    const fields = spec.units ? `${spec.cards} or ${spec.units}` : spec.cards;
    return `${fields} in ${spec.groups}`;
}

/** Configuration of {@link maxGpusPerStack}. */
export type MaxGpusPerStackConfig = {
    /** The most GPU cards all jobs of one stack may request together. */
    maxGpus: number;
    /** GPU cards per instance of specs the pack does not list (TI-ONE `instanceType`). */
    instanceTypeCards: Record<string, number>;
};

/** At most `maxGpus` GPU cards across every job in the stack, on every cloud. */
export const maxGpusPerStack: StackGuardDefinition<MaxGpusPerStackConfig> = {
    scope: "stack",
    key: "maxGpusPerStack",
    name: "max-gpus-per-stack",
    displayName: "GPU budget per stack",
    description: "All training jobs of a stack together may request at most the configured number of GPU cards.",
    severity: "high",
    tags: ["cost", "gpu"],
    remediationSteps:
        "Remove or shrink jobs, split the work across stacks with separate budgets, or raise maxGpusPerStack.maxGpus.",
    defaultLevel: "advisory",
    defaults: { maxGpus: 32, instanceTypeCards: {} },
    schema: {
        maxGpus: { type: "number", minimum: 0, description: "The most GPU cards all jobs of one stack may request together." },
        instanceTypeCards: INSTANCE_TYPE_CARDS_SCHEMA,
    },
    aspects: ["gpus"],
    validateStack({ config, resources }, reportViolation) {
        let total = 0;
        let complete = true;
        const contributions: { name: string; cards: number }[] = [];
        const unknown: string[] = [];
        for (const { resource, kind } of resources) {
            const request = countGpus(kind.gpus!, resource.props, config.instanceTypeCards);
            complete = complete && request.complete;
            unknown.push(...request.unknownSpecs.map((u) => `${resource.name}: ${u.spec}`));
            if (request.cards > 0) {
                total += request.cards;
                contributions.push({ name: resource.name, cards: request.cards });
            }
        }
        if (unknown.length) {
            reportViolation(
                `the stack's GPU total cannot be counted: instance types whose GPU count the pack does not know (${unknown.join(", ")}). ` +
                    "Add each type's cards per instance to maxGpusPerStack.instanceTypeCards, or use a listed type.",
            );
        }
        if (total <= config.maxGpus) {
            return;
        }
        contributions.sort((a, b) => b.cards - a.cards);
        const listed = contributions.map((c) => `${c.name}: ${formatNumber(c.cards)}`).join(", ");
        reportViolation(
            `the stack's training jobs request ${complete ? "" : "at least "}${formatNumber(total)} GPU cards ` +
                `across ${contributions.length} jobs (${listed}); the limit is ${formatNumber(config.maxGpus)} per stack. ` +
                `Remove or shrink jobs to bring the total to ${formatNumber(config.maxGpus)} or fewer, or raise maxGpusPerStack.maxGpus.`,
        );
    },
};
