/**
 * Create with `retry` (issue 20): within one `up`, a job that ends failed is
 * submitted again, as a new job, until an attempt succeeds or the attempts
 * are spent.
 *
 * The count lives on the cloud, not in memory: attempt `n` carries its own
 * marker (core/retry.ts `attemptMarker`), and a create first looks for every
 * attempt's marker, so a create interrupted during attempt 2 finds attempt 2
 * on the next run and waits for it instead of submitting anything. Failed
 * attempts stay on the cloud, as that proof, until the outcome is known;
 * then they are deleted by the rules of a replaced job (kept where the cloud
 * keeps finished records). Where names are unique on the cloud (TI-ONE), a
 * failed attempt must be deleted before the next one can take its name; an
 * interruption between that delete and the next submit costs one attempt of
 * the count, never a second live job.
 */
import type * as pulumi from "@pulumi/pulumi";
import { Inputs, Outputs } from "../kind";
import { progress } from "../progress";
import { ATTEMPT_REASON_MAX, ATTEMPTS_OUTPUT, AttemptRecord, RetryPolicy, attemptMarker, reasonIsRetryable } from "../retry";
import { sensitiveRedactor } from "../sensitive";
import { sleep } from "../wait";
import { KindContext } from "./context";
import { removeRecord, stopAndSettle } from "./destroy";
import { patiently } from "./patience";
import { awaitEnd, finish, settle } from "./settle";
import { readSubmitted, submitOnce, waitingFailed } from "./submit";

/** One attempt as the loop knows it: its record and the cloud object it was last seen as. */
interface Attempt<R> {
    record: AttemptRecord;
    remote: R;
}

export async function createWithRetries<C, R>(cx: KindContext<C, R>, client: C, inputs: Inputs, policy: RetryPolicy): Promise<pulumi.dynamic.CreateResult> {
    const { kind } = cx;
    const max = policy.maxAttempts;
    const base = kind.marker(inputs);
    const markers = Array.from({ length: max }, (_, i) => attemptMarker(base, i + 1));
    const siblings: ReadonlySet<string> = new Set(markers);
    const earlier: Attempt<R>[] = [];
    let { n, found } = await furthestAttempt(cx, client, inputs, markers, siblings, earlier);
    for (;;) {
        const marker = markers[n - 1];
        const label = `attempt ${n} of ${max}`;
        let id: string;
        let first: R | undefined;
        let writeOnce: Outputs | undefined;
        if (found) {
            id = kind.idOf(found);
            first = found;
            progress(cx.subject(id), `${label}: found the job an earlier, interrupted run submitted (marker ${marker}), ${cx.statusOf(found)}; not submitting it again`);
        } else {
            const submitted = await submitOnce(cx, client, inputs, marker, { lookedUp: true, siblings });
            ({ id, remote: first, writeOnce } = submitted);
            const url = kind.consoleUrl?.(id, inputs);
            progress(cx.subject(id), `${label} ${submitted.adopted ? "recorded" : "submitted"}${url ? `; console: ${url}` : ""}`);
        }
        const record: AttemptRecord = { attempt: n, id, status: "", startedAt: new Date().toISOString() };
        const attemptsSoFar = () => [...earlier.map((a) => a.record), record];
        const current = await readSubmitted(cx, client, id, inputs, first, writeOnce, { [ATTEMPTS_OUTPUT]: attemptsSoFar() });
        let ended: { state: R; timedOut: boolean };
        try {
            ended = cx.isTerminal(current) ? { state: current, timedOut: false } : await awaitEnd(cx, client, id, inputs, current);
        } catch (e) {
            throw withAttempts(waitingFailed(cx, client, id, inputs, current, writeOnce, e), attemptsSoFar());
        }
        record.status = cx.statusOf(ended.state);
        const verdict = await judgeAttempt(cx, client, inputs, policy, n, ended);
        if (verdict.retry === false) {
            if (verdict.why) progress(cx.subject(id), `${label} ${verdict.why}`);
            if (cx.isTerminal(ended.state)) record.endedAt = new Date().toISOString();
            record.cleanup = "recorded";
            await cleanUp(cx, client, inputs, earlier);
            const attempts = [...earlier.map((a) => a.record), record];
            try {
                // The last attempt is the stack's job: its outcome is settled as without retries (failure, deadline, stopAtDeadline).
                const outs = ended.timedOut ? await settle(cx, client, id, inputs, ended.state, writeOnce) : await finish(cx, client, id, inputs, ended.state, writeOnce);
                return { id, outs: { ...outs, [ATTEMPTS_OUTPUT]: attempts } };
            } catch (e) {
                throw withAttempts(waitingFailed(cx, client, id, inputs, ended.state, writeOnce, e), attempts);
            }
        }
        let last = ended.state;
        if (ended.timedOut) {
            progress(cx.subject(id), `${label} is still ${cx.statusOf(last)} after completionTimeoutMinutes=${cx.completionMinutes(inputs)}: stopping it to retry (retry.retryOnTimeout)`);
            last = await stopAndSettle(cx, client, id, inputs, last, Date.now());
            record.status = cx.statusOf(last);
        }
        record.endedAt = new Date().toISOString();
        record.failureReason = verdict.reason;
        const pause = Math.round(policy.minIntervalMs / 1000);
        progress(cx.subject(id), `${label} ended ${record.status}${verdict.reason ? `: ${firstLine(verdict.reason)}` : ""}; retrying${pause ? ` in ${pause} s` : ""} as attempt ${n + 1} of ${max}`);
        const attempt: Attempt<R> = { record, remote: last };
        // Names unique on the cloud: the next attempt needs this one's name, so it goes now.
        if (kind.deleteBeforeReplace) await cleanUp(cx, client, inputs, [attempt]);
        earlier.push(attempt);
        if (policy.minIntervalMs > 0) await sleep(policy.minIntervalMs);
        n++;
        found = undefined;
    }
}

