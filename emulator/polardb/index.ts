import type { CloudModule, EmuRequest, EmuResponse } from "../core/types";

/** Placeholder until the PolarDB emulator lands (issue 4). */
export class PolarDbEmulator implements CloudModule {
    readonly name = "polardb";
    readonly prefix = "/polardb";
    constructor(readonly opts: { accessKeys: Record<string, string>; stepMs?: number }) {}
    action(req: EmuRequest): string {
        return String(req.headers["x-acs-action"] ?? "Unknown");
    }
    handle(): EmuResponse {
        return { status: 501, body: { message: "PolarDB is not emulated yet" } };
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
