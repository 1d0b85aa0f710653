import axios, { AxiosInstance, AxiosError } from "axios";
import * as http from "node:http";
import * as https from "node:https";
import { CloudApiError } from "./errors";
import { Redactor } from "./redact";
import { RateLimit, TokenBucket, sharedBucket } from "./rateLimiter";
import { RetryPolicy, backoffDelayMs, defaultRetryPolicy, retryAfterMs } from "./backoff";

/** One HTTP request as a signer produced it. Built anew for every attempt so timestamps and nonces are fresh. */
export interface HttpRequest {
    method: "GET" | "POST" | "PUT" | "DELETE";
    url: string;
    headers: Record<string, string>;
    /** Exact body bytes (signers hash them), or a multipart form (streamed by axios; file parts may be `fs.openAsBlob` blobs so large files are never read whole). */
    body?: string | Buffer | NodeJS.ReadableStream | FormData;
}

/** What came back, before any cloud-specific interpretation. */
export interface HttpResponse {
    status: number;
    headers: Record<string, string>;
    /** Raw body text; decoders parse it so that HTML error pages and truncated JSON become clear errors. */
    text: string;
}

/** Turns a raw answer into a value, or throws a {@link CloudApiError}. Implemented once per cloud. */
export type Decoder<T> = (res: HttpResponse, action: string) => T;

export interface ServiceClientOptions {
    /** Service name used in errors, e.g. `TI-ONE`. */
    service: string;
    /** Key of the process-wide token bucket, conventionally `service:region`. */
    bucketKey: string;
    /** The request rate to keep to: the documented one where there is one (each client says where its default comes from). */
    rateLimit: RateLimit;
    /**
     * The documented rate applies to each action separately (TI-ONE: 20/s per
     * API): one bucket per action under `bucketKey`, so a create's lookup,
     * submit and read do not queue behind each other. Default: one bucket.
     */
    rateLimitPerAction?: boolean;
    /** Per-request timeout in ms. Default 30 000. */
    timeoutMs?: number;
    retry?: Partial<RetryPolicy>;
    /** Values that must never be printed. */
    redactor: Redactor;
}

export interface CallOptions {
    /**
     * Whether sending the call twice is harmless (reads, deletes, cancels, and
     * creates guarded by a client token). A non-idempotent call is resent only
     * when the cloud said it did nothing (throttling); after a transport error
     * the caller must look up what happened instead.
     */
    idempotent: boolean;
}

// One keep-alive agent per process: the provider host makes many small calls to few hosts.
const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 64 });

let sharedAxios: AxiosInstance | undefined;
function transport(): AxiosInstance {
    sharedAxios ??= axios.create({
        httpAgent,
        httpsAgent,
        // We decode ourselves so that any body (HTML, empty, truncated) gets a clear error.
        transformResponse: (d) => d,
        responseType: "text",
        validateStatus: () => true,
        maxRedirects: 0,
        maxBodyLength: Infinity,
        maxContentLength: 64 * 1024 * 1024,
    });
    return sharedAxios;
}

/**
 * The HTTP core every cloud client is built on: rate limiting, timeouts,
 * retries with backoff, error normalisation and redaction. Cloud clients add
 * only signing (the `build` callback) and their envelope (the decoder).
 */
export class ServiceClient {
    private readonly bucket: TokenBucket;
    private readonly retry: RetryPolicy;
    private readonly timeoutMs: number;
    /** Requests sent, retries included; benchmarks and tests read it. */
    requestCount = 0;

    constructor(private readonly opts: ServiceClientOptions) {
        this.bucket = sharedBucket(opts.bucketKey, opts.rateLimit);
        this.retry = { ...defaultRetryPolicy, ...opts.retry };
        this.timeoutMs = opts.timeoutMs ?? 30_000;
    }

    get redactor(): Redactor {
        return this.opts.redactor;
    }

    /** The configured request rate (what the buckets recover to after throttling). */
    get rateLimit(): Readonly<RateLimit> {
        return this.opts.rateLimit;
    }

    /** The shared bucket `action`'s requests wait in: the action's own with `rateLimitPerAction`, else the client's one. Read-only use: its `perSecond` is the rate in force. */
    bucketFor(action: string): TokenBucket {
        return this.opts.rateLimitPerAction ? sharedBucket(`${this.opts.bucketKey}:${action}`, this.opts.rateLimit) : this.bucket;
    }

