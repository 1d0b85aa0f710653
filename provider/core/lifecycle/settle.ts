/**
 * Waiting for a job to end: polls until a terminal status or the deadline,
 * then turns the outcome into outputs or into a partial failure that keeps
 * the job recorded (design.md §3 rules 6, 7 and 10).
 */
import { pollScale } from "../config";
import { partialFailure } from "../errors";
import { Inputs, Outputs } from "../kind";
import { progress } from "../progress";
import { sleep, waitFor } from "../wait";
import { KindContext } from "./context";
import { readLogTail } from "./logs";
import { isTransient, patiently, pollSchedule } from "./patience";

/** How long a succeeded job's promised outputs (run.promisedOnSuccess) are awaited, scaled by pollScale. */
export const PROMISED_OUTPUT_WAIT_MS = 60_000;

/** Waits for a terminal status when the inputs ask to; throws the partial-failure error (carrying the id) on failure or deadline. */
export async function settle<C, R>(cx: KindContext<C, R>, client: C, id: string, inputs: Inputs, first: R, previous?: Outputs): Promise<Outputs> {
    if (!cx.wants(inputs) || cx.isTerminal(first)) return finish(cx, client, id, inputs, first, previous);
    const result = await awaitEnd(cx, client, id, inputs, first);
    if (result.timedOut && inputs.stopAtDeadline === true && cx.run?.cancel) {
        return stopAtDeadline(cx, client, id, inputs, result.state, previous);
    }
    if (result.timedOut) {
        // Said when it happens: the engine shows the step's error only when the whole `up` ends.
        progress(cx.subject(id), `completionTimeoutMinutes=${cx.completionMinutes(inputs)} passed while ${cx.statusOf(result.state)}: no longer waiting; the job keeps running and is recorded`);
        throw partialFailure(
            `${cx.kind.token} ${id} is still ${cx.statusOf(result.state)} after completionTimeoutMinutes=${cx.completionMinutes(inputs)}. ` +
                `The job keeps running and is recorded in the stack; the next \`pulumi up\` resumes waiting, or set waitForCompletion: false.`,
            id,
            cx.outputsOf(client, result.state, inputs, previous),
        );
    }
    return finish(cx, client, id, inputs, result.state, previous);
}

/** Polls until the job ends or `completionTimeoutMinutes` passes. */
export function awaitEnd<C, R>(cx: KindContext<C, R>, client: C, id: string, inputs: Inputs, first: R): Promise<{ state: R; timedOut: boolean }> {
    return waitFor({
        poll: tolerantPoll(cx, client, id, inputs, first),
        statusOf: (r) => cx.statusOf(r),
        done: (r) => cx.isTerminal(r),
        deadline: Date.now() + 60_000 * cx.completionMinutes(inputs),
        schedule: pollSchedule(),
        subject: cx.subject(id),
        initial: first,
    });
}

/**
 * The deadline passed and the resource asks for a real bound (`stopAtDeadline`): the job is
 * stopped, so it bills no longer than the deadline plus the stop. The step fails and records the
 * stopping job; the next `pulumi up` finds it stopped and replaces it.
 */
async function stopAtDeadline<C, R>(cx: KindContext<C, R>, client: C, id: string, inputs: Inputs, remote: R, previous?: Outputs): Promise<never> {
    const minutes = cx.completionMinutes(inputs);
    progress(cx.subject(id), `completionTimeoutMinutes=${minutes} passed while ${cx.statusOf(remote)}: stopping the job (stopAtDeadline)`);
    await cx.run!.cancel!(client, id, inputs, Date.now());
    const after = (await patiently(() => cx.get(client, id, inputs)).catch(() => undefined)) ?? remote;
    throw partialFailure(
        `${cx.kind.token} ${id} was stopped: it was still ${cx.statusOf(remote)} when completionTimeoutMinutes=${minutes} passed, and stopAtDeadline is set. ` +
            `It is recorded as ${cx.statusOf(after)}; the next \`pulumi up\` replaces it.`,
        id,
        cx.outputsOf(client, after, inputs, previous),
    );
}

