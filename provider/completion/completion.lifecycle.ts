/**
 * The implementation the serialized stub of `training.Completion` requires
 * inside the dynamic-provider host
 * (`pulumi-training/provider/completion/completion.lifecycle`).
 *
 * It submits nothing. Create waits, in one engine step, until every job it
 * names has ended, reading each job's status the way the job's own lifecycle
 * does: the job kind's client built from the job's own region, profile and
 * project ({@link WAITABLE}), `KindContext` reads (a not-found believed only
 * when a second read agrees), the shared adaptive poll schedule and progress
 * lines (`core/wait.ts`), and the kind's failure detail and redaction.
 * Refresh re-reads the statuses; delete does nothing to the jobs.
 */
import { createHash } from "node:crypto";
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { validate } from "../core/check";
import { useStackConfig } from "../core/config";
import { PartialFailure, partialFailure } from "../core/errors";
import { compareFields, pickInputs } from "../core/fields";
import { RESOURCE_URN_INPUT } from "../core/hidden";
import type { Inputs, Outputs, ResourceKind } from "../core/kind";
import { KindContext, withoutUndefined } from "../core/lifecycle/context";
import { pollSchedule } from "../core/lifecycle/patience";
import { tolerantPoll } from "../core/lifecycle/settle";
import { Placement, asPlacement, placementOf } from "../core/placement";
import { onResource, progress } from "../core/progress";
import { sensitiveRedactor } from "../core/sensitive";
import { waitFor } from "../core/wait";
import { kindByToken } from "../registry";
import {
    COMPLETION_FIELDS,
    COMPLETION_TOKEN,
    CompletionInputs,
    CompletionOutcome,
    DEFAULT_COMPLETION_TIMEOUT_MINUTES,
    JOB_PLACEMENTS_OUTPUT,
    JOB_SECRETS_INPUT,
    JobRef,
    WAITABLE,
    completionSchema,
} from "./completion.kind";

/** One KindContext per job kind for the life of the process (the same reads the job's lifecycle makes). */
const contexts = new Map<string, KindContext<unknown, unknown>>();

/** The read side of a job kind: its registry row's kind description, wrapped as the lifecycle wraps it. */
export function contextFor(type: string): KindContext<unknown, unknown> {
    let cx = contexts.get(type);
    if (!cx) {
        const row = kindByToken(type);
        if (!row || !WAITABLE[row.token]) throw new Error(`${COMPLETION_TOKEN}: ${type} is not a job kind that runs (one of ${Object.keys(WAITABLE).join(", ")})`);
        const kind = require(path.join(__dirname, "..", row.kindModule))[row.kindExport] as ResourceKind<unknown, unknown, Inputs>;
        cx = new KindContext(kind);
        contexts.set(type, cx);
    }
    return cx;
}

/** A job as one wait sees it: its context, client, inputs for reads, and its secret values' redactor. */
interface Tracked {
    ref: JobRef;
    cx: KindContext<unknown, unknown>;
    client: unknown;
    inputs: Inputs;
    redact: (text: string) => string;
    label: string;
}

/**
 * Each job with the client of its own kind, region, profile and project. At create (no
 * placement recorded) that is the client the job's own create used a moment before in this
 * process; later (update, refresh) the region recorded then, as the job's own reads do.
 */
function track(inputs: CompletionInputs, recorded?: Outputs): Tracked[] {
    const secrets = inputs[JOB_SECRETS_INPUT] ?? [];
    const placements = (recorded?.[JOB_PLACEMENTS_OUTPUT] ?? {}) as Record<string, unknown>;
    return uniqueJobs(inputs.jobs).map(({ ref, index }) => {
        const cx = contextFor(ref.type);
        const locator: Inputs = { ...(ref.locator ?? {}) };
        const client = cx.clientFor(locator, asPlacement(placements[ref.id]));
        const masks = sensitiveRedactor((secrets[index] ?? {}) as Inputs, WAITABLE[cx.kind.token].sensitive);
        const redact = (text: string) => masks(cx.kind.redact(client, text));
        return { ref, cx, client, inputs: locator, redact, label: `${cx.subject(ref.id)}${ref.name ? ` ("${ref.name}")` : ""}` };
    });
}

