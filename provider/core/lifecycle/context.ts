import { hasErrorCode } from "../../../sdk/core/errors";
import { pollScale } from "../config";
import { DEFAULT_COMPLETION_TIMEOUT_MINUTES, RUN_OUTPUTS, STOP_FIELDS, WAIT_FIELDS } from "../defaults";
import { FieldTable, pickInputs } from "../fields";
import { RESOURCE_NAME_INPUT, RESOURCE_URN_INPUT } from "../hidden";
import { Inputs, Outputs, ResourceKind, RunBehaviour, StatusClass, TERMINAL, statusClassOf } from "../kind";
import { PLACEMENT_OUTPUT, Placement, asPlacement, placementMismatch, placementOf } from "../placement";
import { sleep } from "../wait";
import { patiently } from "./patience";
import { ReplacementSet } from "./replacing";

/**
 * How long a "not found" must persist before it is believed (scaled by pollScale): a
 * lagging replica or one transient miss must not drop a running job from the stack.
 */
export const NOT_FOUND_RECHECK_MS = 5_000;

/**
 * One kind as the lifecycle steps see it: the kind's description plus what
 * every step derives from it the same way (the full field table, status
 * classes, outputs with placement, the client for a recorded resource, reads
 * that map a not-found to `undefined`). Built once per kind and process.
 */
export class KindContext<C, R> {
    /** Every input the provider records: the kind's fields, the wait settings of kinds that run, and the hidden inputs. */
    readonly table: FieldTable;
    /** What progress lines call one of these. */
    readonly noun: "job" | "resource";
    /** See {@link ReplacementSet}. */
    readonly replacing = new ReplacementSet();

    constructor(readonly kind: ResourceKind<C, R, Inputs>) {
        this.table = { ...kind.fields, ...(kind.run ? WAIT_FIELDS : {}), ...(kind.run?.cancel ? STOP_FIELDS : {}), [RESOURCE_NAME_INPUT]: "local", [RESOURCE_URN_INPUT]: "local" };
        this.noun = kind.run ? "job" : "resource";
    }

    /** The run behaviour; only called where the kind runs. */
    get run(): RunBehaviour<C, R, Inputs> | undefined {
        return this.kind.run;
    }

    subject(id: string): string {
        return `${this.kind.token} ${id}`;
    }

    /** The status class of a remote object; objects that do not run are always `succeeded`. */
    classOf(remote: R): StatusClass {
        return this.run ? statusClassOf(this.run.statuses, this.run.statusOf(remote)) : "succeeded";
    }

    /** The class of a status string recorded in state. */
    classOfStatus(status: unknown): StatusClass | undefined {
        return this.run && status !== undefined ? statusClassOf(this.run.statuses, String(status)) : undefined;
    }

    /** The cloud's status string, for messages. */
    statusOf(remote: R): string {
        return this.run ? this.run.statusOf(remote) : "present";
    }

    isTerminal(remote: R): boolean {
        return TERMINAL.has(this.classOf(remote));
    }

    /** Whether `up` waits for this resource's job to end. */
    wants(inputs: Inputs): boolean {
        return this.run !== undefined && inputs.waitForCompletion !== false;
    }

    completionMinutes(inputs: Inputs): number {
        return Number(inputs.completionTimeoutMinutes ?? DEFAULT_COMPLETION_TIMEOUT_MINUTES);
    }

    /** Whether `e` says the object does not exist. */
    isNotFound(client: C, e: unknown): boolean {
        const codes = typeof this.kind.notFoundCodes === "function" ? this.kind.notFoundCodes(client) : this.kind.notFoundCodes;
        return hasErrorCode(e, ...codes);
    }

    /** The object, or `undefined` when the cloud does not know it. */
    async get(client: C, id: string, inputs: Inputs): Promise<R | undefined> {
        try {
            return await this.kind.get(client, id, inputs);
        } catch (e) {
            if (this.isNotFound(client, e)) return undefined;
            throw e;
        }
    }

    /** The object as the cloud reports it; "not found" only when a second read after a pause agrees. */
    async readConfirmed(client: C, id: string, inputs: Inputs): Promise<R | undefined> {
        const first = await patiently(() => this.get(client, id, inputs));
        if (first) return first;
        await sleep(NOT_FOUND_RECHECK_MS * pollScale());
        return patiently(() => this.get(client, id, inputs));
    }

    /**
     * Outputs from what the cloud reports; `previous` (state, or what the
     * submit answer told) supplies the kind's write-once outputs and the
     * placement recorded at create.
     */
    outputsOf(client: C, remote: R, inputs: Inputs, previous?: Outputs): Outputs {
        const outs: Outputs = { ...pickInputs(this.table, inputs), ...this.kind.outputs(remote, inputs) };
        // Write-once outputs, and what the lifecycle itself recorded (attempts, the log tail), are not in the cloud's object: carried over.
        for (const name of [...(this.kind.writeOnceOutputs ?? []), ...(this.run ? RUN_OUTPUTS : [])]) if (outs[name] === undefined && previous?.[name] !== undefined) outs[name] = previous[name];
        outs[PLACEMENT_OUTPUT] = asPlacement(previous?.[PLACEMENT_OUTPUT]) ?? placementOf(client);
        return withoutUndefined(outs);
    }

    /** The inputs as recorded, plus the placement, for a partial failure before the cloud reported anything. */
    recordedInputs(client: C, inputs: Inputs): Outputs {
        return withoutUndefined({ ...pickInputs(this.table, inputs), [PLACEMENT_OUTPUT]: placementOf(client) });
    }

    /** The client for a recorded resource: its own region input, else the region recorded at create, else the environment's. */
    clientFor(inputs: Inputs, recorded: Placement | undefined): C {
        const region = this.kind.regionInput;
        if (!region || inputs[region] !== undefined || recorded?.region === undefined) return this.kind.client(inputs);
        return this.kind.client({ ...inputs, [region]: recorded.region });
    }

    /**
     * An object the cloud does not report (read twice) may only be out of
     * sight: under other credentials or another endpoint than it was created
     * with, it is an error that says so, and the stack keeps it.
     */
    assertSamePlacement(client: C, id: string, props: Outputs): void {
        const mismatch = placementMismatch(asPlacement(props[PLACEMENT_OUTPUT]), placementOf(client));
        if (!mismatch) return;
        throw new Error(
            `${this.kind.token} ${id} is not found with ${mismatch}. It may still exist there, so it stays in the stack: ` +
                `run again with the credentials and endpoint it was created with. If it is really gone, remove it with ` +
                `\`pulumi state delete '${String(props[RESOURCE_URN_INPUT] ?? "<urn>")}'\`.`,
        );
    }

    /** The promised outputs (run.promisedOnSuccess) a succeeded job's outputs still lack. */
    missingPromised(outs: Outputs): string[] {
        return (this.run?.promisedOnSuccess ?? []).filter((name) => outs[name] === undefined);
    }
}

/** The host's Struct encoding rejects `undefined`: absent outputs are left out instead. */
export function withoutUndefined<T>(v: T): T {
    if (Array.isArray(v)) return v.map(withoutUndefined) as T;
    if (v && typeof v === "object") {
        return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, withoutUndefined(x)])) as T;
    }
    return v;
}
