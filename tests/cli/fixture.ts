/**
 * An emulator plus a CLI stack torn down together, and the checks every CLI
 * scenario reads its results with. No mocha here: the demo and the bench use it.
 */
import * as assert from "node:assert/strict";
import { EMULATOR_CREDENTIALS, RunningEmulator, emulatorEnv, startEmulator } from "../../emulator";
import { CliResult, CliStack, CliStackOptions } from "./cli";

/** Scales the provider's polling for the emulator's fast clock. */
export const FAST_POLL = { PULUMI_TRAINING_POLL_SCALE: "0.02" };

/** Every credential the emulator accepts. */
export const TEST_CREDENTIALS: string[] = Object.values(EMULATOR_CREDENTIALS);

/** An emulator plus a CLI stack pointed at it. */
export interface CliFixture {
    emu: RunningEmulator;
    stack: CliStack;
    /** API requests the emulator has seen (control calls excluded). */
    requests(): number;
    /** A control call (`/_control<path>`). */
    control<T = any>(method: string, path: string, body?: unknown): Promise<T>;
    close(): Promise<void>;
}

export async function cliFixture(opts: Omit<CliStackOptions, "env"> & { env?: Record<string, string>; stepMs?: number }): Promise<CliFixture> {
    const emu = await startEmulator({ stepMs: opts.stepMs ?? 150 });
    const stack = new CliStack({ ...opts, env: { ...emulatorEnv(emu), ...FAST_POLL, ...(opts.env ?? {}) } });
    const control = async <T = any>(method: string, p: string, body?: unknown): Promise<T> => {
        const res = await fetch(`${emu.url}/_control${p}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
        return (await res.json()) as T;
    };
    return {
        emu,
        stack,
        control,
        requests: () => emu.counts().total,
        close: async () => {
            await emu.close();
            stack.dispose();
        },
    };
}

/** Fails with the CLI's output unless the command succeeded. */
export function ok(r: CliResult): CliResult {
    assert.equal(r.code, 0, `\`${r.command}\` failed:\n${r.output}`);
    return r;
}

/** Fails unless the command failed. */
export function failed(r: CliResult): CliResult {
    assert.notEqual(r.code, 0, `\`${r.command}\` should have failed:\n${r.output}`);
    return r;
}

/** The secrets among `needles` found in `haystack`. */
export function leaked(haystack: string, needles: string[]): string[] {
    return needles.filter((n) => haystack.includes(n));
}

/** The steps the CLI reports in its summary, e.g. `{ created: 1, replaced: 1 }`. */
export function summary(r: CliResult): Record<string, number> {
    const out: Record<string, number> = {};
    const block = r.output.split(/\nResources:\n/).pop() ?? "";
    for (const m of block.matchAll(/^\s+[+~\-+\-]*\s*(\d+) (created|updated|deleted|replaced|unchanged|to create|to update|to delete|to replace)\b/gm)) out[m[2]] = Number(m[1]);
    return out;
}
