import type { IncomingHttpHeaders } from "node:http";
import type { EmulatorClock } from "./clock";
import type { RateWindow } from "./rateWindow";

/** A request as a cloud module sees it: the cloud's path prefix is already removed. */
export interface EmuRequest {
    method: string;
    /** Path after the cloud prefix, always starting with `/`. */
    path: string;
    /** Path as the client sent it, prefix included (signatures cover it). */
    rawPath: string;
    query: URLSearchParams;
    /** The raw query string, without `?`. */
    rawQuery: string;
    headers: IncomingHttpHeaders;
    body: Buffer;
}

export interface EmuResponse {
    status: number;
    headers?: Record<string, string>;
    /** Objects are sent as JSON; strings and buffers as they are. */
    body?: unknown;
}

/** What the shared server hands every cloud module. */
export interface EmuContext {
    clock: EmulatorClock;
    rate: RateWindow;
    /** Ask the server to persist state after this request (it does when a state file is configured). */
    markDirty(): void;
}

/**
 * One emulated cloud. The server owns transport, faults, request counting and
 * persistence; a module owns its paths, envelopes, ids, statuses and errors.
 */
export interface CloudModule {
    /** Short name used in control paths and counts: `dashscope`, `tione`, `polardb`, `alaya`. */
    readonly name: string;
    /** URL prefix the module is mounted at, e.g. `/dashscope`. */
    readonly prefix: string;
    /** The action name used for counts and fault matching (`CreateFineTune`, `CreateTrainingTask`). */
    action(req: EmuRequest): string;
    handle(req: EmuRequest, ctx: EmuContext): EmuResponse | Promise<EmuResponse>;
    /** The cloud's own throttling answer. */
    throttled(req: EmuRequest): EmuResponse;
    /** The cloud's own internal-error answer. */
    serverError(req: EmuRequest): EmuResponse;
    /** The cloud's own answer for a record that does not exist (for the `not-found` fault: a read that wrongly misses). */
    notFound(req: EmuRequest): EmuResponse;
    /** Cloud-specific control calls under `/_control/<name>/...`; undefined when the path is unknown. */
    control?(method: string, path: string, body: any, ctx: EmuContext): EmuResponse | undefined;
    snapshot(): unknown;
    restore(state: unknown): void;
}
