import type { z } from "zod";
import type { FieldTable } from "./fields";

/**
 * What a status means to the provider. Every kind maps its cloud's status
 * strings onto these classes in one table; the shared lifecycle decides
 * waiting, replacement and destroy from the class alone.
 */
export type StatusClass = "queued" | "running" | "stopping" | "succeeded" | "failed" | "canceled";

export type StatusMap = Readonly<Record<string, StatusClass>>;

export const TERMINAL: ReadonlySet<StatusClass> = new Set(["succeeded", "failed", "canceled"]);

/** Inputs as the provider receives them (plain values; secrets already unwrapped by the engine). */
export type Inputs = Record<string, any>;

/** Outputs as the provider returns them: the inputs echoed, plus what the cloud reports. */
export type Outputs = Record<string, any>;

/**
 * A job-shaped resource kind described as data plus a few cloud calls. The
 * shared lifecycle in `job.ts` implements the thirteen rules of design.md §3
 * once, on top of this description.
 */
export interface JobKind<Client, Remote> {
    /** `module:Class`, e.g. `bailian:FineTuneJob`; the type token is `pulumi-nodejs:dynamic/<module>:<Class>`. */
    readonly token: string;
    /** The zod schema of the inputs (paths become check-failure property names). */
    readonly schema: z.ZodType;
    /** Every input and how a change to it reaches the cloud. */
    readonly fields: FieldTable;
    /** Names are unique on the cloud, so a replacement must delete the old job first. */
    readonly deleteBeforeReplace?: boolean;
    /** Cloud status string -> class. An unknown status counts as `running` (keeps waiting, never misreads success). */
    readonly statuses: StatusMap;
    /** Whether the kind is a job that runs (waits, cancels); false for plain configuration such as templates. */
    readonly runs: boolean;

    /** Builds a client from provider config and the environment, and the resource's own inputs (region, endpoint). */
    client(inputs: Inputs): Client;
    /**
     * The input that selects where a job lives (TI-ONE `region`, PolarDB
     * `regionId`, DashScope `workspaceId`). When it is not set, reads and
     * deletes use the region recorded at create (./placement.ts), not the
     * environment's, which may differ between a laptop and CI.
     */
    readonly regionInput?: string;
    /** The marker this resource's submissions carry (deterministic from its name and defining inputs). */
    marker(inputs: Inputs): string;
    /**
     * A job already submitted with this marker, if any, ignoring the ids in
     * `skip` (jobs this run is replacing: a replacement may carry its
     * predecessor's marker). Of several matches, the one {@link preferLive}
     * picks. May throw when a same-named object exists that is not ours.
     */
    findByMarker(client: Client, marker: string, inputs: Inputs, skip: ReadonlySet<string>): Promise<Remote | undefined>;
    /** Submits once and returns the new id. */
    submit(client: Client, inputs: Inputs, marker: string): Promise<string>;
    /** Error codes that mean "already submitted" (duplicate name): look the marker up instead of failing. */
    readonly duplicateCodes?: readonly string[];
    /**
     * The cloud documents that it refuses a second job with the same name
     * (TI-ONE's duplicate-name codes), so a submit whose answer never came can
     * be sent again: the resend either creates the one job or is refused as a
     * duplicate and the lookup finds the first. Where that is undocumented
     * (Alaya) or not so (DashScope, PolarDB), such a submit is never resent.
     */
    readonly namesAreUnique?: boolean;
    /**
     * The cloud keeps the record of a finished job whatever the provider does
     * (DashScope refuses to delete finished fine-tunes). A failed or canceled
     * job found by its marker may then be what an earlier destroy left, so it
     * is never adopted: a new job is submitted.
     */
    readonly keepsFinishedRecords?: boolean;
    /** Reads the job; undefined when the cloud no longer knows it. */
    get(client: Client, id: string, inputs: Inputs): Promise<Remote | undefined>;
    /** The id of a remote object. */
    idOf(remote: Remote): string;
    /** The cloud status string of a remote object (kinds that do not run return a constant). */
    statusOf(remote: Remote): string;
    /** Outputs the cloud reports, in the kind's output names. */
    outputs(remote: Remote, inputs: Inputs): Outputs;
    /**
     * Outputs the cloud promises once the job succeeded (DashScope's
     * `finetuned_output`, which a dependant deploys). A success read before
     * they are filled is polled a little longer; if they are still missing
     * the create fails saying so, and the next `pulumi up` reads them again.
     */
    readonly promisedOnSuccess?: readonly string[];
    /**
     * Outputs only the submit answer reports (PolarDB's `OrderId`): `read` and
     * `update` rebuild outputs from what the cloud reports now, so these are
     * carried over from state wherever the rebuilt outputs lack them.
     */
    readonly writeOnceOutputs?: readonly string[];
    /** Inputs as the cloud now reports them, for drift detection on refresh. Omit when the cloud cannot report them. */
    inputsFromRemote?(remote: Remote, inputs: Inputs): Inputs;
    /** The cloud's failure reason and, where it has logs, the last lines. */
    failureDetail?(client: Client, remote: Remote): Promise<string>;
    /** A link for people, printed when the job is submitted. */
    consoleUrl?(id: string, inputs: Inputs): string | undefined;
    /** Stops a running job (cancel or stop). */
    cancel?(client: Client, id: string, inputs: Inputs): Promise<void>;
    /** Deletes the record. Returns `refused` when the cloud keeps it by design (then the destroy warns and goes on). */
    remove(client: Client, id: string, inputs: Inputs, remote: Remote): Promise<"deleted" | "refused" | "gone">;
    /** Applies `update` fields in place. Required when the field table has any. */
    update?(client: Client, id: string, news: Inputs, olds: Outputs): Promise<void>;
    /** Extra inputs `check` derives (a file's hash); offline. Throws `InputProblems` for check failures. */
    derive?(inputs: Inputs): Inputs | Promise<Inputs>;
    /** Redacts a message with the client's known secrets. */
    redact(client: Client, message: string): string;
    /**
     * Inputs that can hold secrets (env maps, commands, free-form parameters):
     * their values seed no marker and are masked in every error and progress
     * line (./sensitive.ts). The resource class marks their outputs secret.
     */
    readonly sensitiveInputs: readonly string[];
}

/**
 * Of the jobs a marker lookup found, the one to judge: a live or succeeded one
 * before a failed or canceled one, whatever order the cloud lists them in (the
 * list order is undocumented). Two jobs with one marker happen when a failed
 * job is replaced (same inputs, same marker) and the replacement is interrupted:
 * taking the failed one first would submit the replacement a second time.
 */
export function preferLive<R>(matches: readonly R[], statusOf: (r: R) => string, statuses: StatusMap): R | undefined {
    const live = (r: R) => !["failed", "canceled"].includes(statusClassOf(statuses, statusOf(r)));
    return matches.find(live) ?? matches[0];
}

/** A status's class; an unknown status counts as running. Own properties only: a status such as "constructor" must not reach Object.prototype. */
export function statusClassOf(statuses: StatusMap, status: string): StatusClass {
    return Object.hasOwn(statuses, status) ? statuses[status] : "running";
}
