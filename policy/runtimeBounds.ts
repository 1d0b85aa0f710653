/**
 * Bounded runtime and bounded retries.
 *
 * Runtime: a job the provider waits on (`completionWait` in the kinds table) must wait, with a
 * completion deadline no longer than the maximum; a template the service runs (`timeoutCancel`)
 * must turn timeout cancellation on with a timeout no longer than the maximum.
 * Retries: a template with automatic retries (`retries`) must cap them.
 *
 * @module
 */

import { formatNumber } from "./config";
import { PropRead, readOne, toBoolean, toNumber } from "./props";
import { ResourceGuardDefinition } from "./guard";
import { retriesOf } from "./kinds";

/** A boolean from a read, falling back when absent; `undefined` when unknown or not a boolean. */
function booleanOr(read: PropRead, fallback: boolean): boolean | undefined {
    if (read.status === "absent") {
        return fallback;
    }
    return read.status === "known" ? toBoolean(read.value) : undefined;
}

/** A number from a read, falling back when absent; `undefined` when unknown or not a number. */
function numberOr(read: PropRead, fallback: number | undefined): number | undefined {
    if (read.status === "absent") {
        return fallback;
    }
    return read.status === "known" ? toNumber(read.value) : undefined;
}

/** Configuration of {@link boundedRuntime}. */
export type BoundedRuntimeConfig = {
    /** The longest a job may run (or be waited on) before it is cancelled or fails, in hours. */
    maxRuntimeHours: number;
    /** Whether jobs must set `waitForCompletion` (a job nobody waits on has no deadline). */
    requireWaitForCompletion: boolean;
};

/** Every job has a deadline no longer than `maxRuntimeHours`. */
export const boundedRuntime: ResourceGuardDefinition<BoundedRuntimeConfig> = {
    scope: "resource",
    key: "boundedRuntime",
    name: "bounded-runtime",
    displayName: "Bounded runtime",
    description: "Every training job must have a completion deadline or timeout no longer than the configured maximum.",
    severity: "medium",
    tags: ["cost", "reliability"],
    remediationSteps:
        "Keep waitForCompletion on and set completionTimeoutMinutes within the limit; on Alaya templates set enableTimeoutCancel: true and timeoutHours within the limit.",
    defaultLevel: "advisory",
    defaults: { maxRuntimeHours: 72, requireWaitForCompletion: true },
    schema: {
        maxRuntimeHours: { type: "number", exclusiveMinimum: 0, description: "The longest deadline or timeout allowed, in hours." },
        requireWaitForCompletion: {
            type: "boolean",
            description: "Whether jobs must keep waitForCompletion on (a job nobody waits on has no deadline).",
        },
    },
    aspects: ["completionWait", "timeoutCancel"],
    validate({ config, kind, props }, reportViolation) {
        const maxHours = formatNumber(config.maxRuntimeHours);
        const wait = kind.completionWait;
        // Honest about what the deadline does: the provider stops waiting; it stops the job only with stopAtDeadline.
        const stops = wait?.stopPath !== undefined && booleanOr(readOne(props, wait.stopPath), false) === true;
        const waitNotBill = stops
            ? ""
            : " (The deadline bounds how long `pulumi up` waits, not the bill: past it the job keeps running and billing until it ends or is stopped" +
              (wait?.stopPath ? `; set ${wait.stopPath}: true to stop it at the deadline.)` : ".)");
        if (wait) {
            const waits = booleanOr(readOne(props, wait.waitPath), wait.waitDefault);
            if (waits === false && config.requireWaitForCompletion) {
                reportViolation(
                    `${kind.label} sets ${wait.waitPath}: false, so it has no completion deadline. ` +
                        `Set ${wait.waitPath}: true with ${wait.timeoutMinutesPath} at most ${formatNumber(config.maxRuntimeHours * 60)} (${maxHours} h).` +
                        waitNotBill,
                );
            }
            const minutes = numberOr(readOne(props, wait.timeoutMinutesPath), wait.timeoutMinutesDefault);
            if (waits !== false && minutes !== undefined && minutes > config.maxRuntimeHours * 60) {
                reportViolation(
                    `${kind.label} waits up to ${formatNumber(minutes)} minutes (${wait.timeoutMinutesPath}); ` +
                        `the limit is ${formatNumber(config.maxRuntimeHours * 60)} minutes (${maxHours} h). ` +
                        `Lower ${wait.timeoutMinutesPath}, or raise boundedRuntime.maxRuntimeHours.` +
                        waitNotBill,
                );
            }
        }
        const cancel = kind.timeoutCancel;
        if (cancel) {
            const enabled = booleanOr(readOne(props, cancel.enabledPath), false);
            const hours = numberOr(readOne(props, cancel.hoursPath), undefined);
            if (enabled === false) {
                reportViolation(
                    `${kind.label} does not cancel runs that overrun. ` +
                        `Set ${cancel.enabledPath}: true and ${cancel.hoursPath} to at most ${maxHours}.`,
                );
            } else if (enabled === true && readOne(props, cancel.hoursPath).status === "absent") {
                reportViolation(`${kind.label} turns on ${cancel.enabledPath} without ${cancel.hoursPath}. Set ${cancel.hoursPath} to at most ${maxHours}.`);
            } else if (enabled === true && hours !== undefined && (hours > config.maxRuntimeHours || hours <= 0)) {
                reportViolation(
                    `${kind.label} sets ${cancel.hoursPath}: ${formatNumber(hours)}; it must be more than 0 and at most ${maxHours}. ` +
                        `Lower ${cancel.hoursPath}, or raise boundedRuntime.maxRuntimeHours.`,
                );
            }
        }
    },
};