/** The jobs once each (the same job passed twice is waited for once), with their index in `jobs`. */
function uniqueJobs(jobs: readonly JobRef[]): Array<{ ref: JobRef; index: number }> {
    const seen = new Set<string>();
    const out: Array<{ ref: JobRef; index: number }> = [];
    jobs.forEach((ref, index) => {
        const key = `${ref.type}\0${ref.id}`;
        if (!seen.has(key)) out.push({ ref, index });
        seen.add(key);
    });
    return out;
}

/** A Completion's id: derived from the jobs it waits for, so it says which group it is. */
export function completionId(jobs: readonly JobRef[]): string {
    const ids = [...new Set(jobs.map((j) => `${j.type}\0${j.id}`))].sort();
    return `completion-${createHash("sha256").update(ids.join("\n")).digest("hex").slice(0, 16)}`;
}

/** Where waiting for one job ended. */
interface Ended {
    job: Tracked;
    remote: unknown;
    timedOut: boolean;
}

function statusClass(e: Ended) {
    return e.job.cx.classOf(e.remote);
}

function outcomeOf(ended: readonly Ended[]): CompletionOutcome {
    if (ended.some((e) => ["failed", "canceled"].includes(statusClass(e)))) return "failed";
    return ended.every((e) => statusClass(e) === "succeeded") ? "succeeded" : "running";
}

/** The outputs: the inputs as recorded, each job's cloud status, the outcome, and where each job was read. */
function outputsOf(inputs: CompletionInputs, ended: readonly Ended[], endedAt?: string): Outputs {
    const placements: Record<string, Placement | undefined> = {};
    const statuses: Record<string, string> = {};
    for (const e of ended) {
        statuses[e.job.ref.id] = e.job.cx.statusOf(e.remote);
        placements[e.job.ref.id] = placementOf(e.job.client);
    }
    return withoutUndefined({ ...pickInputs(COMPLETION_FIELDS, inputs), statuses, outcome: outcomeOf(ended), endedAt, [JOB_PLACEMENTS_OUTPUT]: placements });
}

/** The first read of a job: a job the cloud does not report (read twice) is an error that names it and where it was looked for. */
async function firstRead(job: Tracked): Promise<unknown> {
    const remote = await job.cx.readConfirmed(job.client, job.ref.id, job.inputs);
    if (remote !== undefined) return remote;
    job.cx.assertSamePlacement(job.client, job.ref.id, {});
    throw new Error(
        `${job.label} is not found (read twice)${placementText(job.client)}: if it was replaced or deleted, run \`pulumi up --refresh\` so the stack learns its new id`,
    );
}

function placementText(client: unknown): string {
    const p = placementOf(client);
    return p ? ` with account ${p.account}${p.region ? ` in ${p.region}` : ""}${p.endpoint ? ` through ${p.endpoint}` : ""}` : "";
}

/**
 * Waits until every job has ended or the deadline passes. Each job is polled
 * on its own adaptive schedule (all reads share each cloud client's rate
 * budget), and a job that ends is announced (its status) when it ends, so a
 * failure is seen at once even when others run on; the reasons, which may
 * quote secrets, are masked per job and given in the error at the end.
 */
