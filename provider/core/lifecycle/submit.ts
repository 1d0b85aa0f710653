/**
 * Adopt what an earlier attempt submitted, or submit once (design.md §3 rule
 * 8): the marker lookup, the submit, and what a submit of unknown outcome
 * leads to. Used by a plain create (./create.ts) and by each attempt of a
 * retried one (./attempts.ts).
 */
import { CloudApiError, hasErrorCode } from "../../../sdk/core/errors";
import { requestTimeoutMs } from "../config";
import { partialFailure } from "../errors";
import { Inputs, Outputs, Submitted } from "../kind";
import { progress } from "../progress";
import { sleep } from "../wait";
import { KindContext } from "./context";
import { isTransient, patiently } from "./patience";

/**
 * How many times one create submits. A submit is sent again only after a
 * transport failure (no answer arrived) and only when the marker lookup then
 * shows that nothing was applied.
 */
export const MAX_SUBMITS = 5;

/**
 * What to do with the object a marker lookup found: adopt a live or finished
 * one; skip a failed or canceled one that is being replaced (or that the
 * cloud keeps after every delete); otherwise a failed or canceled one is what
 * an interrupted run left behind, and it is adopted too, so the create
 * reports its failure and records it, and the next preview plans its
 * replacement instead of the job being lost outside the stack.
 */
function judge<C, R>(cx: KindContext<C, R>, found: R | undefined, marker: string, why: string, note?: string): Submitted<R> | undefined {
    if (!found) return undefined;
    const id = cx.kind.idOf(found);
    const cls = cx.classOf(found);
    if (cx.replacing.has(id)) {
        progress(cx.subject(id), `the ${cx.noun} with this marker is the one being replaced (${cx.statusOf(found)}); it is not adopted, a new one is submitted`);
        return undefined;
    }
    if (cls !== "failed" && cls !== "canceled") {
        progress(cx.subject(id), `${why} (marker ${marker})${note ? `; ${note}` : ""}`);
        return { id, remote: found };
    }
    if (cx.run?.keepsFinishedRecords) {
        progress(cx.subject(id), `an earlier ${cx.noun} with this marker ended ${cx.statusOf(found)}; it is not adopted, a new one is submitted`);
        return undefined;
    }
    progress(cx.subject(id), `found the ${cx.noun} an interrupted earlier run submitted (marker ${marker}): it ended ${cx.statusOf(found)} meanwhile; recording it so that the next \`pulumi up\` replaces it`);
    return { id, remote: found };
}

/** Whether a failed submit may have been applied all the same: no answer, a 5xx, a duplicate, or an answer that could not be read. */
function outcomeUnknown<C, R>(cx: KindContext<C, R>, e: unknown): boolean {
    return (
        (e instanceof CloudApiError && (e.transport || e.httpStatus === undefined || e.httpStatus >= 500 || (e.code === "MalformedResponse" && e.httpStatus < 300))) ||
        hasErrorCode(e, ...(cx.kind.duplicateCodes ?? []))
    );
}

/**
 * Looks for the object a submit with an unknown outcome may have created.
 * After a transport failure the request may still be on its way (an answer
 * slower than the client's timeout is applied late), so the lookup is
 * repeated for twice the request timeout before concluding nothing was
 * applied; after an answer (a 5xx, a duplicate name) one lookup decides.
 */
async function lookAfterUnknownOutcome<C, R>(cx: KindContext<C, R>, client: C, marker: string, inputs: Inputs, e: unknown, siblings?: ReadonlySet<string>): Promise<R | undefined> {
    const windowMs = e instanceof CloudApiError && e.transport ? 2 * requestTimeoutMs() : 0;
    const until = Date.now() + windowMs;
    for (let pause = Math.max(100, windowMs / 4); ; pause *= 2) {
        let found: R | undefined;
        try {
            found = await patiently(() => cx.kind.findByMarker(client, marker, inputs, cx.replacing, siblings));
        } catch (lookup) {
            if (!isTransient(lookup)) throw lookup;
            throw new Error(
                cx.kind.redact(
                    client,
                    `${(e as Error).message}. Whether the ${cx.noun} was created is unknown, and looking for it by its marker (${marker}) failed too: ${(lookup as Error).message}. ` +
                        `Run \`pulumi up\` again: it looks for the marker before submitting, so nothing is created twice.`,
                ),
            );
        }
        if (found || Date.now() >= until) return found;
        await sleep(Math.min(pause, until - Date.now()));
    }
}

/** How {@link submitOnce} is called for one attempt of a retried job (./attempts.ts). */
export interface SubmitOptions {
    /** The marker was looked up just before: no lookup first. */
    lookedUp?: boolean;
    /** The markers of this resource's other attempts: a same-named job carrying one is ours, not a stranger's. */
    siblings?: ReadonlySet<string>;
}

