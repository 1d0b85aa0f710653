/**
 * Runs a policy pack as the real Pulumi analyzer and talks to it over gRPC (level 3 in
 * `reference/pulumi-dynamic.md` §6.4), the way the CLI does for `--policy-pack <dir>`:
 *
 * 1. spawn `node @pulumi/pulumi/cmd/run-policy-pack/index.js <engine address> <packDir>` with
 *    cwd = the pack directory (`PolicyPack` reads `${cwd}/package.json`); the script registers
 *    ts-node with type-checking, loads the pack, and prints the analyzer's port on its first line;
 * 2. connect a `pulumirpc.Analyzer` client;
 * 3. `GetAnalyzerInfo`, `Configure` (reconciled like the CLI does: every policy, with its
 *    advertised level and schema defaults, then the given overrides), `ConfigureStack`,
 *    `Remediate`, `Analyze`, `AnalyzeStack`;
 * 4. kill the child.
 *
 * The child runs on Node 22 (`node_modules/.bin/node`, from the `node` npm package) when it is
 * there: on Node 20.20.2 an error printed by `run-policy-pack` hangs for ~50 s in `util.inspect`
 * (pulumi-dynamic.md §7). Pass `preload` to run on another Node with the workaround instead.
 *
 * Written to be reused by the engine harness: call {@link PolicyAnalyzer.remediate} then
 * {@link PolicyAnalyzer.analyze} on each registered resource (inputs as the `Struct` from the
 * `RegisterResourceRequest`, or plain wire-shaped JSON), stop on {@link mandatoryDiagnostics}, and
 * call {@link PolicyAnalyzer.analyzeStack} on the final resources (their outputs) at the end.
 */

import * as grpc from "@grpc/grpc-js";
import type { EnforcementLevel } from "@pulumi/policy";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";

const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** The wire form of a secret input value (`rpc.ts` `specialSecretSig`). */
export function secretValue(value: unknown): Record<string, unknown> {
    return { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value };
}

/** The wire sentinels of values unknown during preview. */
export const UNKNOWN_WIRE = {
    string: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    number: "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    boolean: "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    array: "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    object: "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
} as const;

/** The URN the engine gives a resource. */
export function urnOf(type: string, name: string, stack = "dev", project = "pulumi-training"): string {
    return `urn:pulumi:${stack}::${project}::${type}::${name}`;
}

/** Options for starting the analyzer. */
export interface StartAnalyzerOptions {
    /** Node binary for the child; default `node_modules/.bin/node` (Node 22) when present, else this process's. */
    nodeBinary?: string;
    /** A module to `--require` first (the Node 20 `util.inspect` workaround). */
    preload?: string;
    /**
     * Extra environment for the child (added to this process's, minus `TS_NODE_*`, so that mocha's
     * transpile-only setting does not leak in: `run-policy-pack` type-checks the pack, as the CLI does).
     */
    env?: Record<string, string>;
    /** How long to wait for the port line. Default 90 s. */
    startupTimeoutMs?: number;
}

/** Resource options as the engine sends them; all optional here. */
export interface AnalyzerResourceOptionsInput {
    protect?: boolean;
    ignoreChanges?: string[];
    deleteBeforeReplace?: boolean;
    additionalSecretOutputs?: string[];
    aliases?: string[];
    parent?: string;
    customTimeouts?: { create?: number; update?: number; delete?: number };
}

/** One resource to analyze. */
export interface AnalyzerResourceInput {
    /** Type token. */
    type: string;
    /** Resource name. */
    name: string;
    /** URN; default {@link urnOf}(type, name). */
    urn?: string;
    /** Inputs (Analyze/Remediate) or outputs (AnalyzeStack): a `Struct`, or wire-shaped JSON. */
    properties: Struct | Record<string, unknown>;
    /** Resource options. */
    options?: AnalyzerResourceOptionsInput;
    /** The provider resource, if any. */
    provider?: { type: string; name: string; urn: string; properties: Struct | Record<string, unknown> };
    /** AnalyzeStack only: parent URN. */
    parent?: string;
    /** AnalyzeStack only: dependency URNs. */
    dependencies?: string[];
    /** AnalyzeStack only: property dependencies. */
    propertyDependencies?: Record<string, string[]>;
}

