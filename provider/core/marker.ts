import { createHash } from "node:crypto";
import { HiddenInputs, RESOURCE_NAME_INPUT, RESOURCE_URN_INPUT } from "./hidden";
import { withoutSensitiveValues } from "./sensitive";

/** JSON with sorted keys, so equal inputs hash equally whatever their key order. */
export function canonicalJson(v: unknown): string {
    if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
    if (v && typeof v === "object") {
        return `{${Object.keys(v)
            .filter((k) => (v as any)[k] !== undefined)
            .sort()
            .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as any)[k])}`)
            .join(",")}}`;
    }
    return JSON.stringify(v);
}

/**
 * The idempotency marker: 8 hex characters of SHA-256 over the resource's
 * identity and the inputs that define the job. A retried or re-run create
 * of the same resource computes the same marker and finds the job it already
 * submitted; a different resource or different inputs never do.
 */
export function inputHash(resourceIdentity: string, definingInputs: Record<string, unknown>): string {
    return createHash("sha256").update(resourceIdentity).update("\0").update(canonicalJson(definingInputs)).digest("hex").slice(0, 8);
}

/**
 * {@link inputHash} of a resource's inputs, with the values of its sensitive
 * inputs masked (a short hash of a secret would let anyone who can list the
 * jobs check a guess of it offline). The identity is its URN (the hidden
 * `pulumiUrn` input: `urn:pulumi:<stack>::<project>::<type>::<name>`), so two
 * stacks or projects declaring the same resource in one account never adopt
 * each other's jobs; the bare Pulumi name only where no URN was recorded (the
 * lifecycle called directly, as the unit tests do).
 */
export function resourceHash(inputs: HiddenInputs, definingInputs: Record<string, unknown>, sensitiveInputs: readonly string[]): string {
    return inputHash(String(inputs[RESOURCE_URN_INPUT] ?? inputs[RESOURCE_NAME_INPUT] ?? ""), withoutSensitiveValues(definingInputs, sensitiveInputs));
}
