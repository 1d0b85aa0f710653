/**
 * Tencent Cloud API 3.0 request signing (TC3-HMAC-SHA256), as used by TI-ONE.
 *
 * Algorithm: https://cloud.tencent.com.cn/document/api/862/37573 ("签名方法 v3");
 * English version: https://tencentcloud.com/document/product/1021/34193.
 *
 * Pure module: no I/O, no clock. The caller supplies the timestamp so that the
 * value in `X-TC-Timestamp` and the one signed can never drift apart.
 *
 * @packageDocumentation
 */
import { createHash, createHmac } from "node:crypto";

/** Inputs to {@link signTc3}. Every value must be exactly what goes on the wire. */
export interface Tc3SignInput {
  /** API SecretId; appears only in the `Credential=` part of the Authorization header. */
  secretId: string;
  /** API SecretKey; the root of the derived signing key. Never leaves this function. */
  secretKey: string;
  /** Product service name, the first label of the endpoint host (e.g. `"tione"`, also for regional hosts). */
  service: string;
  /** Value of the `Host` header as sent; may include `:port` for local endpoints, which is then signed too. */
  host: string;
  /** API action name (e.g. `"DescribeTrainingTask"`); signed only when {@link Tc3SignInput.signActionHeader} is true. */
  action?: string;
  /**
   * When true, the signed headers are `content-type;host;x-tc-action` (the current CN doc's form) instead of
   * `content-type;host` (the form the vendor SDKs use). Requires {@link Tc3SignInput.action}.
   */
  signActionHeader?: boolean;
  /** Seconds since the Unix epoch; the same integer must be sent as `X-TC-Timestamp`. */
  timestamp: number;
  /** Exact request body bytes. Strings are encoded as UTF-8. */
  payload: string | Buffer;
  /** `Content-Type` header as sent. Defaults to `"application/json; charset=utf-8"`. */
  contentType?: string;
  /** HTTP method; Tencent API 3.0 accepts `POST` and `GET`. Defaults to `"POST"`. */
  method?: string;
  /** Canonical URI; always `/` for API 3.0. Defaults to `"/"`. */
  canonicalUri?: string;
  /**
   * Canonical query string without the leading `?`, already RFC 3986-encoded with upper-case hex
   * (GET form only). Defaults to `""`.
   */
  canonicalQuery?: string;
}

/** Result of {@link signTc3}: the header value to send plus the intermediate values, for debugging and tests. */
export interface Tc3Signature {
  /** Full `Authorization` header value: `TC3-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`. */
  authorization: string;
  /** Lower-case hex HMAC-SHA256 signature. */
  signature: string;
  /** Signed header names joined by `;`, e.g. `content-type;host`. */
  signedHeaders: string;
  /** `<date>/<service>/tc3_request`. */
  credentialScope: string;
  /** UTC date of the timestamp, `YYYY-MM-DD`. */
  date: string;
  /** The canonical request that was hashed. */
  canonicalRequest: string;
  /** The string that was signed. */
  stringToSign: string;
}

const ALGORITHM = "TC3-HMAC-SHA256";
const DEFAULT_CONTENT_TYPE = "application/json; charset=utf-8";
/** 9999-12-31T23:59:59Z, the last second whose UTC date has a four-digit year. */
const MAX_TIMESTAMP = 253402300799;

/**
 * Signs a Tencent Cloud API 3.0 request with TC3-HMAC-SHA256.
 *
 * Differences from the vendor SDK's internal `Sign.sign3`, on purpose:
 * - `host` is signed exactly as given (port included), because the server verifies the `Host` header it
 *   receives; `sign3` signs the hostname without the port.
 * - a string payload is hashed as its UTF-8 bytes; `sign3` would JSON-encode it again first.
 *
 * @param input - the request parts to sign; see {@link Tc3SignInput}.
 * @returns the Authorization header value and every intermediate value.
 * @throws TypeError if a required string is empty, a header value contains CR/LF, or
 *   `signActionHeader` is set without `action`.
 * @throws RangeError if `timestamp` is not an integer number of seconds between 1970 and the end of year 9999.
 */
