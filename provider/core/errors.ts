/**
 * The error shape the dynamic-provider host turns into
 * `ErrorResourceInitFailed`: the engine records the resource with this id and
 * these properties, so a job that was submitted is never lost even when the
 * create fails afterwards (reference/pulumi-dynamic.md §3.7).
 */
export interface PartialFailure extends Error {
    id: string;
    properties: Record<string, unknown>;
    reasons: string[];
}

export function partialFailure(message: string, id: string, properties: Record<string, unknown>, reasons: string[] = [message]): PartialFailure {
    return Object.assign(new Error(message), { id, properties, reasons });
}
