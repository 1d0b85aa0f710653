/**
 * No plaintext secrets in environment variables.
 *
 * Env entries whose names look secret (`WANDB_API_KEY`, `HF_TOKEN`, `DB_PASSWORD`, ...), or whose
 * values look like credentials whatever the name (`DATABASE_URL=postgres://user:pass@...`, an
 * `hf_…` or `ghp_…` token), must be Pulumi secrets, so that they are encrypted in the state and masked in previews. A kind takes part
 * by describing its env in the kinds table (`env`): Alaya `env` (a map), TI-ONE `envs` (a list of
 * `{name, value}`).
 *
 * **Why this policy runs at the `remediate` level.** `@pulumi/policy` 1.21 unwraps secrets before
 * it calls `validateResource` (`deserializeProperties(props, false)` in `server.js`), so a
 * validation cannot tell a secret from plaintext (pulumi/pulumi-policy#241). Only
 * `remediateResource` receives secret values still marked. The engine calls every analyzer's
 * remediation for a resource before it analyzes that resource, so this policy inspects the env in
 * its remediation, records what it found for the resource's URN, and reports from its validation:
 *
 * - `onPlaintext: "warn"` (what the requested level `advisory` maps to): an advisory violation;
 *   nothing is changed.
 * - `onPlaintext: "reject"` (what `mandatory` maps to): a violation that the remediate level turns
 *   into a mandatory one, so `up` stops before the resource is created.
 * - `onPlaintext: "wrap"` (what `remediate` maps to): the remediation turns each plaintext value
 *   into a secret; nothing blocks.
 *
 * If the policy is configured at `advisory` or `mandatory` directly (for example through
 * `--policy-pack-config`), its remediation does not run and the validation reports the policy as
 * not applicable, naming the fix, rather than guessing.
 *
 * @module
 */

import { EnforcementLevel, ReportViolation, Secret } from "@pulumi/policy";
import { formatChoices, isAllowed, PolicyConfigError } from "./config";
import { EnvSpec } from "./kinds";
import { PropRead, readItems, readOne, readValue, unwrapProxies } from "./props";
import { LevelAdaptation, ResourceGuardContext, ResourceGuardDefinition } from "./guard";

/** What to do about a plaintext secret-looking env value. */
export type PlaintextAction = "warn" | "reject" | "wrap";

const PLAINTEXT_ACTIONS: readonly PlaintextAction[] = ["warn", "reject", "wrap"];

/** Configuration of {@link noPlaintextSecretEnv}. */
export type NoPlaintextSecretEnvConfig = {
    /**
     * Words that make an env name look secret. A name is split into words at `_`, `-`, `.` and
     * camelCase boundaries and compared case-insensitively: `WANDB_API_KEY` and `apiKey` match
     * `KEY`; `MONKEY` and `TOKENIZERS_PARALLELISM` do not.
     */
    secretNameWords: string[];
    /** Names (`*` wildcards, case-insensitive) that look secret but are not, e.g. `AWS_ACCESS_KEY_ID`. */
    allowedNames: string[];
    /** What to do about a plaintext value: `warn`, `reject` or `wrap` (make it a secret). */
    onPlaintext: string;
};

/** One env entry of a resource. */
export interface EnvEntry {
    /** The variable name. */
    name: string;
    /** Where the value sits, for messages. */
    path: string;
    /** The value as read: known (with whether secret), unknown or absent. */
    value: PropRead;
}

/** The env entries of a resource, or `undefined` when the env as a whole is unknown at preview. */
export function readEnvEntries(spec: EnvSpec, props: unknown): EnvEntry[] | undefined {
    if (spec.shape === "map") {
        const map = readOne(props, spec.path);
        if (map.status === "unknown") {
            return undefined;
        }
        if (map.status !== "known" || typeof map.value !== "object") {
            return [];
        }
        return Object.entries(map.value as Record<string, unknown>).map(([name, value]) => ({
            name,
            path: `${spec.path}.${name}`,
            value: readValue(value, `${spec.path}.${name}`, map.secret),
        }));
    }
    const entries: EnvEntry[] = [];
    for (const item of readItems(props, spec.path)) {
        if (item.status === "unknown") {
            return undefined;
        }
        if (item.status !== "known" || typeof item.value !== "object") {
            continue;
        }
        const fields = item.value as Record<string, unknown>;
        const nameRead = readValue(fields[spec.nameField], `${item.path}.${spec.nameField}`, item.secret);
        if (nameRead.status !== "known" || typeof nameRead.value !== "string") {
            continue; // an unknown name cannot be judged at preview
        }
        entries.push({
            name: nameRead.value,
            path: `${item.path}.${spec.valueField}`,
            value: readValue(fields[spec.valueField], `${item.path}.${spec.valueField}`, item.secret),
        });
    }
    return entries;
}

/** Splits an env name into upper-case words at separators and camelCase boundaries. */
export function nameWords(name: string): string[] {
    return name
        .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
        .split(/[^A-Za-z0-9]+/)
        .filter((w) => w.length > 0)
        .map((w) => w.toUpperCase());
}

