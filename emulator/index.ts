import { startEmulatorServer, RunningEmulator } from "./core/server";
import { DashScopeEmulator } from "./dashscope";
import { TioneEmulator } from "./tione";
import { PolarDbEmulator } from "./polardb";
import { AlayaEmulator } from "./alaya";
import type { CloudModule } from "./core/types";

/** Credentials the emulator accepts by default. They are test values, never real keys. */
export const EMULATOR_CREDENTIALS = {
    dashscopeApiKey: "sk-emulator-dashscope",
    tencentSecretId: "AKIDemulatorTione",
    tencentSecretKey: "emulator-tione-secret-key",
    alibabaAccessKeyId: "LTAIemulatorPolar",
    alibabaAccessKeySecret: "emulator-polardb-secret",
    alayaApiKey: "alaya-emulator-key",
    /** A second Alaya account (its own templates), as another team's or a CI key would be. */
    alayaOtherAccountKey: "alaya-emulator-key-other-account",
    /** A second DashScope key (another region's or team's account), for stacks that use a credential profile. */
    dashscopeOtherAccountKey: "sk-emulator-dashscope-other-account",
    /** A second TI-ONE SecretId/SecretKey pair, for stacks that use a credential profile. */
    tencentOtherSecretId: "AKIDemulatorTioneOther",
    tencentOtherSecretKey: "emulator-tione-other-secret-key",
} as const;

export interface EmulatorOptions {
    port?: number;
    /** Persist state here so a restart loses no job. */
    stateFile?: string;
    /** Time a job spends in each status, in ms. Default 1000. */
    stepMs?: number;
    /** Also serve each cloud alone at the root of a port of its own (`cloudUrls`), for vendor SDKs. */
    cloudPorts?: boolean;
}

export type { RunningEmulator } from "./core/server";
export type { EmulatedObject } from "./core/objects";

/** Starts the emulator with every cloud module mounted. */
export function startEmulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
    const c = EMULATOR_CREDENTIALS;
    const modules: CloudModule[] = [
        new DashScopeEmulator({ apiKeys: [c.dashscopeApiKey, c.dashscopeOtherAccountKey], stepMs: opts.stepMs }),
        new TioneEmulator({ secrets: { [c.tencentSecretId]: c.tencentSecretKey, [c.tencentOtherSecretId]: c.tencentOtherSecretKey }, stepMs: opts.stepMs }),
        new PolarDbEmulator({ accessKeys: { [c.alibabaAccessKeyId]: c.alibabaAccessKeySecret }, stepMs: opts.stepMs }),
        new AlayaEmulator({ apiKeys: [c.alayaApiKey, c.alayaOtherAccountKey] }),
    ];
    return startEmulatorServer({ port: opts.port, stateFile: opts.stateFile, modules, cloudPorts: opts.cloudPorts });
}

/** Environment variables that point every client at a running emulator with its test credentials. */
export function emulatorEnv(emu: { url: string }): Record<string, string> {
    const c = EMULATOR_CREDENTIALS;
    return {
        DASHSCOPE_API_KEY: c.dashscopeApiKey,
        DASHSCOPE_HTTP_BASE_URL: `${emu.url}/dashscope/api/v1`,
        TENCENTCLOUD_SECRET_ID: c.tencentSecretId,
        TENCENTCLOUD_SECRET_KEY: c.tencentSecretKey,
        TENCENTCLOUD_TIONE_ENDPOINT: `${emu.url}/tione/`,
        ALIBABA_CLOUD_ACCESS_KEY_ID: c.alibabaAccessKeyId,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: c.alibabaAccessKeySecret,
        ALIBABA_CLOUD_POLARDB_ENDPOINT: `${emu.url}/polardb/`,
        ALAYA_API_KEY: c.alayaApiKey,
        ALAYA_BASE_URL: `${emu.url}/alaya`,
    };
}
