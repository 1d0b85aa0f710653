import * as path from "node:path";
import { EMULATOR_CREDENTIALS, emulatorEnv, startEmulator, RunningEmulator } from "../../emulator";
import { StackOptions, TestStack } from "../../harness";

/** Scales the provider's polling for the emulator's fast clock (5 s -> 100 ms). */
export const FAST_POLL = { PULUMI_TRAINING_POLL_SCALE: "0.02" };

export const PROGRAMS = path.join(__dirname, "programs");

/** Every credential the emulator accepts: none may appear in state, logs or errors. */
export const TEST_CREDENTIALS: string[] = Object.values(EMULATOR_CREDENTIALS);

/** An emulator plus a stack pointed at it, torn down together. */
export interface EngineFixture {
    emu: RunningEmulator;
    stack: TestStack;
    /** POST/GET/DELETE a control call. */
    control<T = any>(method: string, path: string, body?: unknown): Promise<T>;
    /** Total API requests the emulator has seen (control calls excluded). */
    requests(): number;
    close(): Promise<void>;
}

export async function engineFixture(program: string, opts: Partial<StackOptions> & { stepMs?: number } = {}): Promise<EngineFixture> {
    const emu = await startEmulator({ stepMs: opts.stepMs ?? 150 });
    const stack = new TestStack({ ...opts, program: path.isAbsolute(program) ? program : path.join(PROGRAMS, program), env: { ...emulatorEnv(emu), ...FAST_POLL, ...(opts.env ?? {}) } });
    return { emu, stack, control: emulatorControl(emu), requests: () => emu.counts().total, close: () => emu.close() };
}

/** A call to the emulator's control API (`/_control<path>`), answered as JSON. */
export function emulatorControl(emu: { url: string }) {
    return async <T = any>(method: string, p: string, body?: unknown): Promise<T> => {
        const res = await fetch(`${emu.url}/_control${p}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
        return (await res.json()) as T;
    };
}

/**
 * Everything a run could leak into: the checkpoint file on disk, `__provider`, provider logs, engine logs and errors.
 * Debug-severity engine logs are left out: `@pulumi/pulumi` itself prints resolved inputs (secrets included) at debug,
 * which the real CLI shows only under `--debug`/`-v`, and which this library cannot influence.
 */
export function leakSurface(stack: TestStack, runs: Array<{ errors: string[]; hostLogs: string[]; logs: Array<{ message: string; severity?: string }> }>): string {
    const shown = (l: { severity?: string }) => l.severity !== "debug";
    return [stack.checkpoint.raw(), ...runs.flatMap((r) => [...r.errors, ...r.hostLogs, ...r.logs.filter(shown).map((l) => l.message)])].join("\n");
}

/** The secrets among `needles` found in `haystack`. */
export function leaked(haystack: string, needles: string[]): string[] {
    return needles.filter((n) => haystack.includes(n));
}
