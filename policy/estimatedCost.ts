/**
 * Cost guardrail: an estimated cost per job and per stack, from the pack's price table.
 *
 * **The formula** (documented in `policy/README.md`, "max-estimated-cost"):
 *
 * - Jobs billed by the hour (TI-ONE, PolarDB AIDB, Alaya; `cost.basis: "hours"` in the kinds
 *   table): for each resource group, `price × count × hours × (1 + retries)`, where
 *   - `price` is the first of the group's priced fields that the table prices (TI-ONE
 *     `instanceType` per instance-hour, else `gpuType` per card-hour; Alaya `productCode` per
 *     worker-hour, else `gpuName` per card-hour; PolarDB `dbInstanceClass` per node-hour);
 *   - `count` is the group's instances (`instanceNum`, `workerCount`; 1 when absent) for an
 *     instance price, or its GPU cards (as the GPU budgets count them) for a card price;
 *   - `hours` is the runtime bound: Alaya's cloud-enforced `timeoutHours` (with
 *     `enableTimeoutCancel`), else the wait deadline `completionTimeoutMinutes / 60` (default
 *     1440 minutes). Without `stopAtDeadline` the wait deadline bounds the wait, not the bill, and
 *     the message says so;
 *   - `retries` is Alaya's `maxRetryCount` when `enableAutoRetry` is on (each retry may run to the
 *     timeout again).
 * - Bailian fine-tunes (`cost.basis: "tokens"`): `tokens × epochs × price / 1000`, where `price`
 *   is the model's price per 1,000 training tokens and `tokens` is the summed `sizeBytes` of the
 *   training files divided by `bytesPerToken`. A file counts only when it is a `bailian.File` of
 *   the same stack: a stack policy sees the File's outputs (its `sizeBytes` once uploaded) and
 *   which File a job's `trainingFileIds` came from (property dependencies).
 *
 * What it cannot see, and says so instead of counting zero: a price missing from the table, a
 * job without a runtime bound (`waitForCompletion: false`, Alaya without timeout cancel), values
 * unknown at preview, a file id that is not a `bailian.File` of the stack, and a File not yet
 * uploaded (its size is known from the first `up` on). Unknown prices and sizes are never zero.
 *
 * It is a stack policy because the fine-tune estimate needs the stack's Files. Stack policies run
 * at the end of a preview (so `pulumi up`, which previews first, stops before submitting), but
 * after the steps of an update run with `--skip-preview`.
 *
 * @module
 */

import type { EnforcementLevel, PolicyResource, ReportViolation } from "@pulumi/policy";
import { formatNumber, lookupPattern, PolicyConfigError } from "./config";
import type { StackGuardDefinition } from "./guard";
import { countGpus } from "./gpuBudget";
import { type CostSpec, type TrainingKind, retriesOf } from "./kinds";
import { PropRead, readAll, readFirst, readItems, readOne, toBoolean, toNumber, toText } from "./props";

/** What to do when an estimate is incomplete (a price, a size or a bound unknown). */
export type OnUnknownCost = "fail" | "warn";
const ON_UNKNOWN: readonly OnUnknownCost[] = ["fail", "warn"];

