/**
 * Server-side verification of ACS3-HMAC-SHA256 (V3) signatures, written
 * from the algorithm description (reference/signing.md §2;
 * https://help.aliyun.com/zh/sdk/product-overview/v3-request-structure-and-signature),
 * independently of the client signer in `sdk/alibaba` so that the emulator
 * catches signer bugs instead of sharing them.
 *
 * The gateway's order of checks is not documented; this one rejects the
 * cheapest problems first and consumes a nonce only for a request whose
 * signature is valid (so a forged request cannot burn a client's nonce).
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

/** Why a request failed verification, in the gateway's own words (reference/polardb-aidb.md §11.2-11.3). */
export interface AuthFailure {
    status: number;
    code: string;
    message: string;
}

/** A verified request: who sent it. */
export interface AuthSuccess {
    accessKeyId: string;
    nonce: string;
}

/** The parts of a received request the signature covers. */
export interface VerifyInput {
    method: string;
    /** Path as received (still percent-encoded), prefix included. */
    rawPath: string;
    /** Query as received, without `?`. */
    rawQuery: string;
    headers: IncomingHttpHeaders;
    body: Buffer;
}

const ALGORITHM = "ACS3-HMAC-SHA256";
/** x-acs-date may differ from the server clock by at most 15 minutes. */
export const MAX_SKEW_MS = 15 * 60_000;
const MUST_SIGN = ["host", "x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"];

const incomplete: AuthFailure = { status: 400, code: "IncompleteSignature", message: "The request signature does not conform to Aliyun standards." };

/** RFC 3986 encoding: only `A-Z a-z 0-9 - _ . ~` stay; everything else is `%XX` of its UTF-8 bytes. */
function rfc3986(s: string): string {
    let out = "";
    for (const byte of Buffer.from(s, "utf8")) {
        const c = String.fromCharCode(byte);
        out += /[A-Za-z0-9\-_.~]/.test(c) ? c : "%" + byte.toString(16).toUpperCase().padStart(2, "0");
    }
    return out;
}

/** Decodes one received path segment; in a path `+` is a plus. */
function decodePathSegment(s: string): string | undefined {
    try {
        return decodeURIComponent(s);
    } catch {
        return undefined;
    }
}

/**
 * Decodes one received query component, `+` as a space: Alibaba's own Python
 * SDK (alibabacloud-tea-openapi, with alibabacloud-polardb20170801 9.2.1)
 * sends a space as `+` in the query and signs it as `%20`, and the service
 * accepts that, so it reads the query as form encoding (found by
 * tests/referee). A literal plus arrives as `%2B`.
 */
export function decodeQueryComponent(s: string): string | undefined {
    try {
        return decodeURIComponent(s.replace(/\+/g, " "));
    } catch {
        return undefined;
    }
}

/** The canonical query from the query as received: decode, sort by name, re-encode. */
export function canonicalQueryFromRaw(rawQuery: string): string | undefined {
    if (!rawQuery) return "";
    const pairs: Array<[string, string]> = [];
    for (const part of rawQuery.split("&")) {
        if (!part) continue;
        const eq = part.indexOf("=");
        const name = decodeQueryComponent(eq < 0 ? part : part.slice(0, eq));
        const value = decodeQueryComponent(eq < 0 ? "" : part.slice(eq + 1));
        if (name === undefined || value === undefined) return undefined;
        pairs.push([name, value]);
    }
    pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return pairs.map(([n, v]) => `${rfc3986(n)}=${rfc3986(v)}`).join("&");
}

/**
 * The CanonicalURI of a received path: each segment decoded, then
 * RFC 3986-encoded once (signing.md §2.2, "each path segment RFC
 * 3986-encoded"). A vendor SDK builds its path with `getEncodePath` (the same
 * per-segment encoding of the raw path), sends it and signs it unchanged, so
 * for what it sends this is the identity; a client that sends some characters
 * unencoded (`|`, `^`, `!`) is verified over the same raw path. A client
 * that sends `/%E7%BD%91…` but signed `/%25E7%25BD%2591…` (the path encoded
 * twice) gets SignatureDoesNotMatch.
 */
function canonicalUri(rawPath: string): string | undefined {
    const segments = rawPath.split("/").map(decodePathSegment);
    if (segments.some((s) => s === undefined)) return undefined;
    return (segments as string[]).map(rfc3986).join("/") || "/";
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
    const v = headers[name];
    if (v === undefined) return undefined;
    return (Array.isArray(v) ? v.join(",") : v).trim();
}

