/**
 * Level-1 policy test utilities (the AWSGuard `src/tests/util.ts` idea): fabricate validation
 * arguments without an engine and run a policy the way `@pulumi/policy`'s analyzer server does.
 *
 * What is faithful to the server (`@pulumi/policy/server.js`):
 * - props pass through the real unknown-checking proxy; for validation, secrets are unwrapped
 *   (the server deserializes with `proxySecrets = false`); for remediation they stay `Secret`
 *   instances behind the real secrets-preserving proxy;
 * - the effective level is the configured level, else the policy's, else `advisory`; `disabled`
 *   skips the policy, `remediate` reports as `mandatory`; only `remediate` runs remediations;
 * - `getConfig()` returns the configured settings without `enforcementLevel`;
 * - a string violation becomes `description + "\n" + message`; the object form keeps its own
 *   message and level;
 * - `notApplicable` and preview-unknown errors are caught and recorded.
 */

import {
    EnforcementLevel,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Secret,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import * as assert from "node:assert/strict";
import {
    GuardSetting,
    TRAINING_GUARDS,
    TrainingGuardArgs,
    TrainingGuardConfig,
    TrainingGuardKey,
    trainingGuardPolicies,
} from "../../policy/pack";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const proxy = require("@pulumi/policy/proxy") as {
    unknownCheckingProxy<T>(value: T): T;
    UnknownValueError: new (...args: unknown[]) => Error;
    unknownStringValue: string;
    unknownNumberValue: string;
    unknownBooleanValue: string;
    unknownArrayValue: string;
    unknownObjectValue: string;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const secrets = require("@pulumi/policy/secret") as { secretsPreservingProxy<T>(value: T): T };

/** The engine's unknown sentinels, as a policy sees them during preview. */
export const UNKNOWN = {
    string: proxy.unknownStringValue,
    number: proxy.unknownNumberValue,
    boolean: proxy.unknownBooleanValue,
    array: proxy.unknownArrayValue,
    object: proxy.unknownObjectValue,
} as const;

/** Marks a fabricated input value as a Pulumi secret. */
export function secret<T>(value: T): Secret {
    return new Secret(value);
}

/** Policy configuration as the engine sends it: settings plus an optional enforcement level. */
export type TestConfig = { enforcementLevel?: EnforcementLevel } & Record<string, unknown>;

/** One reported violation. */
export interface Violation {
    /** The message as the engine would show it. */
    message: string;
    /** The level it is reported at. */
    enforcementLevel: EnforcementLevel;
    /** The resource a stack policy attributed it to, if any. */
    urn?: string;
}

/** The outcome of running one policy on one resource or stack. */
export interface PolicyRun {
    /** False when the effective level was `disabled`. */
    ran: boolean;
    /** The violations reported. */
    violations: Violation[];
    /** The `notApplicable` reason, when the policy declared itself not applicable. */
    notApplicable?: string;
    /** The inputs after remediation, when a remediation changed them. */
    remediatedProps?: Record<string, unknown>;
}

class NotApplicable extends Error {
    constructor(readonly reason: string | undefined) {
        super(reason ?? "not applicable");
    }
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const rpc = require("@pulumi/pulumi/runtime/rpc") as { specialSigKey: string; specialSecretSig: string };

/** A secret in wire form (`{[sig]: secretSig, value}`), as the fixtures capture it from the real classes. */
function isWireSecret(value: unknown): value is { value: unknown } {
    return value !== null && typeof value === "object" && (value as Record<string, unknown>)[rpc.specialSigKey] === rpc.specialSecretSig;
}

/** Deep copy with wire secrets turned into `Secret` instances, as the server deserializes props for remediations. */
export function secretsFromWire(value: unknown): unknown {
    if (isWireSecret(value)) {
        return new Secret(secretsFromWire(value.value));
    }
    if (value instanceof Secret) {
        return new Secret(secretsFromWire(value.value));
    }
    if (Array.isArray(value)) {
        return value.map(secretsFromWire);
    }
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, secretsFromWire(v)]));
    }
    return value;
}

/** Deep copy with `Secret` wrappers (and wire secrets) removed, as the server hands props to validations. */
export function unwrapSecrets(value: unknown): unknown {
    if (value instanceof Secret) {
        return unwrapSecrets(value.value);
    }
    if (isWireSecret(value)) {
        return unwrapSecrets(value.value);
    }
    if (Array.isArray(value)) {
        return value.map(unwrapSecrets);
    }
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)]));
    }
    return value;
}

const DEFAULT_OPTIONS = { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] };

function urnFor(type: string, name: string): string {
    return `urn:pulumi:dev::pulumi-training::${type}::${name}`;
}

