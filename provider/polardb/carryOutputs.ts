import type { Lifecycle } from "../core/job";
import type { Outputs } from "../core/kind";

/**
 * Keeps outputs that only the submit call reports (PolarDB's `OrderId`:
 * CreateAIDBClusterTask returns it, no describe or list call does) across
 * `read` and `update`, which rebuild outputs from what the cloud reports now.
 * A value is carried only where the rebuilt outputs lack it.
 *
 * A local stand-in for a core feature (previous outputs passed to
 * `JobKind.outputs`); see the polardb hand-over note.
 */
export function carryWriteOnceOutputs(lifecycle: Lifecycle, names: readonly string[]): Lifecycle {
    const carry = (outs: Outputs | undefined, previous: Outputs): Outputs | undefined => {
        if (!outs) return outs;
        const merged = { ...outs };
        for (const n of names) if (merged[n] === undefined && previous[n] !== undefined) merged[n] = previous[n];
        return merged;
    };
    return {
        ...lifecycle,
        async read(id, props) {
            const r = await lifecycle.read(id, props);
            return r.id ? { ...r, props: carry(r.props, props) } : r;
        },
        async update(id, olds, news) {
            try {
                const r = await lifecycle.update(id, olds, news);
                return { ...r, outs: carry(r.outs, olds) };
            } catch (e) {
                // A partial failure (resumed wait ended FAILED) records its properties: keep the values there too.
                const failure = e as { properties?: Outputs };
                if (failure.properties) failure.properties = carry(failure.properties, olds);
                throw e;
            }
        },
    };
}
