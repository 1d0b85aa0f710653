/**
 * Alibaba Cloud ACS3-HMAC-SHA256 ("V3") request signing, shared by every
 * Alibaba RPC-style product client (PolarDB AIDB first).
 *
 * Algorithm: https://help.aliyun.com/zh/sdk/product-overview/v3-request-structure-and-signature
 * (English: https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature).
 *
 * Pure: depends only on `node:crypto`, performs no I/O, and returns every
 * intermediate value so that callers and tests can compare them with the
 * published vectors.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';

/** The algorithm name, the first line of the string to sign and the Authorization prefix. */
export const ACS3_ALGORITHM = 'ACS3-HMAC-SHA256';

/** Headers a V3 request must carry and sign; `signAcs3` refuses to sign without them. */
const REQUIRED_HEADERS = [
  'host',
  'x-acs-action',
  'x-acs-version',
  'x-acs-date',
  'x-acs-signature-nonce',
  'x-acs-content-sha256',
] as const;

/**
 * Percent-encodes a string the way ACS3 requires (RFC 3986, UTF-8, upper-case hex).
 *
 * Only the unreserved characters `A-Z a-z 0-9 - _ . ~` stay as they are;
 * in particular space becomes `%20` (never `+`), `*` becomes `%2A`, `/`
 * becomes `%2F` and `~` is kept.
 *
 * @param s - the raw (unencoded) string.
 * @returns the encoded string.
 * @throws URIError if `s` contains a lone UTF-16 surrogate, which has no
 *   UTF-8 encoding and therefore no well-defined signature.
 */
