/**
 * Create: adopt what an earlier attempt submitted, or submit once (design.md
 * §3 rule 8, ./submit.ts), then read the new object and, for a job, wait for
 * it. With `retry`, ./attempts.ts runs the attempts instead.
 */
import type * as pulumi from "@pulumi/pulumi";
import { pollScale } from "../config";
import { Inputs } from "../kind";
import { progress } from "../progress";
import { retryPolicy } from "../retry";
import { createWithRetries } from "./attempts";
import { KindContext } from "./context";
import { settle } from "./settle";
import { readSubmitted, submitOnce, waitingFailed } from "./submit";

export async function createResource<C, R>(cx: KindContext<C, R>, inputs: Inputs): Promise<pulumi.dynamic.CreateResult> {
    const { kind } = cx;
    const client = kind.client(inputs);
    const retry = retryPolicy(inputs.retry, pollScale());
    if (retry.maxAttempts > 1 && cx.wants(inputs)) return createWithRetries(cx, client, inputs, retry);
    const { id, remote, writeOnce, adopted } = await submitOnce(cx, client, inputs);
    const url = kind.consoleUrl?.(id, inputs);
    // An object found by its marker was announced as adopted already: it was not submitted now.
    progress(cx.subject(id), `${adopted ? "recorded" : kind.run ? "submitted" : "created"}${url ? `; console: ${url}` : ""}`);
    const first = await readSubmitted(cx, client, id, inputs, remote, writeOnce);
    try {
        return { id, outs: await settle(cx, client, id, inputs, first, writeOnce) };
    } catch (e) {
        throw waitingFailed(cx, client, id, inputs, first, writeOnce, e);
    }
}
