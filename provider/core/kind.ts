import type { z } from "zod";
import type { FieldTable } from "./fields";
import type { HiddenInputs } from "./hidden";

/**
 * What a status means to the provider. Every kind that runs maps its cloud's
 * status strings onto these classes in one table; the shared lifecycle
 * decides waiting, replacement and destroy from the class alone.
 */
export type StatusClass = "queued" | "running" | "stopping" | "succeeded" | "failed" | "canceled";

export type StatusMap = Readonly<Record<string, StatusClass>>;

export const TERMINAL: ReadonlySet<StatusClass> = new Set(["succeeded", "failed", "canceled"]);

/** Inputs as the provider receives them (plain values; secrets already unwrapped by the engine). */
export type Inputs = Record<string, any>;

/** A kind's checked inputs: what its schema accepts, plus the hidden inputs every class adds. */
export type KindInputs<S extends z.ZodType> = z.output<S> & HiddenInputs;

/** Outputs as the provider returns them: the inputs echoed, plus what the cloud reports. */
export type Outputs = Record<string, any>;

/**
 * What a submit learned: the new object's id, and, where the answer carries
 * them, the object itself (so no read is needed) and outputs only the answer
 * reports (PolarDB's `OrderId`), which later reads carry over from state.
 */
export interface Submitted<Remote> {
    id: string;
    /** The created object, when the submit's answer is the object. */
    remote?: Remote;
    /** Outputs only this answer reports; they are recorded and kept through later reads. */
    writeOnce?: Outputs;
}

/**
 * The part of a kind that runs: a job with a status machine, which `up` may
 * wait for, destroy may stop, and a failure replaces. Configuration such as a
 * dataset file or a template has none of this.
 */
export interface RunBehaviour<Client, Remote, I extends Inputs = Inputs> {
    /** Cloud status string -> class. An unknown status counts as `running` (keeps waiting, never misreads success). */
    readonly statuses: StatusMap;
    /** The cloud status string of a remote object. */
    statusOf(remote: Remote): string;
    /** The cloud's failure reason and, where it has logs, the last lines. */
    failureDetail?(client: Client, remote: Remote): Promise<string>;
    /**
     * The last `lines` lines of the job's log, oldest first, from the cloud's
     * log API (DashScope's fine-tune logs, PolarDB's task logs, TI-ONE's
     * DescribeLogs). Absent where the cloud has no log API. The lifecycle
     * bounds, masks and records them as the `logTail` output.
     */
    logTail?(client: Client, remote: Remote, lines: number): Promise<string[]>;
    /**
     * Stops a running job (cancel or stop). Without it, destroy deletes a running job directly.
     * `startedAt` is when the destroy began: a cancel that has to wait (TI-ONE refuses to stop a
     * task still being submitted) reports its progress with times from there.
     */
    cancel?(client: Client, id: string, inputs: I, startedAt: number): Promise<void>;
    /**
     * Outputs the cloud promises once the job succeeded (DashScope's
     * `finetuned_output`, which a dependant deploys). A success read before
     * they are filled is polled a little longer; if they are still missing
     * the create fails saying so, and the next `pulumi up` reads them again.
     */
    readonly promisedOnSuccess?: readonly string[];
    /**
     * The cloud keeps the record of a finished job whatever the provider does
     * (DashScope refuses to delete finished fine-tunes). A failed or canceled
     * job found by its marker may then be what an earlier destroy left, so it
     * is never adopted: a new job is submitted.
     */
    readonly keepsFinishedRecords?: boolean;
}

/**
 * A resource kind described as data plus a few cloud calls. The shared
 * lifecycle (`./lifecycle/`) implements the rules of design.md §3 once, on
 * top of this description. `I` is the kind's checked inputs (its schema's
 * output plus the hidden inputs), so kind code reading `inputs.x` is checked
 * by the compiler.
 */