async function waitAll(inputs: CompletionInputs, jobs: Tracked[]): Promise<Ended[]> {
    const minutes = Number(inputs.completionTimeoutMinutes ?? DEFAULT_COMPLETION_TIMEOUT_MINUTES);
    const deadline = Date.now() + 60_000 * minutes;
    const schedule = pollSchedule();
    let finished = 0;
    // One job's read failing for good (credentials, permissions) ends the whole wait: the others stop polling too.
    let failed: unknown;
    const stopped = () => {
        if (failed !== undefined) throw failed;
    };
    return Promise.all(
        jobs.map(async (job): Promise<Ended> => {
            try {
                stopped();
                const first = await firstRead(job);
                const poll = tolerantPoll(job.cx, job.client, job.ref.id, job.inputs, first);
                const result = await waitFor({
                    poll: async () => {
                        stopped();
                        return poll();
                    },
                    statusOf: (r) => job.cx.statusOf(r),
                    done: (r) => job.cx.isTerminal(r),
                    deadline,
                    schedule,
                    subject: job.cx.subject(job.ref.id),
                    initial: first,
                });
                if (!result.timedOut) {
                    finished++;
                    const cls = job.cx.classOf(result.state);
                    progress(COMPLETION_TOKEN, `${finished} of ${jobs.length} jobs ended: ${job.label} ${job.cx.statusOf(result.state)}${cls === "succeeded" ? "" : " (the Completion fails when all have ended)"}`);
                }
                return { job, remote: result.state, timedOut: result.timedOut };
            } catch (e) {
                failed ??= e instanceof Error ? Object.assign(e, { message: job.redact(e.message.includes(job.label) ? e.message : `${job.label}: ${e.message}`) }) : e;
                throw failed;
            }
        }),
    );
}

/** Why each failed or canceled job failed, in the job kind's own words (its failure detail), masked. */
async function failureText(ended: readonly Ended[]): Promise<string[]> {
    const failed = ended.filter((e) => ["failed", "canceled"].includes(statusClass(e)));
    return Promise.all(
        failed.map(async ({ job, remote }) => {
            const detail = job.cx.run?.failureDetail ? await job.cx.run.failureDetail(job.client, remote).catch(() => "") : "";
            return job.redact(`${job.label} ended ${job.cx.statusOf(remote)}${detail ? `: ${detail}` : ""}`);
        }),
    );
}

/** Waits for the jobs and turns the outcome into outputs, or into a partial failure that keeps the Completion recorded. */
async function settleAll(id: string, inputs: CompletionInputs, jobs: Tracked[]): Promise<Outputs> {
    progress(COMPLETION_TOKEN, `waiting for ${jobs.length} job${jobs.length === 1 ? "" : "s"} to end (deadline ${Number(inputs.completionTimeoutMinutes ?? DEFAULT_COMPLETION_TIMEOUT_MINUTES)} min)`);
    const ended = await waitAll(inputs, jobs);
    const done = ended.every((e) => !e.timedOut);
    const outs = outputsOf(inputs, ended, done ? new Date().toISOString() : undefined);
    const failures = await failureText(ended);
    const running = ended.filter((e) => e.timedOut);
    if (failures.length || running.length) {
        const lines = [
            ...failures,
            ...(running.length
                ? [
                      `${running.length} job${running.length === 1 ? " is" : "s are"} still running after completionTimeoutMinutes=${Number(inputs.completionTimeoutMinutes ?? DEFAULT_COMPLETION_TIMEOUT_MINUTES)}: ` +
                          `${running.map((e) => `${e.job.label} (${e.job.cx.statusOf(e.remote)})`).join(", ")}. They keep running; the next \`pulumi up\` resumes waiting.`,
                  ]
                : []),
        ];
        const next = failures.length
            ? "Run `pulumi up --refresh`: the refresh records the failed jobs' outcome, so the up replaces them and then waits for the new set."
            : "";
        const message = `${COMPLETION_TOKEN} ${id}: ${failures.length} of ${jobs.length} job${jobs.length === 1 ? "" : "s"} did not succeed.\n${lines.join("\n")}${next ? `\n${next}` : ""}`;
        throw partialFailure(message, id, outs, lines);
    }
    return outs;
}

/** The lifecycle methods the thin stub forwards to. */
function guarded<T>(inputs: Inputs, call: () => Promise<T>): Promise<T> {
    return onResource(inputs[RESOURCE_URN_INPUT], async () => {
        try {
            return await call();
        } catch (e) {
            const f = e as Partial<PartialFailure>;
            // The host adds `__provider` only to successful answers: a recorded partial failure must keep it.
            if (f && typeof f === "object" && f.id && f.properties && inputs.__provider !== undefined) f.properties = { ...f.properties, __provider: inputs.__provider };
            throw e;
        }
    });
}

