/**
 * An emulator plus a CLI stack torn down together, and the checks every CLI
 * scenario reads its results with. No mocha here: the demo and the bench use it.
 */
import * as assert from "node:assert/strict";
import { RunningEmulator, emulatorEnv, startEmulator } from "../../emulator";
import { FAST_POLL, emulatorControl } from "../engine/support";
import { CliResult, CliStack, CliStackOptions } from "./cli";

export { FAST_POLL, TEST_CREDENTIALS, leaked } from "../engine/support";

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
    return {
        emu,
        stack,
        control: emulatorControl(emu),
        requests: () => emu.counts().total,
        close: async () => {
            await emu.close();
            stack.dispose();
        },
    };
}

/** Fails with the CLI's output unless the command succeeded. */
export { assertOk as ok } from "./cli";

/** Fails unless the command failed. */
export function failed(r: CliResult): CliResult {
    assert.notEqual(r.code, 0, `\`${r.command}\` should have failed:\n${r.output}`);
    return r;
}

/** The steps the CLI reports in its summary, e.g. `{ created: 1, replaced: 1 }`. */
export function summary(r: CliResult): Record<string, number> {
    const out: Record<string, number> = {};
    const block = r.output.split(/\nResources:\n/).pop() ?? "";
    for (const m of block.matchAll(/^\s+[+~\-+\-]*\s*(\d+) (created|updated|deleted|replaced|unchanged|to create|to update|to delete|to replace)\b/gm)) out[m[2]] = Number(m[1]);
    return out;
}
