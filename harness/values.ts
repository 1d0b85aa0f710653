/**
 * Property values as they cross the engine's gRPC boundary: plain JSON, with
 * secrets as `{<sig>: <secret sig>, value}` and unknowns as a sentinel string.
 * reference/pulumi-dynamic.md §3.4.
 */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export type Props = Record<string, any>;

export function isSecret(v: unknown): v is { value: unknown } {
    return !!v && typeof v === "object" && (v as any)[SIG_KEY] === SECRET_SIG;
}

export function secret(value: unknown): unknown {
    return { [SIG_KEY]: SECRET_SIG, value };
}

/** Removes every secret marker (the host answers acceptSecrets=false). */
export function unwrapSecrets(v: any): any {
    if (isSecret(v)) return unwrapSecrets(v.value);
    if (Array.isArray(v)) return v.map(unwrapSecrets);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrapSecrets(x)]));
    return v;
}

export function containsSecret(v: any): boolean {
    if (isSecret(v)) return true;
    if (Array.isArray(v)) return v.some(containsSecret);
    if (v && typeof v === "object") return Object.values(v).some(containsSecret);
    return false;
}

/**
 * The engine's annotateSecrets (provider_plugin.go): an output is re-marked
 * secret where the same-named input was; objects recurse, and an array that
 * holds a secret is secret as a whole.
 */
export function annotateSecrets(outs: any, ins: any): any {
    if (ins === undefined || outs === undefined) return outs;
    if (isSecret(ins)) return isSecret(outs) ? outs : secret(outs);
    if (Array.isArray(ins)) return containsSecret(ins) && !isSecret(outs) ? secret(outs) : outs;
    if (ins && typeof ins === "object" && outs && typeof outs === "object" && !Array.isArray(outs)) {
        const r: Props = { ...outs };
        for (const k of Object.keys(r)) if (k in ins) r[k] = annotateSecrets(r[k], ins[k]);
        return r;
    }
    return outs;
}

/** Marks the listed top-level outputs secret (additionalSecretOutputs). */
export function markSecretOutputs(outs: Props, names: readonly string[]): Props {
    const r = { ...outs };
    for (const n of names) if (n in r && r[n] !== undefined && !isSecret(r[n])) r[n] = secret(r[n]);
    return r;
}

export function deepEqual(a: unknown, b: unknown): boolean {
    return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(v: any): any {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v && typeof v === "object") return Object.fromEntries(Object.keys(v).sort().filter((k) => v[k] !== undefined).map((k) => [k, sortKeys(v[k])]));
    return v;
}
