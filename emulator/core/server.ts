import * as http from "node:http";
import * as fs from "node:fs";
import type { AddressInfo } from "node:net";
import { EmulatorClock } from "./clock";
import { FaultPlan, FaultRule } from "./faults";
import { RateWindow } from "./rateWindow";
import type { CloudModule, EmuContext, EmuRequest, EmuResponse } from "./types";

export interface EmulatorServerOptions {
    /** Port to listen on; 0 picks a free one. */
    port?: number;
    host?: string;
    /** When set, state is loaded from this file at start and written after every change, so a restart loses no job. */
    stateFile?: string;
    modules: CloudModule[];
    /**
     * Also serve each cloud alone on a port of its own, at the root path, as
     * its real host does (`POST /` for TI-ONE and PolarDB): a vendor SDK
     * configured with just `127.0.0.1:<port>` as its endpoint signs and sends
     * exactly what it would send to the cloud. See {@link RunningEmulator.cloudUrls}.
     */
    cloudPorts?: boolean;
}

/** Requests seen, by cloud and action. Control calls are not counted. */
export interface RequestCounts {
    total: number;
    byCloud: Record<string, Record<string, number>>;
}

export interface RunningEmulator {
    /** `http://127.0.0.1:<port>` */
    url: string;
    port: number;
    /** With `cloudPorts`: each cloud's own root-mounted URL by module name (`tione`: `http://127.0.0.1:<port>`). */
    cloudUrls: Record<string, string>;
    clock: EmulatorClock;
    faults: FaultPlan;
    counts(): RequestCounts;
    close(): Promise<void>;
}

const CONTROL = "/_control";
/** Key of the clock offset in the state file (module names never start with `_`). */
const CLOCK_KEY = "_clock";

