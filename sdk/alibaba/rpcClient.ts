/**
 * The transport every Alibaba Cloud RPC-style product client shares
 * (PolarDB first): `POST /` with every business parameter in the query
 * string and an empty body, signed with ACS3-HMAC-SHA256 (V3), answers in
 * JSON, failures as `{RequestId, HostId, Code, Message, Recommend}`.
 *
 * Wire shape: the vendor SDK declares each action `Method: POST, Pathname: "/",
 * Style: RPC, ReqBodyType: formData, BodyType: json` and puts all parameters in
 * the query (reference/polardb-aidb.md §1; `aliyun/darabonba-openapi` `doRequest`).
 * Signing: https://help.aliyun.com/zh/sdk/product-overview/v3-request-structure-and-signature
 * Error envelope: https://alibabacloud.com/help/en/openapi/user-guide/api-error-diagnosis
 *
 * Product clients add the version, the endpoint rules and typed actions.
 */
import { CloudApiError } from "../core/errors";
import { HttpRequest, HttpResponse, ServiceClient, parseJsonBody } from "../core/http";
import type { RetryPolicy } from "../core/backoff";
import type { RateLimit } from "../core/rateLimiter";
import { Redactor } from "../core/redact";
import { buildAcs3Headers, canonicalQueryString, canonicalUri, signAcs3 } from "./signer";

/** An AccessKey pair, optionally with an STS token (then the id is an `STS.…` id). */
export interface AlibabaCredentials {
    accessKeyId: string;
    accessKeySecret: string;
    /** STS security token, sent as `x-acs-security-token` (signed). */
    securityToken?: string;
}

/**
 * Credentials from the variables `@alicloud/credentials` reads
 * (`ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`,
 * `ALIBABA_CLOUD_SECURITY_TOKEN`), falling back to the Terraform/Pulumi
 * provider names (`ALICLOUD_ACCESS_KEY`, `ALICLOUD_SECRET_KEY`,
 * `ALICLOUD_SECURITY_TOKEN`) so existing alicloud setups work unchanged.
 *
 * @returns the credentials, or undefined when no key pair is set.
 */
export function alibabaCredentialsFromEnv(env: NodeJS.ProcessEnv = process.env): AlibabaCredentials | undefined {
    const accessKeyId = env.ALIBABA_CLOUD_ACCESS_KEY_ID || env.ALICLOUD_ACCESS_KEY;
    const accessKeySecret = env.ALIBABA_CLOUD_ACCESS_KEY_SECRET || env.ALICLOUD_SECRET_KEY;
    if (!accessKeyId || !accessKeySecret) return undefined;
    return { accessKeyId, accessKeySecret, securityToken: env.ALIBABA_CLOUD_SECURITY_TOKEN || env.ALICLOUD_SECURITY_TOKEN || undefined };
}

/** A parameter value as callers give it; `undefined` means "not sent". Objects must be serialized by the product client. */
export type RpcParamValue = string | number | boolean | undefined;

/** How to reach and sign for one Alibaba RPC product. */
export interface AlibabaRpcClientOptions {
    /** Product name as people know it, used in errors: `PolarDB`. */
    service: string;
    /** API version sent as `x-acs-version`, e.g. `2017-08-01`. */
    version: string;
    /**
     * Base URL of the endpoint. A bare host (`polardb.aliyuncs.com`) means
     * `https://<host>/`. A path (`http://127.0.0.1:4010/polardb/`) is kept and
     * signed as the canonical URI, which is what a gateway behind a path
     * prefix (the emulator) sees. It may hold any characters
     * (`http://gateway.internal/网关/polardb/`): they are encoded once, in
     * the signature and on the wire alike.
     */
    endpoint: string;
    credentials: AlibabaCredentials;
    /** Key of the process-wide token bucket; conventionally `<product>:<region>`. */
    bucketKey: string;
    /** Request rate this client keeps to. */
    rateLimit: RateLimit;
    /** Per-request timeout in ms. Default 30 000. */
    timeoutMs?: number;
    retry?: Partial<RetryPolicy>;
    /** Clock used for `x-acs-date`. Tests pass a skewed clock. Default: the system clock. */
    now?: () => Date;
    /** Nonce source for `x-acs-signature-nonce`. Tests pass a constant to provoke `SignatureNonceUsed`. Default: 32 random hex characters. */
    nonce?: () => string;
}

/** Options of one call. */
export interface RpcCallOptions {
    /** Whether resending after a lost answer is harmless (reads and deletes: yes; creates: no). */
    idempotent: boolean;
}

