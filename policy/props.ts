/**
 * Reading resource inputs safely inside a policy.
 *
 * `@pulumi/policy` hands a policy `args.props` wrapped in an unknown-checking proxy: touching a
 * value that is unknown during preview throws, and the whole policy is then reported as "can't run
 * during preview". In remediations the props are also wrapped in a secrets-preserving proxy whose
 * raw target holds `Secret` instances. The readers here step around both proxies, walk the plain
 * data, and return what they found as a {@link PropRead}: known (with whether it was secret),
 * unknown, or absent. Policies decide per field what an unknown means (usually: skip that check
 * at preview; `pulumi up` registers resolved inputs, so the check runs on real values before any
 * create), and never crash on one.
 *
 * @module
 */

import { Secret } from "@pulumi/policy";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";

/**
 * The sentinels the engine uses for values unknown during preview, one per type (the same values
 * as `@pulumi/policy/proxy.js`, which does not export them in its type declarations).
 */
export const UNKNOWN_SENTINELS: readonly string[] = [
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
    "030794c1-ac77-496b-92df-f27374a8bd58", // asset
    "e48ece36-62e2-4504-bad9-02848725956a", // archive
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
];

const IS_SPECIAL_PROXY = "__isSpecialProxy";
const SPECIAL_PROXY_TARGET = "__getSpecialProxyTarget";

/** The result of reading one value. `path` is concrete (array indices filled in), for messages. */
export type PropRead =
    | { status: "known"; path: string; value: unknown; secret: boolean }
    | { status: "unknown"; path: string }
    | { status: "absent"; path: string };

/** A known read, narrowed. */
export type KnownRead = Extract<PropRead, { status: "known" }>;

/** True for the engine's unknown-value sentinels. */
export function isUnknownValue(value: unknown): boolean {
    return typeof value === "string" && UNKNOWN_SENTINELS.includes(value);
}

/**
 * Strips `@pulumi/policy`'s proxies (unknown-checking, secrets-preserving) from a value and returns
 * the plain data underneath. Values that are not proxies are returned unchanged.
 */
export function unwrapProxies<T>(value: T): T {
    let current: unknown = value;
    for (let depth = 0; depth < 4; depth++) {
        if (current === null || typeof current !== "object") {
            break;
        }
        const target = current as Record<string, unknown>;
        if (target[IS_SPECIAL_PROXY] !== true) {
            break;
        }
        current = target[SPECIAL_PROXY_TARGET];
    }
    return current as T;
}

/** If `value` is a secret (a `Secret` instance or a serialized secret), its plaintext; otherwise `undefined`. */
function secretPayload(value: unknown): { inner: unknown } | undefined {
    if (value instanceof Secret) {
        return { inner: value.value };
    }
    if (value !== null && typeof value === "object" && (value as Record<string, unknown>)[specialSigKey] === specialSecretSig) {
        return { inner: (value as Record<string, unknown>).value };
    }
    return undefined;
}

/** Unwraps a secret, reporting whether there was one. */
function openSecret(value: unknown): { value: unknown; secret: boolean } {
    let secret = false;
    let current = unwrapProxies(value);
    for (let payload = secretPayload(current); payload; payload = secretPayload(current)) {
        secret = true;
        current = unwrapProxies(payload.inner);
    }
    return { value: current, secret };
}

function walk(value: unknown, segments: readonly string[], path: string, fullPath: string, inheritedSecret: boolean): PropRead[] {
    const opened = openSecret(value);
    const secret = inheritedSecret || opened.secret;
    const current = opened.value;
    if (isUnknownValue(current)) {
        return [{ status: "unknown", path: path || fullPath }];
    }
    if (segments.length === 0) {
        return current === undefined || current === null
            ? [{ status: "absent", path }]
            : [{ status: "known", path, value: current, secret }];
    }
    if (current === undefined || current === null || typeof current !== "object") {
        return [{ status: "absent", path: fullPath }];
    }
    const [segment, ...rest] = segments;
    const fanOut = segment.endsWith("[]");
    const field = fanOut ? segment.slice(0, -2) : segment;
    const childPath = path ? `${path}.${field}` : field;
    const child = (current as Record<string, unknown>)[field];
    if (!fanOut) {
        return walk(child, rest, childPath, fullPath, secret);
    }
    const openedChild = openSecret(child);
    if (isUnknownValue(openedChild.value)) {
        return [{ status: "unknown", path: childPath }];
    }
    if (openedChild.value === undefined || openedChild.value === null) {
        return [];
    }
    const childSecret = secret || openedChild.secret;
    if (!Array.isArray(openedChild.value)) {
        return walk(openedChild.value, rest, childPath, fullPath, childSecret);
    }
    return openedChild.value.flatMap((element, index) =>
        walk(element, rest, `${childPath}[${index}]`, fullPath, childSecret),
    );
}

/**
 * Classifies one value that is already in hand (e.g. an entry of a map whose keys may contain
 * dots): known (and whether secret), unknown, or absent. `path` is only used for messages.
 */
export function readValue(value: unknown, path: string, secret = false): PropRead {
    return walk(value, [], path, path, secret)[0];
}

/**
 * Reads every value at `path` (dotted; a `[]` suffix fans out over an array). Returns one read per
 * value found; an absent array under a `[]` segment yields no reads, an absent plain path yields
 * one `absent` read.
 */
export function readAll(props: unknown, path: string): PropRead[] {
    return walk(unwrapProxies(props), path.split("."), "", path, false);
}

/** Reads the single value at `path` (the first one when the path fans out). */
export function readOne(props: unknown, path: string): PropRead {
    return readAll(props, path)[0] ?? { status: "absent", path };
}

/** Reads the first of several candidate paths that is present (known or unknown). */
export function readFirst(props: unknown, paths: readonly string[]): PropRead {
    for (const path of paths) {
        const read = readOne(props, path);
        if (read.status !== "absent") {
            return read;
        }
    }
    return { status: "absent", path: paths[0] ?? "" };
}

/**
 * The object(s) at `path`: an array yields each element, a single object yields itself. Each item
 * is returned as a read whose value is the plain object (or unknown).
 */
export function readItems(props: unknown, path: string): PropRead[] {
    const read = readOne(props, path);
    if (read.status !== "known") {
        return read.status === "unknown" ? [read] : [];
    }
    if (!Array.isArray(read.value)) {
        return [read];
    }
    return read.value.flatMap((element, index) =>
        walk(element, [], `${path}[${index}]`, path, read.secret),
    );
}

/** A number from a number or a numeric string (Alaya sends numbers as strings); otherwise `undefined`. */
export function toNumber(value: unknown): number | undefined {
    if (typeof value === "number") {
        return Number.isFinite(value) ? value : undefined;
    }
    if (typeof value === "string" && /^\s*[-+]?(\d+(\.\d*)?|\.\d+)\s*$/.test(value)) {
        return Number(value);
    }
    return undefined;
}

/** A boolean from a boolean or the strings "true"/"false"; otherwise `undefined`. */
export function toBoolean(value: unknown): boolean | undefined {
    if (typeof value === "boolean") {
        return value;
    }
    if (value === "true" || value === "false") {
        return value === "true";
    }
    return undefined;
}

/** A non-empty string, or `undefined`. */
export function toText(value: unknown): string | undefined {
    return typeof value === "string" && value.length > 0 ? value : undefined;
}

