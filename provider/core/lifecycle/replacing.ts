/**
 * The objects whose replacement `diff` planned in this provider process:
 * failed or canceled jobs (design.md §3 rule 10), and objects whose inputs
 * changed. The engine runs `diff` before the replacement's `create` in the
 * same provider process, and a create must not adopt what it replaces: when a
 * create-before-delete replacement runs, the predecessor still exists and may
 * carry the same marker (the same inputs after a failure, or a change of a
 * sensitive value, which the marker does not hash). Marker lookups skip
 * these ids. One set per kind, for the life of the process.
 */
export class ReplacementSet extends Set<string> {
    /** Records that `diff` planned the replacement of `id`. */
    planned(id: string): void {
        this.add(id);
    }
}
