/**
 * The guardrail registry and the typed pack-args helper, in the manner of AWSGuard.
 *
 * A team builds its own pack from ours with one object:
 *
 * ```typescript
 * import { PolicyPack } from "@pulumi/policy";
 * import { trainingGuardPackArgs } from "pulumi-training/policy";
 *
 * new PolicyPack("ml-team-guardrails", trainingGuardPackArgs({
 *     all: "mandatory",
 *     maxGpusPerJob: { maxGpus: 8 },
 *     maxEstimatedCost: { hourlyPrices: { "TI.GN7.*": 30 }, maxPerJob: 5000, enforcementLevel: "mandatory" },
 *     requiredTags: { requiredTags: ["cost-center", "owner", "project"] },
 *     chargeType: "disabled",
 * }));
 * ```
 *
 * Each key is a guardrail; its value is an enforcement level, or its settings with an optional
 * `enforcementLevel`. `all` sets the level of every guardrail not given one. Settings replace the
 * built-in defaults; configuration sent by the engine (`--policy-pack-config`) still wins over both.
 *
 * Importing this module never starts a policy pack; only `policy/index.ts` does.
 *
 * @module
 */

import type { EnforcementLevel, PolicyPackArgs } from "@pulumi/policy";
import { allowedComputeTypes } from "./allowedCompute";
import { allowedRegions } from "./allowedRegions";
import { approvedImages } from "./approvedImages";
import { chargeType } from "./chargeType";
import { GuardConfig } from "./config";
import { maxEstimatedCost } from "./estimatedCost";
import { fineTuneBudget } from "./fineTuneBudget";
import { maxGpusPerJob, maxGpusPerStack } from "./gpuBudget";
import { buildPolicy, effectiveSettings, GuardDefinition, GuardPolicy } from "./guard";
import { TRAINING_KINDS, TrainingKind } from "./kinds";
import { privateNetworking } from "./privateNetworking";
import { requiredTags } from "./requiredTags";
import { boundedRetries, boundedRuntime } from "./runtimeBounds";
import { noPlaintextSecretEnv } from "./secretEnv";

/** The name of the pack `policy/index.ts` serves. */
export const TRAINING_GUARD_PACK_NAME = "pulumi-training-guardrails";

/** Every guardrail, by its key. Adding a guardrail means adding it here (and to the README). */
export const TRAINING_GUARDS = {
    maxGpusPerJob,
    maxGpusPerStack,
    maxEstimatedCost,
    allowedComputeTypes,
    boundedRuntime,
    boundedRetries,
    fineTuneBudget,
    allowedRegions,
    privateNetworking,
    requiredTags,
    approvedImages,
    noPlaintextSecretEnv,
    chargeType,
} as const;

/** The key of a guardrail (`maxGpusPerJob`, ...). */
export type TrainingGuardKey = keyof typeof TRAINING_GUARDS;

/** The configuration type of a guardrail. */
export type TrainingGuardConfig<K extends TrainingGuardKey> = (typeof TRAINING_GUARDS)[K] extends GuardDefinition<infer C> ? C : never;

/** A guardrail's setting: an enforcement level, or settings with an optional enforcement level. */
export type GuardSetting<C> = EnforcementLevel | (Partial<C> & { enforcementLevel?: EnforcementLevel });

/** The one object a team writes to build its pack: `all` plus a setting per guardrail. */
export type TrainingGuardArgs = {
    /** The enforcement level of every guardrail not given one explicitly. */
    all?: EnforcementLevel;
} & { [K in TrainingGuardKey]?: GuardSetting<TrainingGuardConfig<K>> };

/** Options that are not guardrail settings. */
export interface TrainingGuardOptions {
    /** The kinds table to match resources against (defaults to {@link TRAINING_KINDS}). */
    kinds?: readonly TrainingKind[];
}

const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