/** Configuration of {@link boundedRetries}. */
export type BoundedRetriesConfig = {
    /** The most automatic retries a run may have. */
    maxRetries: number;
};

/** Automatic retries are capped at `maxRetries`. */
export const boundedRetries: ResourceGuardDefinition<BoundedRetriesConfig> = {
    scope: "resource",
    key: "boundedRetries",
    name: "bounded-retries",
    displayName: "Bounded retries",
    description: "Automatic retries of a training run must be capped at the configured maximum.",
    severity: "low",
    tags: ["cost", "reliability"],
    remediationSteps: "Set retry.maxAttempts (jobs the provider waits for) or maxRetryCount (Alaya templates) within the limit, or turn retries off.",
    defaultLevel: "advisory",
    defaults: { maxRetries: 3 },
    schema: {
        maxRetries: { type: "integer", minimum: 0, description: "The most automatic retries a run may have." },
    },
    aspects: ["retries"],
    validate({ config, kind, props }, reportViolation) {
        const spec = kind.retries!;
        if (spec.enabledPath && booleanOr(readOne(props, spec.enabledPath), false) !== true) {
            return; // retries off, or unknown at preview
        }
        const countRead = readOne(props, spec.countPath);
        const count = numberOr(countRead, undefined);
        if (countRead.status === "absent") {
            // The provider's retry.maxAttempts defaults to one attempt; only a cloud's switch without a count is open-ended.
            if (spec.enabledPath) {
                reportViolation(
                    `${kind.label} turns on ${spec.enabledPath} without ${spec.countPath}, leaving retries to the service default. ` +
                        `Set ${spec.countPath} to at most ${config.maxRetries}.`,
                );
            }
        } else if (count !== undefined && retriesOf(spec, count) > config.maxRetries) {
            const what = spec.countIsAttempts ? `${formatNumber(count)} (${formatNumber(retriesOf(spec, count))} retries after the first attempt)` : formatNumber(count);
            reportViolation(
                `${kind.label} sets ${spec.countPath}: ${what}; the limit is ${config.maxRetries} retries. ` +
                    `Lower ${spec.countPath}, or raise boundedRetries.maxRetries.`,
            );
        }
    },
};
