/**
 * Provider settings and credentials, read inside the provider process only:
 * stack config delivered through `configure(req)` wins over the environment,
 * and nothing read here is ever written to state.
 */
export interface ConfigSource {
    get(key: string): string | undefined;
}

let stackConfig: ConfigSource | undefined;

/** Called from each lifecycle module's `configure`. */
export function useStackConfig(config: ConfigSource | undefined): void {
    stackConfig = config;
}

/**
 * A credential profile's name: lower-case letters, digits and `-`, starting
 * with a letter (it becomes part of config namespaces and variable names).
 */
export const PROFILE_RE = /^[a-z][a-z0-9-]{0,31}$/;

/**
 * The config key and environment variable a setting has under a credential
 * profile: `dashscope:apiKey` becomes `dashscope-<profile>:apiKey`, and
 * `DASHSCOPE_API_KEY` becomes `<PROFILE>_DASHSCOPE_API_KEY` (upper-cased,
 * `-` as `_`). Without a profile, the names as given.
 */
export function profiled(profile: string | undefined, configKeys: readonly string[], envNames: readonly string[]): { configKeys: string[]; envNames: string[] } {
    if (!profile) return { configKeys: [...configKeys], envNames: [...envNames] };
    const prefix = profile.toUpperCase().replace(/-/g, "_");
    return {
        configKeys: configKeys.map((k) => k.replace(/^([^:]+):/, `$1-${profile}:`)),
        envNames: envNames.map((e) => `${prefix}_${e}`),
    };
}

/** The error for credentials missing under a profile: names the profile's own config keys and variables. */
export function missingProfileCredentials(cloud: string, profile: string, configKeys: readonly string[], envNames: readonly string[]): Error {
    const names = profiled(profile, configKeys, envNames);
    return new Error(
        `${cloud} credentials missing for profile "${profile}": set ${names.envNames.join(" and ")}, or ` +
            names.configKeys.map((k) => `\`pulumi config set --secret ${k} <value>\``).join(" and "),
    );
}

/**
 * First non-empty value among the config keys (full `namespace:key` names), then the environment variables.
 * With a credential `profile`, only the profile's own names are read ({@link profiled}): a profile is a
 * complete set, so a key missing from it never falls back to another account's.
 */
export function setting(configKeys: readonly string[], envNames: readonly string[], profile?: string): string | undefined {
    ({ configKeys, envNames } = profiled(profile, configKeys, envNames));
    for (const k of configKeys) {
        let v: string | undefined;
        try {
            v = stackConfig?.get(k);
        } catch {
            v = undefined; // the host's Config throws when Configure was never called
        }
        if (v) return v;
    }
    for (const e of envNames) if (process.env[e]) return process.env[e];
    return undefined;
}

/** A number setting (for test and tuning knobs), or the default. */
export function numberSetting(configKeys: readonly string[], envNames: readonly string[], fallback: number): number {
    const v = Number(setting(configKeys, envNames));
    return Number.isFinite(v) && v > 0 ? v : fallback;
}

/** Default per-request timeout of every cloud client, in ms. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/**
 * The per-request timeout of every cloud client: `pulumi-training:requestTimeoutMs`
 * or `PULUMI_TRAINING_REQUEST_TIMEOUT_MS`, default 30 s. A request that gets
 * no complete answer in time fails as `RequestTimeout` (and is retried when
 * that is safe); a create whose answer timed out is looked up by its marker.
 */
export function requestTimeoutMs(): number {
    return numberSetting(["pulumi-training:requestTimeoutMs"], ["PULUMI_TRAINING_REQUEST_TIMEOUT_MS"], DEFAULT_REQUEST_TIMEOUT_MS);
}

/**
 * The factor every wait of the provider is scaled by: `pulumi-training:pollScale`
 * or `PULUMI_TRAINING_POLL_SCALE`, default 1. Tests against the emulator's fast
 * clock shrink it; on a real cloud it stays 1.
 */
export function pollScale(): number {
    return numberSetting(["pulumi-training:pollScale"], ["PULUMI_TRAINING_POLL_SCALE"], 1);
}
