import { runFromCommandLine } from "./cli";

/**
 * `npm run emulator`: serves every emulated cloud until interrupted, as
 * `pulumi-training-emulator start` does (emulator/cli.ts). PORT,
 * EMULATOR_STATE_FILE and EMULATOR_STEP_MS configure it; so do the
 * start options (`npm run emulator -- --port 0`).
 */
runFromCommandLine(["start", ...process.argv.slice(2)]);