export function percentEncode(s: string): string {
  // encodeURIComponent already leaves exactly the unreserved set plus
  // `! ' ( ) *` alone; RFC 3986 reserves those five, so encode them too.
  return encodeURIComponent(s).replace(
    /[!'()*]/g,
    (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase(),
  );
}

/**
 * Builds the CanonicalQueryString line of the canonical request.
 *
 * Parameters are sorted by name (UTF-16 code-unit order, as the vendor SDK's
 * `Object.keys(...).sort()` does), then name and value are each
 * percent-encoded and joined as `name=value` pairs separated by `&`.
 * An empty value yields `name=`; an empty map yields the empty string.
 * Nested parameters must already be flattened (`Tag.1.Key`).
 *
 * @param query - flat map of raw (unencoded) query parameters.
 * @returns the canonical query string.
 */
export function canonicalQueryString(query: Record<string, string>): string {
  return Object.keys(query)
    .sort()
    .map((name) => `${percentEncode(name)}=${percentEncode(query[name] ?? '')}`)
    .join('&');
}

/**
 * Builds the CanonicalURI line of the canonical request from a raw (decoded)
 * path: each `/`-separated segment percent-encoded once with
 * {@link percentEncode}; an empty path signs as `/` (signing.md §2.2).
 * This is what the vendor SDK signs and sends: it builds the path with
 * `OpenApiUtil.getEncodePath` (each segment `encodeURIComponent`d, plus
 * `! ' ( ) *`) and signs that string as it is (`@alicloud/openapi-util`
 * `getAuthorization`).
 *
 * @param rawPath - the path as people write it, not yet percent-encoded (`/网关/polardb/`).
 * @returns the encoded path (`/%E7%BD%91%E5%85%B3/polardb/`), also the path to send.
 */
export function canonicalUri(rawPath: string): string {
  return rawPath ? rawPath.split('/').map(percentEncode).join('/') : '/';
}

/**
 * Lower-case hex SHA-256 of a request body (the HashedRequestPayload and the
 * `x-acs-content-sha256` header value).
 *
 * @param body - the exact body bytes; a string is hashed as UTF-8.
 * @returns 64 lower-case hex characters.
 */
export function hexSha256(body: string | Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}

/** Input of {@link signAcs3}. */
export interface Acs3SignInput {
  /** HTTP method; upper-cased before signing. */
  method: string;
  /**
   * Raw (decoded) resource path: `/` for RPC APIs, or an endpoint's path
   * prefix such as `/网关/polardb/`. Each segment is percent-encoded here
   * ({@link canonicalUri}); a path that is already encoded (`URL.pathname`)
   * would be encoded twice.
   */
  pathname: string;
  /** Flat map of raw query parameters, exactly as they will be sent. */
  query: Record<string, string>;
  /**
   * Headers that will be sent. Must include `host`, `x-acs-action`,
   * `x-acs-version`, `x-acs-date`, `x-acs-signature-nonce` and
   * `x-acs-content-sha256` (plus `x-acs-security-token` for STS); see
   * {@link buildAcs3Headers}. Other headers (e.g. `user-agent`) may be present
   * and are left unsigned.
   */
  headers: Record<string, string>;
  /** Exact body bytes; omitted means empty. */
  body?: string | Buffer;
  /** AccessKey ID, placed in the Authorization `Credential`. */
  accessKeyId: string;
  /** AccessKey secret, the HMAC key. */
  accessKeySecret: string;
}

/** Output of {@link signAcs3}: the Authorization value plus every intermediate. */
export interface Acs3Signature {
  /** Value of the `Authorization` header: `ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…`. */
  authorization: string;
  /** Lower-case hex HMAC-SHA256 of the string to sign. */
  signature: string;
  /** Signed header names, lower-case, sorted, joined with `;`. */
  signedHeaders: string;
  /** The canonical request that was hashed. */
  canonicalRequest: string;
  /** `ACS3-HMAC-SHA256\n` + hex SHA-256 of the canonical request. */
  stringToSign: string;
}

/**
 * Signs a request with ACS3-HMAC-SHA256.
 *
 * Signed headers are `host`, `content-type` and every `x-acs-*` header
 * (names matched case-insensitively and lower-cased, then sorted); values are
 * trimmed. Like `@alicloud/openapi-util`, names that differ only in case are
 * merged into one line with their sorted values joined by `,`.
 *
 * @param input - the request to sign; see {@link Acs3SignInput}.
 * @returns the Authorization header value and the intermediate strings.
 * @throws Error if a required header is missing, or if `x-acs-content-sha256`
 *   does not match the body (the server would reject the request anyway, with
 *   a far less helpful `SignatureDoesNotMatch`).
 */
export function signAcs3(input: Acs3SignInput): Acs3Signature {
  const payloadHash = hexSha256(input.body ?? '');

  // Group by lower-cased name: the gateway treats header names
  // case-insensitively and requires all qualifying headers to be signed.
  const grouped = new Map<string, string[]>();
  for (const [name, value] of Object.entries(input.headers)) {
    const lower = name.toLowerCase();
    if (lower === 'host' || lower === 'content-type' || lower.startsWith('x-acs-')) {
      const values = grouped.get(lower) ?? [];
      values.push(String(value ?? '').trim());
      grouped.set(lower, values);
    }
  }

  for (const name of REQUIRED_HEADERS) {
    if (!grouped.has(name)) {
      throw new Error(`ACS3 signing: missing required header '${name}'`);
    }
  }
  const declaredHash = grouped.get('x-acs-content-sha256')!.join(',');
  if (declaredHash !== payloadHash) {
    throw new Error(
      `ACS3 signing: x-acs-content-sha256 '${declaredHash}' does not match the body hash '${payloadHash}'`,
    );
  }

  const names = [...grouped.keys()].sort();
  const canonicalHeaders = names.map((n) => `${n}:${grouped.get(n)!.sort().join(',')}\n`).join('');
  const signedHeaders = names.join(';');

  const canonicalRequest = [
    input.method.toUpperCase(),
    canonicalUri(input.pathname),
    canonicalQueryString(input.query),
    canonicalHeaders, // already ends in "\n", so the join leaves the documented blank line
    signedHeaders,
    payloadHash,
  ].join('\n');

  const stringToSign = `${ACS3_ALGORITHM}\n${hexSha256(canonicalRequest)}`;
  const signature = createHmac('sha256', input.accessKeySecret).update(stringToSign).digest('hex');
  // The separators are "," with no space, unlike Tencent's TC3.
  const authorization =
    `${ACS3_ALGORITHM} Credential=${input.accessKeyId},SignedHeaders=${signedHeaders},Signature=${signature}`;

  return { authorization, signature, signedHeaders, canonicalRequest, stringToSign };
}

/** Input of {@link buildAcs3Headers}. */
export interface Acs3HeaderInput {
  /** API name, e.g. `CreateAIDBClusterTask`. */
  action: string;
  /** API version, e.g. `2017-08-01`. */
  version: string;
  /** Endpoint host as sent in `Host`, including any non-default port. */
  host: string;
  /**
   * Request time. A `Date` is formatted as `yyyy-MM-ddTHH:mm:ssZ` (UTC, no
   * milliseconds); a string is used verbatim. Defaults to now; the gateway
   * rejects skew over 15 minutes.
   */
  date?: Date | string;
  /** Unique per request (replays fail with `SignatureNonceUsed`). Defaults to 32 random hex chars, like the SDKs. */
  nonce?: string;
  /** STS security token; adds `x-acs-security-token`. */
  securityToken?: string;
  /** With `securityToken`, also sent as `x-acs-accesskey-id`, as the vendor SDKs do. */
  accessKeyId?: string;
  /** Body to be sent; its hash becomes `x-acs-content-sha256`. Omitted means empty (RPC calls put everything in the query). */
  body?: string | Buffer;
  /** Optional `content-type` (signed when present). */
  contentType?: string;
}

/**
 * Formats a time as ACS3 wants it in `x-acs-date`: ISO-8601 UTC without milliseconds.
 *
 * @param date - the time to format.
 * @returns e.g. `2026-01-01T00:00:00Z`.
 */
export function acs3Date(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Builds the header set a V3 request sends and signs, so a client needs one
 * call here and one to {@link signAcs3}, then adds `authorization`.
 *
 * @param input - see {@link Acs3HeaderInput}.
 * @returns lower-case header names mapped to values.
 */
export function buildAcs3Headers(input: Acs3HeaderInput): Record<string, string> {
  const date = input.date ?? new Date();
  const headers: Record<string, string> = {
    host: input.host,
    'x-acs-action': input.action,
    'x-acs-version': input.version,
    'x-acs-date': typeof date === 'string' ? date : acs3Date(date),
    'x-acs-signature-nonce': input.nonce ?? randomBytes(16).toString('hex'),
    'x-acs-content-sha256': hexSha256(input.body ?? ''),
  };
  if (input.contentType !== undefined) headers['content-type'] = input.contentType;
  if (input.securityToken !== undefined) {
    headers['x-acs-security-token'] = input.securityToken;
    if (input.accessKeyId !== undefined) headers['x-acs-accesskey-id'] = input.accessKeyId;
  }
  return headers;
}
