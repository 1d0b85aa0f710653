/**
 * The emulator as a process of its own, for the durability suite: it can be
 * killed with SIGKILL and started again on the same port and state file.
 * Environment: PORT, EMULATOR_STATE_FILE, EMULATOR_STEP_MS. Prints its URL on
 * the first line once it listens.
 */
import { startEmulator } from "../../emulator";

startEmulator({
    port: Number(process.env.PORT ?? 0),
    stateFile: process.env.EMULATOR_STATE_FILE,
    stepMs: process.env.EMULATOR_STEP_MS ? Number(process.env.EMULATOR_STEP_MS) : undefined,
}).then(
    (emu) => console.log(emu.url),
    (e) => {
        console.error(e);
        process.exit(1);
    },
);