/**
 * Where an earlier, interrupted run of this create got to: every attempt's
 * marker is looked up, and the furthest attempt found is where this run goes
 * on (the earlier ones are recorded for cleanup). Nothing found: attempt 1.
 */
async function furthestAttempt<C, R>(
    cx: KindContext<C, R>,
    client: C,
    inputs: Inputs,
    markers: readonly string[],
    siblings: ReadonlySet<string>,
    earlier: Attempt<R>[],
): Promise<{ n: number; found: R | undefined }> {
    const found = await Promise.all(markers.map((m) => patiently(() => cx.kind.findByMarker(client, m, inputs, cx.replacing, siblings))));
    let furthest = 0;
    found.forEach((r, i) => {
        if (r) furthest = i + 1;
    });
    found.slice(0, Math.max(0, furthest - 1)).forEach((r, i) => {
        if (!r) return;
        const record: AttemptRecord = { attempt: i + 1, id: cx.kind.idOf(r), status: cx.statusOf(r), startedAt: new Date().toISOString() };
        earlier.push({ record, remote: r });
    });
    return furthest ? { n: furthest, found: found[furthest - 1] } : { n: 1, found: undefined };
}

/** Whether an ended (or timed-out) attempt is retried, and why not when it is not. */
async function judgeAttempt<C, R>(
    cx: KindContext<C, R>,
    client: C,
    inputs: Inputs,
    policy: RetryPolicy,
    n: number,
    ended: { state: R; timedOut: boolean },
): Promise<{ retry: true; reason?: string } | { retry: false; why?: string }> {
    const last = n >= policy.maxAttempts;
    if (ended.timedOut) {
        if (!policy.retryOnTimeout || !cx.run?.cancel) return { retry: false };
        return last ? { retry: false, why: `is the last of retry.maxAttempts=${policy.maxAttempts}: not retried after its deadline` } : { retry: true };
    }
    const cls = cx.classOf(ended.state);
    if (cls === "succeeded") return { retry: false };
    if (cls === "canceled") {
        // A cloud's canceled status is what a stop call produces, a person's or ours; a lost node or capacity shows as failed.
        return { retry: false, why: `ended ${cx.statusOf(ended.state)}: a stopped job is not retried` };
    }
    if (cls !== "failed") return { retry: false };
    const detail = cx.run?.failureDetail ? await cx.run.failureDetail(client, ended.state).catch(() => "") : "";
    const mask = sensitiveRedactor(inputs, cx.kind.sensitiveInputs);
    const reason = mask(cx.kind.redact(client, detail)).slice(0, ATTEMPT_REASON_MAX);
    if (last) return { retry: false, why: `failed, and it is the last of retry.maxAttempts=${policy.maxAttempts}` };
    if (!reasonIsRetryable(policy, detail)) return { retry: false, why: `failed for a reason none of retry.retryableReasons matches: not retried` };
    return { retry: true, reason };
}

/**
 * Deletes failed attempts by the rules of a replaced job: deleted where the
 * cloud allows, kept where it keeps finished records (DashScope), and never
 * anything the job produced (a model, COS output: the kinds' `remove` only
 * deletes the job record). A cleanup that fails is reported and left: the
 * attempt has ended and bills nothing.
 */
async function cleanUp<C, R>(cx: KindContext<C, R>, client: C, inputs: Inputs, attempts: Attempt<R>[]): Promise<void> {
    for (const a of attempts) {
        if (a.record.cleanup) continue;
        try {
            const outcome = await removeRecord(cx, client, a.record.id, inputs, a.remote);
            a.record.cleanup = outcome === "refused" ? "kept" : "deleted";
        } catch (e) {
            a.record.cleanup = "kept";
            progress(cx.subject(a.record.id), cx.kind.redact(client, `the failed attempt ${a.record.attempt} could not be deleted (${(e as Error).message}); it has ended and is left in place`));
        }
    }
}

/** A partial failure with the attempts added to what it records. */
function withAttempts(e: unknown, attempts: AttemptRecord[]): unknown {
    const f = e as { properties?: Record<string, unknown> };
    if (f && typeof f === "object" && f.properties) f.properties = { ...f.properties, [ATTEMPTS_OUTPUT]: attempts };
    return e;
}

function firstLine(text: string): string {
    return text.split("\n")[0];
}