function configGetter(config: TestConfig | undefined) {
    return <T extends object>(): T => {
        const { enforcementLevel: _level, ...settings } = config ?? {};
        return settings as T;
    };
}

function throwNotApplicable(reason?: string): never {
    throw new NotApplicable(reason);
}

/** Options for fabricating resource validation arguments. */
export interface ResourceArgsOptions {
    /** Policy configuration (settings and optional level). */
    config?: TestConfig;
    /** Resource name (default `test`). */
    name?: string;
    /** Resource URN (default derived from type and name). */
    urn?: string;
    /** Keep `Secret` wrappers (remediation) instead of unwrapping them (validation). */
    keepSecrets?: boolean;
}

/** Fabricates `ResourceValidationArgs` for a resource of `type` with inputs `props`. */
export function createResourceValidationArgs(type: string, props: Record<string, unknown>, options: ResourceArgsOptions = {}): ResourceValidationArgs {
    const name = options.name ?? "test";
    const data = options.keepSecrets ? secrets.secretsPreservingProxy(secretsFromWire(props) as Record<string, unknown>) : (unwrapSecrets(props) as Record<string, unknown>);
    return {
        type,
        props: proxy.unknownCheckingProxy(data),
        urn: options.urn ?? urnFor(type, name),
        name,
        opts: DEFAULT_OPTIONS,
        stackTags: new Map(),
        isType: () => false,
        asType: () => undefined,
        getConfig: configGetter(options.config),
        notApplicable: throwNotApplicable,
    };
}

/** A resource of a fabricated stack. */
export interface StackResourceInput {
    /** Type token. */
    type: string;
    /** Inputs (AnalyzeStack really passes outputs; for our kinds they echo the inputs). */
    props: Record<string, unknown>;
    /** Name (default `r<index>`). */
    name?: string;
    /** Input names and the names of the stack's resources each was computed from (`{ trainingFileIds: ["data"] }`). */
    propertyDependencies?: Record<string, string[]>;
}

/** Fabricates `StackValidationArgs` for the given resources. */
export function createStackValidationArgs(resources: StackResourceInput[], config?: TestConfig): StackValidationArgs {
    const policyResources: PolicyResource[] = resources.map((r, index) => {
        const name = r.name ?? `r${index}`;
        return {
            type: r.type,
            props: proxy.unknownCheckingProxy(unwrapSecrets(r.props) as Record<string, unknown>),
            urn: urnFor(r.type, name),
            name,
            opts: DEFAULT_OPTIONS,
            dependencies: [],
            propertyDependencies: {},
            isType: () => false,
            asType: () => undefined,
        };
    });
    // Property dependencies point at the other resources, as the server links them (server.js, AnalyzeStack).
    resources.forEach((r, index) => {
        for (const [key, names] of Object.entries(r.propertyDependencies ?? {})) {
            policyResources[index].propertyDependencies[key] = names.map((n) => {
                const dep = policyResources.find((p) => p.name === n);
                assert.ok(dep, `property dependency on '${n}', which is not a resource of the stack`);
                return dep;
            });
        }
    });
    return { resources: policyResources, stackTags: new Map(), getConfig: configGetter(config), notApplicable: throwNotApplicable };
}

type AnyPolicy = ResourceValidationPolicy | StackValidationPolicy;

/** The level the server would use: configured, else the policy's, else advisory. */
export function effectiveLevel(policy: AnyPolicy, config?: TestConfig): EnforcementLevel {
    return config?.enforcementLevel ?? policy.enforcementLevel ?? "advisory";
}

function reporter(policy: AnyPolicy, level: EnforcementLevel, into: Violation[]): ReportViolation {
    const reportedLevel = level === "remediate" ? "mandatory" : level;
    return ((message: string | { message?: string; enforcementLevel?: EnforcementLevel; urn?: string }, urn?: string) => {
        if (typeof message === "object") {
            into.push({ message: message.message ?? policy.description, enforcementLevel: message.enforcementLevel ?? reportedLevel, ...(message.urn ? { urn: message.urn } : {}) });
        } else {
            into.push({ message: message ? `${policy.description}\n${message}` : policy.description, enforcementLevel: reportedLevel, ...(urn ? { urn } : {}) });
        }
    }) as ReportViolation;
}

async function guarded(run: PolicyRun, policy: AnyPolicy, action: () => unknown): Promise<void> {
    try {
        await action();
    } catch (e) {
        if (e instanceof NotApplicable) {
            run.notApplicable = e.reason ?? "";
        } else if (e instanceof proxy.UnknownValueError) {
            run.violations.push({ message: `can't run policy '${policy.name}' during preview: ${e.message}`, enforcementLevel: "advisory" });
        } else {
            throw e;
        }
    }
}

