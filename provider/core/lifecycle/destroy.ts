/**
 * Delete: stop a running job where the cloud can, wait until it has
 * stopped, then delete the record (design.md §3 rule 11). Not found twice,
 * a pause apart, where the object was created, is done.
 */
import { CloudApiError } from "../../../sdk/core/errors";
import { pollScale } from "../config";
import { pickInputs } from "../fields";
import { Inputs, Outputs } from "../kind";
import { PLACEMENT_OUTPUT, asPlacement } from "../placement";
import { progress } from "../progress";
import { waitFor } from "../wait";
import { KindContext } from "./context";
import { patiently, pollSchedule } from "./patience";
import { tolerantPoll } from "./settle";

/** How long destroy waits for a cancelled job to settle before deleting it anyway. */
const CANCEL_SETTLE_MINUTES = 30;

export async function deleteResource<C, R>(cx: KindContext<C, R>, id: string, props: Outputs): Promise<void> {
    const { kind } = cx;
    const startedAt = Date.now();
    const inputs = pickInputs(cx.table, props);
    const client = cx.clientFor(inputs, asPlacement(props[PLACEMENT_OUTPUT]));
    const found = await cx.readConfirmed(client, id, inputs);
    if (!found) {
        cx.assertSamePlacement(client, id, props);
        return;
    }
    const cancel = cx.run?.cancel;
    const remote = cancel && !cx.isTerminal(found) ? await stopAndSettle(cx, client, id, inputs, found, startedAt) : found;
    if (cx.run && !cancel && !cx.isTerminal(remote)) {
        // Said before it happens: on a cloud without a stop call, deleting a running job is what ends it.
        progress(cx.subject(id), `the cloud has no stop call for a ${cx.noun}: deleting it while ${cx.statusOf(remote)} ends its run`);
    }
    const outcome = await removeRecord(cx, client, id, inputs, remote);
    if (outcome === "refused") {
        progress(cx.subject(id), `warning: the cloud keeps the record of a ${cx.statusOf(remote)} ${cx.noun} and refuses to delete it; it is left in place and removed from the stack`);
    }
}

/** Deletes an ended job's record. Deleting is idempotent (a record already gone is "gone"), so it gets the same patience as a read. */
export function removeRecord<C, R>(cx: KindContext<C, R>, client: C, id: string, inputs: Inputs, remote: R): Promise<"deleted" | "refused" | "gone"> {
    return patiently(async () => {
        try {
            return await cx.kind.remove(client, id, inputs, remote);
        } catch (e) {
            if (cx.isNotFound(client, e)) return "gone";
            throw e;
        }
    });
}

/**
 * Stops a running job and waits until it has ended (a stop is asynchronous: TI-ONE goes STOPPING,
 * then STOPPED); returns its final state. A cancel refused because the job moved on meanwhile (it
 * finished) is no error. Only for kinds with a `run.cancel`.
 */
export async function stopAndSettle<C, R>(cx: KindContext<C, R>, client: C, id: string, inputs: Inputs, remote: R, startedAt: number): Promise<R> {
    if (cx.classOf(remote) !== "stopping") {
        progress(cx.subject(id), `cancelling (${cx.statusOf(remote)})`);
        try {
            await cx.run!.cancel!(client, id, inputs, startedAt);
        } catch (e) {
            if (!(e instanceof CloudApiError) || e.retryable) throw e;
            // The job moved on between our read and the cancel (it finished): carry on.
        }
    }
    const settled = await waitFor({
        poll: tolerantPoll(cx, client, id, inputs, remote),
        statusOf: (r) => cx.statusOf(r),
        done: (r) => cx.isTerminal(r),
        deadline: Date.now() + CANCEL_SETTLE_MINUTES * 60_000 * pollScale(),
        schedule: pollSchedule(),
        subject: cx.subject(id),
        initial: remote,
        startedAt,
    });
    if (settled.timedOut) throw new Error(`${cx.kind.token} ${id} did not stop within ${CANCEL_SETTLE_MINUTES} minutes; run destroy again`);
    return settled.state;
}