/** A policy violation as the analyzer reports it. */
export interface AnalyzerDiagnostic {
    policyName: string;
    policyPackName: string;
    policyPackVersion: string;
    description: string;
    message: string;
    enforcementLevel: EnforcementLevel;
    urn: string;
    severity?: string;
}

/** Result of `Analyze` / `AnalyzeStack`. */
export interface AnalyzeResult {
    diagnostics: AnalyzerDiagnostic[];
    notApplicable: { policyName: string; reason: string }[];
}

/** Result of `Remediate`. */
export interface RemediateResult {
    remediations: { policyName: string; description: string; properties?: Record<string, unknown>; diagnostic: string }[];
    notApplicable: { policyName: string; reason: string }[];
}

/** One policy as `GetAnalyzerInfo` describes it. */
export interface AnalyzerPolicyInfo {
    name: string;
    displayName: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    severity?: string;
    policyType: "resource" | "stack" | "unknown";
    configSchema?: { properties: Record<string, Record<string, unknown>>; required: string[] };
}

/** Result of `GetAnalyzerInfo`. */
export interface AnalyzerInfo {
    name: string;
    version: string;
    displayName: string;
    description: string;
    supportsConfig: boolean;
    policies: AnalyzerPolicyInfo[];
}

/** Configuration per policy name (plus `all`), as in `--policy-pack-config`. */
export type AnalyzerPolicyConfig = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>;

const LEVEL_NAMES: Record<number, EnforcementLevel> = {
    [analyzerpb.EnforcementLevel.ADVISORY]: "advisory",
    [analyzerpb.EnforcementLevel.MANDATORY]: "mandatory",
    [analyzerpb.EnforcementLevel.REMEDIATE]: "remediate",
    [analyzerpb.EnforcementLevel.DISABLED]: "disabled",
};
const LEVEL_VALUES: Record<EnforcementLevel, analyzerpb.EnforcementLevel> = {
    advisory: analyzerpb.EnforcementLevel.ADVISORY,
    mandatory: analyzerpb.EnforcementLevel.MANDATORY,
    remediate: analyzerpb.EnforcementLevel.REMEDIATE,
    disabled: analyzerpb.EnforcementLevel.DISABLED,
};
const SEVERITY_NAMES: Record<number, string | undefined> = {
    [analyzerpb.PolicySeverity.POLICY_SEVERITY_UNSPECIFIED]: undefined,
    [analyzerpb.PolicySeverity.POLICY_SEVERITY_LOW]: "low",
    [analyzerpb.PolicySeverity.POLICY_SEVERITY_MEDIUM]: "medium",
    [analyzerpb.PolicySeverity.POLICY_SEVERITY_HIGH]: "high",
    [analyzerpb.PolicySeverity.POLICY_SEVERITY_CRITICAL]: "critical",
};

/** Drops `undefined` members (a protobuf `Struct` cannot hold them). */
function withoutUndefined(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map((v) => (v === undefined ? null : withoutUndefined(v)));
    }
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(
            Object.entries(value as Record<string, unknown>)
                .filter(([, v]) => v !== undefined)
                .map(([k, v]) => [k, withoutUndefined(v)]),
        );
    }
    return value;
}

function toStruct(properties: Struct | Record<string, unknown>): Struct {
    if (properties instanceof Struct) {
        return properties;
    }
    const maybeStruct = properties as { toJavaScript?: () => Record<string, unknown> };
    const plain = typeof maybeStruct.toJavaScript === "function" ? maybeStruct.toJavaScript() : properties;
    return Struct.fromJavaScript(withoutUndefined(plain) as Record<string, never>);
}

