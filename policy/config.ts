/**
 * Policy configuration helpers: merging defaults in code, matching allow-lists, and wording lists in
 * messages.
 *
 * The policy-pack process does not apply `configSchema` defaults: `args.getConfig()` returns only
 * what the `Configure` RPC sent, which is `{}` when nothing was configured. Every policy therefore
 * reads its configuration through {@link resolveConfig}, which starts from the policy's defaults.
 *
 * @module
 */

/** A flat policy configuration: numbers, booleans, strings and string lists. */
export type GuardConfig = Record<string, number | boolean | string | string[] | Record<string, number>>;

/** Thrown when a configured value has the wrong type; it names the policy, the key and what was expected. */
export class PolicyConfigError extends Error {
    constructor(policyName: string, key: string, expected: string, got: unknown) {
        super(`policy '${policyName}': config '${key}' must be ${expected}, got ${JSON.stringify(got)}`);
        this.name = "PolicyConfigError";
    }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function describeType(example: unknown): string {
    if (Array.isArray(example)) {
        return "a list of strings";
    }
    if (isPlainObject(example)) {
        return "an object of numbers";
    }
    return `a ${typeof example}`;
}

function hasSameShape(example: unknown, value: unknown): boolean {
    if (Array.isArray(example)) {
        return Array.isArray(value) && value.every((v) => typeof v === "string");
    }
    if (isPlainObject(example)) {
        return isPlainObject(value) && Object.values(value).every((v) => typeof v === "number" && Number.isFinite(v) && v >= 0);
    }
    return typeof value === typeof example;
}

/**
 * Merges the configuration sent by the engine over `defaults`. Keys the policy does not know are
 * ignored (the engine validates against the schema); `null`/`undefined` fall back to the default;
 * a value of the wrong type throws {@link PolicyConfigError}, because a guardrail silently running
 * with a default its operator tried to change is worse than a loud failure.
 */
export function resolveConfig<C extends GuardConfig>(policyName: string, defaults: C, configured: object | undefined): C {
    const result: GuardConfig = { ...defaults };
    const raw = (configured ?? {}) as Record<string, unknown>;
    for (const key of Object.keys(defaults)) {
        const value = raw[key];
        if (value === undefined || value === null) {
            continue;
        }
        if (!hasSameShape(defaults[key], value)) {
            throw new PolicyConfigError(policyName, key, describeType(defaults[key]), value);
        }
        result[key] = Array.isArray(value) ? [...value] : isPlainObject(value) ? { ...(value as Record<string, number>) } : (value as number | boolean | string);
    }
    return result as C;
}

function escapeRegExp(text: string): string {
    return text.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * True when `value` matches `pattern`: a whole-string, case-insensitive match where `*` stands for
 * any run of characters (`"TI.GN7.*"`, `"ccr.ccs.tencentyun.com/ml-team/*"`).
 */
export function matchesPattern(value: string, pattern: string): boolean {
    const source = pattern.split("*").map(escapeRegExp).join(".*");
    return new RegExp(`^${source}$`, "i").test(value);
}

/**
 * The entry of a table keyed by patterns (the cost policy's price tables) that applies to `value`:
 * an exact key (case-insensitive) first, then the longest matching `*` pattern, so that
 * `{"TI.GN7.*": 30, "TI.GN7.20XLARGE320.POST": 110}` prices the big spec at 110 and the rest at 30.
 * `undefined` when no key applies: an unknown price, never zero.
 */
export function lookupPattern(table: Readonly<Record<string, number>>, value: string): { key: string; price: number } | undefined {
    const keys = Object.keys(table);
    const exact = keys.find((k) => !k.includes("*") && k.toLowerCase() === value.toLowerCase());
    if (exact !== undefined) return { key: exact, price: table[exact] };
    const patterns = keys.filter((k) => k.includes("*") && matchesPattern(value, k)).sort((a, b) => b.length - a.length);
    return patterns.length ? { key: patterns[0], price: table[patterns[0]] } : undefined;
}

/**
 * True when the allow-list permits `value`. An empty allow-list permits everything (the policy is
 * then inactive for that field).
 */
export function isAllowed(value: string, allowList: readonly string[]): boolean {
    return allowList.length === 0 || allowList.some((pattern) => matchesPattern(value, pattern));
}

/** "a, b and c" for messages. */
export function formatList(items: readonly string[]): string {
    if (items.length <= 1) {
        return items.join("");
    }
    return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** "'a', 'b' or 'c'" for messages listing allowed choices. */
export function formatChoices(items: readonly string[]): string {
    const quoted = items.map((i) => `'${i}'`);
    if (quoted.length <= 1) {
        return quoted.join("");
    }
    return `${quoted.slice(0, -1).join(", ")} or ${quoted[quoted.length - 1]}`;
}

/** Formats a number for messages without floating-point noise (`0.5`, `12`, `1.25`). */
export function formatNumber(value: number): string {
    return String(Math.round(value * 100) / 100);
}