/** `ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=<a;b>,Signature=<hex>`. */
function parseAuthorization(value: string | undefined): { accessKeyId: string; signedHeaders: string[]; signature: string } | undefined {
    if (!value?.startsWith(ALGORITHM + " ")) return undefined;
    const fields: Record<string, string> = {};
    for (const part of value.slice(ALGORITHM.length + 1).split(",")) {
        const eq = part.indexOf("=");
        if (eq > 0) fields[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
    }
    if (!fields.Credential || !fields.SignedHeaders || !/^[0-9a-f]{64}$/.test(fields.Signature ?? "")) return undefined;
    return { accessKeyId: fields.Credential, signedHeaders: fields.SignedHeaders.split(";"), signature: fields.Signature };
}

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

/**
 * Verifies one request.
 *
 * @param secrets - AccessKey id -> secret the emulator knows.
 * @param nowMs - the server's wall clock, for the skew check.
 * @param nonceUsed - whether this key already sent this nonce within the window.
 * @returns the caller, or the gateway's error.
 */
export function verifyAcs3(req: VerifyInput, secrets: Readonly<Record<string, string>>, nowMs: number, nonceUsed: (accessKeyId: string, nonce: string) => boolean): AuthSuccess | AuthFailure {
    const auth = parseAuthorization(headerValue(req.headers, "authorization"));
    if (!auth) return incomplete;
    const signed = auth.signedHeaders;
    const sorted = [...signed].sort();
    if (signed.some((h, i) => h !== h.toLowerCase() || h !== sorted[i])) return incomplete;
    // Every header that qualifies must be signed (signing.md §2.2): host, content-type and all x-acs-*.
    const qualifying = Object.keys(req.headers).filter((h) => h === "host" || h === "content-type" || h.startsWith("x-acs-"));
    if (MUST_SIGN.some((h) => !signed.includes(h)) || qualifying.some((h) => !signed.includes(h))) return incomplete;
    if (signed.some((h) => headerValue(req.headers, h) === undefined)) return incomplete;

    const secret = secrets[auth.accessKeyId];
    if (secret === undefined) {
        return { status: 404, code: "InvalidAccessKeyId.NotFound", message: "The Access Key ID provided does not exist in our records." };
    }

    const date = headerValue(req.headers, "x-acs-date") as string;
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(date) || Number.isNaN(Date.parse(date))) {
        return { status: 400, code: "IllegalTimestamp", message: `The input parameter "x-acs-date" that is mandatory for processing this request is not supplied or malformed.` };
    }
    if (Math.abs(nowMs - Date.parse(date)) > MAX_SKEW_MS) {
        return { status: 400, code: "InvalidTimeStamp.Expired", message: "Specified time stamp or date value is expired." };
    }

    const query = canonicalQueryFromRaw(req.rawQuery);
    const uri = canonicalUri(req.rawPath);
    if (query === undefined || uri === undefined) return incomplete;
    // The payload hash is computed from the body received, so a wrong x-acs-content-sha256 fails as a signature mismatch.
    const payloadHash = sha256(req.body);
    const canonicalHeaders = signed.map((h) => `${h}:${headerValue(req.headers, h)}\n`).join("");
    const canonicalRequest = [req.method.toUpperCase(), uri, query, canonicalHeaders, signed.join(";"), payloadHash].join("\n");
    const expected = createHmac("sha256", secret).update(`${ALGORITHM}\n${sha256(canonicalRequest)}`).digest();
    const given = Buffer.from(auth.signature, "hex");
    const bodyHashOk = headerValue(req.headers, "x-acs-content-sha256") === payloadHash;
    if (!bodyHashOk || given.length !== expected.length || !timingSafeEqual(given, expected)) {
        return { status: 403, code: "SignatureDoesNotMatch", message: "Specified signature is not matched with our calculation." };
    }

    const nonce = headerValue(req.headers, "x-acs-signature-nonce") as string;
    if (nonceUsed(auth.accessKeyId, nonce)) {
        return { status: 400, code: "SignatureNonceUsed", message: "Specified signature nonce was used already." };
    }
    return { accessKeyId: auth.accessKeyId, nonce };
}

/** Narrows a {@link verifyAcs3} result to the failure case. */
export function isAuthFailure(r: AuthSuccess | AuthFailure): r is AuthFailure {
    return "code" in r;
}