export function signTc3(input: Tc3SignInput): Tc3Signature {
  const { secretId, secretKey, service, timestamp } = input;
  requireNonEmpty("secretId", secretId);
  requireNonEmpty("secretKey", secretKey);
  requireNonEmpty("service", service);
  // The timestamp is signed as its decimal text; a fraction or exponent form would never match X-TC-Timestamp.
  // The upper bound keeps the date a four-digit-year YYYY-MM-DD.
  if (!Number.isSafeInteger(timestamp) || timestamp < 0 || timestamp > MAX_TIMESTAMP) {
    throw new RangeError(`timestamp must be an integer number of seconds in [0, ${MAX_TIMESTAMP}], got ${timestamp}`);
  }

  // HTTP clients send the method upper-case, so sign it that way.
  const method = (input.method ?? "POST").toUpperCase();
  const canonicalUri = input.canonicalUri ?? "/";
  const canonicalQuery = input.canonicalQuery ?? "";

  // Header names are lower-case and sorted in ASCII order ("content-type" < "host" < "x-tc-action").
  const headers: Array<[string, string]> = [
    ["content-type", headerValue("contentType", input.contentType ?? DEFAULT_CONTENT_TYPE)],
    ["host", headerValue("host", input.host)],
  ];
  if (input.signActionHeader) {
    if (input.action === undefined || input.action.trim() === "") {
      throw new TypeError("signActionHeader requires a non-empty action");
    }
    // The official example signs the action lower-cased (x-tc-action:describeinstances).
    headers.push(["x-tc-action", headerValue("action", input.action).toLowerCase()]);
  }
  const canonicalHeaders = headers.map(([k, v]) => `${k}:${v}\n`).join("");
  const signedHeaders = headers.map(([k]) => k).join(";");

  const payload = typeof input.payload === "string" ? Buffer.from(input.payload, "utf8") : input.payload;
  const canonicalRequest = [
    method,
    canonicalUri,
    canonicalQuery,
    canonicalHeaders, // ends with "\n", which yields the blank line before SignedHeaders
    signedHeaders,
    sha256Hex(payload),
  ].join("\n");

  const date = utcDate(timestamp);
  const credentialScope = `${date}/${service}/tc3_request`;
  const stringToSign = [ALGORITHM, String(timestamp), credentialScope, sha256Hex(canonicalRequest)].join("\n");

  const secretDate = hmac("TC3" + secretKey, date);
  const secretService = hmac(secretDate, service);
  const secretSigning = hmac(secretService, "tc3_request");
  const signature = hmac(secretSigning, stringToSign).toString("hex");

  // Separators are ", " (comma + space), unlike Alibaba's ACS3 which uses "," alone.
  const authorization =
    `${ALGORITHM} Credential=${secretId}/${credentialScope}, ` +
    `SignedHeaders=${signedHeaders}, Signature=${signature}`;

  return { authorization, signature, signedHeaders, credentialScope, date, canonicalRequest, stringToSign };
}

/** UTC calendar date of a Unix-seconds timestamp; a local-time date breaks signatures around midnight. */
function utcDate(timestamp: number): string {
  return new Date(timestamp * 1000).toISOString().slice(0, 10);
}

function sha256Hex(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

function hmac(key: string | Buffer, message: string): Buffer {
  return createHmac("sha256", key).update(message, "utf8").digest();
}

function requireNonEmpty(name: string, value: string): void {
  if (typeof value !== "string" || value === "") {
    throw new TypeError(`${name} must be a non-empty string`);
  }
}

/** Trims a header value (the canonical form) and rejects line breaks, which would forge extra canonical lines. */
function headerValue(name: string, value: string): string {
  requireNonEmpty(name, value);
  if (/[\r\n]/.test(value)) {
    throw new TypeError(`${name} must not contain CR or LF`);
  }
  const trimmed = value.trim();
  requireNonEmpty(name, trimmed);
  return trimmed;
}
