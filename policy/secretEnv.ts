/**
 * No plaintext secrets in environment variables, registry passwords, start commands or tuning
 * parameters.
 *
 * Env entries whose names look secret (`WANDB_API_KEY`, `HF_TOKEN`, `DB_PASSWORD`, ...), or whose
 * values look like credentials whatever the name (`DATABASE_URL=postgres://user:pass@...`, an
 * `hf_…` or `ghp_…` token), must be Pulumi secrets, so that they are encrypted in the state and masked in previews. A kind takes part
 * by describing its env in the kinds table (`env`): Alaya `env` (a map), TI-ONE `envs` (a list of
 * `{name, value}`).
 *
 * Beyond env, a kind lists the other fields that can carry a secret (`secrets` in the kinds table,
 * the same fields the provider treats as sensitive): TI-ONE `imageInfo.imageSecret.password` (a
 * registry password: any plaintext value), its start commands and `tuningParameters`, Alaya
 * `startCommand`, PolarDB `runningParameter` and Bailian `extraHyperParameters`. A command is
 * reported when it carries a credential (`export HF_TOKEN=…`, `--api-key …`, a token or a URL with a
 * password anywhere in it; `$HF_TOKEN` references are fine); parameters when a key looks secret or a
 * value looks like a credential. Messages name the field and the reason, never the value.
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
 * If the policy is configured at `advisory` or `mandatory` directly (for example `"all":
 * "mandatory"` in a `--policy-pack-config` file), its remediation does not run and the validation
 * cannot see which values are secrets. It then fails closed: every secret-looking value is reported
 * at the configured level, the message saying that it may already be a secret and how to get the
 * precise judgement (level `remediate` with `onPlaintext`). Before, it declared itself not
 * applicable, and plaintext secrets went unreported under a plain `all: mandatory`.
 *
 * @module
 */

import { EnforcementLevel, ReportViolation, Secret } from "@pulumi/policy";
import { formatChoices, isAllowed, PolicyConfigError } from "./config";
import { EnvSpec, SecretField, TrainingKind } from "./kinds";
import { PropRead, readItems, readOne, readValue, unwrapProxies } from "./props";
import { LevelAdaptation, ResourceGuardContext, ResourceGuardDefinition } from "./guard";

/** What to do about a plaintext secret-looking env value. */
export type PlaintextAction = "warn" | "reject" | "wrap";

const PLAINTEXT_ACTIONS: readonly PlaintextAction[] = ["warn", "reject", "wrap"];

