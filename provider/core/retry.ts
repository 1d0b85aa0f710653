/**
 * Bounded automatic retries of a job that `up` waits for (issue 20), the
 * setting every job system users compare us with has: Databricks
 * `max_retries` / `min_retry_interval_millis` / `retry_on_timeout`,
 * SageMaker `RetryStrategy.MaximumRetryAttempts`, Kubernetes `backoffLimit`.
 *
 * Each attempt is its own job with its own marker ({@link attemptMarker}),
 * so a create interrupted during attempt 2 finds attempt 2 on the next run
 * and never submits it twice: the count lives on the cloud, not in memory.
 *
 * This module is a leaf (zod only): schemas and resource classes read it
 * without loading the lifecycle.
 */
import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";

/** The most attempts one resource may make in one `up`. A bound, so a typo cannot start a hundred paid jobs. */
export const MAX_ATTEMPTS_LIMIT = 10;

/** Default pause between the end of a failed attempt and the next submit, in seconds. */
export const DEFAULT_MIN_INTERVAL_SECONDS = 60;

/** Longest pause between attempts, in seconds (1 hour). */
export const MAX_INTERVAL_SECONDS = 3600;

/** Longest failure-reason text recorded per attempt, in characters. */
export const ATTEMPT_REASON_MAX = 500;

/**
 * The `retry` argument of every job resource that waits (TI-ONE tasks,
 * PolarDB AIDB tasks, Bailian fine-tunes). Without it, a job that fails
 * fails the `up` (one attempt), as before.
 */
export interface RetryArgs {
    /**
     * Attempts in all, the first included: 3 means the job is submitted at
     * most three times in one `up`. 1 to 10. Each attempt is a new job (a new
     * id and a new bill) submitted only after the previous one ended.
     * @defaultValue `1` (no retry)
     */
    maxAttempts?: pulumi.Input<number>;
    /**
     * Seconds between the end of a failed attempt and the next submit, 0 to
     * 3600 (capacity errors and lost nodes rarely clear at once).
     * @defaultValue `60`
     */
    minIntervalSeconds?: pulumi.Input<number>;
    /**
     * Whether an attempt still running when `completionTimeoutMinutes`
     * passes is stopped and retried, as Databricks' `retry_on_timeout`. The
     * deadline then bounds each attempt, not the whole `up`. Only on clouds
     * with a stop call (TI-ONE, Bailian).
     * @defaultValue `false`: a passed deadline ends the wait as without retries
     */
    retryOnTimeout?: pulumi.Input<boolean>;
    /**
     * Which failures are retried: regular expressions (case-insensitive)
     * matched against the failure reason the cloud reports (its failure code
     * and message, e.g. `"InsufficientResource|node lost"`). A failure that
     * matches none fails the `up` at once.
     * @defaultValue every failure is retried
     */
    retryableReasons?: pulumi.Input<pulumi.Input<string>[]>;
}

/** The settings as the provider receives them (plain values). */
export type RetrySettings = { [K in keyof RetryArgs]?: K extends "retryableReasons" ? string[] : Exclude<RetryArgs[K], pulumi.Output<any> | Promise<any>> };

/** The settings with their defaults applied. */
export interface RetryPolicy {
    maxAttempts: number;
    minIntervalMs: number;
    retryOnTimeout: boolean;
    reasons: RegExp[] | undefined;
}

/**
 * The schema of `retry`. `canStop`: whether the kind's cloud can stop a job,
 * which `retryOnTimeout` needs (PolarDB has no stop action, reference/polardb-aidb.md).
 */
export function retrySchema(canStop: boolean) {
    return z
        .object({
            maxAttempts: z.number().int("must be a whole number").min(1, "must be at least 1").max(MAX_ATTEMPTS_LIMIT, `must be at most ${MAX_ATTEMPTS_LIMIT}`).optional(),
            minIntervalSeconds: z.number().min(0, "must be at least 0").max(MAX_INTERVAL_SECONDS, `must be at most ${MAX_INTERVAL_SECONDS} (1 hour)`).optional(),
            retryOnTimeout: canStop
                ? z.boolean().optional()
                : z
                      .boolean()
                      .optional()
                      .refine((v) => v !== true, "cannot be true: this cloud has no stop call, so a job past its deadline cannot be ended to make room for the next attempt"),
            retryableReasons: z
                .array(z.string().min(1, "must not be empty").refine(compiles, "must be a valid regular expression"))
                .min(1, "must hold at least one pattern; omit it to retry every failure")
                .optional(),
        })
        .strict()
        .optional();
}

function compiles(pattern: string): boolean {
    try {
        new RegExp(pattern, "i");
        return true;
    } catch {
        return false;
    }
}

/** The settings with defaults; `retry` as the provider received it (already checked). */
export function retryPolicy(retry: RetrySettings | undefined, scale = 1): RetryPolicy {
    return {
        maxAttempts: retry?.maxAttempts ?? 1,
        minIntervalMs: 1000 * (retry?.minIntervalSeconds ?? DEFAULT_MIN_INTERVAL_SECONDS) * scale,
        retryOnTimeout: retry?.retryOnTimeout === true,
        reasons: retry?.retryableReasons?.map((p) => new RegExp(p, "i")),
    };
}

/** Whether a failure with this reason may be retried under `policy` (attempts left are the caller's question). */
export function reasonIsRetryable(policy: RetryPolicy, reason: string): boolean {
    return policy.reasons === undefined || policy.reasons.some((r) => r.test(reason));
}

/** Every kind's marker ends in these 8 hex characters of the input hash (TI-ONE's tag is just them; other kinds put a name before them). */
const MARKER_HASH = /[0-9a-f]{8}$/;

/**
 * The marker of attempt `n` of a job whose first attempt carries `base`: the
 * first attempt keeps `base` (a job submitted before retries existed is
 * still found), a later one has the base's trailing 8 hex replaced by 8 hex
 * derived from them and `n`, so every cloud's name and tag limits still hold.
 */
export function attemptMarker(base: string, n: number): string {
    if (n <= 1) return base;
    if (!MARKER_HASH.test(base)) throw new Error(`a marker must end in 8 hex characters to number its attempts, got "${base}"`);
    const derived = createHash("sha256").update(`${base}\0attempt\0${n}`).digest("hex").slice(0, 8);
    return base.replace(MARKER_HASH, derived);
}

/** One attempt as the `attempts` output records it. */
export interface AttemptRecord {
    /** 1 for the first submit. */
    attempt: number;
    /** The job's id on the cloud. */
    id: string;
    /** The cloud's status when the attempt was last seen. */
    status: string;
    /** The cloud's failure reason (redacted, at most 500 characters), for attempts that failed. */
    failureReason?: string;
    /** When the provider submitted (or found) it, ISO 8601. */
    startedAt: string;
    /** When the provider saw it end, ISO 8601. */
    endedAt?: string;
    /** What became of a failed attempt: `deleted`, `kept` (the cloud keeps finished records) or `recorded` (it is the job the stack records). */
    cleanup?: "deleted" | "kept" | "recorded";
}

/** The name of the output holding the attempts. */
export const ATTEMPTS_OUTPUT = "attempts";
