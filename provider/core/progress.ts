/**
 * Progress lines, logged on the resource they are about.
 *
 * The engine shows what the dynamic-provider host prints on stdout, but
 * attributed to the stack, not the resource (seen under the real CLI: `pulumi:pulumi:Stack
 * dev creating (3s) [tione:TrainingTask …] PENDING -> RUNNING`). `pulumi.log`
 * cannot do better there: the host never connects the SDK's runtime to the
 * engine. So the provider opens its own Engine client on the address the
 * engine started the host with (`pulumi-resource-pulumi-nodejs <engine>`,
 * cmd/dynamic-provider `main(args)`), and logs each line with the URN the
 * resource class recorded as a hidden input (./hidden.ts). The CLI then shows
 * the line on the resource's row while it runs and under it in Diagnostics.
 *
 * Without an engine (unit tests, the harness, a `get()` with no URN) or when
 * the engine does not answer, a line falls back to stdout, as before.
 * Every line has passed through the client's credential redactor before it
 * gets here, and passes through the resource's sensitive-input redactor here.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import * as path from "node:path";

/** The resource a lifecycle call is about: where its lines are logged, and what they must not show. */
interface ResourceContext {
    urn?: string;
    redact: (text: string) => string;
}

const resource = new AsyncLocalStorage<ResourceContext>();

/**
 * Runs `fn` with progress lines attributed to the resource `urn` (a hidden
 * input; may be absent) and passed through `redact` (its sensitive inputs).
 */
export function onResource<T>(urn: unknown, fn: () => Promise<T>, redact: (text: string) => string = (t) => t): Promise<T> {
    const context = { urn: typeof urn === "string" && urn.startsWith("urn:pulumi:") ? urn : undefined, redact };
    return resource.run(context, async () => {
        try {
            return await fn();
        } finally {
            // Lines reach the engine before the step ends, so they are shown on the resource and in order.
            await pending;
        }
    });
}

export function progress(subject: string, message: string): void {
    const context = resource.getStore();
    const line = context ? context.redact(`[${subject}] ${message}`) : `[${subject}] ${message}`;
    const urn = context?.urn;
    const engine = urn === undefined ? undefined : engineLog();
    if (!engine) {
        console.log(line);
        return;
    }
    pending = pending.then(() => engine(urn!, line)).catch(() => {
        engineBroken = true;
        console.log(line);
    });
}

/** `1h02m`, `3m07s`, `12s`. */
export function formatElapsed(ms: number): string {
    const s = Math.round(ms / 1000);
    if (s < 60) return `${s}s`;
    const m = Math.floor(s / 60);
    if (m < 60) return `${m}m${String(s % 60).padStart(2, "0")}s`;
    return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

type EngineLog = (urn: string, message: string) => Promise<void>;

let pending: Promise<void> = Promise.resolve();
let engineBroken = false;
let cached: EngineLog | undefined | null = null;

/** A logger on the engine that started this dynamic-provider host, or undefined when there is none. */
function engineLog(): EngineLog | undefined {
    if (engineBroken) return undefined;
    if (cached !== null) return cached;
    cached = connect();
    return cached;
}

function connect(): EngineLog | undefined {
    const address = process.argv[2];
    const host = require.main?.filename ?? "";
    if (!/[\\/]dynamic-provider[\\/]index\.js$/.test(host) || !/^[\w.-]+:\d+$/.test(address ?? "")) return undefined;
    try {
        // The host's own copies (@pulumi/pulumi depends on @grpc/grpc-js): one gRPC stack in the process.
        const sdk = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
        const grpc = require(require.resolve("@grpc/grpc-js", { paths: [sdk] }));
        const engrpc = require(path.join(sdk, "proto", "engine_grpc_pb.js"));
        const engproto = require(path.join(sdk, "proto", "engine_pb.js"));
        const client = new engrpc.EngineClient(address, grpc.credentials.createInsecure());
        return (urn, message) =>
            new Promise<void>((resolve, reject) => {
                const req = new engproto.LogRequest();
                req.setSeverity(engproto.LogSeverity.INFO);
                req.setMessage(message);
                req.setUrn(urn);
                req.setEphemeral(false);
                client.log(req, { deadline: Date.now() + 5_000 }, (err: Error | null) => (err ? reject(err) : resolve()));
            });
    } catch {
        return undefined;
    }
}
