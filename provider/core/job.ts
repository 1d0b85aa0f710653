import type * as pulumi from "@pulumi/pulumi";
import { hasErrorCode, CloudApiError } from "../../sdk/core/errors";
import { InputProblems, validate } from "./check";
import { pollScale, requestTimeoutMs, useStackConfig } from "./config";
import { PartialFailure, partialFailure } from "./errors";
import { FieldTable, compareFields, pickInputs } from "./fields";
import { Inputs, JobKind, Outputs, StatusClass, TERMINAL, statusClassOf } from "./kind";
import { RESOURCE_NAME_INPUT, RESOURCE_URN_INPUT } from "./hidden";
import { PLACEMENT_OUTPUT, Placement, asPlacement, placementMismatch, placementOf } from "./placement";
import { onResource, progress } from "./progress";
import { sensitiveRedactor, withSecretSensitiveInputs } from "./sensitive";
import { scaledSchedule, sleep, waitFor } from "./wait";

export { RESOURCE_NAME_INPUT } from "./hidden";

/** Inputs every job kind has. They change how the provider waits, never the job: all `local`. */
export const WAIT_FIELDS: FieldTable = { waitForCompletion: "local", completionTimeoutMinutes: "local" };

/** Default provider-side deadline: 24 hours. Pulumi's customTimeouts never reach a dynamic provider. */
export const DEFAULT_COMPLETION_TIMEOUT_MINUTES = 24 * 60;

/**
 * How long a "not found" must persist before it is believed (scaled by pollScale): a
 * lagging replica or one transient miss must not drop a running job from the stack.
 */
export const NOT_FOUND_RECHECK_MS = 5_000;

/** How long a succeeded job's promised outputs (kind.promisedOnSuccess) are awaited, scaled by pollScale. */
export const PROMISED_OUTPUT_WAIT_MS = 60_000;

/** How long destroy waits for a cancelled job to settle before deleting it anyway. */
const CANCEL_SETTLE_MINUTES = 30;

/**
 * How many times one create submits. A submit is sent again only after a
 * transport failure (no answer arrived) and only when the marker lookup then
 * shows that nothing was applied.
 */
export const MAX_SUBMITS = 5;

/** Rounds of an idempotent call the lifecycle depends on (a marker lookup, a read, a delete), each with the client's own retries. */
const READ_ROUNDS = 3;

/** A failure the cloud may not repeat: throttling, an outage, a lost or late answer (after the client's own retries). */
export function isTransient(e: unknown): e is CloudApiError {
    return e instanceof CloudApiError && e.retryable;
}

/** The lifecycle methods the thin stub forwards to. */
export interface Lifecycle {
    configure(req: pulumi.dynamic.ConfigureRequest): Promise<void>;
    check(olds: Inputs, news: Inputs): Promise<pulumi.dynamic.CheckResult>;
    diff(id: string, olds: Outputs, news: Inputs): Promise<pulumi.dynamic.DiffResult>;
    create(inputs: Inputs): Promise<pulumi.dynamic.CreateResult>;
    read(id: string, props: Outputs): Promise<pulumi.dynamic.ReadResult>;
    update(id: string, olds: Outputs, news: Inputs): Promise<pulumi.dynamic.UpdateResult>;
    delete(id: string, props: Outputs): Promise<void>;
}

