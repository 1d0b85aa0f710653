/**
 * Inputs that can hold secrets (environment maps, commands, free-form
 * hyper-parameters, a registry login): top-level input names, or dotted paths
 * (`imageInfo.imageSecret`) where only part of an input is secret. The dynamic-provider host receives every input as a
 * plain value, whether or not the program wrapped it in `pulumi.secret`, so
 * the provider treats these inputs as secret by schema:
 * - their values never seed a marker (a short hash of a secret is an offline
 *   check of a guess, issue 15 item 10): {@link withoutSensitiveValues};
 * - their values never reach an error or a progress line, even when a cloud
 *   repeats them in a failure reason or a log tail: {@link sensitiveRedactor};
 * - the outputs that echo them are secret in state (each resource class
 *   passes them as `additionalSecretOutputs`, ./resource.ts).
 */
import type { Inputs } from "./kind";

/** What replaces a secret value in a marker seed and in text. */
const MASK = "***";

/** Shorter values are not masked in text: "true" or "1" would garble every message. */
const MIN_VALUE_LENGTH = 6;

/**
 * A part of a longer value (`--hub-token=<secret>` in a start command) that
 * looks like a token: 12 or more characters, letters and digits, no path.
 * Words and paths such as `train.py` stay readable in errors.
 */
const TOKEN_LIKE = /^(?=[^/]*\d)(?=[^/]*[A-Za-z])[^/\s]{12,}$/;

/**
 * The value at a sensitive path: a top-level input (`env`) or a dotted path
 * into nested objects (`imageInfo.imageSecret`), for a secret inside an input
 * whose other fields are not.
 */
function valueAt(inputs: Inputs, path: string): unknown {
    let v: unknown = inputs;
    for (const key of path.split(".")) v = v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>)[key] : undefined;
    return v;
}

/** A copy of `inputs` with the value at `path` replaced by `replace(value)` (objects along the path copied, nothing else). */
function replacedAt(inputs: Inputs, path: string, replace: (v: unknown) => unknown): Inputs {
    const [head, ...rest] = path.split(".");
    const v = inputs[head];
    if (v === undefined) return inputs;
    if (!rest.length) return { ...inputs, [head]: replace(v) };
    if (!v || typeof v !== "object" || Array.isArray(v)) return inputs;
    return { ...inputs, [head]: replacedAt(v as Inputs, rest.join("."), replace) };
}

/** The top-level outputs that hold the sensitive paths: what a class passes as `additionalSecretOutputs`. */
export function secretOutputNames(sensitive: readonly string[]): string[] {
    return [...new Set(sensitive.map((p) => p.split(".")[0]))];
}

/** Every string under the sensitive inputs (numbers and booleans are not secrets). */
function leaves(v: unknown): string[] {
    if (typeof v === "string") return [v];
    if (Array.isArray(v)) return v.flatMap(leaves);
    if (v && typeof v === "object") return Object.values(v).flatMap(leaves);
    return [];
}

/**
 * The inputs with every string under a sensitive input replaced by a mask:
 * the shape (object keys, list lengths) and the numbers stay, so adding an
 * env var or changing an epoch count still changes the marker. A change of a secret value alone does not; the job it
 * replaces is then told apart by the replacement the lifecycle planned.
 */
export function withoutSensitiveValues(inputs: Inputs, sensitive: readonly string[]): Inputs {
    const mask = (v: unknown): unknown => {
        if (typeof v === "string") return MASK;
        if (Array.isArray(v)) return v.map(mask);
        if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mask(x)]));
        return v;
    };
    return sensitive.reduce((out, path) => replacedAt(out, path, mask), inputs);
}

/**
 * The property-value encoding of a secret (`sdk/go/common/resource/sig`): the
 * engine reads a provider's answers with secrets kept, so a value wrapped
 * like this is stored encrypted.
 */
const SECRET_SIG = { key: "4dabf18193072939515e22adb298388d", value: "1b47061264138c4ac30d75fd1eb44270" } as const;

/**
 * The inputs a `read` reports, with every sensitive input wrapped as a
 * secret. The engine records a refresh's inputs as the provider returns them
 * and marks secret only what was secret before (`annotateSecrets` in
 * provider_plugin.go), so a token a console edit put in a start command, or a
 * template adopted with `get()`, would otherwise be stored in plaintext.
 */
export function withSecretSensitiveInputs(inputs: Inputs, sensitive: readonly string[]): Inputs {
    const secret = (value: unknown) => ({ [SECRET_SIG.key]: SECRET_SIG.value, value });
    // A map's values one by one: the engine keeps the map's keys readable and each value encrypted, as it does for program secrets.
    const wrap = (v: unknown) => (v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, secret(x)])) : secret(v));
    return sensitive.reduce((out, path) => replacedAt(out, path, wrap), inputs);
}

/**
 * A function that masks the sensitive input values of `inputs` in a text:
 * each value, and each token-like part of it (a token in a start command),
 * longest first so a value is never half-masked.
 */
export function sensitiveRedactor(inputs: Inputs, sensitive: readonly string[]): (text: string) => string {
    const values = new Set<string>();
    for (const name of sensitive) {
        for (const value of leaves(valueAt(inputs, name))) {
            if (value.length >= MIN_VALUE_LENGTH) values.add(value);
            for (const part of value.split(/[\s=:'"]+/)) if (TOKEN_LIKE.test(part)) values.add(part);
        }
    }
    const ordered = [...values].sort((a, b) => b.length - a.length);
    if (!ordered.length) return (text) => text;
    return (text) => ordered.reduce((t, v) => t.split(v).join(MASK), text);
}