/** True when a name looks secret under the configuration and is not allow-listed. */
export function looksSecret(name: string, config: NoPlaintextSecretEnvConfig): boolean {
    const markers = new Set(config.secretNameWords.map((w) => w.toUpperCase()));
    const secretLooking = nameWords(name).some((w) => markers.has(w));
    const exempt = config.allowedNames.some((pattern) => isAllowed(name, [pattern]));
    return secretLooking && !exempt;
}

/**
 * Values that are credentials whatever the variable is called, by their shape: a URL carrying a
 * password (`postgres://user:pass@host/db`), and tokens in the forms their issuers document.
 */
const CREDENTIAL_SHAPES: ReadonlyArray<{ what: string; pattern: RegExp }> = [
    { what: "a URL with a password", pattern: /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i },
    { what: "a Hugging Face token", pattern: /^hf_[A-Za-z0-9]{20,}$/ },
    { what: "an API key (sk-…)", pattern: /^sk-[A-Za-z0-9_-]{20,}$/ },
    { what: "a GitHub token", pattern: /^(gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})$/ },
    { what: "a GitLab token", pattern: /^glpat-[A-Za-z0-9_-]{20,}$/ },
    { what: "a Slack token", pattern: /^xox[abprs]-[A-Za-z0-9-]{10,}$/ },
    { what: "an AWS access key id", pattern: /^(AKIA|ASIA)[A-Z0-9]{16}$/ },
    { what: "a Tencent Cloud SecretId", pattern: /^AKID[A-Za-z0-9]{20,}$/ },
    { what: "an Alibaba Cloud AccessKey id", pattern: /^LTAI[A-Za-z0-9]{12,}$/ },
    { what: "a JSON Web Token", pattern: /^eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}$/ },
];

/** What a value looks like when it looks like a credential, else `undefined`. */
export function credentialShape(value: unknown): string | undefined {
    return typeof value === "string" ? CREDENTIAL_SHAPES.find((s) => s.pattern.test(value.trim()))?.what : undefined;
}

/** Why an entry must be a secret: its name looks secret, or its value looks like a credential; `undefined` when neither. */
export function whySecret(entry: EnvEntry, config: NoPlaintextSecretEnvConfig): string | undefined {
    if (config.allowedNames.some((pattern) => isAllowed(entry.name, [pattern]))) return undefined;
    if (looksSecret(entry.name, config)) return "its name looks secret";
    const shape = entry.value.status === "known" ? credentialShape(entry.value.value) : undefined;
    return shape ? `its value looks like ${shape}` : undefined;
}

/** Entries whose name looks secret or whose value looks like a credential, with a known, non-empty, plaintext value. */
export function plaintextSecretEntries(entries: readonly EnvEntry[], config: NoPlaintextSecretEnvConfig): EnvEntry[] {
    return entries.filter(
        (e) => whySecret(e, config) !== undefined && e.value.status === "known" && !e.value.secret && e.value.value !== "",
    );
}

/** Findings of the remediation pass, by URN, waiting for the validation pass of the same resource. */
const remediationFindings = new Map<string, EnvEntry[]>();

/** Takes (and forgets) what the remediation pass found for a resource. */
function takeFindings(urn: string): EnvEntry[] | undefined {
    const found = remediationFindings.get(urn);
    remediationFindings.delete(urn);
    return found;
}

/** A copy of `root` with `value` at the dotted `path`, copying each object along the way. */
function withValueAt(root: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
    const [head, ...rest] = path.split(".");
    const copy = { ...root };
    copy[head] = rest.length === 0 ? value : withValueAt((root[head] ?? {}) as Record<string, unknown>, rest.join("."), value);
    return copy;
}

/** The plain value at a dotted path of plain data (no unknowns or secrets along the way). */
function valueAt(root: Record<string, unknown>, path: string): unknown {
    return path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], root);
}

/** Resource inputs with the given plaintext entries turned into secrets; everything else unchanged. */
function wrapEntries(spec: EnvSpec, props: Record<string, unknown>, plaintext: readonly EnvEntry[]): Record<string, unknown> {
    const raw = unwrapProxies(props);
    const current = valueAt(raw, spec.path);
    if (spec.shape === "map") {
        const env = { ...(current as Record<string, unknown>) };
        for (const entry of plaintext) {
            env[entry.name] = new Secret(env[entry.name]);
        }
        return withValueAt(raw, spec.path, env);
    }
    const paths = new Set(plaintext.map((e) => e.path));
    const list = (current as unknown[]).map((item, index) =>
        paths.has(`${spec.path}[${index}].${spec.valueField}`)
            ? { ...(item as Record<string, unknown>), [spec.valueField]: new Secret((item as Record<string, unknown>)[spec.valueField]) }
            : item,
    );
    return withValueAt(raw, spec.path, list);
}

