/**
 * Fault injection. Rules match a cloud and optionally an action; each fires
 * with a probability (`rate`) or for the next `count` matching requests.
 */
export type FaultKind =
    /** The cloud's internal-error answer. */
    | "server-error"
    /** The cloud's throttling answer. */
    | "throttle"
    /** The socket is closed before anything is done. */
    | "drop"
    /** The answer is delayed by `latencyMs` (past a client's timeout, if large enough). */
    | "latency"
    /** The request is applied, then the socket is closed: the client never learns the outcome. */
    | "lost-response";

export interface FaultRule {
    kind: FaultKind;
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

export class FaultPlan {
    private rules: FaultRule[] = [];
    /** Faults injected so far, by kind. */
    readonly injected: Record<string, number> = {};

    constructor(private readonly random: () => number = Math.random) {}

    add(rules: FaultRule[]): void {
        this.rules.push(...rules.map((r) => ({ ...r })));
    }

    clear(): void {
        this.rules = [];
    }

    /** The fault to apply to this request, if any. */
    pick(cloud: string, action: string): FaultRule | undefined {
        for (const r of this.rules) {
            if (r.cloud && r.cloud !== cloud) continue;
            if (r.action && r.action !== action) continue;
            if (r.count !== undefined) {
                if (r.count <= 0) continue;
                r.count--;
            } else if (this.random() >= (r.rate ?? 1)) continue;
            this.injected[r.kind] = (this.injected[r.kind] ?? 0) + 1;
            return r;
        }
        return undefined;
    }
}
