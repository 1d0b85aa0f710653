import type { CloudModule, EmuRequest, EmuResponse } from "../core/types";

/** Placeholder until the Alaya emulator lands (issue 5). */
export class AlayaEmulator implements CloudModule {
    readonly name = "alaya";
    readonly prefix = "/alaya";
    constructor(readonly opts: { apiKeys: string[] }) {}
    action(req: EmuRequest): string {
        return `${req.method} ${req.path}`;
    }
    handle(): EmuResponse {
        return { status: 501, body: { message: "Alaya is not emulated yet" } };
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