function toOptions(options: AnalyzerResourceOptionsInput = {}): analyzerpb.AnalyzerResourceOptions {
    const result = new analyzerpb.AnalyzerResourceOptions();
    result.setProtect(options.protect ?? false);
    result.setIgnorechangesList(options.ignoreChanges ?? []);
    result.setDeletebeforereplacedefined(options.deleteBeforeReplace !== undefined);
    result.setDeletebeforereplace(options.deleteBeforeReplace ?? false);
    result.setAdditionalsecretoutputsList(options.additionalSecretOutputs ?? []);
    result.setAliasesList(options.aliases ?? []);
    result.setParent(options.parent ?? "");
    const timeouts = new analyzerpb.AnalyzerResourceOptions.CustomTimeouts();
    timeouts.setCreate(options.customTimeouts?.create ?? 0);
    timeouts.setUpdate(options.customTimeouts?.update ?? 0);
    timeouts.setDelete(options.customTimeouts?.delete ?? 0);
    result.setCustomtimeouts(timeouts);
    return result;
}

function toProvider(provider: NonNullable<AnalyzerResourceInput["provider"]>): analyzerpb.AnalyzerProviderResource {
    const result = new analyzerpb.AnalyzerProviderResource();
    result.setType(provider.type);
    result.setName(provider.name);
    result.setUrn(provider.urn);
    result.setProperties(toStruct(provider.properties));
    return result;
}

function toAnalyzeRequest(resource: AnalyzerResourceInput): analyzerpb.AnalyzeRequest {
    const request = new analyzerpb.AnalyzeRequest();
    request.setType(resource.type);
    request.setName(resource.name);
    request.setUrn(resource.urn ?? urnOf(resource.type, resource.name));
    request.setProperties(toStruct(resource.properties));
    request.setOptions(toOptions(resource.options));
    if (resource.provider) {
        request.setProvider(toProvider(resource.provider));
    }
    return request;
}

function toStackResource(resource: AnalyzerResourceInput): analyzerpb.AnalyzerResource {
    const result = new analyzerpb.AnalyzerResource();
    result.setType(resource.type);
    result.setName(resource.name);
    result.setUrn(resource.urn ?? urnOf(resource.type, resource.name));
    result.setProperties(toStruct(resource.properties));
    result.setOptions(toOptions(resource.options));
    if (resource.provider) {
        result.setProvider(toProvider(resource.provider));
    }
    result.setParent(resource.parent ?? "");
    result.setDependenciesList(resource.dependencies ?? []);
    const deps = result.getPropertydependenciesMap();
    for (const [key, urns] of Object.entries(resource.propertyDependencies ?? {})) {
        const entry = new analyzerpb.AnalyzerPropertyDependencies();
        entry.setUrnsList(urns);
        deps.set(key, entry);
    }
    return result;
}

function fromAnalyzeResponse(response: analyzerpb.AnalyzeResponse): AnalyzeResult {
    return {
        diagnostics: response.getDiagnosticsList().map((d) => ({
            policyName: d.getPolicyname(),
            policyPackName: d.getPolicypackname(),
            policyPackVersion: d.getPolicypackversion(),
            description: d.getDescription(),
            message: d.getMessage(),
            enforcementLevel: LEVEL_NAMES[d.getEnforcementlevel()],
            urn: d.getUrn(),
            severity: SEVERITY_NAMES[d.getSeverity()],
        })),
        notApplicable: response.getNotApplicableList().map((n) => ({ policyName: n.getPolicyName(), reason: n.getReason() })),
    };
}

