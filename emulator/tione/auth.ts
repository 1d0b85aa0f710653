/**
 * Server-side TC3-HMAC-SHA256 verification, written from the published
 * algorithm (reference/signing.md §1; https://cloud.tencent.com.cn/document/api/862/37573)
 * and independent of the client's signer, so a client signing bug shows up
 * as the cloud's own error instead of being mirrored.
 *
 * The signature is recomputed over the headers the request lists in
 * `SignedHeaders`, with the values it actually carries: both
 * `content-type;host` (vendor SDKs) and `content-type;host;x-tc-action`
 * (current CN doc) verify. The Host is checked as sent or without its port
 * (the Node SDK signs the hostname alone; on the cloud's port 443 the two
 * are one value); a client that signs any other host fails here.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

/** A rejected request: the API 3.0 error code and message. */
export interface AuthProblem {
    code: string;
    message: string;
}

export interface AuthInput {
    method: string;
    headers: IncomingHttpHeaders;
    body: Buffer;
    /** Canonical query string (empty for POST). */
    canonicalQuery: string;
}

export interface AuthConfig {
    /** SecretId -> SecretKey. */
    secrets: Readonly<Record<string, string>>;
    /** SecretId -> the `X-TC-Token` a temporary credential must carry. */
    sessionTokens?: Readonly<Record<string, string>>;
    /** Signing service name. */
    service: string;
}

/** Largest accepted difference between `X-TC-Timestamp` and the server clock (signing.md §1.3: five minutes). */
export const MAX_SKEW_SECONDS = 300;

const AUTH_RE = /^TC3-HMAC-SHA256 Credential=([^/\s]+)\/(\d{4}-\d{2}-\d{2})\/([^/\s]+)\/tc3_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
    const v = headers[name];
    return Array.isArray(v) ? v.join(",") : v;
}

const sha256Hex = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
const hmac = (key: string | Buffer, msg: string) => createHmac("sha256", key).update(msg, "utf8").digest();

/**
 * Verifies a request's TC3 signature. Returns the SecretId on success, or the
 * error the real gateway answers: `AuthFailure.InvalidAuthorization`,
 * `AuthFailure.SecretIdNotFound`, `AuthFailure.SignatureExpire`,
 * `AuthFailure.TokenFailure` or `AuthFailure.SignatureFailure`.
 *
 * @param nowSeconds - server time in Unix seconds (wall time: the emulator's
 *   job clock may be advanced by tests, signatures must not expire with it).
 */
export function verifyTc3(req: AuthInput, cfg: AuthConfig, nowSeconds: number): { secretId: string } | AuthProblem {
    const authorization = header(req.headers, "authorization");
    if (!authorization) return { code: "AuthFailure.InvalidAuthorization", message: "The Authorization header is missing." };
    const m = AUTH_RE.exec(authorization.trim());
    if (!m) return { code: "AuthFailure.InvalidAuthorization", message: "The Authorization header is not in the TC3-HMAC-SHA256 format." };
    const [, secretId, date, service, signedHeaderList, signature] = m;

    const tsText = header(req.headers, "x-tc-timestamp");
    if (!tsText) return { code: "MissingParameter", message: "The request is missing a required parameter `Timestamp`." };
    if (!/^\d{1,12}$/.test(tsText)) return { code: "InvalidParameterValue", message: `The value \`${tsText}\` of parameter \`Timestamp\` is not a Unix time in seconds.` };
    const timestamp = Number(tsText);

    const secretKey = cfg.secrets[secretId];
    if (secretKey === undefined) return { code: "AuthFailure.SecretIdNotFound", message: "The SecretId is not found, please ensure that your SecretId is correct." };

    if (Math.abs(nowSeconds - timestamp) > MAX_SKEW_SECONDS) {
        return {
            code: "AuthFailure.SignatureExpire",
            message: `Signature expired. Timestamp and server time cannot differ by more than five minutes (request ${timestamp}, server ${nowSeconds}).`,
        };
    }

    const expectedToken = cfg.sessionTokens?.[secretId];
    if (expectedToken !== undefined && header(req.headers, "x-tc-token") !== expectedToken) {
        return { code: "AuthFailure.TokenFailure", message: "The temporary credential token is invalid or has expired." };
    }

    const names = signedHeaderList.split(";");
    const sorted = [...names].sort();
    const problems: string[] = [];
    if (!names.includes("content-type") || !names.includes("host")) problems.push("SignedHeaders must include content-type and host");
    if (names.some((n, i) => n !== sorted[i]) || new Set(names).size !== names.length) problems.push("SignedHeaders must be sorted and unique");
    const missing = names.filter((n) => header(req.headers, n) === undefined);
    if (missing.length) problems.push(`signed header(s) not sent: ${missing.join(", ")}`);
    if (problems.length) return { code: "AuthFailure.SignatureFailure", message: `The provided credentials could not be validated: ${problems.join("; ")}.` };

    // The scope the server expects: the UTC date of the timestamp and its own service name.
    const expectedDate = new Date(timestamp * 1000).toISOString().slice(0, 10);
    if (date !== expectedDate || service !== cfg.service) {
        return {
            code: "AuthFailure.SignatureFailure",
            message: `The provided credentials could not be validated: credential scope ${date}/${service} does not match ${expectedDate}/${cfg.service}.`,
        };
    }

    const signingKey = hmac(hmac(hmac("TC3" + secretKey, date), service), "tc3_request");
    const given = Buffer.from(signature, "hex");
    const sentHost = (header(req.headers, "host") ?? "").trim();
    // The Host as sent, and without its port: the Node SDK signs the URL's hostname while its HTTP
    // library sends `host:port` (tencentcloud-sdk-nodejs `src/common/sign.ts`, `src/common/http/http_connection.ts`;
    // reference/tione.md §14). On the cloud, reached on port 443, the two are one value; only a
    // non-default port (the emulator, a proxy) tells them apart, so either verifies, the hostname
    // itself always included.
    const hosts = [...new Set([sentHost, sentHost.replace(/:\d+$/, "")])];
    const verifies = hosts.some((host) => {
        const canonicalHeaders = names
            .map((n) => {
                const raw = n === "host" ? host : (header(req.headers, n) ?? "").trim();
                // The documented form signs the action lower-cased (x-tc-action:describeinstances).
                return `${n}:${n === "x-tc-action" ? raw.toLowerCase() : raw}\n`;
            })
            .join("");
        const canonicalRequest = [req.method.toUpperCase(), "/", req.canonicalQuery, canonicalHeaders, signedHeaderList, sha256Hex(req.body)].join("\n");
        const stringToSign = ["TC3-HMAC-SHA256", tsText, `${date}/${service}/tc3_request`, sha256Hex(canonicalRequest)].join("\n");
        const expected = hmac(signingKey, stringToSign);
        return given.length === expected.length && timingSafeEqual(given, expected);
    });
    if (!verifies) {
        return { code: "AuthFailure.SignatureFailure", message: "The provided credentials could not be validated. Please check your signature is correct." };
    }
    return { secretId };
}