/** A resource to run a policy on. */
export interface ResourceUnderTest extends ResourceArgsOptions {
    /** Type token. */
    type: string;
    /** Inputs as registered (use {@link secret} and {@link UNKNOWN} for secret and unknown values). */
    props: Record<string, unknown>;
}

/**
 * Runs a resource policy on one resource as the engine and server would: the remediation pass
 * first (only at the `remediate` level; its result replaces the inputs), then validation.
 */
export async function runResourcePolicy(policy: ResourceValidationPolicy, resource: ResourceUnderTest): Promise<PolicyRun> {
    const level = effectiveLevel(policy, resource.config);
    const run: PolicyRun = { ran: level !== "disabled", violations: [] };
    if (!run.ran) {
        return run;
    }
    let props = resource.props;
    const remediate = policy.remediateResource;
    if (level === "remediate" && remediate) {
        const remediationRun: PolicyRun = { ran: true, violations: [] };
        await guarded(remediationRun, policy, async () => {
            const result = await remediate(createResourceValidationArgs(resource.type, props, { ...resource, keepSecrets: true }));
            if (result) {
                props = result as Record<string, unknown>;
                run.remediatedProps = props;
            }
        });
    }
    const validations = policy.validateResource === undefined ? [] : Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
    for (const validate of validations) {
        await guarded(run, policy, () => validate(createResourceValidationArgs(resource.type, props, resource), reporter(policy, level, run.violations)));
    }
    return run;
}

/** Runs a stack policy on a fabricated stack. */
export async function runStackPolicy(policy: StackValidationPolicy, resources: StackResourceInput[], config?: TestConfig): Promise<PolicyRun> {
    const level = effectiveLevel(policy, config);
    const run: PolicyRun = { ran: level !== "disabled", violations: [] };
    if (run.ran) {
        await guarded(run, policy, () => policy.validateStack(createStackValidationArgs(resources, config), reporter(policy, level, run.violations)));
    }
    return run;
}

/** Asserts exactly one violation (or `count`) whose message matches `expected`, and returns the first. */
export function assertViolation(run: PolicyRun, expected: string | RegExp, count = 1): Violation {
    const matching = run.violations.filter((v) => (typeof expected === "string" ? v.message.includes(expected) : expected.test(v.message)));
    assert.equal(
        matching.length,
        count,
        `expected ${count} violation(s) matching ${String(expected)}, got:\n${run.violations.map((v) => `- ${v.message}`).join("\n") || "(none)"}`,
    );
    return matching[0];
}

/** Asserts the policy ran, applied, and reported nothing. */
export function assertNoViolations(run: PolicyRun): void {
    assert.equal(run.notApplicable, undefined, `policy was not applicable: ${run.notApplicable}`);
    assert.deepEqual(run.violations, [], `unexpected violations:\n${run.violations.map((v) => `- ${v.message}`).join("\n")}`);
}

/** Asserts the policy declared itself not applicable (optionally with a reason matching `reason`). */
export function assertNotApplicable(run: PolicyRun, reason?: RegExp): void {
    assert.notEqual(run.notApplicable, undefined, "expected the policy to be not applicable");
    if (reason) {
        assert.match(run.notApplicable!, reason);
    }
    assert.deepEqual(run.violations, []);
}

// ---------------------------------------------------------------------------------------------
// Building the pack's policies for tests.

/** The pack's policy for one guardrail, built with an optional setting (as a team pack would). */
export function guardPolicy<K extends TrainingGuardKey>(key: K, setting?: GuardSetting<TrainingGuardConfig<K>>): AnyPolicy {
    const args = (setting === undefined ? {} : { [key]: setting }) as TrainingGuardArgs;
    return trainingGuardPolicies(args)[Object.keys(TRAINING_GUARDS).indexOf(key)];
}

/** A resource policy of the pack (see {@link guardPolicy}). */
export function resourceGuard<K extends TrainingGuardKey>(key: K, setting?: GuardSetting<TrainingGuardConfig<K>>): ResourceValidationPolicy {
    const policy = guardPolicy(key, setting);
    assert.ok("validateResource" in policy, `${key} is not a resource policy`);
    return policy as ResourceValidationPolicy;
}

/** A stack policy of the pack (see {@link guardPolicy}). */
export function stackGuard<K extends TrainingGuardKey>(key: K, setting?: GuardSetting<TrainingGuardConfig<K>>): StackValidationPolicy {
    const policy = guardPolicy(key, setting);
    assert.ok("validateStack" in policy, `${key} is not a stack policy`);
    return policy as StackValidationPolicy;
}
