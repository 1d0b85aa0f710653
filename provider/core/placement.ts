/**
 * Where a job lives and under whose account, recorded in its state at create
 * (issue 15 item 2). A laptop and CI often differ in region or credentials;
 * a read there answers "not found" for a job that runs on. So reads and
 * deletes go to the recorded region, and a "not found" under another account
 * or endpoint than recorded is an error that says so, never a reason to drop
 * the job from the stack.
 */
import { createHash } from "node:crypto";

/** A resource's place, as its client was configured when it was created. */
export interface Placement {
    /** A fingerprint of the credential (`acct-<12 hex>` of SHA-256): tells accounts apart, reveals nothing. */
    account: string;
    /** The region (TI-ONE, PolarDB) or workspace (DashScope) the job lives in, when the cloud has one. */
    region?: string;
    /** The endpoint configured, when not the service's default. */
    endpoint?: string;
}

/** The hidden output that records the placement (not declared by the classes; kept in state). */
export const PLACEMENT_OUTPUT = "pulumiPlacement";

const placements = new WeakMap<object, Placement>();

/** Remembers where `client` sends its calls; the client factories call this once per client. */
export function placed<C extends object>(client: C, placement: Placement): C {
    placements.set(client, Object.fromEntries(Object.entries(placement).filter(([, v]) => v !== undefined)) as unknown as Placement);
    return client;
}

/** Where `client` sends its calls, if its factory recorded it. */
export function placementOf(client: unknown): Placement | undefined {
    return client && typeof client === "object" ? placements.get(client) : undefined;
}

/** A fingerprint of a credential identifier (an AccessKey id, an API key): one-way, 48 bits, enough to tell accounts apart. */
export function accountFingerprint(credential: string): string {
    return `acct-${createHash("sha256").update("pulumi-training account\0").update(credential).digest("hex").slice(0, 12)}`;
}

/** The recorded placement, if `value` (an output from state) is one. */
export function asPlacement(value: unknown): Placement | undefined {
    const p = value as Partial<Placement> | undefined;
    return p && typeof p === "object" && typeof p.account === "string" ? (p as Placement) : undefined;
}

/** How the current placement differs from the recorded one in what decides whether a job can be seen: account and endpoint. */
export function placementMismatch(recorded: Placement | undefined, current: Placement | undefined): string | undefined {
    if (!recorded || !current) return undefined;
    const differences: string[] = [];
    if (recorded.account !== current.account) differences.push(`credentials of account ${current.account}, but it was created with account ${recorded.account}`);
    if ((recorded.endpoint ?? "the default endpoint") !== (current.endpoint ?? "the default endpoint")) {
        differences.push(`endpoint ${current.endpoint ?? "(the default)"}, but it was created through ${recorded.endpoint ?? "the default endpoint"}`);
    }
    return differences.length ? differences.join("; and ") : undefined;
}
