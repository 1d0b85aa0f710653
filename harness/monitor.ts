import { Deployment } from "./engine";
import { Props } from "./values";

const grpc = require("@grpc/grpc-js");
const resourceGrpc = require("@pulumi/pulumi/proto/resource_grpc_pb.js");
const resourcePb = require("@pulumi/pulumi/proto/resource_pb.js");
const engineGrpc = require("@pulumi/pulumi/proto/engine_grpc_pb.js");
const enginePb = require("@pulumi/pulumi/proto/engine_pb.js");
const structPb = require("google-protobuf/google/protobuf/struct_pb.js");
const emptyPb = require("google-protobuf/google/protobuf/empty_pb.js");

/** A diagnostic the program logged through Engine.Log (`pulumi.log.*`, and the SDK's own errors). */
export interface EngineLog {
    severity: "debug" | "info" | "warning" | "error";
    message: string;
    urn?: string;
}

const SEVERITY = ["debug", "info", "warning", "error"] as const;

/**
 * The fake ResourceMonitor + Engine gRPC server the SDK's `cmd/run` talks to
 * (reference/pulumi-dynamic.md §5.4). It advertises only the `secrets`
 * feature, so the SDK sends plain values (no resource references or output
 * values), and hands dynamic resources to the step logic.
 */
export class FakeMonitor {
    readonly logs: EngineLog[] = [];
    stackOutputs: Props = {};
    private server: any;
    private rootUrn = "";
    private shutdownDone?: Promise<void>;

    constructor(private readonly deployment: Deployment) {}

    async start(): Promise<string> {
        const d = this.deployment;
        this.server = new grpc.Server();
        const wrap = (fn: (req: any) => Promise<any>) => (call: any, cb: any) =>
            fn(call.request).then(
                (res) => cb(null, res),
                (e: Error) => cb({ code: grpc.status.UNKNOWN, details: e.message, message: e.message }),
            );
        this.server.addService(resourceGrpc.ResourceMonitorService, {
            supportsFeature: wrap(async (req) => {
                const res = new resourcePb.SupportsFeatureResponse();
                res.setHassupport(req.getId() === "secrets");
                return res;
            }),
            registerResource: wrap(async (req) => this.registerResource(req)),
            readResource: wrap(async (req) => {
                const props = req.getProperties()?.toJavaScript() ?? {};
                const parent = req.getParent() || undefined;
                const { urn, outputs } = await d.read(req.getType(), req.getName(), req.getId(), props, parent);
                const res = new resourcePb.ReadResourceResponse();
                res.setUrn(urn);
                res.setProperties(structPb.Struct.fromJavaScript(outputs));
                return res;
            }),
            registerResourceOutputs: wrap(async (req) => {
                if (req.getUrn() === d.stackUrn) {
                    this.stackOutputs = req.getOutputs()?.toJavaScript() ?? {};
                    d.setStackOutputs(this.stackOutputs);
                }
                return new emptyPb.Empty();
            }),
            signalAndWaitForShutdown: wrap(async () => {
                this.shutdownDone ??= d.finish();
                await this.shutdownDone;
                return new emptyPb.Empty();
            }),
        });
        this.server.addService(engineGrpc.EngineService, {
            log: wrap(async (req) => {
                this.logs.push({ severity: SEVERITY[req.getSeverity()] ?? "info", message: req.getMessage(), urn: req.getUrn() || undefined });
                return new emptyPb.Empty();
            }),
            getRootResource: wrap(async () => {
                const res = new enginePb.GetRootResourceResponse();
                res.setUrn(this.rootUrn);
                return res;
            }),
            setRootResource: wrap(async (req) => {
                this.rootUrn = req.getUrn();
                return new enginePb.SetRootResourceResponse();
            }),
        });
        const port: number = await new Promise((resolve, reject) =>
            this.server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e: Error | null, p: number) => (e ? reject(e) : resolve(p))),
        );
        return `127.0.0.1:${port}`;
    }

    /** Runs the deletes if the program exited 0 without signalling shutdown (older SDKs). */
    async ensureFinished(): Promise<void> {
        this.shutdownDone ??= this.deployment.finish();
        await this.shutdownDone;
    }

    stop(): void {
        this.server?.forceShutdown();
    }

    private async registerResource(req: any): Promise<any> {
        const d = this.deployment;
        const type: string = req.getType();
        const name: string = req.getName();
        const res = new resourcePb.RegisterResourceResponse();
        if (type === "pulumi:pulumi:Stack") {
            res.setUrn(d.stackUrn);
            res.setObject(structPb.Struct.fromJavaScript({}));
            return res;
        }
        const parent = req.getParent() || undefined;
        if (!req.getCustom() || !d.isDynamic(type)) {
            // Components and non-dynamic resources are echoed: the harness models dynamic resources only.
            res.setUrn(d.urnFor(type, name, parent));
            if (req.getCustom()) res.setId(name);
            res.setObject(req.getObject() ?? structPb.Struct.fromJavaScript({}));
            return res;
        }
        const out = await d.register({
            type,
            name,
            parentUrn: parent,
            props: req.getObject()?.toJavaScript() ?? {},
            ignoreChanges: req.getIgnorechangesList(),
            replaceOnChanges: req.getReplaceonchangesList(),
            additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
            deleteBeforeReplace: req.getDeletebeforereplacedefined() ? req.getDeletebeforereplace() : undefined,
            importId: req.getImportid() || undefined,
        });
        res.setUrn(out.urn);
        res.setId(out.id);
        res.setObject(structPb.Struct.fromJavaScript(JSON.parse(JSON.stringify(out.outputs))));
        return res;
    }
}
