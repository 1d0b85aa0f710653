/**
 * Planned outcomes: "the next N jobs of this kind end so", for tests of what
 * a provider does when a job fails and a later one succeeds (issue 20's
 * retries). A test cannot force a job it has not seen yet, and a job the
 * provider submits mid-`up` may be read before the test could force it; a
 * plan is applied by the server itself, right after the request that created
 * the job, so the provider's first read already sees the outcome.
 *
 * - `POST /_control/outcomes {cloud, kind, outcomes: [{status, reason?}, ...]}`
 *   queues outcomes for jobs created from now on, in creation order;
 * - `GET /_control/outcomes`: what is still queued;
 * - `DELETE /_control/outcomes`: drops every plan.
 *
 * An outcome is applied with the module's own `force` (the same as
 * `POST /_control/objects/<cloud>/<kind>/<id>/force`), so it is checked the
 * same way: a status the kind accepts, a reason only with a failure status.
 */
import { ControlError, ObjectControl, ServedRoute, controlAnswer, hasObjectControl } from "./objects";
import type { CloudModule, EmuContext } from "./types";

/** One planned end of a job. */
export interface PlannedOutcome {
    status: string;
    reason?: string;
}

interface Plan {
    cloud: string;
    kind: string;
    outcomes: PlannedOutcome[];
    /** Objects that existed when the plan was made, or have taken an outcome. */
    seen: Set<string>;
}

export class OutcomePlan {
    private plans: Plan[] = [];

    constructor(
        private readonly modules: readonly CloudModule[],
        private readonly ctx: EmuContext,
    ) {}

    /** Queues outcomes for the next jobs of `cloud`/`kind`; throws {@link ControlError} naming a bad field. */
    add(cloud: unknown, kind: unknown, outcomes: unknown): void {
        const m = this.modules.filter(hasObjectControl).find((x) => x.name === cloud);
        if (!m) throw new ControlError(400, `cloud: no emulated cloud ${String(cloud)}`);
        const info = m.objectKinds.find((k) => k.kind === kind);
        if (!info) throw new ControlError(400, `kind: ${m.name} has no object kind ${String(kind)} (kinds: ${m.objectKinds.map((k) => k.kind).join(", ")})`);
        if (!Array.isArray(outcomes) || outcomes.length === 0) throw new ControlError(400, "outcomes: must be a non-empty array of {status, reason?}");
        const planned = outcomes.map((o, i): PlannedOutcome => {
            const status = (o as PlannedOutcome)?.status;
            const reason = (o as PlannedOutcome)?.reason;
            if (typeof status !== "string" || !info.forceStatuses.includes(status)) throw new ControlError(400, `outcomes[${i}].status: ${m.name} ${info.kind} takes one of ${info.forceStatuses.join(", ")}`);
            if (reason !== undefined && (typeof reason !== "string" || !info.reasonStatuses.includes(status))) {
                throw new ControlError(400, `outcomes[${i}].reason: a string, only with ${info.reasonStatuses.join(", ") || "no status"}`);
            }
            return reason === undefined ? { status } : { status, reason };
        });
        const seen = new Set(m.listObjects(this.ctx).filter((o) => o.kind === info.kind).map((o) => o.id));
        this.plans.push({ cloud: m.name, kind: info.kind, outcomes: planned, seen });
    }

    /** After a request to `mod`: every job it created since takes the next planned outcome. */
    apply(mod: CloudModule): void {
        const plans = this.plans.filter((p) => p.cloud === mod.name && p.outcomes.length > 0);
        if (!plans.length || !hasObjectControl(mod)) return;
        const objects = (mod as CloudModule & ObjectControl).listObjects(this.ctx);
        for (const plan of plans) {
            for (const o of objects) {
                if (o.kind !== plan.kind || plan.seen.has(o.id)) continue;
                plan.seen.add(o.id);
                const next = plan.outcomes.shift();
                if (!next) break;
                mod.forceObject(plan.kind, o.id, next.status, next.reason, this.ctx);
            }
        }
    }

    pending(): Array<{ cloud: string; kind: string; outcomes: PlannedOutcome[] }> {
        return this.plans.filter((p) => p.outcomes.length).map(({ cloud, kind, outcomes }) => ({ cloud, kind, outcomes }));
    }

    clear(): void {
        this.plans = [];
    }

    /** The control routes, for the server's route table. */
    routes(control: string): ServedRoute[] {
        return [
            {
                method: "POST",
                path: `${control}/outcomes`,
                body: "{cloud, kind, outcomes: [{status, reason?}]}",
                meaning: "the next jobs of a kind created from now on end with these statuses, in creation order (applied right after the request that creates each)",
                pattern: /^\/outcomes$/,
                handle: (_p, body) =>
                    controlAnswer(() => {
                        const b = (body ?? {}) as Record<string, unknown>;
                        this.add(b.cloud, b.kind, b.outcomes);
                        return { status: 200, body: { pending: this.pending() } };
                    }),
            },
            { method: "GET", path: `${control}/outcomes`, meaning: "the planned outcomes not yet applied", pattern: /^\/outcomes$/, handle: () => ({ status: 200, body: { pending: this.pending() } }) },
            {
                method: "DELETE",
                path: `${control}/outcomes`,
                meaning: "drop every planned outcome",
                pattern: /^\/outcomes$/,
                handle: () => {
                    this.clear();
                    return { status: 200, body: { pending: [] } };
                },
            },
        ];
    }
}
