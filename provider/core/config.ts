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

/** First non-empty value among the config keys (full `namespace:key` names), then the environment variables. */
export function setting(configKeys: readonly string[], envNames: readonly string[]): string | undefined {
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