export interface ResourceKind<Client, Remote, I extends Inputs = Inputs> {
    /** `module:Class`, e.g. `bailian:FineTuneJob`; the type token is `pulumi-nodejs:dynamic/<module>:<Class>`. */
    readonly token: string;
    /** The zod schema of the inputs (paths become check-failure property names). */
    readonly schema: z.ZodType;
    /** Every input and how a change to it reaches the cloud (the wait settings of kinds that run are added by the lifecycle). */
    readonly fields: FieldTable;
    /** Names are unique on the cloud, so a replacement must delete the old object first. */
    readonly deleteBeforeReplace?: boolean;
    /** The job part: statuses, waiting, cancel, failure detail. Absent for kinds that do not run. */
    readonly run?: RunBehaviour<Client, Remote, I>;

    /** Builds a client from provider config and the environment, and the resource's own inputs (region, endpoint). */
    client(inputs: I): Client;
    /**
     * The input that selects where an object lives (TI-ONE `region`, PolarDB
     * `regionId`, DashScope `workspaceId`). When it is not set, reads and
     * deletes use the region recorded at create (./placement.ts), not the
     * environment's, which may differ between a laptop and CI.
     */
    readonly regionInput?: string;
    /** The marker this resource's submissions carry (deterministic from its name and defining inputs). */
    marker(inputs: I): string;
    /**
     * An object already submitted with this marker, if any, ignoring the ids
     * in `skip` (objects this run is replacing: a replacement may carry its
     * predecessor's marker). Of several matches, the one {@link preferLive}
     * picks. May throw when a same-named object exists that is not ours;
     * one carrying a marker in `siblings` (another attempt of this resource,
     * core/retry.ts) is ours but not this attempt: not found, no error.
     */
    findByMarker(client: Client, marker: string, inputs: I, skip: ReadonlySet<string>, siblings?: ReadonlySet<string>): Promise<Remote | undefined>;
    /** Submits once and returns what the answer told. */
    submit(client: Client, inputs: I, marker: string): Promise<Submitted<Remote>>;
    /** Error codes that mean "already submitted" (duplicate name): look the marker up instead of failing. */
    readonly duplicateCodes?: readonly string[];
    /**
     * Error codes that mean the object does not exist: a read answered so is
     * `undefined`, a delete answered so is done. A function where the codes
     * depend on the client's configuration (Alaya's assumed contract).
     */
    readonly notFoundCodes: readonly string[] | ((client: Client) => readonly string[]);
    /**
     * The cloud documents that it refuses a second object with the same name
     * (TI-ONE's duplicate-name codes), so a submit whose answer never came can
     * be sent again: the resend either creates the one object or is refused
     * as a duplicate and the lookup finds the first. Where that is
     * undocumented (Alaya) or not so (DashScope, PolarDB), such a submit is
     * never resent.
     */
    readonly namesAreUnique?: boolean;
    /** Reads the object; `undefined` (or a not-found error) when the cloud no longer knows it. */
    get(client: Client, id: string, inputs: I): Promise<Remote | undefined>;
    /** The id of a remote object. */
    idOf(remote: Remote): string;
    /** Outputs the cloud reports, in the kind's output names. */
    outputs(remote: Remote, inputs: I): Outputs;
    /**
     * Outputs only the submit answer reports (PolarDB's `OrderId`): `read` and
     * `update` rebuild outputs from what the cloud reports now, so these are
     * carried over from state wherever the rebuilt outputs lack them.
     */
    readonly writeOnceOutputs?: readonly string[];
    /** Inputs as the cloud now reports them, for drift detection on refresh. Omit when the cloud cannot report them. */
    inputsFromRemote?(remote: Remote, inputs: I): Inputs;
    /** A link for people, printed when the object is submitted. */
    consoleUrl?(id: string, inputs: I): string | undefined;
    /** Deletes the record. Returns `refused` when the cloud keeps it by design (then the destroy warns and goes on). */
    remove(client: Client, id: string, inputs: I, remote: Remote): Promise<"deleted" | "refused" | "gone">;
    /** Applies `update` fields in place. Required when the field table has any. */
    update?(client: Client, id: string, news: I, olds: Outputs): Promise<void>;
    /** Extra inputs `check` derives (a file's hash); offline. Throws `InputProblems` for check failures. */
    derive?(inputs: I): Inputs | Promise<Inputs>;
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
