import { ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import { Props } from "./values";

// The same copies of the SDK, gRPC and protobuf the engine would use: the project's own.
const grpc = require("@grpc/grpc-js");
const providerGrpc = require("@pulumi/pulumi/proto/provider_grpc_pb.js");
const providerPb = require("@pulumi/pulumi/proto/provider_pb.js");
const statusPb = require("@pulumi/pulumi/proto/status_pb.js");
const structPb = require("google-protobuf/google/protobuf/struct_pb.js");
const emptyPb = require("google-protobuf/google/protobuf/empty_pb.js");
const pluginPb = require("@pulumi/pulumi/proto/plugin_pb.js");

export const PULUMI_DIR = path.dirname(require.resolve("@pulumi/pulumi/package.json"));

export interface CheckResult {
    inputs: Props;
    failures: Array<{ property: string; reason: string }>;
}

export interface DiffResult {
    /** DIFF_UNKNOWN = 0, DIFF_NONE = 1, DIFF_SOME = 2 */
    changes: number;
    replaces: string[];
    deleteBeforeReplace: boolean;
}

/** A create or update that failed after the id was known (ErrorResourceInitFailed). */
export class InitFailedError extends Error {
    constructor(message: string, readonly id: string, readonly properties: Props, readonly reasons: string[]) {
        super(message);
    }
}

/** A failed provider call; `message` is what the provider threw. */
export class ProviderError extends Error {}

const toStruct = (p: Props) => structPb.Struct.fromJavaScript(JSON.parse(JSON.stringify(p ?? {})));
const fromStruct = (s: any): Props => (s ? s.toJavaScript() : {});

/**
 * Drives the real `@pulumi/pulumi/cmd/dynamic-provider` host over gRPC, as the
 * engine does: spawned with the project directory as cwd, port read from the
 * first stdout line, Configure with the full namespaced config, then
 * Check/Diff/Create/Read/Update/Delete (reference/pulumi-dynamic.md §3, §5.2).
 */
export class DynamicProviderHost {
    private client: any;
    private child?: ChildProcess;
    /** Every line the provider printed after the port: progress lines and warnings. */
    readonly logs: string[] = [];
    /** Calls made, by RPC name. */
    readonly calls: Record<string, number> = {};

    private constructor() {}

    static async start(opts: {
        cwd: string;
        env: NodeJS.ProcessEnv;
        project: string;
        config: Record<string, string>;
        secretKeys: string[];
        /** Called with each line the provider prints, as it prints it. */
        onLog?: (line: string) => void;
    }): Promise<DynamicProviderHost> {
        const h = new DynamicProviderHost();
        const child = spawn(process.execPath, [path.join(PULUMI_DIR, "cmd", "dynamic-provider", "index.js"), "127.0.0.1:1"], {
            cwd: opts.cwd,
            env: { ...opts.env, PULUMI_NODEJS_PROJECT: opts.project, PULUMI_PROJECT: opts.project, PULUMI_CONFIG: JSON.stringify(opts.config) },
            stdio: ["ignore", "pipe", "pipe"],
        });
        h.child = child;
        const port = await new Promise<string>((resolve, reject) => {
            let buf = "";
            let gotPort = false;
            child.stdout!.on("data", (d: Buffer) => {
                buf += d.toString("utf8");
                let nl: number;
                while ((nl = buf.indexOf("\n")) !== -1) {
                    const line = buf.slice(0, nl);
                    buf = buf.slice(nl + 1);
                    if (!gotPort) {
                        gotPort = true;
                        resolve(line.trim());
                    } else if (line.trim()) {
                        h.logs.push(line);
                        opts.onLog?.(line);
                    }
                }
            });
            child.stderr!.on("data", (d: Buffer) => h.logs.push(...d.toString("utf8").split("\n").filter((l) => l.trim())));
            child.on("exit", (code) => !gotPort && reject(new Error(`dynamic-provider host exited with ${code}: ${h.logs.join("\n")}`)));
        });
        h.client = new providerGrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        await new Promise<void>((resolve, reject) => h.client.waitForReady(Date.now() + 10_000, (e: Error | null) => (e ? reject(e) : resolve())));
        await h.unary("getPluginInfo", new emptyPb.Empty());
        const cfg = new providerPb.ConfigureRequest();
        const args: Props = {};
        for (const [k, v] of Object.entries(opts.config)) args[k] = opts.secretKeys.includes(k) ? { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: v } : v;
        cfg.setArgs(toStruct(args));
        cfg.setAcceptsecrets(true);
        cfg.setAcceptresources(true);
        await h.unary("configure", cfg);
        return h;
    }

    async check(urn: string, olds: Props, news: Props): Promise<CheckResult> {
        const req = new providerPb.CheckRequest();
        req.setUrn(urn);
        req.setOlds(toStruct(olds));
        req.setNews(toStruct(news));
        const res = await this.unary("check", req);
        return {
            inputs: fromStruct(res.getInputs()),
            failures: res.getFailuresList().map((f: any) => ({ property: f.getProperty(), reason: f.getReason() })),
        };
    }

    async diff(urn: string, id: string, olds: Props, news: Props, oldInputs: Props, ignoreChanges: string[]): Promise<DiffResult> {
        const req = new providerPb.DiffRequest();
        req.setUrn(urn);
        req.setId(id);
        req.setOlds(toStruct(olds));
        req.setNews(toStruct(news));
        req.setOldInputs(toStruct(oldInputs));
        req.setIgnorechangesList(ignoreChanges);
        const res = await this.unary("diff", req);
        return { changes: res.getChanges(), replaces: res.getReplacesList(), deleteBeforeReplace: res.getDeletebeforereplace() };
    }

    async create(urn: string, props: Props): Promise<{ id: string; outputs: Props }> {
        const req = new providerPb.CreateRequest();
        req.setUrn(urn);
        req.setProperties(toStruct(props));
        const res = await this.unary("create", req);
        return { id: res.getId(), outputs: fromStruct(res.getProperties()) };
    }

    async read(urn: string, id: string, props: Props, inputs: Props): Promise<{ id: string; outputs: Props; inputs?: Props }> {
        const req = new providerPb.ReadRequest();
        req.setUrn(urn);
        req.setId(id);
        req.setProperties(toStruct(props));
        req.setInputs(toStruct(inputs));
        const res = await this.unary("read", req);
        const ins = res.getInputs();
        return { id: res.getId(), outputs: fromStruct(res.getProperties()), inputs: ins ? fromStruct(ins) : undefined };
    }

    async update(urn: string, id: string, olds: Props, news: Props, oldInputs: Props): Promise<Props> {
        const req = new providerPb.UpdateRequest();
        req.setUrn(urn);
        req.setId(id);
        req.setOlds(toStruct(olds));
        req.setNews(toStruct(news));
        req.setOldInputs(toStruct(oldInputs));
        const res = await this.unary("update", req);
        return fromStruct(res.getProperties());
    }

    async delete(urn: string, id: string, props: Props, oldInputs: Props): Promise<void> {
        const req = new providerPb.DeleteRequest();
        req.setUrn(urn);
        req.setId(id);
        req.setProperties(toStruct(props));
        req.setOldInputs(toStruct(oldInputs));
        await this.unary("delete", req);
    }

    /** Kills the host at once, as a crash or Ctrl-C of the CLI would (interrupted-apply tests). */
    kill(): void {
        this.child?.kill("SIGKILL");
    }

    async stop(): Promise<void> {
        this.client?.close();
        if (this.child && this.child.exitCode === null && this.child.signalCode === null) {
            const exited = new Promise((r) => this.child!.once("exit", r));
            this.child.kill("SIGTERM");
            await exited;
        }
    }

    private unary(method: string, req: unknown): Promise<any> {
        this.calls[method] = (this.calls[method] ?? 0) + 1;
        return new Promise((resolve, reject) => {
            this.client[method](req, (err: any, res: any) => (err ? reject(decodeError(err)) : resolve(res)));
        });
    }
}

/** Decodes ErrorResourceInitFailed from the grpc-status-details-bin trailer (§3.7). */
function decodeError(err: any): Error {
    const details = err.metadata?.get?.("grpc-status-details-bin")?.[0];
    if (details) {
        const status = statusPb.Status.deserializeBinary(details);
        for (const any of status.getDetailsList()) {
            if (any.getTypeName() === "pulumirpc.ErrorResourceInitFailed") {
                const f = providerPb.ErrorResourceInitFailed.deserializeBinary(any.getValue());
                return new InitFailedError(err.details ?? err.message, f.getId(), fromStruct(f.getProperties()), f.getReasonsList());
            }
        }
    }
    return new ProviderError(err.details ?? err.message);
}

export { pluginPb };