/** Configuration of {@link noPlaintextSecretEnv}. */
export type NoPlaintextSecretEnvConfig = {
    /**
     * Words that make a name look secret: an env name, a variable or option in a start command
     * (`HF_TOKEN=…`, `--api-key …`), a key of tuning parameters. A name is split into words at `_`, `-`, `.` and
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

/** A token shape found anywhere in a longer text (a command line): the documented shapes, unanchored. */
const EMBEDDED_SHAPES = CREDENTIAL_SHAPES.map((s) => ({
    what: s.what,
    // A whole-value shape (`^…$`) becomes a whole-word one; a prefix shape (a URL up to its `@`) stays a prefix.
    pattern: new RegExp(
        `(?<![A-Za-z0-9_-])${s.pattern.source.replace(/^\^/, "").replace(/\$$/, "")}${s.pattern.source.endsWith("$") ? "(?![A-Za-z0-9_-])" : ""}`,
        s.pattern.flags,
    ),
}));

/** `NAME=value` assignments (also `?token=…&…` in a URL) and `--flag value` / `--flag=value` options in a command line. */
const ASSIGNMENT = /(?:^|[\s;&|(?])(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|[^\s;&|]+)/g;
const OPTION = /(?:^|\s)--?([A-Za-z][A-Za-z0-9_.-]*)(?:=|\s+)("[^"]*"|'[^']*'|[^\s;&|-][^\s;&|]*)/g;

/** A shell reference (`$HF_TOKEN`, `"${HF_TOKEN}"`): reading a secret from the environment is the fix, not a leak. */
function isReference(value: string): boolean {
    return /^["']?\$(\{?[A-Za-z_][A-Za-z0-9_]*\}?|\()/.test(value);
}

/** Why a command line carries a credential (`--hub-token …`, `export HF_TOKEN=…`, an `hf_…` token), or `undefined`. */
export function commandCredential(command: string, config: NoPlaintextSecretEnvConfig): string | undefined {
    for (const re of [ASSIGNMENT, OPTION]) {
        for (const m of command.matchAll(re)) {
            const [, name, raw] = m;
            const value = raw.replace(/^["']|["']$/g, "");
            if (value !== "" && !isReference(raw) && looksSecret(name, config)) return `it passes ${name} a literal value`;
        }
    }
    const shape = EMBEDDED_SHAPES.find((s) => s.pattern.test(command));
    return shape ? `it contains ${shape.what}` : undefined;
}

/** One plaintext secret the policy found: an env entry or a field of the kind's `secrets`. */
export interface SecretFinding {
    /** What to call it in the message: the env name or the field path. */
    name: string;
    /** Where the value sits, for messages (never the value). */
    path: string;
    /** Why it must be a secret. */
    reason: string;
    /** For wrapping: the env entry, or the dotted path of the value to turn into a secret. */
    wrap: { env: EnvEntry } | { path: string };
}

/** Secrets found in a free-form parameter object: keys that look secret, values that look like credentials. */
function parameterFindings(value: unknown, path: string, config: NoPlaintextSecretEnvConfig): SecretFinding[] {
    if (typeof value === "string") {
        let parsed: unknown;
        try {
            parsed = JSON.parse(value);
        } catch {
            const why = commandCredential(value, config) ?? (credentialShape(value) ? `its value looks like ${credentialShape(value)}` : undefined);
            return why ? [{ name: path, path, reason: why, wrap: { path } }] : [];
        }
        // A JSON string is wrapped as a whole: its keys are not separate inputs.
        return parameterFindings(parsed, path, config).map((f) => ({ ...f, wrap: { path } }));
    }
    if (value === null || typeof value !== "object") return [];
    const findings: SecretFinding[] = [];
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
        const read = readValue(inner, `${path}.${key}`);
        if (read.status !== "known" || read.secret) continue;
        const innerPath = `${path}.${key}`;
        if (typeof read.value === "string" && read.value !== "" && looksSecret(key, config)) {
            findings.push({ name: innerPath, path: innerPath, reason: "its key looks secret", wrap: { path: innerPath } });
        } else if (typeof read.value === "string" && credentialShape(read.value)) {
            findings.push({ name: innerPath, path: innerPath, reason: `its value looks like ${credentialShape(read.value)}`, wrap: { path: innerPath } });
        } else if (typeof read.value === "object") {
            findings.push(...parameterFindings(read.value, innerPath, config).map((f) => (key.includes(".") ? { ...f, wrap: { path: innerPath } } : f)));
        }
    }
    return findings;
}

/** Plaintext secrets in the kind's other secret-bearing fields (`secrets` in the kinds table). */
export function plaintextSecretFields(fields: readonly SecretField[], props: unknown, config: NoPlaintextSecretEnvConfig): SecretFinding[] {
    const findings: SecretFinding[] = [];
    for (const field of fields) {
        const read = readOne(props, field.path);
        if (read.status !== "known" || read.secret || read.value === "") continue; // absent, unknown at preview, or a secret already
        if (field.holds === "credential") {
            if (typeof read.value === "string") findings.push({ name: field.path, path: field.path, reason: "it is a password", wrap: { path: field.path } });
        } else if (field.holds === "command") {
            const why = typeof read.value === "string" ? commandCredential(read.value, config) : undefined;
            if (why) findings.push({ name: field.path, path: field.path, reason: why, wrap: { path: field.path } });
        } else {
            findings.push(...parameterFindings(read.value, field.path, config));
        }
    }
    return findings;
}

/** Every plaintext secret of a resource: env entries, then the other fields; `undefined` env (unknown at preview) counts as none. */
export function plaintextSecrets(kind: TrainingKind, props: unknown, config: NoPlaintextSecretEnvConfig): SecretFinding[] {
    const env = kind.env ? (readEnvEntries(kind.env, props) ?? []) : [];
    const fromEnv: SecretFinding[] = plaintextSecretEntries(env, config).map((entry) => ({
        name: entry.name,
        path: entry.path,
        reason: whySecret(entry, config) ?? "its name looks secret",
        wrap: { env: entry },
    }));
    return [...fromEnv, ...plaintextSecretFields(kind.secrets ?? [], props, config)];
}

/** Findings of the remediation pass, by URN, waiting for the validation pass of the same resource. */
const remediationFindings = new Map<string, SecretFinding[]>();

/** Takes (and forgets) what the remediation pass found for a resource. */
function takeFindings(urn: string): SecretFinding[] | undefined {
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

/** Resource inputs with every finding turned into a secret: env entries one by one, other fields at their path. */
function wrapFindings(kind: TrainingKind, props: Record<string, unknown>, findings: readonly SecretFinding[]): Record<string, unknown> {
    const entries = findings.flatMap((f) => ("env" in f.wrap ? [f.wrap.env] : []));
    let raw = entries.length && kind.env ? wrapEntries(kind.env, props, entries) : { ...unwrapProxies(props) };
    for (const path of new Set(findings.flatMap((f) => ("path" in f.wrap ? [f.wrap.path] : [])))) {
        raw = withValueAt(raw, path, new Secret(valueAt(raw, path)));
    }
    return raw;
}

function checkedAction(config: NoPlaintextSecretEnvConfig): PlaintextAction {
    const action = config.onPlaintext as PlaintextAction;
    if (!PLAINTEXT_ACTIONS.includes(action)) {
        throw new PolicyConfigError("no-plaintext-secret-env", "onPlaintext", `one of ${formatChoices(PLAINTEXT_ACTIONS)}`, action);
    }
    return action;
}

function violationMessage(ctx: ResourceGuardContext<NoPlaintextSecretEnvConfig>, finding: SecretFinding): string {
    const where = finding.name === finding.path ? finding.path : `${finding.name} (${finding.path})`;
    const fix =
        "wrap" in finding && "env" in finding.wrap
            ? "or, if it is not a secret, add the name to noPlaintextSecretEnv.allowedNames."
            : "or read the secret from a secret env var (`$NAME` in a command) instead of writing it in.";
    return (
        `${ctx.kind.label} sets ${where} in plaintext; ${finding.reason}, so its value would be stored ` +
        `unencrypted in the state and shown in previews. Pass it as a Pulumi secret (pulumi.secret(...) or ` +
        `config.requireSecret(...)), ${fix}`
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

const DESCRIPTION = "Secrets in env, registry passwords, start commands and tuning parameters must be Pulumi secrets.";

/** Secret-looking env values are Pulumi secrets (warned, rejected or wrapped). */
export const noPlaintextSecretEnv: ResourceGuardDefinition<NoPlaintextSecretEnvConfig> = {
    scope: "resource",
    key: "noPlaintextSecretEnv",
    name: "no-plaintext-secret-env",
    displayName: "No plaintext secrets in env, commands or parameters",
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
            description: "Words (case-insensitive) that make an env name, a command variable or option, or a parameter key look secret.",
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
    aspects: ["env", "secrets"],
    adaptLevel,
    remediate(ctx) {
        const plaintext = plaintextSecrets(ctx.kind, ctx.props, ctx.config);
        const action = checkedAction(ctx.config);
        if (action === "wrap" && plaintext.length > 0) {
            remediationFindings.set(ctx.args.urn, []);
            return wrapFindings(ctx.kind, ctx.props, plaintext);
        }
        remediationFindings.set(ctx.args.urn, plaintext);
        return undefined;
    },
    validate(ctx, reportViolation) {
        const action = checkedAction(ctx.config);
        const findings = takeFindings(ctx.args.urn);
        if (findings === undefined) {
            // Served at advisory/mandatory directly (e.g. `"all": "mandatory"` in a config file): the remediation,
            // the only pass that sees secrets (pulumi/pulumi-policy#241), did not run. Validation sees every value
            // unwrapped, so each secret-looking value is reported at the configured level: fail closed, never silent.
            for (const finding of plaintextSecrets(ctx.kind, ctx.props, ctx.config)) {
                reportViolation(
                    `${violationMessage(ctx, finding)} (This policy runs at advisory or mandatory here, where it cannot see ` +
                        `whether a value is already a Pulumi secret, so it reports every secret-looking value. For a precise ` +
                        `verdict set no-plaintext-secret-env to enforcementLevel "remediate" with onPlaintext "reject" or "warn".)`,
                );
            }
            return;
        }
        for (const finding of findings) {
            const message = violationMessage(ctx, finding);
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
