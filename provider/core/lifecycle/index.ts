/**
 * The provider lifecycle of a kind, built from its description: each
 * `<cloud>/<resource>.lifecycle.ts` is `export = resourceLifecycle(kind)`,
 * which the serialized stub requires inside the dynamic-provider host.
 *
 * One concern per module: `create.ts` (adopt or submit once), `settle.ts`
 * (waiting for a job), `refresh.ts` (read and update), `destroy.ts`,
 * `replacing.ts` (what a run replaces is never adopted), `context.ts` (what
 * every step derives from the kind).
 */
import type * as pulumi from "@pulumi/pulumi";
import { InputProblems, validate } from "../check";
import { useStackConfig } from "../config";
import { PartialFailure } from "../errors";
import { compareFields } from "../fields";
import { RESOURCE_URN_INPUT } from "../hidden";
import { Inputs, Outputs, ResourceKind } from "../kind";
import { onResource } from "../progress";
import { ATTEMPTS_OUTPUT } from "../retry";
import { sensitiveRedactor } from "../sensitive";
import { KindContext } from "./context";
import { createResource } from "./create";
import { deleteResource } from "./destroy";
import { readResource, updateResource } from "./refresh";

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
export function resourceLifecycle<C, R, I extends Inputs>(kind: ResourceKind<C, R, I>): Lifecycle {
    const cx = new KindContext<C, R>(kind as unknown as ResourceKind<C, R, Inputs>);

    /**
     * Runs a lifecycle call on one resource: its progress lines are logged on
     * it, its sensitive input values are masked in every line and error, and
     * a partial failure keeps the serialized provider.
     */
    function guarded<T>(inputs: Inputs, call: () => Promise<T>): Promise<T> {
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

    return {
        async configure(req) {
            useStackConfig(req.config);
        },

        async check(_olds, news) {
            const failures = [...validate(kind.schema, news), ...retryNeedsWaiting(kind, news)];
            if (failures.length || !kind.derive) return { inputs: news, failures };
            try {
                return { inputs: { ...news, ...(await kind.derive(news as I)) }, failures };
            } catch (e) {
                if (e instanceof InputProblems) return { inputs: news, failures: e.failures };
                throw e;
            }
        },

        async diff(id, olds, news) {
            const c = compareFields(cx.table, olds, news);
            const recorded = cx.classOfStatus(olds.status);
            // Rule 10: the outcome is desired state. A failed or canceled job is replaced.
            const replaces = [...c.replaces];
            if (recorded === "failed" || recorded === "canceled") replaces.push("status");
            if (replaces.length) {
                cx.replacing.planned(id);
                // A retried job's earlier attempts carry this resource's attempt markers too: the replacement must not resume them.
                for (const a of recordedAttempts(olds)) cx.replacing.planned(a.id);
            }
            // A success recorded without an output the kind promises: the update reads the job again (issue 15 item 15).
            const unfilled = recorded === "succeeded" && news.waitForCompletion !== false && cx.missingPromised(olds).length > 0;
            return {
                changes: c.changed.length > 0 || replaces.length > 0 || unfilled,
                replaces,
                deleteBeforeReplace: kind.deleteBeforeReplace ?? false,
            };
        },

        create: (inputs) => guarded(inputs, () => createResource(cx, inputs)),
        read: (id, props) => guarded(props, () => readResource(cx, id, props)),
        update: (id, olds, news) => guarded(news, () => updateResource(cx, id, olds, news)),
        delete: (id, props) => guarded(props, () => deleteResource(cx, id, props)),
    };
}

/** `retry` acts only while `up` waits for the job: with more than one attempt and no waiting, check says so. */
function retryNeedsWaiting(kind: ResourceKind<any, any, any>, news: Inputs): pulumi.dynamic.CheckFailure[] {
    if (!kind.run || news.waitForCompletion !== false || !(Number(news.retry?.maxAttempts) > 1)) return [];
    return [{ property: "retry.maxAttempts", reason: "needs waitForCompletion: a job is retried only while `up` waits for it to end; set waitForCompletion: true or remove retry" }];
}

/** The attempts a retried job recorded (core/retry.ts), as far as their ids go. */
function recordedAttempts(olds: Outputs): Array<{ id: string }> {
    const a = olds[ATTEMPTS_OUTPUT];
    return Array.isArray(a) ? a.filter((x): x is { id: string } => typeof x?.id === "string") : [];
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
