/**
 * The `logTail` output: the last lines of a job's log when `up` saw it end
 * (issue 20), so a user reads what a job printed from `pulumi stack output`
 * without the console. Bounded, masked and stored encrypted (RUN_OUTPUTS).
 */
import { Inputs } from "../kind";
import { progress } from "../progress";
import { sensitiveRedactor } from "../sensitive";
import { KindContext } from "./context";
import { patiently } from "./patience";

/** Lines kept in `logTail`. */
export const LOG_TAIL_LINES = 20;

/** Longest line kept, in characters; a longer one is cut and marked. */
export const LOG_LINE_MAX = 500;

/** Most characters kept in all: the oldest lines go first. */
export const LOG_TAIL_MAX = 4096;

/**
 * The job's last log lines, masked (the client's credentials and the
 * resource's sensitive input values) and bounded; `undefined` where the
 * cloud has no log API or the log cannot be read (said in a progress line:
 * a missing log never fails a job that succeeded).
 */
export async function readLogTail<C, R>(cx: KindContext<C, R>, client: C, id: string, remote: R, inputs: Inputs): Promise<string[] | undefined> {
    const tail = cx.run?.logTail;
    if (!tail) return undefined;
    let lines: string[];
    try {
        lines = await patiently(() => tail(client, remote, LOG_TAIL_LINES));
    } catch (e) {
        progress(cx.subject(id), cx.kind.redact(client, `its log could not be read for logTail (${e instanceof Error ? e.message : String(e)})`));
        return undefined;
    }
    const mask = sensitiveRedactor(inputs, cx.kind.sensitiveInputs);
    return boundedTail(lines.map((line) => mask(cx.kind.redact(client, line))));
}

/** The last {@link LOG_TAIL_LINES} lines, each at most {@link LOG_LINE_MAX} characters, {@link LOG_TAIL_MAX} in all. */
export function boundedTail(lines: readonly string[]): string[] {
    const cut = lines.slice(-LOG_TAIL_LINES).map((l) => (l.length > LOG_LINE_MAX ? `${l.slice(0, LOG_LINE_MAX)}… (cut)` : l));
    let total = cut.reduce((n, l) => n + l.length, 0);
    while (cut.length > 1 && total > LOG_TAIL_MAX) total -= cut.shift()!.length;
    return cut;
}