function unary<Req, Res>(call: (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown, request: Req): Promise<Res> {
    return new Promise((resolve, reject) => {
        call(request, (err, res) => (err ? reject(err) : resolve(res)));
    });
}

/** The diagnostics that stop an update: mandatory ones (remediate is reported as mandatory too). */
export function mandatoryDiagnostics(result: AnalyzeResult): AnalyzerDiagnostic[] {
    return result.diagnostics.filter((d) => d.enforcementLevel === "mandatory" || d.enforcementLevel === "remediate");
}

/** The Node binary the child should use (Node 22 from the `node` npm package when installed). */
export function defaultNodeBinary(): string {
    const bundled = path.join(REPO_ROOT, "node_modules", ".bin", "node");
    return fs.existsSync(bundled) ? bundled : process.execPath;
}

/** A running policy pack and a gRPC client connected to it. */
export class PolicyAnalyzer {
    private info?: AnalyzerInfo;
    private exited = false;

    private constructor(
        /** The child process running `run-policy-pack`. */
        readonly child: ChildProcess,
        /** The analyzer's `127.0.0.1:<port>` address. */
        readonly address: string,
        private readonly client: AnalyzerClient,
        private readonly logs: { stdout: string; stderr: string },
    ) {
        child.once("exit", () => {
            this.exited = true;
        });
    }

    /**
     * Starts the pack in `packDir` and connects to it.
     *
     * @throws if the child exits or prints nothing within the startup timeout (the error carries its stderr)
     */
    static async start(packDir: string, options: StartAnalyzerOptions = {}): Promise<PolicyAnalyzer> {
        const absoluteDir = path.resolve(packDir);
        const runPolicyPack = require.resolve("@pulumi/pulumi/cmd/run-policy-pack/index.js", { paths: [absoluteDir, REPO_ROOT] });
        const env: Record<string, string | undefined> = { ...process.env };
        for (const key of Object.keys(env).filter((k) => k.startsWith("TS_NODE_"))) {
            delete env[key];
        }
        Object.assign(env, options.env);
        const nodeArgs = options.preload ? ["--require", options.preload] : [];
        const child = spawn(options.nodeBinary ?? defaultNodeBinary(), [...nodeArgs, runPolicyPack, "127.0.0.1:0", absoluteDir], {
            cwd: absoluteDir,
            env,
            stdio: ["ignore", "pipe", "pipe"],
        });
        const logs = { stdout: "", stderr: "" };
        child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (logs.stderr += chunk));
        const port = await new Promise<number>((resolve, reject) => {
            const timeout = options.startupTimeoutMs ?? 90_000;
            const fail = (why: string) => {
                clearTimeout(timer);
                child.kill("SIGKILL");
                reject(new Error(`policy pack ${absoluteDir} ${why}\n--- stderr ---\n${logs.stderr}\n--- stdout ---\n${logs.stdout}`));
            };
            const timer = setTimeout(() => fail(`printed no port within ${timeout} ms`), timeout);
            child.once("exit", (code, signal) => fail(`exited (code ${code}, signal ${signal}) before printing its port`));
            child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
                logs.stdout += chunk;
                const newline = logs.stdout.indexOf("\n");
                if (newline < 0) {
                    return;
                }
                const firstLine = logs.stdout.slice(0, newline).trim();
                if (!/^\d+$/.test(firstLine)) {
                    return fail(`printed '${firstLine}' where its port was expected`);
                }
                clearTimeout(timer);
                child.removeAllListeners("exit");
                resolve(Number(firstLine));
            });
        });
        const address = `127.0.0.1:${port}`;
        const client = new AnalyzerClient(address, grpc.credentials.createInsecure());
        return new PolicyAnalyzer(child, address, client, logs);
    }

    /** What the child printed so far (the port line, then anything the pack logs). */
    output(): { stdout: string; stderr: string } {
        return { ...this.logs };
    }

    /** `GetAnalyzerInfo`: the pack's name, version and policies with their levels and schemas. */
    async getAnalyzerInfo(): Promise<AnalyzerInfo> {
        const response = await unary<Empty, analyzerpb.AnalyzerInfo>((r, cb) => this.client.getAnalyzerInfo(r, cb), new Empty());
        const types: Record<number, AnalyzerPolicyInfo["policyType"]> = {
            [analyzerpb.PolicyType.POLICY_TYPE_RESOURCE]: "resource",
            [analyzerpb.PolicyType.POLICY_TYPE_STACK]: "stack",
        };
        this.info = {
            name: response.getName(),
            version: response.getVersion(),
            displayName: response.getDisplayname(),
            description: response.getDescription(),
            supportsConfig: response.getSupportsconfig(),
            policies: response.getPoliciesList().map((p) => {
                const schema = p.getConfigschema();
                return {
                    name: p.getName(),
                    displayName: p.getDisplayname(),
                    description: p.getDescription(),
                    enforcementLevel: LEVEL_NAMES[p.getEnforcementlevel()],
                    severity: SEVERITY_NAMES[p.getSeverity()],
                    policyType: types[p.getPolicyType()] ?? "unknown",
                    configSchema: schema
                        ? {
                              properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<string, Record<string, unknown>>,
                              required: schema.getRequiredList(),
                          }
                        : undefined,
                };
            }),
        };
        return this.info;
    }

    /**
     * `Configure`. By default the config is reconciled the way the CLI does before it calls
     * `Configure` (`ReconcilePolicyPackConfig`): every policy gets its advertised level and its
     * schema defaults, then `all`, then the given per-policy values. Pass `{ raw: true }` to send
     * exactly what is given (a policy sent without a level is then `advisory`, the proto default).
     */
    async configure(config: AnalyzerPolicyConfig, options: { raw?: boolean } = {}): Promise<void> {
        const normalized = new Map<string, { enforcementLevel?: EnforcementLevel; properties: Record<string, unknown> }>();
        for (const [name, value] of Object.entries(config)) {
            if (typeof value === "string") {
                normalized.set(name, { enforcementLevel: value, properties: {} });
            } else {
                const { enforcementLevel, ...properties } = value;
                normalized.set(name, { enforcementLevel, properties });
            }
        }
        const final = new Map<string, { enforcementLevel: EnforcementLevel; properties: Record<string, unknown> }>();
        if (options.raw) {
            for (const [name, value] of normalized) {
                final.set(name, { enforcementLevel: value.enforcementLevel ?? "advisory", properties: value.properties });
            }
        } else {
            const info = this.info ?? (await this.getAnalyzerInfo());
            const all = normalized.get("all")?.enforcementLevel;
            for (const policy of info.policies) {
                const defaults = Object.fromEntries(
                    Object.entries(policy.configSchema?.properties ?? {})
                        .filter(([, schema]) => "default" in schema)
                        .map(([key, schema]) => [key, schema.default]),
                );
                const given = normalized.get(policy.name);
                final.set(policy.name, {
                    enforcementLevel: given?.enforcementLevel ?? all ?? policy.enforcementLevel,
                    properties: { ...defaults, ...given?.properties },
                });
            }
        }
        const request = new analyzerpb.ConfigureAnalyzerRequest();
        const map = request.getPolicyconfigMap();
        for (const [name, value] of final) {
            const policyConfig = new analyzerpb.PolicyConfig();
            policyConfig.setEnforcementlevel(LEVEL_VALUES[value.enforcementLevel]);
            policyConfig.setProperties(Struct.fromJavaScript(withoutUndefined(value.properties) as Record<string, never>));
            map.set(name, policyConfig);
        }
        await unary<analyzerpb.ConfigureAnalyzerRequest, Empty>((r, cb) => this.client.configure(r, cb), request);
    }

    /** `ConfigureStack`: stack identity and tags (visible to policies as `args.stackTags`). */
    async configureStack(stack: { stack: string; project: string; organization?: string; dryRun?: boolean; tags?: Record<string, string> }): Promise<void> {
        const request = new analyzerpb.AnalyzerStackConfigureRequest();
        request.setStack(stack.stack);
        request.setProject(stack.project);
        request.setOrganization(stack.organization ?? "");
        request.setDryRun(stack.dryRun ?? false);
        for (const [k, v] of Object.entries(stack.tags ?? {})) {
            request.getTagsMap().set(k, v);
        }
        await unary<analyzerpb.AnalyzerStackConfigureRequest, analyzerpb.AnalyzerStackConfigureResponse>(
            (r, cb) => this.client.configureStack(r, cb),
            request,
        );
    }

    /** `Analyze` one resource's inputs. */
    async analyze(resource: AnalyzerResourceInput): Promise<AnalyzeResult> {
        const response = await unary<analyzerpb.AnalyzeRequest, analyzerpb.AnalyzeResponse>((r, cb) => this.client.analyze(r, cb), toAnalyzeRequest(resource));
        return fromAnalyzeResponse(response);
    }

    /** `Remediate` one resource's inputs; the engine does this before `Analyze` and uses the returned properties. */
    async remediate(resource: AnalyzerResourceInput): Promise<RemediateResult> {
        const response = await unary<analyzerpb.AnalyzeRequest, analyzerpb.RemediateResponse>(
            (r, cb) => this.client.remediate(r, cb),
            toAnalyzeRequest(resource),
        );
        return {
            remediations: response.getRemediationsList().map((r) => ({
                policyName: r.getPolicyname(),
                description: r.getDescription(),
                properties: r.getProperties()?.toJavaScript() as Record<string, unknown> | undefined,
                diagnostic: r.getDiagnostic(),
            })),
            notApplicable: response.getNotApplicableList().map((n) => ({ policyName: n.getPolicyName(), reason: n.getReason() })),
        };
    }

    /**
     * The engine's per-resource sequence: `Remediate` (applying any returned properties), then
     * `Analyze` on the result. Returns the analysis and the inputs the engine would go on with.
     */
    async remediateAndAnalyze(resource: AnalyzerResourceInput): Promise<AnalyzeResult & { properties: Struct | Record<string, unknown>; remediatedBy: string[] }> {
        const remediation = await this.remediate(resource);
        let properties = resource.properties;
        const remediatedBy: string[] = [];
        for (const r of remediation.remediations) {
            if (r.properties) {
                properties = r.properties;
                remediatedBy.push(r.policyName);
            }
        }
        const analysis = await this.analyze({ ...resource, properties });
        return { ...analysis, properties, remediatedBy };
    }

    /** `AnalyzeStack` over the stack's resources (the engine passes their outputs). */
    async analyzeStack(resources: AnalyzerResourceInput[]): Promise<AnalyzeResult> {
        const request = new analyzerpb.AnalyzeStackRequest();
        request.setResourcesList(resources.map(toStackResource));
        const response = await unary<analyzerpb.AnalyzeStackRequest, analyzerpb.AnalyzeResponse>((r, cb) => this.client.analyzeStack(r, cb), request);
        return fromAnalyzeResponse(response);
    }

    /** Closes the client and ends the child (SIGTERM, then SIGKILL after 5 s). */
    async stop(): Promise<void> {
        this.client.close();
        if (this.exited) {
            return;
        }
        await new Promise<void>((resolve) => {
            const timer = setTimeout(() => this.child.kill("SIGKILL"), 5_000);
            this.child.once("exit", () => {
                clearTimeout(timer);
                resolve();
            });
            this.child.kill("SIGTERM");
        });
    }
}