function checkLevel(where: string, level: unknown): EnforcementLevel | undefined {
    if (level === undefined) {
        return undefined;
    }
    if (!ENFORCEMENT_LEVELS.includes(level as EnforcementLevel)) {
        throw new Error(`${where}: enforcement level must be one of ${ENFORCEMENT_LEVELS.join(", ")}, got ${JSON.stringify(level)}`);
    }
    return level as EnforcementLevel;
}

function checkKeys(args: object): void {
    const known = new Set<string>(["all", ...Object.keys(TRAINING_GUARDS)]);
    for (const key of Object.keys(args)) {
        if (!known.has(key)) {
            throw new Error(`unknown guardrail '${key}'; the guardrails are ${Object.keys(TRAINING_GUARDS).join(", ")}`);
        }
    }
}

/** Splits a setting into the requested level and the configuration. */
function splitSetting(
    key: string,
    setting: GuardSetting<GuardConfig> | undefined,
    all: EnforcementLevel | undefined,
): { enforcementLevel?: EnforcementLevel; config: Partial<GuardConfig> } {
    if (setting === undefined) {
        return { enforcementLevel: all, config: {} };
    }
    if (typeof setting === "string") {
        return { enforcementLevel: checkLevel(key, setting), config: {} };
    }
    const { enforcementLevel, ...config } = setting;
    return { enforcementLevel: checkLevel(key, enforcementLevel) ?? all, config };
}

function eachGuard(): [TrainingGuardKey, GuardDefinition<GuardConfig>][] {
    return Object.entries(TRAINING_GUARDS) as unknown as [TrainingGuardKey, GuardDefinition<GuardConfig>][];
}

/**
 * The pack's policies with levels and settings applied.
 *
 * @param args `all` and per-guardrail settings; omitted guardrails keep their defaults
 * @param options the kinds table to match (for kinds not yet in {@link TRAINING_KINDS})
 * @returns one policy per guardrail, in registry order (disabled ones included, as `disabled`)
 */
export function trainingGuardPolicies(args: TrainingGuardArgs = {}, options: TrainingGuardOptions = {}): GuardPolicy[] {
    checkKeys(args);
    const all = checkLevel("all", args.all);
    const settings = args as Record<string, GuardSetting<GuardConfig> | undefined>;
    return eachGuard().map(([key, def]) => buildPolicy(def, splitSetting(key, settings[key], all), options.kinds ?? TRAINING_KINDS));
}

/** Each guardrail's effective level and settings for the given args (the defaults when called without). */
export function trainingGuardSettings(
    args: TrainingGuardArgs = {},
): { [K in TrainingGuardKey]: { enforcementLevel: EnforcementLevel } & TrainingGuardConfig<K> } {
    checkKeys(args);
    const all = checkLevel("all", args.all);
    const settings = args as Record<string, GuardSetting<GuardConfig> | undefined>;
    const result: Record<string, unknown> = {};
    for (const [key, def] of eachGuard()) {
        const { enforcementLevel, defaults } = effectiveSettings(def, splitSetting(key, settings[key], all));
        result[key] = { enforcementLevel, ...defaults };
    }
    return result as { [K in TrainingGuardKey]: { enforcementLevel: EnforcementLevel } & TrainingGuardConfig<K> };
}

/** The built-in defaults of every guardrail: level and settings. */
export const TRAINING_GUARD_DEFAULTS = trainingGuardSettings();

/**
 * Everything `new PolicyPack(name, ...)` needs: the policies with settings applied, and the pack's
 * description, display name and tags.
 */
export function trainingGuardPackArgs(args: TrainingGuardArgs = {}, options: TrainingGuardOptions = {}): PolicyPackArgs {
    return {
        policies: trainingGuardPolicies(args, options),
        displayName: "ML training guardrails",
        description:
            "Cost and security guardrails for ML training jobs on Tencent TI-ONE, Alibaba PolarDB AIDB, Alibaba Model Studio (Bailian) and Alaya NeW.",
        tags: ["ml-training", "cost", "security"],
    };
}