    async call<T>(action: string, build: () => HttpRequest | Promise<HttpRequest>, decode: Decoder<T>, call: CallOptions): Promise<T> {
        const bucket = this.bucketFor(action);
        for (let attempt = 0; ; attempt++) {
            await bucket.take();
            let hintMs: number | undefined;
            try {
                const res = await this.send(action, await build());
                hintMs = retryAfterMs(res.headers);
                return decode(res, action);
            } catch (e) {
                const err = this.normalize(e, action);
                // The budget adapts; the retry below is unchanged.
                if (isThrottling(err)) bucket.throttled();
                const mayResend = err.retryable && (call.idempotent || err.rejectedBeforeApplied);
                if (!mayResend || attempt + 1 >= this.retry.maxAttempts) throw err;
                const delay = Math.max(hintMs ?? 0, backoffDelayMs(attempt, this.retry));
                await new Promise((r) => setTimeout(r, delay));
            }
        }
    }

    private async send(action: string, req: HttpRequest): Promise<HttpResponse> {
        this.requestCount++;
        // axios's `timeout` is an idle timeout in Node: a server that trickles a byte now and then would hold the
        // call forever. The abort signal makes the timeout a deadline for the whole exchange.
        const deadline = new AbortController();
        const timer = setTimeout(() => deadline.abort(), this.timeoutMs);
        try {
            const res = await transport().request<string>({
                method: req.method,
                url: req.url,
                headers: req.headers,
                data: req.body,
                timeout: this.timeoutMs,
                signal: deadline.signal,
            });
            const headers: Record<string, string> = {};
            for (const [k, v] of Object.entries(res.headers ?? {})) if (v !== undefined && v !== null) headers[k.toLowerCase()] = String(v);
            return { status: res.status, headers, text: typeof res.data === "string" ? res.data : String(res.data ?? "") };
        } catch (e) {
            throw this.transportError(e, action, deadline.signal.aborted);
        } finally {
            clearTimeout(timer);
        }
    }

    private transportError(e: unknown, action: string, pastDeadline: boolean): CloudApiError {
        const ax = e as AxiosError;
        const timedOut = pastDeadline || ax.code === "ECONNABORTED" || ax.code === "ETIMEDOUT";
        // Nothing reached the server, or the request could not be written whole (a reset or broken pipe while
        // sending, as on a keep-alive socket the server had closed): no complete request arrived, so even a
        // create may be sent again.
        const cause = ax.cause as NodeJS.ErrnoException | undefined;
        const notWritten = /^write (ECONNRESET|EPIPE)$/.test(ax.message ?? "") || (cause?.syscall === "write" && (cause.code === "ECONNRESET" || cause.code === "EPIPE"));
        const refused = !timedOut && (ax.code === "ECONNREFUSED" || cause?.code === "ECONNREFUSED" || notWritten);
        return new CloudApiError({
            service: this.opts.service,
            action,
            code: timedOut ? "RequestTimeout" : "NetworkError",
            message: this.opts.redactor.redact(
                timedOut ? `no complete answer within ${this.timeoutMs} ms` : `${ax.code ?? "connection failed"}: ${ax.message ?? String(e)}`,
            ),
            retryable: true,
            rejectedBeforeApplied: refused,
            transport: true,
        });
    }

    private normalize(e: unknown, action: string): CloudApiError {
        if (e instanceof CloudApiError) return e;
        return new CloudApiError({
            service: this.opts.service,
            action,
            code: "ClientError",
            message: this.opts.redactor.redact(e instanceof Error ? e.message : String(e)),
            retryable: false,
        });
    }
}

/**
 * Whether an error is the cloud saying "too many requests". Every cloud's
 * decoder marks its throttling answers as retryable and rejected before
 * anything was applied (TI-ONE `RequestLimitExceeded*`, Alibaba `*Throttling*`,
 * DashScope and Alaya HTTP 429); a refused connection is marked so too, but
 * it is a transport failure, and a DashScope quota 429 is not retryable:
 * neither says anything about the request rate.
 */
export function isThrottling(err: CloudApiError): boolean {
    return err.retryable && !err.transport && (err.rejectedBeforeApplied || err.httpStatus === 429);
}

/** Parses a JSON body or throws a clear, non-retryable (or, for 5xx, retryable) error that quotes the start of what came back. */
export function parseJsonBody(res: HttpResponse, service: string, action: string, redactor: Redactor): unknown {
    try {
        return JSON.parse(res.text);
    } catch {
        const snippet = redactor.redact(res.text.slice(0, 120).replace(/\s+/g, " "));
        throw new CloudApiError({
            service,
            action,
            code: res.status >= 500 ? "ServerError" : "MalformedResponse",
            message: `expected JSON, got ${res.headers["content-type"] ?? "no content type"}: ${snippet || "(empty body)"}`,
            httpStatus: res.status,
            retryable: res.status >= 500 || res.status === 429,
        });
    }
}
