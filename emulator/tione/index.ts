import type { CloudModule, EmuRequest, EmuResponse } from "../core/types";

/** Placeholder until the TI-ONE emulator lands (issue 3). */
export class TioneEmulator implements CloudModule {
    readonly name = "tione";
    readonly prefix = "/tione";
    constructor(readonly opts: { secrets: Record<string, string>; stepMs?: number }) {}
    action(req: EmuRequest): string {
        return String(req.headers["x-tc-action"] ?? "Unknown");
    }
    handle(): EmuResponse {
        return { status: 501, body: { message: "TI-ONE is not emulated yet" } };
    }
    throttled(): EmuResponse {
        return this.handle();
    }
    serverError(): EmuResponse {
        return this.handle();
    }
    snapshot(): unknown {
        return {};
    }
    restore(): void {}
}