/** Configuration of {@link maxEstimatedCost}. Amounts are in whatever currency the price table uses. */
export type MaxEstimatedCostConfig = {
    /**
     * Price per hour of one unit, keyed by what is priced: TI-ONE `instanceType` (per instance)
     * or `gpuType` (per card), Alaya `productCode` (per worker) or `gpuName` (per card), PolarDB
     * `dbInstanceClass` (per node). Keys may use `*` wildcards (case-insensitive); an exact key
     * wins over a pattern, a longer pattern over a shorter one. Default: empty (every price unknown).
     */
    hourlyPrices: Record<string, number>;
    /** Price per 1,000 training tokens, keyed by Bailian base model (`*` wildcards). Default: empty. */
    tokenPrices: Record<string, number>;
    /**
     * Bytes of dataset file per training token, to turn a file's size into tokens. Default 4: a rough
     * figure for JSONL chat data (DashScope documents no ratio); lower it to estimate higher.
     */
    bytesPerToken: number;
    /** The most one job may cost (estimate, table currency); 0 (default) sets no per-job limit. */
    maxPerJob: number;
    /** The most all jobs of the stack may cost together (estimate); 0 (default) sets no stack limit. */
    maxPerStack: number;
    /**
     * When a limit is set and an estimate is incomplete: `fail` (default) reports it at the
     * policy's level (a mandatory limit then stops the update), `warn` reports it as advisory.
     */
    onUnknown: string;
    /** Also report every job's estimate and the stack total as an advisory note, within limits too. Default false. */
    reportEstimates: boolean;
};

/** The estimate of one job. */
export interface JobEstimate {
    /** The resource. */
    resource: PolicyResource;
    /** Its kinds-table row. */
    kind: TrainingKind;
    /** The known part of the cost; a lower bound when `unknowns` is not empty. */
    cost: number;
    /** How the known part was computed, per group, for messages. */
    parts: string[];
    /** Why the estimate is incomplete (empty when complete). */
    unknowns: string[];
    /** A note on the runtime bound (e.g. a wait deadline that does not stop the job). */
    boundNote?: string;
}

/** A dataset file of the stack, by id and by URN. */
interface DatasetFile {
    resource: PolicyResource;
    id?: string;
    sizeBytes?: number;
}

function known(read: PropRead): unknown {
    return read.status === "known" ? read.value : undefined;
}

/** The runtime bound in hours, a note about it, or why there is none. */
function runtimeBound(kind: TrainingKind, props: unknown): { hours?: number; note?: string; unknown?: string } {
    const cancel = kind.timeoutCancel;
    if (cancel) {
        const enabled = readOne(props, cancel.enabledPath);
        const hours = readOne(props, cancel.hoursPath);
        if (enabled.status === "unknown" || hours.status === "unknown") return { unknown: `${cancel.enabledPath}/${cancel.hoursPath} unknown at preview` };
        if (toBoolean(known(enabled)) !== true) return { unknown: `no runtime bound (${cancel.enabledPath} is off, so the service never stops a run)` };
        const h = toNumber(known(hours));
        if (h === undefined || h <= 0) return { unknown: `no runtime bound (${cancel.hoursPath} not set)` };
        return { hours: h, note: `${formatNumber(h)} h (${cancel.hoursPath}, enforced by the service)` };
    }
    const wait = kind.completionWait;
    if (!wait) return { unknown: "no runtime bound" };
    const waits = readOne(props, wait.waitPath);
    const minutes = readOne(props, wait.timeoutMinutesPath);
    if (waits.status === "unknown" || minutes.status === "unknown") return { unknown: `${wait.waitPath}/${wait.timeoutMinutesPath} unknown at preview` };
    if ((waits.status === "absent" ? wait.waitDefault : toBoolean(waits.value)) === false) {
        return { unknown: `no runtime bound (${wait.waitPath}: false, so nothing bounds the job)` };
    }
    const m = minutes.status === "absent" ? wait.timeoutMinutesDefault : toNumber(minutes.value);
    if (m === undefined) return { unknown: `${wait.timeoutMinutesPath} is not a number` };
    const stops = wait.stopPath !== undefined && toBoolean(known(readOne(props, wait.stopPath))) === true;
    const source = minutes.status === "absent" ? `${wait.timeoutMinutesPath} default ${formatNumber(m)} min` : `${wait.timeoutMinutesPath} ${formatNumber(m)} min`;
    const note = stops
        ? `${formatNumber(m / 60)} h (${source}; ${wait.stopPath} stops the job there)`
        : `${formatNumber(m / 60)} h (${source}; a wait deadline, not a stop: the job can bill beyond it${wait.stopPath ? ` unless ${wait.stopPath}: true` : ""})`;
    return { hours: m / 60, note };
}