/** Builds the full provider lifecycle of a kind from its description. */
export function jobLifecycle<C, R>(kind: JobKind<C, R>): Lifecycle {
    const table: FieldTable = { ...kind.fields, ...(kind.runs ? WAIT_FIELDS : {}), [RESOURCE_NAME_INPUT]: "local", [RESOURCE_URN_INPUT]: "local" };
    const classOf = (status: string): StatusClass => statusClassOf(kind.statuses, status);
    const subject = (id: string) => `${kind.token} ${id}`;
    // What progress lines call one of these.
    const noun = kind.runs ? "job" : "resource";
    const pollSchedule = () => scaledSchedule(pollScale());
    const wants = (inputs: Inputs) => kind.runs && inputs.waitForCompletion !== false;
    const deadlineFor = (inputs: Inputs, from = Date.now()) =>
        from + 60_000 * Number(inputs.completionTimeoutMinutes ?? DEFAULT_COMPLETION_TIMEOUT_MINUTES);

    /**
     * Outputs from what the cloud reports; `previous` (state) supplies the
     * kind's write-once outputs and the placement recorded at create.
     */
    function outputsOf(client: C, remote: R, inputs: Inputs, previous?: Outputs): Outputs {
        const outs: Outputs = { ...pickInputs(table, inputs), ...kind.outputs(remote, inputs) };
        for (const name of kind.writeOnceOutputs ?? []) if (outs[name] === undefined && previous?.[name] !== undefined) outs[name] = previous[name];
        outs[PLACEMENT_OUTPUT] = asPlacement(previous?.[PLACEMENT_OUTPUT]) ?? placementOf(client);
        return withoutUndefined(outs);
    }

    /** The inputs as recorded, plus the placement, for a partial failure before the cloud reported anything. */
    function recordedInputs(client: C, inputs: Inputs): Outputs {
        return withoutUndefined({ ...pickInputs(table, inputs), [PLACEMENT_OUTPUT]: placementOf(client) });
    }

    /** The client for a recorded resource: its own region input, else the region recorded at create, else the environment's. */
    function clientFor(inputs: Inputs, recorded: Placement | undefined): C {
        const region = kind.regionInput;
        if (!region || inputs[region] !== undefined || recorded?.region === undefined) return kind.client(inputs);
        return kind.client({ ...inputs, [region]: recorded.region });
    }

    /**
     * A job the cloud does not report (read twice) may only be out of sight:
     * under other credentials or another endpoint than it was created with,
     * it is an error that says so, and the stack keeps it.
     */
    function assertSamePlacement(client: C, id: string, props: Outputs): void {
        const mismatch = placementMismatch(asPlacement(props[PLACEMENT_OUTPUT]), placementOf(client));
        if (!mismatch) return;
        throw new Error(
            `${kind.token} ${id} is not found with ${mismatch}. It may still exist there, so it stays in the stack: ` +
                `run again with the credentials and endpoint it was created with. If it is really gone, remove it with ` +
                `\`pulumi state delete '${String(props[RESOURCE_URN_INPUT] ?? "<urn>")}'\`.`,
        );
    }

    /** Waits for a terminal status; throws the partial-failure error (carrying the id) on failure or deadline. */
    async function settle(client: C, id: string, inputs: Inputs, first: R, previous?: Outputs): Promise<Outputs> {
        if (!wants(inputs) || TERMINAL.has(classOf(kind.statusOf(first)))) return finish(client, id, inputs, first, previous);
        const result = await waitFor({
            poll: tolerantPoll(client, id, inputs, first),
            statusOf: (r) => kind.statusOf(r),
            done: (r) => TERMINAL.has(classOf(kind.statusOf(r))),
            deadline: deadlineFor(inputs),
            schedule: pollSchedule(),
            subject: subject(id),
            initial: first,
        });
        if (result.timedOut) {
            const outs = outputsOf(client, result.state, inputs, previous);
            const minutes = inputs.completionTimeoutMinutes ?? DEFAULT_COMPLETION_TIMEOUT_MINUTES;
            throw partialFailure(
                `${kind.token} ${id} is still ${kind.statusOf(result.state)} after completionTimeoutMinutes=${minutes}. ` +
                    `The job keeps running and is recorded in the stack; the next \`pulumi up\` resumes waiting, or set waitForCompletion: false.`,
                id,
                outs,
            );
        }
        return finish(client, id, inputs, result.state, previous);
    }

    async function finish(client: C, id: string, inputs: Inputs, remote: R, previous?: Outputs): Promise<Outputs> {
        let outs = outputsOf(client, remote, inputs, previous);
        const cls = classOf(kind.statusOf(remote));
        if (cls === "succeeded" && wants(inputs) && missingPromised(outs).length) outs = await awaitPromised(client, id, inputs, outs, previous);
        if (wants(inputs) && (cls === "failed" || cls === "canceled")) {
            const detail = kind.failureDetail ? await kind.failureDetail(client, remote).catch(() => "") : "";
            throw partialFailure(
                kind.redact(client, `${kind.token} ${id} ended ${kind.statusOf(remote)}${detail ? `: ${detail}` : ""}. The next \`pulumi up\` replaces it.`),
                id,
                outs,
            );
        }
        return outs;
    }

    /** The promised outputs (kind.promisedOnSuccess) a succeeded job's outputs still lack. */
    function missingPromised(outs: Outputs): string[] {
        return (kind.promisedOnSuccess ?? []).filter((name) => outs[name] === undefined);
    }

    /** Polls a succeeded job until its promised outputs are reported; fails (keeping the id) if they are not in time. */
    async function awaitPromised(client: C, id: string, inputs: Inputs, outs: Outputs, previous?: Outputs): Promise<Outputs> {
        progress(subject(id), `succeeded; waiting for the cloud to report ${missingPromised(outs).join(", ")}`);
        const deadline = Date.now() + PROMISED_OUTPUT_WAIT_MS * pollScale();
        const schedule = pollSchedule();
        for (let pause = schedule.initialMs; missingPromised(outs).length && Date.now() < deadline; pause = Math.min(pause * 2, schedule.maxMs)) {
            await sleep(Math.min(pause, Math.max(0, deadline - Date.now())));
            const remote = await patiently(() => kind.get(client, id, inputs)).catch((e) => (isTransient(e) ? undefined : Promise.reject(e)));
            if (remote) outs = outputsOf(client, remote, inputs, previous);
        }
        const missing = missingPromised(outs);
        if (missing.length) {
            throw partialFailure(
                `${kind.token} ${id} succeeded, but the cloud does not report ${missing.join(", ")} yet (waited ${Math.round((PROMISED_OUTPUT_WAIT_MS * pollScale()) / 1000)} s). ` +
                    `The job is recorded in the stack; the next \`pulumi up\` reads it again and fills ${missing.join(", ")} in before anything that depends on it runs.`,
                id,
                outs,
            );
        }
        return outs;
    }

    /**
     * A poll that survives a transient failure: waiting can last hours, and
     * one status read that fails after the client's retries says nothing
     * about the job, so the last known state stands and the next poll tries
     * again (the deadline still bounds the wait). Errors that will not go
     * away (credentials, permissions) still end the wait.
     */
    function tolerantPoll(client: C, id: string, inputs: Inputs, initial: R): () => Promise<R> {
        let last = initial;
        return async () => {
            try {
                last = (await kind.get(client, id, inputs)) ?? last;
            } catch (e) {
                if (!isTransient(e)) throw e;
                progress(subject(id), kind.redact(client, `status not readable this time (${e.code}); still waiting`));
            }
            return last;
        };
    }

    /**
     * An idempotent call the lifecycle depends on (a marker lookup, a read, a
     * delete), given a few more rounds on transient failures than the
     * client's own retries: one call that fails after those fails the whole
     * create, refresh or destroy of the resource.
     */
    async function patiently<T>(read: () => Promise<T>): Promise<T> {
        for (let round = 1; ; round++) {
            try {
                return await read();
            } catch (e) {
                if (!isTransient(e) || round >= READ_ROUNDS) throw e;
                await sleep(pollSchedule().initialMs * round);
            }
        }
    }

    /**
     * Jobs whose replacement `diff` planned in this process: failed or
     * canceled ones (rule 10), and ones whose inputs changed. A job found by
     * its marker is one of these when a create-before-delete replacement
     * runs: the predecessor still exists and may carry the same marker (the
     * same inputs after a failure, or a change of a sensitive value, which
     * the marker does not hash), and must not be adopted as the new job.
     */
    const replacing = new Set<string>();

    /**
     * What to do with the job a marker lookup found: adopt a live or finished
     * one; skip a failed or canceled one that is being replaced (or that the
     * cloud keeps after every delete); otherwise a failed or canceled one is
     * what an interrupted run left behind, and it is adopted too, so the
     * create reports its failure and records it, and the next preview plans
     * its replacement instead of the job being lost outside the stack.
     */
    function judge(found: R | undefined, marker: string, why: string): { id: string; remote: R } | undefined {
        if (!found) return undefined;
        const id = kind.idOf(found);
        const status = kind.statusOf(found);
        const cls = classOf(status);
        if (replacing.has(id)) {
            progress(subject(id), `the ${noun} with this marker is the one being replaced (${status}); it is not adopted, a new one is submitted`);
            return undefined;
        }
        if (cls !== "failed" && cls !== "canceled") {
            progress(subject(id), `${why} (marker ${marker})`);
            return { id, remote: found };
        }
        if (kind.keepsFinishedRecords) {
            progress(subject(id), `an earlier ${noun} with this marker ended ${status}; it is not adopted, a new one is submitted`);
            return undefined;
        }
        progress(subject(id), `found the ${noun} an interrupted earlier run submitted (marker ${marker}): it ended ${status} meanwhile; recording it so that the next \`pulumi up\` replaces it`);
        return { id, remote: found };
    }

    /** Whether a failed submit may have been applied all the same: no answer, a 5xx, a duplicate, or an answer that could not be read. */
    function outcomeUnknown(e: unknown): boolean {
        return (
            (e instanceof CloudApiError && (e.transport || e.httpStatus === undefined || e.httpStatus >= 500 || (e.code === "MalformedResponse" && e.httpStatus < 300))) ||
            hasErrorCode(e, ...(kind.duplicateCodes ?? []))
        );
    }

    /**
     * Looks for the job a submit with an unknown outcome may have created.
     * After a transport failure the request may still be on its way (an answer
     * slower than the client's timeout is applied late), so the lookup is
     * repeated for twice the request timeout before concluding nothing was
     * applied; after an answer (a 5xx, a duplicate name) one lookup decides.
     */
    async function lookAfterUnknownOutcome(client: C, marker: string, inputs: Inputs, e: unknown): Promise<R | undefined> {
        const windowMs = e instanceof CloudApiError && e.transport ? 2 * requestTimeoutMs() : 0;
        const until = Date.now() + windowMs;
        for (let pause = Math.max(100, windowMs / 4); ; pause *= 2) {
            let found: R | undefined;
            try {
                found = await patiently(() => kind.findByMarker(client, marker, inputs, replacing));
            } catch (lookup) {
                if (!isTransient(lookup)) throw lookup;
                throw new Error(
                    kind.redact(
                        client,
                        `${(e as Error).message}. Whether the ${noun} was created is unknown, and looking for it by its marker (${marker}) failed too: ${(lookup as Error).message}. ` +
                            `Run \`pulumi up\` again: it looks for the marker before submitting, so nothing is created twice.`,
                    ),
                );
            }
            if (found || Date.now() >= until) return found;
            await sleep(Math.min(pause, until - Date.now()));
        }
    }

    /**
     * Submits, or adopts the job a previous attempt already submitted (rule 8).
     * A submit that fails with an unknown outcome is followed by a lookup of
     * the marker. The submit is sent again only when the lookup shows nothing
     * and a second submit cannot make a second job: nothing reached the cloud
     * (connection refused), or the cloud documents that it refuses a second
     * job with the same name (`namesAreUnique`: the resend then answers
     * "duplicate" and the lookup finds the first). Elsewhere an absent list entry proves nothing
     * (the list may lag), so the create stops with an error that says what to
     * check, and the next `pulumi up`, which looks for the marker before it
     * submits, decides. An answer from the cloud (a 5xx) is its verdict: it is
     * reported, and the next `pulumi up` tries again. At most
     * {@link MAX_SUBMITS} submits in all.
     */
    async function submitOnce(client: C, inputs: Inputs): Promise<{ id: string; remote?: R }> {
        const marker = kind.marker(inputs);
        const existing = judge(await patiently(() => kind.findByMarker(client, marker, inputs, replacing)), marker, `adopting the ${noun} an earlier attempt submitted`);
        if (existing) return existing;
        for (let attempt = 1; ; attempt++) {
            try {
                return { id: await kind.submit(client, inputs, marker) };
            } catch (e) {
                if (!outcomeUnknown(e)) throw e;
                // The submit may have been applied although we never saw the answer: look before failing or submitting again.
                const found = judge(await lookAfterUnknownOutcome(client, marker, inputs, e), marker, `found the ${noun} the interrupted submit created`);
                if (found) return found;
                if (hasErrorCode(e, "MalformedResponse")) {
                    // Accepted (2xx) but unreadable, and the list does not show the job (yet): it may exist all the same.
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

    return {
        async configure(req) {
            useStackConfig(req.config);
        },

        async check(_olds, news) {
            const failures = validate(kind.schema, news);
            if (failures.length || !kind.derive) return { inputs: news, failures };
            try {
                return { inputs: { ...news, ...(await kind.derive(news)) }, failures };
            } catch (e) {
                if (e instanceof InputProblems) return { inputs: news, failures: e.failures };
                throw e;
            }
        },

        async diff(id, olds, news) {
            const c = compareFields(table, olds, news);
            const cls = olds.status === undefined ? undefined : classOf(String(olds.status));
            // Rule 10: the outcome is desired state. A failed or canceled job is replaced.
            const replaces = [...c.replaces];
            if (kind.runs && (cls === "failed" || cls === "canceled")) replaces.push("status");
            if (replaces.length) replacing.add(id);
            // A success recorded without an output the kind promises: the update reads the job again (issue 15 item 15).
            const unfilled = cls === "succeeded" && news.waitForCompletion !== false && missingPromised(olds).length > 0;
            return {
                changes: c.changed.length > 0 || replaces.length > 0 || unfilled,
                replaces,
                deleteBeforeReplace: kind.deleteBeforeReplace ?? false,
            };
        },

        async create(inputs) {
            return guarded(inputs, () => createJob(inputs));
        },

        async read(id, props) {
            return guarded(props, () => readJob(id, props));
        },

        async update(id, olds, news) {
            return guarded(news, () => updateJob(id, olds, news));
        },

        async delete(id, props) {
            return guarded(props, () => deleteJob(id, props));
        },
    };

    /**
     * Runs a lifecycle call on one resource: its progress lines are logged on
     * it, its sensitive input values are masked in every line and error, and
     * a partial failure keeps the serialized provider.
     */
    async function guarded<T>(inputs: Inputs, call: () => Promise<T>): Promise<T> {
        const redact = sensitiveRedactor(inputs, kind.sensitiveInputs);
        return onResource(
            inputs[RESOURCE_URN_INPUT],
            async () => {
                try {
                    return await call();
                } catch (e) {
                    throw withProvider(redacted(e, redact), inputs);
                }
            },
            redact,
        );
    }

    async function createJob(inputs: Inputs): Promise<pulumi.dynamic.CreateResult> {
        const client = kind.client(inputs);
        const { id, remote } = await submitOnce(client, inputs);
        const url = kind.consoleUrl?.(id, inputs);
        // A job found by its marker was announced as adopted already: it was not submitted now.
        progress(subject(id), `${remote ? "recorded" : kind.runs ? "submitted" : "created"}${url ? `; console: ${url}` : ""}`);
        let first = remote;
        try {
            first ??= await patiently(() => kind.get(client, id, inputs));
        } catch (e) {
            throw partialFailure(kind.redact(client, `${kind.token} ${id} was submitted but could not be read: ${(e as Error).message}`), id, recordedInputs(client, inputs));
        }
        if (!first) throw partialFailure(`${kind.token} ${id} was submitted but the cloud does not report it yet`, id, recordedInputs(client, inputs));
        try {
            return { id, outs: await settle(client, id, inputs, first) };
        } catch (e) {
            if ((e as { id?: string }).id) throw e;
            throw partialFailure(kind.redact(client, `${kind.token} ${id} was submitted, then waiting failed: ${(e as Error).message}`), id, outputsOf(client, first, inputs));
        }
    }

    /** The job as the cloud reports it; "not found" only when a second read after a pause agrees. */
    async function readConfirmed(client: C, id: string, inputs: Inputs): Promise<R | undefined> {
        const first = await patiently(() => kind.get(client, id, inputs));
        if (first) return first;
        await sleep(NOT_FOUND_RECHECK_MS * pollScale());
        return patiently(() => kind.get(client, id, inputs));
    }

    async function readJob(id: string, props: Outputs): Promise<pulumi.dynamic.ReadResult> {
        const inputs = pickInputs(table, props);
        const client = clientFor(inputs, asPlacement(props[PLACEMENT_OUTPUT]));
        const remote = await readConfirmed(client, id, inputs);
        if (!remote) {
            // Rule 10: a succeeded job stays succeeded after the cloud drops its record.
            if (kind.runs && props.status !== undefined && classOf(String(props.status)) === "succeeded") return { id, props, inputs: withSecretSensitiveInputs(inputs, kind.sensitiveInputs) };
            // A refresh passes the recorded outputs; a `get()` passes only inputs. The engine records a
            // get's empty answer as a resource with no id (seen under the real CLI), so a get says why instead.
            if (!Object.keys(props).some((k) => !(k in table) && !k.startsWith("__"))) {
                throw new Error(`${kind.token} ${id} was not found: check the id, and the region and credentials it is read with (get() adopts only an existing ${noun})`);
            }
            assertSamePlacement(client, id, props);
            return { id: "" } as pulumi.dynamic.ReadResult;
        }
        // The host encodes read answers (inputs too) with Struct.fromJavaScript, which throws on
        // `undefined`: a field the cloud leaves out (an Alaya template without a description) is absent.
        const drifted = withoutUndefined(kind.inputsFromRemote ? { ...inputs, ...kind.inputsFromRemote(remote, inputs) } : inputs);
        return { id, props: outputsOf(client, remote, drifted, props), inputs: withSecretSensitiveInputs(drifted, kind.sensitiveInputs) };
    }

    async function updateJob(id: string, olds: Outputs, news: Inputs): Promise<pulumi.dynamic.UpdateResult> {
        const client = clientFor(news, asPlacement(olds[PLACEMENT_OUTPUT]));
        const c = compareFields(table, olds, news);
        if (c.updates.length) {
            if (!kind.update) throw new Error(`${kind.token}: fields ${c.updates.join(", ")} are marked update but the kind has no update call`);
            await kind.update(client, id, news, olds);
        }
        const remote = await readConfirmed(client, id, news);
        if (!remote) {
            // Local-only change on a record the cloud has dropped after it succeeded (or a record that never runs): keep what we know.
            if (!kind.runs || (olds.status !== undefined && classOf(String(olds.status)) === "succeeded")) return { outs: { ...olds, ...pickInputs(table, news) } };
            assertSamePlacement(client, id, { ...olds, [RESOURCE_URN_INPUT]: news[RESOURCE_URN_INPUT] });
            // A job whose outcome the stack never learned (its first read missed) must not pass as done without a status.
            throw partialFailure(
                `${kind.token} ${id} is recorded in the stack but the cloud does not report it (read twice): its outcome is unknown. ` +
                    `Check it in the console. If it is really gone, remove it from the stack with \`pulumi state delete '${String(news[RESOURCE_URN_INPUT] ?? "<urn>")}'\` and run \`pulumi up\` again to submit a new one.`,
                id,
                olds,
            );
        }
        // A previous create that stopped waiting (deadline) lands here: resume waiting.
        return { outs: await settle(client, id, news, remote, olds) };
    }

    async function deleteJob(id: string, props: Outputs): Promise<void> {
        const inputs = pickInputs(table, props);
        const client = clientFor(inputs, asPlacement(props[PLACEMENT_OUTPUT]));
        const found = await readConfirmed(client, id, inputs);
        if (!found) {
            assertSamePlacement(client, id, props);
            return; // Rule 11: not found (twice, a pause apart, where it was created) is done.
        }
        let remote: R = found;
        if (kind.runs && !TERMINAL.has(classOf(kind.statusOf(remote))) && kind.cancel) {
            if (classOf(kind.statusOf(remote)) !== "stopping") {
                progress(subject(id), `cancelling (${kind.statusOf(remote)})`);
                try {
                    await kind.cancel(client, id, inputs);
                } catch (e) {
                    if (!(e instanceof CloudApiError) || e.retryable) throw e;
                    // The job moved on between our read and the cancel (it finished): carry on with delete.
                }
            }
            const settled = await waitFor({
                poll: tolerantPoll(client, id, inputs, remote),
                statusOf: (r) => kind.statusOf(r),
                done: (r) => TERMINAL.has(classOf(kind.statusOf(r))),
                deadline: Date.now() + CANCEL_SETTLE_MINUTES * 60_000 * pollScale(),
                schedule: pollSchedule(),
                subject: subject(id),
                initial: remote,
            });
            remote = settled.state;
            if (settled.timedOut) throw new Error(`${kind.token} ${id} did not stop within ${CANCEL_SETTLE_MINUTES} minutes; run destroy again`);
        }
        // Deleting is idempotent (a record already gone is "gone"), so it gets the same patience as a read.
        const outcome = await patiently(() => kind.remove(client, id, inputs, remote));
        if (outcome === "refused") {
            progress(subject(id), `warning: the cloud keeps the record of a ${kind.statusOf(remote)} ${noun} and refuses to delete it; it is left in place and removed from the stack`);
        }
    }
}

/** The serialized provider: the dynamic-provider host reads it from a resource's outputs to delete or refresh it. */
const PROVIDER_KEY = "__provider";

/**
 * A partial failure's properties become the resource's outputs in state, and
 * the dynamic-provider host adds `__provider` only to successful answers. A
 * resource recorded without it cannot be deleted or replaced later (the host
 * finds no provider in its outputs), so every partial failure carries it.
 */
function withProvider(e: unknown, from: Inputs): unknown {
    const f = e as Partial<PartialFailure> | undefined;
    if (f && typeof f === "object" && f.id && f.properties && from[PROVIDER_KEY] !== undefined && f.properties[PROVIDER_KEY] === undefined) {
        f.properties = { ...f.properties, [PROVIDER_KEY]: from[PROVIDER_KEY] };
    }
    return e;
}

/** The error with `redact` applied to its message (and a partial failure's reasons), which the engine shows and logs. */
function redacted(e: unknown, redact: (text: string) => string): unknown {
    if (!(e instanceof Error)) return typeof e === "string" ? redact(e) : e;
    const message = redact(e.message);
    if (message !== e.message) {
        e.message = message;
        if (e.stack) e.stack = redact(e.stack);
    }
    const f = e as Partial<PartialFailure>;
    if (Array.isArray(f.reasons)) f.reasons = f.reasons.map(redact);
    return e;
}

/** The host's Struct encoding rejects `undefined`: absent outputs are left out instead. */
export function withoutUndefined<T>(v: T): T {
    if (Array.isArray(v)) return v.map(withoutUndefined) as T;
    if (v && typeof v === "object") {
        return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, withoutUndefined(x)])) as T;
    }
    return v;
}

export { sleep };
