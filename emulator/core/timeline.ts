/**
 * A job's status as a function of time. A job is a list of phases
 * (`{status, at}`); its status is the last phase whose time has come. Creating
 * a job lays out the documented progression on the configured step; cancels
 * and forced outcomes cut the future phases and append their own. Lazy
 * evaluation means no timers, and a restored state file resumes exactly.
 */
export interface Phase {
    status: string;
    at: number;
}

export function plannedPhases(states: readonly string[], start: number, stepMs: number): Phase[] {
    return states.map((status, i) => ({ status, at: start + i * stepMs }));
}

export function statusAt(phases: readonly Phase[], now: number): string {
    let current = phases[0].status;
    for (const p of phases) if (p.at <= now) current = p.status;
    return current;
}

/** Drops every phase after `now` and appends `next`, one step apart starting at `now`. */
export function rerouteFrom(phases: Phase[], now: number, next: readonly string[], stepMs: number): Phase[] {
    const kept = phases.filter((p) => p.at <= now);
    return [...kept, ...next.map((status, i) => ({ status, at: now + i * stepMs }))];
}

/** When a given status was (or will be) first reached, if ever. */
export function reachedAt(phases: readonly Phase[], status: string, now: number): number | undefined {
    const p = phases.find((x) => x.status === status && x.at <= now);
    return p?.at;
}