function checkedAction(config: NoPlaintextSecretEnvConfig): PlaintextAction {
    const action = config.onPlaintext as PlaintextAction;
    if (!PLAINTEXT_ACTIONS.includes(action)) {
        throw new PolicyConfigError("no-plaintext-secret-env", "onPlaintext", `one of ${formatChoices(PLAINTEXT_ACTIONS)}`, action);
    }
    return action;
}

function violationMessage(ctx: ResourceGuardContext<NoPlaintextSecretEnvConfig>, entry: EnvEntry): string {
    return (
        `${ctx.kind.label} sets ${entry.name} (${entry.path}) in plaintext; ${whySecret(entry, ctx.config) ?? "its name looks secret"}, so its value would be stored ` +
        `unencrypted in the state and shown in previews. Pass it as a Pulumi secret (pulumi.secret(...) or ` +
        `config.requireSecret(...)), or, if it is not a secret, add the name to noPlaintextSecretEnv.allowedNames.`
    );
}

/** Maps a requested level onto what the policy needs: secretness is only visible to remediation. */
function adaptLevel(requested: EnforcementLevel): LevelAdaptation<NoPlaintextSecretEnvConfig> {
    switch (requested) {
        case "advisory":
            return { enforcementLevel: "remediate", config: { onPlaintext: "warn" } };
        case "mandatory":
            return { enforcementLevel: "remediate", config: { onPlaintext: "reject" } };
        case "remediate":
            return { enforcementLevel: "remediate", config: { onPlaintext: "wrap" } };
        default:
            return { enforcementLevel: requested };
    }
}

const DESCRIPTION = "Environment variables whose names look secret must be Pulumi secrets.";

/** Secret-looking env values are Pulumi secrets (warned, rejected or wrapped). */
export const noPlaintextSecretEnv: ResourceGuardDefinition<NoPlaintextSecretEnvConfig> = {
    scope: "resource",
    key: "noPlaintextSecretEnv",
    name: "no-plaintext-secret-env",
    displayName: "No plaintext secrets in env",
    description: DESCRIPTION,
    severity: "critical",
    tags: ["security", "secrets"],
    remediationSteps:
        "Wrap the value with pulumi.secret(...) or read it with config.requireSecret(...); or run this policy at the remediate level to have it wrapped automatically.",
    defaultLevel: "advisory",
    defaults: {
        secretNameWords: ["KEY", "APIKEY", "ACCESSKEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL", "CREDENTIALS"],
        allowedNames: [],
        onPlaintext: "warn",
    },
    schema: {
        secretNameWords: {
            type: "array",
            items: { type: "string" },
            description: "Words (case-insensitive) that make an env name look secret.",
        },
        allowedNames: {
            type: "array",
            items: { type: "string" },
            description: "Names (`*` wildcards) that look secret but are not.",
        },
        onPlaintext: {
            type: "string",
            enum: [...PLAINTEXT_ACTIONS],
            description: "warn (advisory), reject (blocks the update) or wrap (turn the value into a secret).",
        },
    },
    aspects: ["env"],
    adaptLevel,
    remediate(ctx) {
        const spec = ctx.kind.env!;
        const entries = readEnvEntries(spec, ctx.props);
        const plaintext = entries === undefined ? [] : plaintextSecretEntries(entries, ctx.config);
        const action = checkedAction(ctx.config);
        if (action === "wrap" && plaintext.length > 0) {
            remediationFindings.set(ctx.args.urn, []);
            return wrapEntries(spec, ctx.props, plaintext);
        }
        remediationFindings.set(ctx.args.urn, plaintext);
        return undefined;
    },
    validate(ctx, reportViolation) {
        const action = checkedAction(ctx.config);
        const findings = takeFindings(ctx.args.urn);
        if (findings === undefined) {
            const entries = readEnvEntries(ctx.kind.env!, ctx.props) ?? [];
            const suspects = entries.filter((e) => looksSecret(e.name, ctx.config) && e.value.status === "known");
            if (suspects.length === 0) {
                return; // nothing secret-looking: compliant whatever the level
            }
            return ctx.args.notApplicable(
                `cannot tell whether ${suspects.map((e) => e.name).join(", ")} are secrets: policy validation receives secrets ` +
                    `unwrapped (pulumi/pulumi-policy#241). Run no-plaintext-secret-env at enforcementLevel "remediate" ` +
                    `(onPlaintext "warn", "reject" or "wrap"), which is what trainingGuardPolicies() does for every level.`,
            );
        }
        for (const entry of findings) {
            const message = violationMessage(ctx, entry);
            if (action === "warn") {
                reportAdvisory(reportViolation, message);
            } else {
                reportViolation(message);
            }
        }
    },
};

/**
 * Reports a violation as advisory whatever the policy's level, through the object form that
 * `@pulumi/policy`'s report function accepts at run time (its type only declares the string form).
 */
function reportAdvisory(reportViolation: ReportViolation, message: string): void {
    const advisory = { message: `${DESCRIPTION}\n${message}`, enforcementLevel: "advisory" as EnforcementLevel };
    (reportViolation as unknown as (violation: typeof advisory) => void)(advisory);
}
