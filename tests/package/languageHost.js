// The Node.js language host for tests/package: serves the TypeScript program of
// a Pulumi project *outside* this repository to the real `pulumi` CLI
// (`pulumi up --client=<addr>`), the way tests/cli/languageHost.ts does for the
// repository's own programs, except that every module comes from the project's
// node_modules: its `@pulumi/pulumi` (the LanguageServer, the gRPC stubs and the
// runtime the program registers with), its `typescript` and its `pulumi-training`.
// Nothing is required from this repository, so the program sees the package
// exactly as a user's install gives it.
//
// TypeScript is compiled the way the Go host's `@pulumi/pulumi/cmd/run` does for
// a project without a build step (Pulumi.yaml `runtime: nodejs`, no tsconfig):
// the project's `typescript` (the vendored one if it has none) through ts-node,
// type-checked unless PULUMI_NODEJS_TRANSPILE_ONLY=true, so the package's
// declaration files are checked too.
//
// Plain JavaScript on purpose: it runs with `node` and needs no build.
// Usage: node languageHost.js <projectDir>. Prints `LISTENING <port>`, serves
// until stdin closes or SIGTERM.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { createRequire } = require("node:module");

const projectDir = path.resolve(process.argv[2] || ".");
const programFile = path.join(projectDir, "index.ts");
if (!fs.existsSync(programFile)) {
    console.error(`no index.ts in ${projectDir}`);
    process.exit(2);
}
process.chdir(projectDir);

// Resolution from the project, as a program of the project resolves.
const fromProject = createRequire(path.join(projectDir, "package.json"));
const sdkDir = path.dirname(fromProject.resolve("@pulumi/pulumi/package.json"));
// @grpc/grpc-js is a dependency of @pulumi/pulumi: resolved from there.
const fromSdk = createRequire(path.join(sdkDir, "package.json"));

const grpc = fromSdk("@grpc/grpc-js");
const langrpc = fromSdk("./proto/language_grpc_pb.js");
const { LanguageServer } = fromSdk("./automation/server.js");
const { grpcChannelOptions } = fromSdk("./runtime/settings.js");
const { typeScriptRequireStrings } = fromSdk("./tsutils.js");

// As cmd/run/run.js registers ts-node for a TypeScript program (CommonJS branch).
const { tsnodeRequire, typescriptRequire } = typeScriptRequireStrings();
const ts = fromSdk(typescriptRequire);
const [major, minor] = String(ts.version).split(".").map(Number);
const nodeNext = major > 4 || (major === 4 && minor >= 7);
const hasTsconfig = fs.existsSync(path.join(projectDir, "tsconfig.json"));
fromSdk(tsnodeRequire).register({
    compiler: typescriptRequire,
    transpileOnly: process.env.PULUMI_NODEJS_TRANSPILE_ONLY === "true",
    project: path.join(projectDir, "tsconfig.json"),
    skipProject: !hasTsconfig,
    compilerOptions: {
        target: "ES2020",
        module: nodeNext ? "nodenext" : "commonjs",
        moduleResolution: nodeNext ? "nodenext" : "node",
        sourceMap: "true",
    },
});

/**
 * One `pulumi up` runs the program twice (preview, then update): each run
 * evaluates the program's top-level code again, so the program's own modules
 * leave the require cache first (packages stay loaded).
 */
async function program() {
    for (const key of Object.keys(require.cache)) {
        if (key.startsWith(projectDir + path.sep) && !key.includes(`${path.sep}node_modules${path.sep}`)) delete require.cache[key];
    }
    const mod = fromProject(programFile);
    const exported = typeof mod === "function" ? await mod() : typeof (mod && mod.default) === "function" ? await mod.default() : mod;
    return exported && typeof exported === "object" ? { ...exported } : undefined;
}

const server = new grpc.Server(grpcChannelOptions);
server.addService(langrpc.LanguageRuntimeService, new LanguageServer(program));
server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => {
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