/**
 * The outputs of a job as it is, with its log tail once it ended; a failed or canceled one the
 * inputs wait for fails the step (rule 10: the next `up` replaces it).
 */
export async function finish<C, R>(cx: KindContext<C, R>, client: C, id: string, inputs: Inputs, remote: R, previous?: Outputs): Promise<Outputs> {
    let outs = cx.outputsOf(client, remote, inputs, previous);
    const cls = cx.classOf(remote);
    if (cls === "succeeded" && cx.wants(inputs) && cx.missingPromised(outs).length) outs = await awaitPromised(cx, client, id, inputs, outs, previous);
    // Read once, when `up` first sees the job ended; a later update (a changed wait setting) keeps it.
    if (cx.wants(inputs) && cx.isTerminal(remote) && previous?.logTail === undefined) {
        const logTail = await readLogTail(cx, client, id, remote, inputs);
        if (logTail) outs = { ...outs, logTail };
    }
    if (cx.wants(inputs) && (cls === "failed" || cls === "canceled")) {
        const detail = cx.run?.failureDetail ? await cx.run.failureDetail(client, remote).catch(() => "") : "";
        throw partialFailure(
            cx.kind.redact(client, `${cx.kind.token} ${id} ended ${cx.statusOf(remote)}${detail ? `: ${detail}` : ""}. The next \`pulumi up\` replaces it.`),
            id,
            outs,
        );
    }
    return outs;
}

/** Polls a succeeded job until its promised outputs are reported; fails (keeping the id) if they are not in time. */
async function awaitPromised<C, R>(cx: KindContext<C, R>, client: C, id: string, inputs: Inputs, outs: Outputs, previous?: Outputs): Promise<Outputs> {
    progress(cx.subject(id), `succeeded; waiting for the cloud to report ${cx.missingPromised(outs).join(", ")}`);
    const deadline = Date.now() + PROMISED_OUTPUT_WAIT_MS * pollScale();
    const schedule = pollSchedule();
    for (let pause = schedule.initialMs; cx.missingPromised(outs).length && Date.now() < deadline; pause = Math.min(pause * 2, schedule.maxMs)) {
        await sleep(Math.min(pause, Math.max(0, deadline - Date.now())));
        const remote = await patiently(() => cx.get(client, id, inputs)).catch((e) => (isTransient(e) ? undefined : Promise.reject(e)));
        if (remote) outs = cx.outputsOf(client, remote, inputs, previous);
    }
    const missing = cx.missingPromised(outs);
    if (missing.length) {
        throw partialFailure(
            `${cx.kind.token} ${id} succeeded, but the cloud does not report ${missing.join(", ")} yet (waited ${Math.round((PROMISED_OUTPUT_WAIT_MS * pollScale()) / 1000)} s). ` +
                `The job is recorded in the stack; the next \`pulumi up\` reads it again and fills ${missing.join(", ")} in before anything that depends on it runs.`,
            id,
            outs,
        );
    }
    return outs;
}

/**
 * A poll that survives a transient failure: waiting can last hours, and one
 * status read that fails after the client's retries says nothing about the
 * job, so the last known state stands and the next poll tries again (the
 * deadline still bounds the wait). Errors that will not go away
 * (credentials, permissions) still end the wait.
 */
export function tolerantPoll<C, R>(cx: KindContext<C, R>, client: C, id: string, inputs: Inputs, initial: R): () => Promise<R> {
    let last = initial;
    return async () => {
        try {
            last = (await cx.get(client, id, inputs)) ?? last;
        } catch (e) {
            if (!isTransient(e)) throw e;
            progress(cx.subject(id), cx.kind.redact(client, `status not readable this time (${e.code}); still waiting`));
        }
        return last;
    };
}