/** The fields every successful RPC answer carries. */
export interface RpcResponse {
    RequestId?: string;
}

/**
 * Whether an Alibaba error code means "rejected by flow control": the
 * vendor SDK (`@alicloud/openapi-core`) treats any code containing
 * `Throttling` that way (`Throttling`, `Throttling.User`, `Throttling.Api`,
 * `Rejected.Throttling`).
 */
export function isThrottlingCode(code: string): boolean {
    return code.includes("Throttling");
}

/** What to do about the failures people cause themselves; appended to the cloud's message. */
const HINTS: Readonly<Record<string, string>> = {
    SignatureDoesNotMatch: "Check the AccessKey secret (ALIBABA_CLOUD_ACCESS_KEY_SECRET or alicloud:secretKey).",
    "InvalidAccessKeyId.NotFound": "Check the AccessKey id (ALIBABA_CLOUD_ACCESS_KEY_ID or alicloud:accessKey).",
    "InvalidTimeStamp.Expired": "The local clock is more than 15 minutes off; synchronise it.",
    IllegalTimestamp: "The local clock is more than 15 minutes off or the date is malformed; synchronise the clock.",
    "Forbidden.RAM": "Grant the RAM user or role permission for this action.",
};

/** Codes that are temporary server-side failures and safe to retry for idempotent calls. */
const TRANSIENT_CODES = new Set(["ServiceUnavailable", "InternalError", "ServiceTimeout"]);

/**
 * A signed Alibaba RPC client. Stateless apart from its HTTP core (rate
 * bucket, retries), so one instance per credential and endpoint is shared.
 */
export class AlibabaRpcClient {
    readonly http: ServiceClient;
    private readonly base: URL;
    /** The endpoint's path decoded, which is what the ACS3 signer takes (it encodes each segment itself). */
    private readonly rawPath: string;

    constructor(private readonly opts: AlibabaRpcClientOptions) {
        if (!opts.credentials.accessKeyId || !opts.credentials.accessKeySecret) {
            throw new Error(`${opts.service}: Alibaba Cloud AccessKey missing`);
        }
        this.base = normalizeEndpoint(opts.endpoint);
        this.rawPath = decodedPath(this.base);
        // The AccessKey id too: Alibaba quotes the string to sign, AccessKeyId included, in signature errors.
        const redactor = new Redactor().add(opts.credentials.accessKeySecret, opts.credentials.securityToken, opts.credentials.accessKeyId);
        this.http = new ServiceClient({
            service: opts.service,
            bucketKey: opts.bucketKey,
            rateLimit: opts.rateLimit,
            timeoutMs: opts.timeoutMs,
            retry: opts.retry,
            redactor,
        });
    }

    /** The endpoint URL requests go to (scheme, host with port, path). */
    get endpoint(): string {
        return this.base.toString();
    }

    /**
     * Calls one action and returns the parsed JSON answer.
     *
     * @param action - the API name, e.g. `DescribeAIDBClusterTasks`.
     * @param params - business parameters; `undefined` values are left out.
     * @throws CloudApiError carrying the cloud's code, message and request id.
     */
    call<T extends object>(action: string, params: Record<string, RpcParamValue>, call: RpcCallOptions): Promise<T & RpcResponse> {
        return this.http.call(action, () => this.buildRequest(action, params), (res, a) => this.decode<T>(res, a), call);
    }

    /**
     * Builds one signed request: fresh date and nonce every time, so a retry is
     * never a replay. Exposed for tests.
     */
    buildRequest(action: string, params: Record<string, RpcParamValue>): HttpRequest {
        const query: Record<string, string> = {};
        for (const [k, v] of Object.entries(params)) if (v !== undefined) query[k] = String(v);
        const c = this.opts.credentials;
        const headers = buildAcs3Headers({
            action,
            version: this.opts.version,
            // Signed as sent: with a non-default port the Host header carries it (signing.md §4.4).
            host: this.base.host,
            date: this.opts.now?.(),
            nonce: this.opts.nonce?.(),
            securityToken: c.securityToken,
            accessKeyId: c.accessKeyId,
            // Sent explicitly and signed: axios would otherwise add an unsigned form content type to a bodiless POST.
            contentType: "application/x-www-form-urlencoded",
        });
        const { authorization } = signAcs3({
            method: "POST",
            // Decoded: `URL.pathname` is already percent-encoded, and the signer encodes once more.
            pathname: this.rawPath,
            query,
            headers,
            accessKeyId: c.accessKeyId,
            accessKeySecret: c.accessKeySecret,
        });
        // The wire path and query are the canonical ones (RFC 3986, the query sorted), so what is sent is byte-for-byte what was signed.
        const qs = canonicalQueryString(query);
        const url = `${this.base.protocol}//${this.base.host}${canonicalUri(this.rawPath)}${qs ? `?${qs}` : ""}`;
        return { method: "POST", url, headers: { ...headers, authorization, accept: "application/json" } };
    }

