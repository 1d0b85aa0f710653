import type * as pulumi from "@pulumi/pulumi";
import { hasErrorCode, CloudApiError } from "../../sdk/core/errors";
import { InputProblems, validate } from "./check";
import { numberSetting, useStackConfig } from "./config";
import { partialFailure } from "./errors";
import { FieldTable, compareFields, pickInputs } from "./fields";
import { Inputs, JobKind, Outputs, StatusClass, TERMINAL } from "./kind";
import { progress } from "./progress";
import { scaledSchedule, sleep, waitFor } from "./wait";

/** The hidden input every resource class sets to its Pulumi name; it seeds the idempotency marker. */
export const RESOURCE_NAME_INPUT = "pulumiName";

/** Inputs every job kind has. They change how the provider waits, never the job: all `local`. */
export const WAIT_FIELDS: FieldTable = { waitForCompletion: "local", completionTimeoutMinutes: "local" };

/** Default provider-side deadline: 24 hours. Pulumi's customTimeouts never reach a dynamic provider. */
export const DEFAULT_COMPLETION_TIMEOUT_MINUTES = 24 * 60;

/** How long destroy waits for a cancelled job to settle before deleting it anyway. */
const CANCEL_SETTLE_MINUTES = 30;

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
    const table: FieldTable = { ...kind.fields, ...(kind.runs ? WAIT_FIELDS : {}), [RESOURCE_NAME_INPUT]: "local" };
    const classOf = (status: string): StatusClass => kind.statuses[status] ?? "running";
    const subject = (id: string) => `${kind.token} ${id}`;
    const noun = kind.noun ?? (kind.runs ? "job" : "resource");
    const pollSchedule = () => scaledSchedule(numberSetting(["pulumi-training:pollScale"], ["PULUMI_TRAINING_POLL_SCALE"], 1));
    const wants = (inputs: Inputs) => kind.runs && inputs.waitForCompletion !== false;
    const deadlineFor = (inputs: Inputs, from = Date.now()) =>
        from + 60_000 * Number(inputs.completionTimeoutMinutes ?? DEFAULT_COMPLETION_TIMEOUT_MINUTES);

    /** Outputs from what the cloud reports; `previous` (state) supplies the kind's write-once outputs. */
    function outputsOf(remote: R, inputs: Inputs, previous?: Outputs): Outputs {
        const outs: Outputs = { ...pickInputs(table, inputs), ...kind.outputs(remote, inputs) };
        for (const name of kind.writeOnceOutputs ?? []) if (outs[name] === undefined && previous?.[name] !== undefined) outs[name] = previous[name];
        return withoutUndefined(outs);
    }

    /** Waits for a terminal status; throws the partial-failure error (carrying the id) on failure or deadline. */
    async function settle(client: C, id: string, inputs: Inputs, first: R, previous?: Outputs): Promise<Outputs> {
        if (!wants(inputs) || TERMINAL.has(classOf(kind.statusOf(first)))) return finish(client, id, inputs, first, previous);
        const result = await waitFor({
            poll: async () => (await kind.get(client, id, inputs)) ?? first,
            statusOf: (r) => kind.statusOf(r),
            done: (r) => TERMINAL.has(classOf(kind.statusOf(r))),
            deadline: deadlineFor(inputs),
            schedule: pollSchedule(),
            subject: subject(id),
            initial: first,
        });
        if (result.timedOut) {
            const outs = outputsOf(result.state, inputs, previous);
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
        const outs = outputsOf(remote, inputs, previous);
        const cls = classOf(kind.statusOf(remote));
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

    /** Submits, or adopts the job a previous attempt already submitted (rule 8). */
    async function submitOnce(client: C, inputs: Inputs): Promise<{ id: string; remote?: R }> {
        const marker = kind.marker(inputs);
        const adoptable = (r: R | undefined) => r !== undefined && !["failed", "canceled"].includes(classOf(kind.statusOf(r)));
        const existing = await kind.findByMarker(client, marker, inputs);
        if (existing && adoptable(existing)) {
            const id = kind.idOf(existing);
            progress(subject(id), `adopting the ${noun} an earlier attempt submitted (marker ${marker})`);
            return { id, remote: existing };
        }
        try {
            return { id: await kind.submit(client, inputs, marker) };
        } catch (e) {
            const ambiguous = (e instanceof CloudApiError && (e.transport || e.httpStatus === undefined || e.httpStatus >= 500)) || hasErrorCode(e, ...(kind.duplicateCodes ?? []));
            if (!ambiguous) throw e;
            // The submit may have been applied although we never saw the answer: look before failing.
            const found = await kind.findByMarker(client, marker, inputs);
            if (found && adoptable(found)) {
                const id = kind.idOf(found);
                progress(subject(id), `found the ${noun} the interrupted submit created (marker ${marker})`);
                return { id, remote: found };
            }
            throw e;
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

        async diff(_id, olds, news) {
            const c = compareFields(table, olds, news);
            const cls = olds.status === undefined ? undefined : classOf(String(olds.status));
            // Rule 10: the outcome is desired state. A failed or canceled job is replaced.
            const replaces = [...c.replaces];
            if (kind.runs && (cls === "failed" || cls === "canceled")) replaces.push("status");
            return {
                changes: c.changed.length > 0 || replaces.length > 0,
                replaces,
                deleteBeforeReplace: kind.deleteBeforeReplace ?? false,
            };
        },

        async create(inputs) {
            const client = kind.client(inputs);
            const { id, remote } = await submitOnce(client, inputs);
            const url = kind.consoleUrl?.(id, inputs);
            progress(subject(id), `submitted${url ? `; console: ${url}` : ""}`);
            let first = remote;
            try {
                first ??= await kind.get(client, id, inputs);
            } catch (e) {
                throw partialFailure(kind.redact(client, `${kind.token} ${id} was submitted but could not be read: ${(e as Error).message}`), id, { ...pickInputs(table, inputs) });
            }
            if (!first) throw partialFailure(`${kind.token} ${id} was submitted but the cloud does not report it yet`, id, { ...pickInputs(table, inputs) });
            try {
                return { id, outs: await settle(client, id, inputs, first) };
            } catch (e) {
                if ((e as { id?: string }).id) throw e;
                throw partialFailure(kind.redact(client, `${kind.token} ${id} was submitted, then waiting failed: ${(e as Error).message}`), id, outputsOf(first, inputs));
            }
        },

        async read(id, props) {
            const inputs = pickInputs(table, props);
            const client = kind.client(inputs);
            const remote = await kind.get(client, id, inputs);
            if (!remote) {
                // Rule 10: a succeeded job stays succeeded after the cloud drops its record.
                if (kind.runs && props.status !== undefined && classOf(String(props.status)) === "succeeded") return { id, props, inputs };
                return { id: "" } as pulumi.dynamic.ReadResult;
            }
            const drifted = kind.inputsFromRemote ? { ...inputs, ...kind.inputsFromRemote(remote, inputs) } : inputs;
            return { id, props: outputsOf(remote, drifted, props), inputs: drifted };
        },

        async update(id, olds, news) {
            const client = kind.client(news);
            const c = compareFields(table, olds, news);
            if (c.updates.length) {
                if (!kind.update) throw new Error(`${kind.token}: fields ${c.updates.join(", ")} are marked update but the kind has no update call`);
                await kind.update(client, id, news, olds);
            }
            const remote = await kind.get(client, id, news);
            if (!remote) {
                // Local-only change on a record the cloud has dropped: keep what we know.
                return { outs: { ...olds, ...pickInputs(table, news) } };
            }
            // A previous create that stopped waiting (deadline) lands here: resume waiting.
            return { outs: await settle(client, id, news, remote, olds) };
        },

        async delete(id, props) {
            const inputs = pickInputs(table, props);
            const client = kind.client(inputs);
            let remote = await kind.get(client, id, inputs);
            if (!remote) return; // Rule 11: not found is done.
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
                    poll: async () => (await kind.get(client, id, inputs)) ?? remote!,
                    statusOf: (r) => kind.statusOf(r),
                    done: (r) => TERMINAL.has(classOf(kind.statusOf(r))),
                    deadline: Date.now() + CANCEL_SETTLE_MINUTES * 60_000 * numberSetting(["pulumi-training:pollScale"], ["PULUMI_TRAINING_POLL_SCALE"], 1),
                    schedule: pollSchedule(),
                    subject: subject(id),
                    initial: remote,
                });
                remote = settled.state;
                if (settled.timedOut) throw new Error(`${kind.token} ${id} did not stop within ${CANCEL_SETTLE_MINUTES} minutes; run destroy again`);
            }
            const outcome = await kind.remove(client, id, inputs, remote);
            if (outcome === "refused") {
                progress(subject(id), `warning: the cloud keeps the record of a ${kind.statusOf(remote)} ${noun} and refuses to delete it; it is left in place and removed from the stack`);
            }
        },
    };
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