/** The retry factor `1 + retries`, or why it is unknown. */
function retryFactor(kind: TrainingKind, props: unknown): { factor: number; unknown?: string } {
    const spec = kind.retries;
    if (!spec) return { factor: 1 };
    if (spec.enabledPath) {
        const enabled = readOne(props, spec.enabledPath);
        if (enabled.status === "unknown") return { factor: 1, unknown: `${spec.enabledPath} unknown at preview` };
        if (toBoolean(known(enabled)) !== true) return { factor: 1 };
    }
    const read = readOne(props, spec.countPath);
    if (read.status === "unknown") return { factor: 1, unknown: `${spec.countPath} unknown at preview` };
    const count = toNumber(known(read));
    // The provider's retry.maxAttempts defaults to one attempt; a cloud's switch without a count leaves it to the cloud.
    if (count === undefined) return spec.enabledPath ? { factor: 1, unknown: `${spec.enabledPath} without ${spec.countPath}: the service's retry count is unknown` } : { factor: 1 };
    return { factor: 1 + retriesOf(spec, count) };
}

/** Estimates a job billed by the hour. */
function estimateHours(spec: Extract<CostSpec, { basis: "hours" }>, kind: TrainingKind, resource: PolicyResource, config: MaxEstimatedCostConfig): JobEstimate {
    const props = resource.props;
    const estimate: JobEstimate = { resource, kind, cost: 0, parts: [], unknowns: [] };
    const bound = runtimeBound(kind, props);
    const retries = retryFactor(kind, props);
    if (bound.unknown) estimate.unknowns.push(bound.unknown);
    if (retries.unknown) estimate.unknowns.push(retries.unknown);
    estimate.boundNote = bound.note;
    const groups: PropRead[] = spec.groups ? readItems(props, spec.groups) : [{ status: "known", path: "", value: props, secret: false }];
    for (const group of groups) {
        if (group.status !== "known") {
            if (group.status === "unknown") estimate.unknowns.push(`${group.path} unknown at preview`);
            continue;
        }
        const where = (field: string) => (group.path ? `${group.path}.${field}` : field);
        const unitsRead = spec.units ? readOne(group.value, spec.units) : undefined;
        if (unitsRead?.status === "unknown") estimate.unknowns.push(`${where(spec.units!)} unknown at preview`);
        const units = unitsRead?.status === "known" ? (toNumber(unitsRead.value) ?? 1) : 1;
        const seen: string[] = [];
        let priced = false;
        for (const field of spec.priced) {
            const read = readOne(group.value, field.field);
            if (read.status === "unknown") {
                seen.push(`${where(field.field)} unknown at preview`);
                continue;
            }
            const value = read.status === "known" ? toText(read.value) : undefined;
            if (value === undefined) continue;
            const price = lookupPattern(config.hourlyPrices, value);
            if (!price) {
                seen.push(`no price for ${field.field} '${value}'`);
                continue;
            }
            let count = units;
            let unitWord = units === 1 ? "instance" : "instances";
            if (field.unit === "card") {
                const cards = kind.gpus ? countGpus({ ...kind.gpus, groups: "g" }, { g: group.value }) : undefined;
                if (!cards || !cards.complete || cards.unknownSpecs.length) {
                    seen.push(`GPU cards of ${group.path || "the job"} unknown`);
                    continue;
                }
                count = cards.cards;
                unitWord = count === 1 ? "card" : "cards";
            }
            priced = true;
            if (bound.hours !== undefined) {
                const cost = price.price * count * bound.hours * retries.factor;
                estimate.cost += cost;
                const retryText = retries.factor > 1 ? ` × ${formatNumber(retries.factor)} (1 + retries)` : "";
                estimate.parts.push(
                    `${where(field.field)} '${value}': ${formatNumber(price.price)}/h ('${price.key}') × ${formatNumber(count)} ${unitWord} × ${formatNumber(bound.hours)} h${retryText} = ${formatNumber(cost)}`,
                );
            }
            break;
        }
        if (!priced) {
            const fields = spec.priced.map((f) => f.field).join(" or ");
            estimate.unknowns.push(seen.length ? `${seen.join(", ")} (${group.path || "the job"})` : `${group.path ? `${group.path} names no ${fields}` : `no ${fields} set, so the service picks the machine and its price is unknown`}`);
        }
    }
    return estimate;
}

