import { startEmulator, emulatorEnv } from "./index";

/** `npm run emulator`: serves every emulated cloud until interrupted. PORT, EMULATOR_STATE_FILE and EMULATOR_STEP_MS configure it. */
async function main(): Promise<void> {
    const emu = await startEmulator({
        port: Number(process.env.PORT ?? 4010),
        stateFile: process.env.EMULATOR_STATE_FILE,
        stepMs: process.env.EMULATOR_STEP_MS ? Number(process.env.EMULATOR_STEP_MS) : undefined,
    });
    console.log(`pulumi-training emulator listening on ${emu.url}`);
    console.log("Point the provider at it with:");
    for (const [k, v] of Object.entries(emulatorEnv(emu))) console.log(`  export ${k}=${v}`);
    const stop = () => emu.close().then(() => process.exit(0));
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
