/**
 * Read (refresh, `get()`) and update: what the cloud reports now, with a
 * not-found believed only when it is proven (design.md §3 rules 10 and 11,
 * issue 15 item 2).
 */
import type * as pulumi from "@pulumi/pulumi";
import { partialFailure } from "../errors";
import { compareFields, pickInputs } from "../fields";
import { RESOURCE_URN_INPUT } from "../hidden";
import { Inputs, Outputs } from "../kind";
import { PLACEMENT_OUTPUT, asPlacement } from "../placement";
import { withSecretSensitiveInputs } from "../sensitive";
import { KindContext, withoutUndefined } from "./context";
import { settle } from "./settle";

export async function readResource<C, R>(cx: KindContext<C, R>, id: string, props: Outputs): Promise<pulumi.dynamic.ReadResult> {
    const { kind, table } = cx;
    const inputs = pickInputs(table, props);
    const client = cx.clientFor(inputs, asPlacement(props[PLACEMENT_OUTPUT]));
    const remote = await cx.readConfirmed(client, id, inputs);
    if (!remote) {
        // Rule 10: a succeeded job stays succeeded after the cloud drops its record.
        if (cx.classOfStatus(props.status) === "succeeded") return { id, props, inputs: withSecretSensitiveInputs(inputs, kind.sensitiveInputs) };
        // A refresh passes the recorded outputs; a `get()` passes only inputs. The engine records a
        // get's empty answer as a resource with no id (seen under the real CLI), so a get says why instead.
        if (!Object.keys(props).some((k) => !(k in table) && !k.startsWith("__"))) {
            throw new Error(`${kind.token} ${id} was not found: check the id, and the region and credentials it is read with (get() adopts only an existing ${cx.noun})`);
        }
        cx.assertSamePlacement(client, id, props);
        return { id: "" } as pulumi.dynamic.ReadResult;
    }
    // The host encodes read answers (inputs too) with Struct.fromJavaScript, which throws on
    // `undefined`: a field the cloud leaves out (an Alaya template without a description) is absent.
    const drifted = withoutUndefined(kind.inputsFromRemote ? { ...inputs, ...kind.inputsFromRemote(remote, inputs) } : inputs);
    return { id, props: cx.outputsOf(client, remote, drifted, props), inputs: withSecretSensitiveInputs(drifted, kind.sensitiveInputs) };
}

export async function updateResource<C, R>(cx: KindContext<C, R>, id: string, olds: Outputs, news: Inputs): Promise<pulumi.dynamic.UpdateResult> {
    const { kind, table } = cx;
    const client = cx.clientFor(news, asPlacement(olds[PLACEMENT_OUTPUT]));
    const c = compareFields(table, olds, news);
    if (c.updates.length) {
        if (!kind.update) throw new Error(`${kind.token}: fields ${c.updates.join(", ")} are marked update but the kind has no update call`);
        await kind.update(client, id, news, olds);
    }
    const remote = await cx.readConfirmed(client, id, news);
    if (!remote) {
        // Local-only change on a record the cloud has dropped after it succeeded (or a record that never runs): keep what we know.
        if (!kind.run || cx.classOfStatus(olds.status) === "succeeded") return { outs: { ...olds, ...pickInputs(table, news) } };
        cx.assertSamePlacement(client, id, { ...olds, [RESOURCE_URN_INPUT]: news[RESOURCE_URN_INPUT] });
        // A job whose outcome the stack never learned (its first read missed) must not pass as done without a status.
        throw partialFailure(
            `${kind.token} ${id} is recorded in the stack but the cloud does not report it (read twice): its outcome is unknown. ` +
                `Check it in the console. If it is really gone, remove it from the stack with \`pulumi state delete '${String(news[RESOURCE_URN_INPUT] ?? "<urn>")}'\` and run \`pulumi up\` again to submit a new one.`,
            id,
            olds,
        );
    }
    // A previous create that stopped waiting (deadline) lands here: resume waiting.
    return { outs: await settle(cx, client, id, news, remote, olds) };
}