/** Estimates a fine-tune billed by tokens, from the stack's dataset files. */
function estimateTokens(
    spec: Extract<CostSpec, { basis: "tokens" }>,
    kind: TrainingKind,
    resource: PolicyResource,
    files: readonly DatasetFile[],
    config: MaxEstimatedCostConfig,
): JobEstimate {
    const props = resource.props;
    const estimate: JobEstimate = { resource, kind, cost: 0, parts: [], unknowns: [] };
    const modelRead = readOne(props, spec.modelPath);
    const model = toText(known(modelRead));
    const price = model === undefined ? undefined : lookupPattern(config.tokenPrices, model);
    if (modelRead.status === "unknown") estimate.unknowns.push(`${spec.modelPath} unknown at preview`);
    else if (model !== undefined && !price) estimate.unknowns.push(`no token price for model '${model}'`);
    const epochsRead = kind.fineTune ? readFirst(props, kind.fineTune.epochsPaths) : undefined;
    const epochs = epochsRead ? toNumber(known(epochsRead)) : undefined;
    if (epochs === undefined) estimate.unknowns.push(epochsRead?.status === "unknown" ? `${epochsRead.path} unknown at preview` : "epoch count not set");

    const used = new Map<string, DatasetFile>();
    let sized = true;
    for (const path of spec.fileIdPaths) {
        for (const read of readAll(props, path)) {
            if (read.status === "absent") continue;
            if (read.status === "known") {
                const id = toText(read.value);
                const file = files.find((f) => f.id !== undefined && f.id === id);
                if (file) used.set(file.resource.urn, file);
                else if (id !== undefined) {
                    sized = false;
                    estimate.unknowns.push(`training file '${id}' (${read.path}) is not a bailian.File of this stack, so its size cannot be seen`);
                }
                continue;
            }
            // Unknown at preview: the id is an output of a File being created; the property dependency names it.
            const top = path.split(/[.[]/)[0];
            const deps = (resource.propertyDependencies?.[top] ?? []).map((d) => files.find((f) => f.resource.urn === d.urn)).filter((f): f is DatasetFile => f !== undefined);
            if (deps.length === 0) {
                sized = false;
                estimate.unknowns.push(`${read.path} unknown at preview and not traced to a bailian.File of this stack`);
            }
            for (const f of deps) used.set(f.resource.urn, f);
        }
    }
    let bytes = 0;
    for (const file of used.values()) {
        if (file.sizeBytes === undefined) {
            sized = false;
            estimate.unknowns.push(`bailian.File '${file.resource.name}' is not uploaded yet, so its size is unknown until the first up`);
        } else bytes += file.sizeBytes;
    }
    if (used.size === 0 && sized) {
        // Only OSS-mounted datasets (trainingDatasets[].mountStorage), or none: their size is not in the stack.
        estimate.unknowns.push(`no training file id in ${spec.fileIdPaths.join(" or ")} (an OSS-mounted dataset's size cannot be seen)`);
    }
    if (price && epochs !== undefined && sized && used.size > 0) {
        const tokens = bytes / config.bytesPerToken;
        estimate.cost = (tokens * epochs * price.price) / 1000;
        estimate.parts.push(
            `${formatNumber(bytes)} bytes / ${formatNumber(config.bytesPerToken)} bytes per token ≈ ${formatNumber(tokens)} tokens × ${formatNumber(epochs)} epochs × ${formatNumber(price.price)} per 1,000 tokens ('${price.key}') = ${formatNumber(estimate.cost)}`,
        );
    }
    return estimate;
}

/** The dataset files of the stack, with what their outputs say. */
function datasetFiles(resources: readonly { resource: PolicyResource; kind: TrainingKind }[]): DatasetFile[] {
    return resources
        .filter((r) => r.kind.datasetFile)
        .map(({ resource, kind }) => ({
            resource,
            id: toText(known(readOne(resource.props, kind.datasetFile!.idPath))),
            sizeBytes: toNumber(known(readOne(resource.props, kind.datasetFile!.sizeBytesPath))),
        }));
}

/** Estimates every job of the stack. */
export function estimateStack(resources: readonly { resource: PolicyResource; kind: TrainingKind }[], config: MaxEstimatedCostConfig): JobEstimate[] {
    const files = datasetFiles(resources);
    return resources
        .filter((r) => r.kind.cost)
        .map(({ resource, kind }) =>
            kind.cost!.basis === "hours"
                ? estimateHours(kind.cost!, kind, resource, config)
                : estimateTokens(kind.cost!, kind, resource, files, config),
        );
}

/** "2400 (…)" or "at least 2400 (…); unknown: …" for one job. */
export function describeEstimate(e: JobEstimate): string {
    const bound = e.boundNote ? `; runtime bound ${e.boundNote}` : "";
    const parts = e.parts.length ? ` (${e.parts.join("; ")}${bound})` : bound ? ` (${bound.slice(2)})` : "";
    if (e.unknowns.length === 0) return `${formatNumber(e.cost)}${parts}`;
    const lower = e.parts.length ? `at least ${formatNumber(e.cost)}${parts}, ` : "";
    return `${lower}unknown: ${e.unknowns.join("; ")}`;
}

function checkedOnUnknown(config: MaxEstimatedCostConfig): OnUnknownCost {
    if (!ON_UNKNOWN.includes(config.onUnknown as OnUnknownCost)) {
        throw new PolicyConfigError("max-estimated-cost", "onUnknown", `one of ${ON_UNKNOWN.map((a) => `'${a}'`).join(", ")}`, config.onUnknown);
    }
    return config.onUnknown as OnUnknownCost;
}

const DESCRIPTION = "The estimated cost of each training job and of the stack must stay within the configured limits.";

/** Reports at a given level (the object form carries its own level and URN). */
function report(reportViolation: ReportViolation, message: string, urn: string | undefined, level?: EnforcementLevel): void {
    if (level === undefined) {
        reportViolation(message, urn);
        return;
    }
    (reportViolation as unknown as (v: object) => void)({ message: `${DESCRIPTION}\n${message}`, urn, enforcementLevel: level });
}

const PRICE_HINT = "Add the missing prices to maxEstimatedCost.hourlyPrices (per hour) or maxEstimatedCost.tokenPrices (per 1,000 tokens)";

/** At most `maxPerJob` per job and `maxPerStack` per stack, by the documented estimate. */
export const maxEstimatedCost: StackGuardDefinition<MaxEstimatedCostConfig> = {
    scope: "stack",
    key: "maxEstimatedCost",
    name: "max-estimated-cost",
    displayName: "Estimated cost per job and per stack",
    description: DESCRIPTION,
    severity: "high",
    tags: ["cost"],
    remediationSteps:
        "Use fewer or cheaper instances or cards, a shorter runtime bound (completionTimeoutMinutes with stopAtDeadline, or timeoutHours), fewer epochs or a smaller dataset; or raise maxEstimatedCost.maxPerJob / maxPerStack.",
    defaultLevel: "advisory",
    defaults: { hourlyPrices: {}, tokenPrices: {}, bytesPerToken: 4, maxPerJob: 0, maxPerStack: 0, onUnknown: "fail", reportEstimates: false },
    schema: {
        hourlyPrices: {
            type: "object",
            additionalProperties: { type: "number", minimum: 0 },
            description: "Price per hour by instance type / GPU type / product code / node class (`*` wildcards): per instance for instance types, product codes and node classes, per card for GPU types.",
        },
        tokenPrices: {
            type: "object",
            additionalProperties: { type: "number", minimum: 0 },
            description: "Price per 1,000 training tokens by Bailian base model (`*` wildcards).",
        },
        bytesPerToken: { type: "number", exclusiveMinimum: 0, description: "Dataset bytes per training token (default 4, a rough figure)." },
        maxPerJob: { type: "number", minimum: 0, description: "The most one job may cost by the estimate, in the price table's currency; 0: no limit." },
        maxPerStack: { type: "number", minimum: 0, description: "The most all jobs of a stack may cost together by the estimate; 0: no limit." },
        onUnknown: { type: "string", enum: [...ON_UNKNOWN], description: "When a limit is set and an estimate is incomplete: fail (report at the policy's level) or warn (advisory)." },
        reportEstimates: { type: "boolean", description: "Also report each job's estimate and the stack total as advisory notes." },
    },
    aspects: ["cost", "datasetFile"],
    validateStack({ config, resources }, reportViolation) {
        const onUnknown = checkedOnUnknown(config);
        const estimates = estimateStack(resources, config);
        const limited = config.maxPerJob > 0 || config.maxPerStack > 0;
        const unknownLevel: EnforcementLevel | undefined = onUnknown === "warn" ? "advisory" : undefined;
        for (const e of estimates) {
            const who = `${e.kind.label} '${e.resource.name}'`;
            if (e.unknowns.length && limited) {
                report(
                    reportViolation,
                    `${who}: estimated cost ${describeEstimate(e)}. The limit cannot be judged, so it is not passed: ${PRICE_HINT}, bound the job's runtime, or declare its dataset as a bailian.File of the stack.`,
                    e.resource.urn,
                    unknownLevel,
                );
            } else if (config.maxPerJob > 0 && e.cost > config.maxPerJob) {
                report(
                    reportViolation,
                    `${who} is estimated at ${describeEstimate(e)}; the limit is ${formatNumber(config.maxPerJob)} per job. ` +
                        "Use fewer or cheaper instances, a shorter runtime bound or fewer epochs, or raise maxEstimatedCost.maxPerJob.",
                    e.resource.urn,
                );
            } else if (config.reportEstimates) {
                report(reportViolation, `${who}: estimated cost ${describeEstimate(e)}.`, e.resource.urn, "advisory");
            }
        }
        const total = estimates.reduce((sum, e) => sum + e.cost, 0);
        const incomplete = estimates.filter((e) => e.unknowns.length > 0);
        const listed = [...estimates].sort((a, b) => b.cost - a.cost).map((e) => `${e.resource.name}: ${e.unknowns.length ? (e.parts.length ? `at least ${formatNumber(e.cost)}` : "unknown") : formatNumber(e.cost)}`).join(", ");
        const totalText = `${incomplete.length ? "at least " : ""}${formatNumber(total)} across ${estimates.length} jobs (${listed})`;
        if (config.maxPerStack > 0 && total > config.maxPerStack) {
            reportViolation(
                `the stack's training jobs are estimated at ${totalText}; the limit is ${formatNumber(config.maxPerStack)} per stack. ` +
                    "Remove or shrink jobs, or raise maxEstimatedCost.maxPerStack.",
            );
        } else if (config.maxPerStack > 0 && incomplete.length) {
            report(
                reportViolation,
                `the stack's estimated cost is ${totalText}; ${incomplete.length} of them cannot be estimated (see each job), so the limit of ${formatNumber(config.maxPerStack)} per stack cannot be judged. ${PRICE_HINT}.`,
                undefined,
                unknownLevel,
            );
        } else if (config.reportEstimates && estimates.length) {
            report(reportViolation, `the stack's training jobs are estimated at ${totalText}.`, undefined, "advisory");
        }
    },
};