/** A policy diagnostic in the shape the engine harness records (`harness/engine.ts` `PolicyDiagnostic`). */
export interface HarnessPolicyDiagnostic {
    policyName: string;
    message: string;
    enforcementLevel: EnforcementLevel;
    urn?: string;
}

/**
 * Adapts a running analyzer to the engine harness's `analyze` hook (`StackOptions.analyze`, called
 * on each registered resource after Check with its wire-shaped inputs): `Remediate` then `Analyze`,
 * as the engine does, returning the diagnostics; the harness fails the resource on a mandatory one
 * before any create. The harness does not take remediated inputs back, so a `wrap` remediation is
 * passed to `onRemediated` instead of being applied.
 */
export function harnessAnalyzeHook(
    analyzer: PolicyAnalyzer,
    onRemediated?: (urn: string, policies: string[], properties: Struct | Record<string, unknown>) => void,
): (r: { urn: string; type: string; name: string; props: Record<string, unknown> }) => Promise<HarnessPolicyDiagnostic[]> {
    return async (r) => {
        const result = await analyzer.remediateAndAnalyze({ type: r.type, name: r.name, urn: r.urn, properties: r.props });
        if (result.remediatedBy.length > 0) {
            onRemediated?.(r.urn, result.remediatedBy, result.properties);
        }
        return result.diagnostics.map((d) => ({ policyName: d.policyName, message: d.message, enforcementLevel: d.enforcementLevel, urn: r.urn }));
    };
}
