import { CloudApiError } from "../../../sdk/core/errors";
import { pollScale } from "../config";
import { scaledSchedule, sleep } from "../wait";

/** Rounds of an idempotent call the lifecycle depends on (a marker lookup, a read, a delete), each with the client's own retries. */
const READ_ROUNDS = 3;

/** A failure the cloud may not repeat: throttling, an outage, a lost or late answer (after the client's own retries). */
export function isTransient(e: unknown): e is CloudApiError {
    return e instanceof CloudApiError && e.retryable;
}

/** The poll schedule of every wait, scaled by `pollScale`. */
export function pollSchedule() {
    return scaledSchedule(pollScale());
}

/**
 * An idempotent call the lifecycle depends on (a marker lookup, a read, a
 * delete), given a few more rounds on transient failures than the client's
 * own retries: one call that fails after those fails the whole create,
 * refresh or destroy of the resource.
 */
export async function patiently<T>(call: () => Promise<T>): Promise<T> {
    for (let round = 1; ; round++) {
        try {
            return await call();
        } catch (e) {
            if (!isTransient(e) || round >= READ_ROUNDS) throw e;
            await sleep(pollSchedule().initialMs * round);
        }
    }
}