    /** The Alibaba RPC envelope: any 2xx JSON object is the answer; anything else becomes a {@link CloudApiError}. */
    decode<T extends object>(res: HttpResponse, action: string): T & RpcResponse {
        return decodeRpcResponse<T>(res, this.opts.service, action, this.http.redactor);
    }
}

/**
 * Turns a raw RPC answer into its JSON object or a {@link CloudApiError}.
 * Retry classes follow the vendor SDK (reference/polardb-aidb.md §11.5):
 * throttling codes (HTTP 400) are retryable and were rejected before anything
 * was applied; `ServiceUnavailable`, `InternalError` and any 5xx are retryable;
 * authentication and parameter errors are not.
 */
export function decodeRpcResponse<T extends object>(res: HttpResponse, service: string, action: string, redactor: Redactor): T & RpcResponse {
    const body = parseJsonBody(res, service, action, redactor) as Record<string, unknown> | null;
    const requestId = str(body?.RequestId) ?? str(body?.requestId) ?? res.headers["x-acs-request-id"];
    if (res.status >= 200 && res.status < 300) {
        if (body && typeof body === "object" && !Array.isArray(body)) return body as T & RpcResponse;
        throw new CloudApiError({ service, action, code: "MalformedResponse", message: "expected a JSON object", requestId, httpStatus: res.status, retryable: false });
    }
    const code = str(body?.Code) ?? str(body?.code) ?? `HTTP${res.status}`;
    const message = str(body?.Message) ?? str(body?.message) ?? "no message";
    const throttled = isThrottlingCode(code) || res.status === 429;
    const transient = TRANSIENT_CODES.has(code) || res.status >= 500;
    // The Recommend link (the vendor's troubleshooting page for this code and request) is what to do next.
    const recommend = str(body?.Recommend);
    const advice = [message, Object.hasOwn(HINTS, code) ? HINTS[code] : undefined, recommend && !throttled ? `See ${recommend}` : undefined].filter(Boolean).join(" ");
    throw new CloudApiError({
        service,
        action,
        code,
        message: redactor.redact(advice),
        requestId,
        httpStatus: res.status,
        retryable: throttled || transient,
        rejectedBeforeApplied: throttled,
    });
}

function str(v: unknown): string | undefined {
    return typeof v === "string" && v ? v : undefined;
}

/**
 * The path of an endpoint URL with its percent-encoding undone, segment by
 * segment (`/%E7%BD%91%E5%85%B3/a%20b/` -> `/网关/a b/`): the raw path the
 * ACS3 signer expects (signing.md §2.2: "each path segment RFC 3986-encoded").
 *
 * @throws Error for a path that is not valid percent-encoded UTF-8, or that
 *   encodes a `/` inside a segment (`%2F`): a raw path cannot say that, so
 *   no signature of it would match what is sent.
 */
export function decodedPath(endpoint: URL): string {
    const segments = endpoint.pathname.split("/").map((segment) => {
        let decoded: string;
        try {
            decoded = decodeURIComponent(segment);
        } catch {
            throw new Error(`endpoint path segment "${segment}" is not valid percent-encoded UTF-8: ${endpoint}`);
        }
        if (decoded.includes("/")) throw new Error(`endpoint path segment "${segment}" encodes a "/", which ACS3 signing cannot express: ${endpoint}`);
        return decoded;
    });
    return segments.join("/") || "/";
}

/** `polardb.aliyuncs.com` -> `https://polardb.aliyuncs.com/`; a URL keeps its scheme, port and path (with a trailing `/`). */
export function normalizeEndpoint(endpoint: string): URL {
    const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint) ? endpoint : `https://${endpoint}`;
    const url = new URL(withScheme);
    if (url.search || url.hash) throw new Error(`endpoint must not carry a query or fragment: ${endpoint}`);
    if (!url.pathname.endsWith("/")) url.pathname += "/";
    return url;
}
