/**
 * The language host for `tests/cli`: serves one Pulumi program file to the real
 * `pulumi` CLI over the LanguageRuntime protocol, as the Automation API serves
 * an inline program (`pulumi up --client=<addr>`), using the SDK's own
 * `automation/server` LanguageServer.
 *
 * Why not the Go host `pulumi-language-nodejs`: this machine's Go module proxy
 * refuses its module at every version (CONTRIBUTING.md, "The real Pulumi CLI").
 * What differs from it: the program runs in this process (ts-node, transpile
 * only) instead of a `node @pulumi/pulumi/cmd/run` child; the engine, the
 * checkpoint, the dynamic-provider plugin and the analyzer are the CLI's own.
 *
 * Usage: node languageHost.js <program.ts|dir>. Prints `LISTENING <port>`,
 * serves until stdin closes or SIGTERM.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { INSPECT_PRELOAD } from "../../harness";

// Same workaround the harness preloads into programs (util.inspect on Errors, nodejs/node#64011).
require(INSPECT_PRELOAD);

const grpc = require("@grpc/grpc-js");
const langrpc = require("@pulumi/pulumi/proto/language_grpc_pb.js");
const { LanguageServer } = require("@pulumi/pulumi/automation/server.js");
const { grpcChannelOptions } = require("@pulumi/pulumi/runtime/settings.js");

const target = path.resolve(process.argv[2] ?? "");
const programFile = fs.statSync(target).isDirectory() ? path.join(target, "index.ts") : target;
const programDir = path.dirname(programFile);

require("ts-node").register({ transpileOnly: true, compilerOptions: { module: "commonjs", target: "ES2022", esModuleInterop: true } });

/**
 * One `pulumi up` runs the program twice (preview, then update): every run
 * must evaluate the program's top-level code again, so the program's own
 * modules leave the require cache first (packages stay loaded).
 */
async function program(): Promise<Record<string, unknown> | void> {
    for (const key of Object.keys(require.cache)) {
        if (key.startsWith(programDir + path.sep) && !key.includes(`${path.sep}node_modules${path.sep}`)) delete require.cache[key];
    }
    const mod = require(programFile);
    const exported = typeof mod === "function" ? await mod() : typeof mod?.default === "function" ? await mod.default() : mod;
    return exported && typeof exported === "object" ? { ...exported } : undefined;
}

const server = new grpc.Server(grpcChannelOptions);
server.addService(langrpc.LanguageRuntimeService, new LanguageServer(program));
server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err: Error | null, port: number) => {
    if (err) {
        console.error(err.message);
        process.exit(1);
    }
    process.stdout.write(`LISTENING ${port}\n`);
});

const stop = () => {
    server.forceShutdown();
    process.exit(0);
};
process.stdin.on("end", stop);
process.stdin.resume();
process.on("SIGTERM", stop);
