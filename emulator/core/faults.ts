/**
 * Fault injection. Rules match a cloud and optionally an action; each fires
 * with a probability (`rate`) or for the next `count` matching requests.
 * A rule may name one fault (`kind`) or a mix (`kinds`, one picked at random
 * each time it fires), so a soak can ask for "30% of all requests fail, in
 * every way a cloud fails" with one rule. A seed makes the draw repeatable.
 */
export type FaultKind =
    /** The cloud's internal-error answer. */
    | "server-error"
    /** The cloud's throttling answer. */
    | "throttle"
    /** The socket is closed before anything is done. */
    | "drop"
    /** The answer is delayed by `latencyMs` (past a client's timeout, if large enough); the request is still applied, late. */
    | "latency"
    /** The request is applied, then the socket is closed: the client never learns the outcome. */
    | "lost-response"
    /** The request is applied, then answered 200 with a body that is not the API's JSON (a proxy's page, a cut-off body). */
    | "garbled-response"
    /** The cloud's not-found answer, whether or not the record exists (a lagging replica, another region's endpoint). */
    | "not-found";

export const FAULT_KINDS: readonly FaultKind[] = ["server-error", "throttle", "drop", "latency", "lost-response", "garbled-response", "not-found"];

export interface FaultRule {
    /** The fault. Either this or `kinds`. */
    kind?: FaultKind;
    /** A mix: when the rule fires, one of these is picked uniformly at random. */
    kinds?: FaultKind[];
    /** Cloud module name; every cloud when omitted. */
    cloud?: string;
    /** Action name (`CreateTrainingTask`); every action when omitted. */
    action?: string;
    /** Probability 0..1 per matching request. */
    rate?: number;
    /** Fire for this many matching requests, then retire. */
    count?: number;
    /** For `latency`: added delay in ms. Default 2000. */
    latencyMs?: number;
}

/** The fault picked for one request: always a single kind. */
export interface PickedFault {
    kind: FaultKind;
    latencyMs?: number;
}

/** A small seeded PRNG (mulberry32): the same seed draws the same faults for the same request sequence. */
export function seededRandom(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

export class FaultPlan {
    private rules: FaultRule[] = [];
    /** Faults injected so far, by kind. */
    readonly injected: Record<string, number> = {};
    /** Faults injected so far, by `cloud:action`, then kind. */
    readonly injectedByAction: Record<string, Record<string, number>> = {};

    constructor(private random: () => number = Math.random) {}

    add(rules: FaultRule[]): void {
        for (const r of rules) {
            const kinds = r.kinds ?? (r.kind ? [r.kind] : []);
            const unknown = kinds.find((k) => !FAULT_KINDS.includes(k));
            if (kinds.length === 0 || unknown) throw new Error(`a fault rule needs kind or kinds among ${FAULT_KINDS.join(", ")}${unknown ? ` (got ${unknown})` : ""}`);
            if (r.rate !== undefined && !(r.rate >= 0 && r.rate <= 1)) throw new Error(`rate must be between 0 and 1, got ${r.rate}`);
        }
        this.rules.push(...rules.map((r) => ({ ...r, kinds: r.kinds ? [...r.kinds] : undefined })));
    }

    clear(): void {
        this.rules = [];
    }

    /** Makes the draws repeatable from now on. */
    seed(seed: number): void {
        this.random = seededRandom(seed);
    }

    /** The rules in force (a copy). */
    list(): FaultRule[] {
        return this.rules.map((r) => ({ ...r }));
    }

    /** Total injected so far. */
    total(): number {
        return Object.values(this.injected).reduce((a, b) => a + b, 0);
    }

    /** The fault to apply to this request, if any. */
    pick(cloud: string, action: string): PickedFault | undefined {
        for (const r of this.rules) {
            if (r.cloud && r.cloud !== cloud) continue;
            if (r.action && r.action !== action) continue;
            if (r.count !== undefined) {
                if (r.count <= 0) continue;
                r.count--;
            } else if (this.random() >= (r.rate ?? 1)) continue;
            const kinds = r.kinds ?? [r.kind as FaultKind];
            const kind = kinds.length === 1 ? kinds[0] : kinds[Math.min(kinds.length - 1, Math.floor(this.random() * kinds.length))];
            this.injected[kind] = (this.injected[kind] ?? 0) + 1;
            const key = `${cloud}:${action}`;
            const per = (this.injectedByAction[key] ??= {});
            per[kind] = (per[kind] ?? 0) + 1;
            return { kind, latencyMs: r.latencyMs };
        }
        return undefined;
    }
}