/**
 * Submits, or adopts the object a previous attempt already submitted (rule
 * 8): the marker is looked up first, except where names are unique (the
 * submit then answers "duplicate" when an earlier attempt's object exists,
 * and the lookup follows: one request fewer per create). A submit that fails with an unknown outcome is followed by a lookup of
 * the marker. The submit is sent again only when the lookup shows nothing and
 * a second submit cannot make a second object: nothing reached the cloud
 * (connection refused), or the cloud documents that it refuses a second one
 * with the same name (`namesAreUnique`: the resend then answers "duplicate"
 * and the lookup finds the first). Elsewhere an absent list entry proves
 * nothing (the list may lag), so the create stops with an error that says
 * what to check, and the next `pulumi up`, which looks for the marker before
 * it submits, decides. An answer from the cloud (a 5xx) is its verdict: it is
 * reported, and the next `pulumi up` tries again. At most
 * {@link MAX_SUBMITS} submits in all.
 *
 * An object found by its marker comes back `adopted`, with `remote`; a
 * submitted one with what the submit answer told.
 */
export async function submitOnce<C, R>(
    cx: KindContext<C, R>,
    client: C,
    inputs: Inputs,
    marker: string = cx.kind.marker(inputs),
    opts: SubmitOptions = {},
): Promise<Submitted<R> & { adopted?: boolean }> {
    const { kind, noun } = cx;
    // Where the cloud refuses a second object with the same name, an earlier attempt's object makes the
    // submit answer "duplicate", and the lookup below finds it: no lookup is needed first (issue 18).
    if (!kind.namesAreUnique && !opts.lookedUp) {
        const existing = judge(cx, await patiently(() => kind.findByMarker(client, marker, inputs, cx.replacing)), marker, `adopting the ${noun} an earlier attempt submitted`);
        if (existing) return { ...existing, adopted: true };
    }
    for (let attempt = 1; ; attempt++) {
        try {
            return await kind.submit(client, inputs, marker);
        } catch (e) {
            if (!outcomeUnknown(cx, e)) throw e;
            // The submit may have been applied although we never saw the answer: look before failing or submitting again.
            const duplicate = hasErrorCode(e, ...(kind.duplicateCodes ?? []));
            const why = duplicate ? `adopting the ${noun} an earlier attempt submitted` : `found the ${noun} the interrupted submit created`;
            const found = judge(cx, await lookAfterUnknownOutcome(cx, client, marker, inputs, e, opts.siblings), marker, why, duplicate ? "the cloud refused a second one with its name" : undefined);
            if (found) return { ...found, adopted: true };
            if (hasErrorCode(e, "MalformedResponse")) {
                // Accepted (2xx) but unreadable, and the list does not show the object (yet): it may exist all the same.
                throw new Error(
                    `${(e as Error).message}. The cloud answered the submit but its answer could not be read, so the ${noun} may exist although no ${noun} ` +
                        `with marker ${marker} is listed yet: check the console before submitting it by hand. The next \`pulumi up\` looks for the marker first and adopts the ${noun} if it appears.`,
                );
            }
            if (!(e instanceof CloudApiError && e.transport)) throw e;
            if (!e.rejectedBeforeApplied && !kind.namesAreUnique) {
                // Issue 15 item 4: a list that lags would make a resubmit a second paid job.
                throw new Error(
                    kind.redact(
                        client,
                        `${e.message}. No answer arrived, so the ${noun} may have been created, although none with marker ${marker} is listed yet. ` +
                            `It is not submitted again: the cloud accepts a second ${noun} with the same name and its list may show new ones late. ` +
                            `Check the console for ${marker}. The next \`pulumi up\` looks for the marker first and adopts the ${noun} if it appears, and submits only if it is still absent.`,
                    ),
                );
            }
            if (attempt >= MAX_SUBMITS) throw e;
            progress(`${kind.token} ${marker}`, kind.redact(client, `no answer to the submit (${e.code}) and no ${noun} carries the marker: ${e.rejectedBeforeApplied ? "nothing reached the cloud" : "the cloud refuses a second one with this name"}, submitting again`));
        }
    }
}

/**
 * The submitted object, from the submit's answer or a read. A read that fails
 * is a partial failure: the id is recorded, so the job is never lost.
 */
export async function readSubmitted<C, R>(cx: KindContext<C, R>, client: C, id: string, inputs: Inputs, remote: R | undefined, writeOnce: Outputs | undefined, extra: Outputs = {}): Promise<R> {
    const { kind } = cx;
    let first = remote;
    try {
        first ??= await patiently(() => cx.get(client, id, inputs));
    } catch (e) {
        throw partialFailure(kind.redact(client, `${kind.token} ${id} was submitted but could not be read: ${(e as Error).message}`), id, { ...cx.recordedInputs(client, inputs), ...writeOnce, ...extra });
    }
    if (!first) throw partialFailure(`${kind.token} ${id} was submitted but the cloud does not report it yet`, id, { ...cx.recordedInputs(client, inputs), ...writeOnce, ...extra });
    return first;
}

/** A wait that ended in an error: a partial failure already carries the id; any other error becomes one, so the job stays recorded. */
export function waitingFailed<C, R>(cx: KindContext<C, R>, client: C, id: string, inputs: Inputs, first: R, writeOnce: Outputs | undefined, e: unknown): unknown {
    if ((e as { id?: string }).id) return e;
    return partialFailure(cx.kind.redact(client, `${cx.kind.token} ${id} was submitted, then waiting failed: ${(e as Error).message}`), id, cx.outputsOf(client, first, inputs, writeOnce));
}