/** Starts one HTTP server hosting every cloud module under its prefix, plus the control API under `/_control`. */
export async function startEmulatorServer(opts: EmulatorServerOptions): Promise<RunningEmulator> {
    const clock = new EmulatorClock();
    const faults = new FaultPlan();
    const rate = new RateWindow();
    let counts: RequestCounts = { total: 0, byCloud: {} };
    let dirty = false;
    const ctx: EmuContext = { clock, rate, markDirty: () => (dirty = true) };

    if (opts.stateFile && fs.existsSync(opts.stateFile)) {
        const saved = JSON.parse(fs.readFileSync(opts.stateFile, "utf8")) as Record<string, unknown>;
        for (const m of opts.modules) if (saved[m.name] !== undefined) m.restore(saved[m.name]);
        // Job statuses are functions of the clock: without its offset a restart would turn finished jobs back into running ones.
        if (typeof saved[CLOCK_KEY] === "number") clock.offset = saved[CLOCK_KEY] as number;
    }
    const persist = () => {
        if (!opts.stateFile || !dirty) return;
        dirty = false;
        const snap: Record<string, unknown> = { [CLOCK_KEY]: clock.offset };
        for (const m of opts.modules) snap[m.name] = m.snapshot();
        const tmp = `${opts.stateFile}.tmp`;
        fs.writeFileSync(tmp, JSON.stringify(snap));
        fs.renameSync(tmp, opts.stateFile); // atomic: a kill mid-write leaves the previous state
    };

    const sockets = new Set<import("node:net").Socket>();
    /** Serves one request; `only` is the cloud a root-mounted listener serves (then every path is that cloud's). */
    const serve = (only?: CloudModule) => async (req: http.IncomingMessage, res: http.ServerResponse) => {
        try {
            const body = await readBody(req);
            const url = new URL(req.url ?? "/", "http://emulator");
            if (!only && url.pathname.startsWith(CONTROL)) {
                return send(res, control(req.method ?? "GET", url.pathname.slice(CONTROL.length), parseJson(body)));
            }
            const mod = only ?? opts.modules.find((m) => url.pathname === m.prefix || url.pathname.startsWith(m.prefix + "/"));
            if (!mod) return send(res, { status: 404, body: { message: `no emulated cloud at ${url.pathname}` } });
            const emuReq: EmuRequest = {
                method: req.method ?? "GET",
                path: (only ? url.pathname : url.pathname.slice(mod.prefix.length)) || "/",
                rawPath: url.pathname,
                query: url.searchParams,
                rawQuery: url.search.replace(/^\?/, ""),
                headers: req.headers,
                body,
            };
            const action = mod.action(emuReq);
            counts.total++;
            const perCloud = (counts.byCloud[mod.name] ??= {});
            perCloud[action] = (perCloud[action] ?? 0) + 1;

            const fault = faults.pick(mod.name, action);
            if (fault?.kind === "drop") return req.socket.destroy();
            if (fault?.kind === "latency") await new Promise((r) => setTimeout(r, fault.latencyMs ?? 2000));
            if (fault?.kind === "throttle") return send(res, mod.throttled(emuReq));
            if (fault?.kind === "server-error") return send(res, mod.serverError(emuReq));
            if (fault?.kind === "not-found") return send(res, mod.notFound(emuReq));
            const answer = await mod.handle(emuReq, ctx);
            persist();
            if (fault?.kind === "lost-response") return req.socket.destroy();
            if (fault?.kind === "garbled-response") return send(res, { status: 200, headers: { "content-type": "text/html" }, body: "<html><body>502 upstream reset</body></html>" });
            send(res, answer);
        } catch (e) {
            send(res, { status: 500, body: { message: `emulator bug: ${(e as Error).stack ?? e}` } });
        }
    };
    const listen = async (handler: http.RequestListener, port: number): Promise<http.Server> => {
        const srv = http.createServer(handler);
        srv.keepAliveTimeout = 5000;
        srv.on("connection", (s) => {
            sockets.add(s);
            s.on("close", () => sockets.delete(s));
        });
        await new Promise<void>((resolve) => srv.listen(port, opts.host ?? "127.0.0.1", resolve));
        return srv;
    };

    function faultReport() {
        return { injected: faults.injected, total: faults.total(), byAction: faults.injectedByAction, rules: faults.list() };
    }

    function control(method: string, path: string, body: any): EmuResponse {
        if (path === "/requests" && method === "GET") return { status: 200, body: counts };
        if (path === "/requests/reset" && method === "POST") {
            counts = { total: 0, byCloud: {} };
            return { status: 200, body: {} };
        }
        if (path === "/faults" && method === "POST") {
            // `{rules: [...], seed?}`, or one rule as the body.
            try {
                if (typeof body?.seed === "number") faults.seed(body.seed);
                const rules = (body?.rules ?? (body?.kind || body?.kinds ? [body] : [])) as FaultRule[];
                faults.add(rules);
            } catch (e) {
                return { status: 400, body: { message: (e as Error).message } };
            }
            return { status: 200, body: faultReport() };
        }
        if (path === "/faults" && method === "DELETE") {
            faults.clear();
            return { status: 200, body: faultReport() };
        }
        if (path === "/faults" && method === "GET") return { status: 200, body: faultReport() };
        if (path === "/clock/advance" && method === "POST") {
            clock.advance(Number(body?.ms ?? 0));
            dirty = true;
            persist();
            return { status: 200, body: { now: clock.now() } };
        }
        for (const m of opts.modules) {
            if (path.startsWith(`/${m.name}/`) && m.control) {
                const r = m.control(method, path.slice(m.name.length + 1), body, ctx);
                if (r) {
                    persist();
                    return r;
                }
            }
        }
        return { status: 404, body: { message: `unknown control call ${method} ${path}` } };
    }

    const server = await listen(serve(), opts.port ?? 0);
    const servers = [server];
    const cloudUrls: Record<string, string> = {};
    for (const m of opts.cloudPorts ? opts.modules : []) {
        const srv = await listen(serve(m), 0);
        servers.push(srv);
        cloudUrls[m.name] = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
    }
    const port = (server.address() as AddressInfo).port;
    return {
        url: `http://127.0.0.1:${port}`,
        port,
        cloudUrls,
        clock,
        faults,
        counts: () => JSON.parse(JSON.stringify(counts)),
        close: () =>
            new Promise<void>((resolve) => {
                for (const s of sockets) s.destroy();
                let open = servers.length;
                for (const srv of servers) srv.close(() => --open === 0 && resolve());
            }),
    };
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => resolve(Buffer.concat(chunks)));
        req.on("error", reject);
    });
}

function parseJson(body: Buffer): any {
    if (!body.length) return {};
    try {
        return JSON.parse(body.toString("utf8"));
    } catch {
        return {};
    }
}

function send(res: http.ServerResponse, r: EmuResponse): void {
    const headers: Record<string, string> = { ...(r.headers ?? {}) };
    let payload: string | Buffer = "";
    if (Buffer.isBuffer(r.body) || typeof r.body === "string") payload = r.body;
    else if (r.body !== undefined) {
        payload = JSON.stringify(r.body);
        headers["content-type"] ??= "application/json";
    }
    res.writeHead(r.status, headers);
    res.end(payload);
}