export async function configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    useStackConfig(req.config);
}

export async function check(_olds: Inputs, news: Inputs): Promise<pulumi.dynamic.CheckResult> {
    return { inputs: news, failures: validate(completionSchema, news) };
}

/** Pure: a different set of jobs replaces the Completion; a Completion whose jobs have not all succeeded waits again. */
export async function diff(_id: string, olds: Outputs, news: Inputs): Promise<pulumi.dynamic.DiffResult> {
    const c = compareFields(COMPLETION_FIELDS, olds, news);
    return { changes: c.changed.length > 0 || olds.outcome !== "succeeded", replaces: c.replaces, deleteBeforeReplace: false };
}

export function create(inputs: Inputs): Promise<pulumi.dynamic.CreateResult> {
    return guarded(inputs, async () => {
        const checked = inputs as CompletionInputs;
        const id = completionId(checked.jobs);
        const jobs = track(checked);
        return { id, outs: await settleAll(id, checked, jobs) };
    });
}

/**
 * Update: the deadline changed, or the last wait did not end in success (a
 * failure, a deadline, an interrupted run): wait again. A Completion that
 * already succeeded for these jobs makes no call.
 */
export function update(id: string, olds: Outputs, news: Inputs): Promise<pulumi.dynamic.UpdateResult> {
    return guarded(news, async () => {
        const checked = news as CompletionInputs;
        if (olds.outcome === "succeeded") return { outs: { ...olds, ...pickInputs(COMPLETION_FIELDS, checked) } };
        return { outs: await settleAll(id, checked, track(checked, olds)) };
    });
}

/** Refresh: each job's status now (no waiting). A job the cloud dropped after it succeeded stays succeeded. */
export function read(id: string, props: Outputs): Promise<pulumi.dynamic.ReadResult> {
    return guarded(props, async () => {
        const recorded = props as CompletionInputs & Outputs;
        const before = (props.statuses ?? {}) as Record<string, string>;
        const jobs = track(recorded, props);
        const ended = await Promise.all(
            jobs.map(async (job): Promise<Ended> => {
                const remote = await job.cx.readConfirmed(job.client, job.ref.id, job.inputs);
                if (remote !== undefined) return { job, remote, timedOut: false };
                job.cx.assertSamePlacement(job.client, job.ref.id, { [RESOURCE_URN_INPUT]: props[RESOURCE_URN_INPUT] });
                return { job, remote: undefined, timedOut: false };
            }),
        );
        const found = ended.filter((e) => e.remote !== undefined);
        const outs = outputsOf(recorded, found, undefined);
        for (const e of ended.filter((x) => x.remote === undefined)) {
            const was = before[e.job.ref.id];
            // Rule 10: a success stays a success after the cloud drops the record; anything else is unknown now.
            outs.statuses[e.job.ref.id] = was !== undefined && e.job.cx.classOfStatus(was) === "succeeded" ? was : "NOT_FOUND";
        }
        const classes = ended.map((e) => (e.remote !== undefined ? e.job.cx.classOf(e.remote) : e.job.cx.classOfStatus(outs.statuses[e.job.ref.id]) === "succeeded" ? "succeeded" : "failed"));
        outs.outcome = classes.some((c) => c === "failed" || c === "canceled") ? "failed" : classes.every((c) => c === "succeeded") ? "succeeded" : "running";
        outs.endedAt = outs.outcome === "running" ? undefined : props.endedAt ?? new Date().toISOString();
        // A job not found now keeps the placement recorded when it was found.
        outs[JOB_PLACEMENTS_OUTPUT] = { ...((props[JOB_PLACEMENTS_OUTPUT] ?? {}) as object), ...outs[JOB_PLACEMENTS_OUTPUT] };
        return { id, props: withoutUndefined(outs), inputs: pickInputs(COMPLETION_FIELDS, props) };
    });
}

/** Delete: the jobs are their own resources; a Completion only waited for them. */
export async function del(_id: string, _props: Outputs): Promise<void> {
    return;
}

export { del as delete };
