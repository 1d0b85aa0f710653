/**
 * The one error type every cloud client throws. Callers branch on `code` and
 * `retryable`; people read `message`, which always names the service, the
 * action, the cloud's code and the request id, and never carries a credential.
 */
export interface CloudApiErrorInit {
    /** Service name as users know it, e.g. `DashScope`, `TI-ONE`, `PolarDB`, `Alaya`. */
    service: string;
    /** The API action or `METHOD /path` that failed. */
    action: string;
    /** The cloud's own error code (`InvalidApiKey`, `AuthFailure.SignatureFailure`), or a transport code such as `NetworkError`. */
    code: string;
    /** The cloud's message, already redacted. */
    message: string;
    /** The cloud's request id, when the answer carried one. */
    requestId?: string;
    /** HTTP status, when an answer arrived at all. */
    httpStatus?: number;
    /** Whether the same call may be sent again. */
    retryable: boolean;
    /** The cloud told us it rejected the call before doing anything (throttling), so even a non-idempotent call may be resent. */
    rejectedBeforeApplied?: boolean;
    /** Transport failure (no answer, timeout, dropped connection): the call may or may not have been applied. */
    transport?: boolean;
}

export class CloudApiError extends Error implements CloudApiErrorInit {
    readonly service: string;
    readonly action: string;
    readonly code: string;
    readonly cloudMessage: string;
    readonly requestId?: string;
    readonly httpStatus?: number;
    readonly retryable: boolean;
    readonly rejectedBeforeApplied: boolean;
    readonly transport: boolean;

    constructor(init: CloudApiErrorInit) {
        super(formatMessage(init));
        this.name = "CloudApiError";
        this.service = init.service;
        this.action = init.action;
        this.code = init.code;
        this.cloudMessage = init.message;
        this.requestId = init.requestId;
        this.httpStatus = init.httpStatus;
        this.retryable = init.retryable;
        this.rejectedBeforeApplied = init.rejectedBeforeApplied ?? false;
        this.transport = init.transport ?? false;
    }
}

function formatMessage(e: CloudApiErrorInit): string {
    const details = [
        e.httpStatus !== undefined ? `HTTP ${e.httpStatus}` : undefined,
        e.requestId ? `request id ${e.requestId}` : undefined,
    ].filter(Boolean);
    return `${e.service} ${e.action} failed: ${e.code}: ${e.message}` + (details.length ? ` (${details.join(", ")})` : "");
}

/** True when `err` is a {@link CloudApiError} carrying one of `codes` (exact match or dotted prefix, so `ResourceNotFound` matches `ResourceNotFound.Task`). */
export function hasErrorCode(err: unknown, ...codes: string[]): err is CloudApiError {
    return err instanceof CloudApiError && codes.some((c) => err.code === c || err.code.startsWith(c + "."));
}
