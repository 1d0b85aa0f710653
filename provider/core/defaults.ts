/**
 * Settings every kind shares, in a leaf module: resource classes, schemas and
 * docs read them without loading the provider-side lifecycle.
 */
import type { FieldTable } from "./fields";

/**
 * Inputs every kind that runs has. They change how the provider waits (and, with `retry`, whether it
 * submits a failed job again within one `up`), never the job on the cloud: all `local`.
 */
export const WAIT_FIELDS = { waitForCompletion: "local", completionTimeoutMinutes: "local", retry: "local" } as const satisfies FieldTable;

/** The names of {@link WAIT_FIELDS}. */
export type WaitField = keyof typeof WAIT_FIELDS;

/**
 * Inputs of kinds whose cloud can stop a job (a `run.cancel`): whether passing the deadline stops
 * the job instead of leaving it running. A provider setting, so `local` too.
 */
export const STOP_FIELDS = { stopAtDeadline: "local" } as const satisfies FieldTable;

/** The names of {@link STOP_FIELDS}. */
export type StopField = keyof typeof STOP_FIELDS;

/** Default provider-side deadline: 24 hours. Pulumi's customTimeouts never reach a dynamic provider. */
export const DEFAULT_COMPLETION_TIMEOUT_MINUTES = 24 * 60;

/**
 * Outputs the lifecycle adds to every kind that runs, beside what the cloud reports of the job: the
 * attempts `retry` made (core/retry.ts) and the last lines of the job's log. Both are stored
 * encrypted: failure text and logs may repeat a secret input.
 */
export const RUN_OUTPUTS = ["attempts", "logTail"] as const;
