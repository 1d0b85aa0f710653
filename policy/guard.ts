/**
 * The shape every guardrail in this pack shares, and the one function that turns a guardrail
 * definition into a `@pulumi/policy` policy object.
 *
 * A definition carries the metadata (name, description, severity, default enforcement level),
 * its configuration defaults and JSON schema, the {@link KindAspect | aspects} of the kinds table
 * it reads, and a validation function that receives the resolved configuration and the matched
 * kind row. {@link buildPolicy} does the rest once for all policies: type matching against the
 * table (`notApplicable` for other resources), merging configuration defaults in code, stamping
 * the effective defaults into the schema, and applying enforcement-level overrides.
 *
 * @module
 */

import type {
    EnforcementLevel,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { GuardConfig, resolveConfig } from "./config";
import { describeKinds, findKind, KindAspect, kindsWithAnyAspect, TRAINING_KINDS, TrainingKind } from "./kinds";

/** What a guardrail sees when it validates one resource. */
export interface ResourceGuardContext<C extends GuardConfig> {
    /** The configuration: defaults merged with what the engine sent. */
    config: C;
    /** The kinds-table row of the resource. */
    kind: TrainingKind;
    /** The resource inputs (read them with the helpers in `props.ts`). */
    props: Record<string, unknown>;
    /** The raw validation arguments (urn, name, options). */
    args: ResourceValidationArgs;
}

/** One resource of the stack that a stack guardrail applies to, with its kinds-table row. */
export interface StackGuardResource {
    /** The resource as `@pulumi/policy` passes it. */
    resource: PolicyResource;
    /** Its kinds-table row. */
    kind: TrainingKind;
}

/** What a stack guardrail sees. */
export interface StackGuardContext<C extends GuardConfig> {
    /** The configuration: defaults merged with what the engine sent. */
    config: C;
    /** The stack's resources that have at least one of the guardrail's aspects. */
    resources: StackGuardResource[];
    /** The raw validation arguments. */
    args: StackValidationArgs;
}

/** How a requested enforcement level maps onto the level and configuration a guardrail really needs. */
export interface LevelAdaptation<C extends GuardConfig> {
    /** The level given to `@pulumi/policy`. */
    enforcementLevel: EnforcementLevel;
    /** Configuration that goes with it (overridden by explicit configuration). */
    config?: Partial<C>;
}

/** Metadata and configuration shared by resource and stack guardrails. */
interface GuardBase<C extends GuardConfig> {
    /** The key in {@link TrainingGuardArgs}, camelCase (`maxGpusPerJob`). */
    key: string;
    /** The policy name the engine shows and `--policy-pack-config` uses, kebab-case. */
    name: string;
    /** A short title. */
    displayName: string;
    /** One sentence: what the policy requires. Prefixed to every violation message. */
    description: string;
    /** How bad a violation is. */
    severity: Severity;
    /** Topics, e.g. `cost`, `security`. */
    tags: string[];
    /** What to do about a violation, in general terms. */
    remediationSteps: string;
    /** The enforcement level when nobody overrides it. */
    defaultLevel: EnforcementLevel;
    /** Configuration defaults, applied in code. */
    defaults: C;
    /** JSON schema of each configuration key (the effective default is stamped in by {@link buildPolicy}). */
    schema: { [K in keyof C]: PolicyConfigJSONSchema };
    /** The kinds-table aspects this guardrail reads; kinds with none of them are not applicable. */
    aspects: KindAspect[];
    /**
     * Optional: translate a requested level into what this guardrail needs to honour it (see the
     * plaintext-secret policy, which can only see secretness during remediation).
     */
    adaptLevel?: (requested: EnforcementLevel) => LevelAdaptation<C>;
}

/** A guardrail that validates one resource at a time. */
export interface ResourceGuardDefinition<C extends GuardConfig> extends GuardBase<C> {
    /** Discriminator. */
    scope: "resource";
    /** Reports violations for one resource of a matching kind. */
    validate(ctx: ResourceGuardContext<C>, reportViolation: ReportViolation): void;
    /** Optional remediation; returns the new inputs, or `undefined` to leave them alone. */
    remediate?(ctx: ResourceGuardContext<C>): Record<string, unknown> | undefined;
}

/** A guardrail that validates the whole stack. */
export interface StackGuardDefinition<C extends GuardConfig> extends GuardBase<C> {
    /** Discriminator. */
    scope: "stack";
    /** Reports violations for the stack. */
    validateStack(ctx: StackGuardContext<C>, reportViolation: ReportViolation): void;
}

/** Any guardrail definition. */
export type GuardDefinition<C extends GuardConfig> = ResourceGuardDefinition<C> | StackGuardDefinition<C>;

/** Overrides applied when building a policy: a level, configuration, or both. */
export interface GuardOverrides<C extends GuardConfig> {
    /** The requested enforcement level. */
    enforcementLevel?: EnforcementLevel;
    /** Configuration replacing the built-in defaults (the engine's `Configure` still wins). */
    config?: Partial<C>;
}

/** A policy object this pack produces. */
export type GuardPolicy = ResourceValidationPolicy | StackValidationPolicy;

/** The effective level and defaults after overrides and level adaptation. */
export function effectiveSettings<C extends GuardConfig>(
    def: GuardDefinition<C>,
    overrides: GuardOverrides<C> = {},
): { enforcementLevel: EnforcementLevel; defaults: C } {
    const requested = overrides.enforcementLevel ?? def.defaultLevel;
    const adapted: LevelAdaptation<C> = def.adaptLevel ? def.adaptLevel(requested) : { enforcementLevel: requested };
    const merged = { ...def.defaults, ...adapted.config } as C;
    const requestedConfig: Record<string, unknown> = overrides.config ?? {};
    const explicit = resolveConfig(def.name, def.defaults, requestedConfig);
    for (const key of Object.keys(requestedConfig)) {
        if (requestedConfig[key] === undefined) {
            continue;
        }
        if (!(key in def.defaults)) {
            throw new Error(
                `policy '${def.name}' (${def.key}) has no setting '${key}'; its settings are ${Object.keys(def.defaults).join(", ")}`,
            );
        }
        (merged as GuardConfig)[key] = explicit[key];
    }
    return { enforcementLevel: adapted.enforcementLevel, defaults: merged };
}

function schemaWithDefaults<C extends GuardConfig>(def: GuardDefinition<C>, defaults: C) {
    const properties: Record<string, PolicyConfigJSONSchema> = {};
    for (const key of Object.keys(def.schema) as (keyof C & string)[]) {
        properties[key] = { ...def.schema[key], default: defaults[key] };
    }
    return { properties };
}

function notApplicableReason(aspects: readonly KindAspect[], kinds: readonly TrainingKind[]): string {
    return `applies only to ${describeKinds(kindsWithAnyAspect(aspects, kinds))}`;
}

/**
 * Builds the `@pulumi/policy` object for a guardrail, with overrides applied.
 *
 * @param def the guardrail definition
 * @param overrides a requested enforcement level and/or configuration replacing the defaults
 * @param kinds the kinds table to match against (defaults to {@link TRAINING_KINDS})
 */
export function buildPolicy<C extends GuardConfig>(
    def: GuardDefinition<C>,
    overrides: GuardOverrides<C> = {},
    kinds: readonly TrainingKind[] = TRAINING_KINDS,
): GuardPolicy {
    const { enforcementLevel, defaults } = effectiveSettings(def, overrides);
    const metadata = {
        name: def.name,
        displayName: def.displayName,
        description: def.description,
        severity: def.severity,
        tags: def.tags,
        remediationSteps: def.remediationSteps,
        enforcementLevel,
        configSchema: schemaWithDefaults(def, defaults),
    };
    const configFrom = (args: { getConfig<T extends object>(): T }) => resolveConfig(def.name, defaults, args.getConfig<object>());

    if (def.scope === "stack") {
        const policy: StackValidationPolicy = {
            ...metadata,
            validateStack: (args, reportViolation) => {
                const resources: StackGuardResource[] = [];
                for (const resource of args.resources) {
                    const kind = findKind(resource.type, kinds);
                    if (kind && def.aspects.some((a) => kind[a] !== undefined)) {
                        resources.push({ resource, kind });
                    }
                }
                if (resources.length === 0) {
                    args.notApplicable(notApplicableReason(def.aspects, kinds));
                }
                def.validateStack({ config: configFrom(args), resources, args }, reportViolation);
            },
        };
        return policy;
    }

    const matchKind = (args: ResourceValidationArgs): TrainingKind => {
        const kind = findKind(args.type, kinds);
        if (!kind || !def.aspects.some((a) => kind[a] !== undefined)) {
            return args.notApplicable(notApplicableReason(def.aspects, kinds));
        }
        return kind;
    };
    const contextFor = (args: ResourceValidationArgs): ResourceGuardContext<C> => ({
        config: configFrom(args),
        kind: matchKind(args),
        props: args.props,
        args,
    });
    const policy: ResourceValidationPolicy = {
        ...metadata,
        validateResource: (args, reportViolation) => def.validate(contextFor(args), reportViolation),
    };
    const remediate = def.remediate;
    if (remediate) {
        policy.remediateResource = (args) => remediate(contextFor(args));
    }
    return policy;
}
