import * as http from "node:http";
import * as fs from "node:fs";
import type { AddressInfo } from "node:net";
import { EmulatorClock } from "./clock";
import { FAULT_KINDS, FaultPlan, FaultRule } from "./faults";
import { ControlRoute, INVALID_JSON, ServedRoute, hasObjectControl, objectRoutes } from "./objects";
import { OutcomePlan } from "./outcomes";
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

/** Starts one HTTP server hosting every cloud module under its prefix, plus the control API under `/_control` (`GET /_control` describes it; docs/emulator.md). */
export async function startEmulatorServer(opts: EmulatorServerOptions): Promise<RunningEmulator> {
    const clock = new EmulatorClock();
    const faults = new FaultPlan();
    // The window runs on the emulator clock: wall time in real use (plus any `/clock/advance`), controllable by tests (`/clock/freeze`).
    const rate = new RateWindow(clock);
    let counts: RequestCounts = { total: 0, byCloud: {} };
    let dirty = false;
    const ctx: EmuContext = { clock, rate, markDirty: () => (dirty = true) };
    const outcomes = new OutcomePlan(opts.modules, ctx);

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
                return send(res, control(req.method ?? "GET", url.pathname.slice(CONTROL.length), parseJson(body), url.searchParams));
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
            outcomes.apply(mod);
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
        // A port in use must reject the start, not crash the process with an unhandled 'error' event.
        await new Promise<void>((resolve, reject) => {
            srv.once("error", reject);
            srv.listen(port, opts.host ?? "127.0.0.1", () => {
                srv.off("error", reject);
                resolve();
            });
        });
        return srv;
    };

    function faultReport() {
        return { injected: faults.injected, total: faults.total(), byAction: faults.injectedByAction, rules: faults.list() };
    }

    /** Older routes read a body that is not JSON as `{}`; only the uniform object routes refuse it. */
    const plain = (body: unknown): any => (body === INVALID_JSON ? {} : body);

    /**
     * The server's own control routes, each with the description `GET /_control`
     * gives: the table is both what is served and what is described, so the two
     * cannot drift apart.
     */
    const routes: ServedRoute[] = [
        {
            method: "GET",
            path: CONTROL,
            meaning: "this description: every control route, the clouds with their object kinds, and each cloud's variants",
            pattern: /^\/?$/,
            handle: () => ({ status: 200, body: describe() }),
        },
        { method: "GET", path: `${CONTROL}/requests`, meaning: "requests served, by cloud and action (control calls are not counted)", pattern: /^\/requests$/, handle: () => ({ status: 200, body: counts }) },
        {
            method: "POST",
            path: `${CONTROL}/requests/reset`,
            meaning: "zero the request counts",
            pattern: /^\/requests\/reset$/,
            handle: () => {
                counts = { total: 0, byCloud: {} };
                return { status: 200, body: {} };
            },
        },
        {
            method: "POST",
            path: `${CONTROL}/faults`,
            body: "{rules: [{kind | kinds, cloud?, action?, rate?, count?, latencyMs?}], seed?}, or one rule as the body",
            meaning: `inject faults into cloud calls (kinds: ${FAULT_KINDS.join(", ")}); answers the fault report`,
            pattern: /^\/faults$/,
            handle: (_p, body) => {
                // `{rules: [...], seed?}`, or one rule as the body.
                const b = plain(body);
                try {
                    if (typeof b?.seed === "number") faults.seed(b.seed);
                    const rules = (b?.rules ?? (b?.kind || b?.kinds ? [b] : [])) as FaultRule[];
                    faults.add(rules);
                } catch (e) {
                    return { status: 400, body: { message: (e as Error).message } };
                }
                return { status: 200, body: faultReport() };
            },
        },
        {
            method: "DELETE",
            path: `${CONTROL}/faults`,
            meaning: "remove every fault rule",
            pattern: /^\/faults$/,
            handle: () => {
                faults.clear();
                return { status: 200, body: faultReport() };
            },
        },
        { method: "GET", path: `${CONTROL}/faults`, meaning: "the fault rules in force and the faults injected so far", pattern: /^\/faults$/, handle: () => ({ status: 200, body: faultReport() }) },
        {
            method: "POST",
            path: `${CONTROL}/clock/advance`,
            body: "{ms}",
            meaning: "move the emulator clock forward: jobs progress as if that much time had passed",
            pattern: /^\/clock\/advance$/,
            handle: (_p, body) => {
                clock.advance(Number(plain(body)?.ms ?? 0));
                dirty = true;
                return { status: 200, body: { now: clock.now() } };
            },
        },
        // `POST /clock/freeze` stops the clock (then only `/clock/advance` moves it), so a test can
        // put a burst in one rate window however slowly it is served; `DELETE` lets it run again.
        // Answers `{now, frozen}`. Not persisted: the offset is all a restart needs.
        {
            method: "POST",
            path: `${CONTROL}/clock/freeze`,
            meaning: "stop the clock: only /clock/advance moves it (rate windows and jobs included)",
            pattern: /^\/clock\/freeze$/,
            handle: () => {
                clock.freeze();
                return { status: 200, body: { now: clock.now(), frozen: clock.frozen } };
            },
        },
        {
            method: "DELETE",
            path: `${CONTROL}/clock/freeze`,
            meaning: "let the clock run again",
            pattern: /^\/clock\/freeze$/,
            handle: () => {
                clock.unfreeze();
                return { status: 200, body: { now: clock.now(), frozen: clock.frozen } };
            },
        },
        ...objectRoutes(opts.modules, ctx),
        ...outcomes.routes(CONTROL),
    ];

    /** What `GET /_control` answers. */
    function describe(): Record<string, unknown> {
        const describeRoute = ({ method, path, body, query, meaning }: ControlRoute): ControlRoute => ({ method, path, ...(query ? { query } : {}), ...(body ? { body } : {}), meaning });
        const moduleRoutes = opts.modules.filter(hasObjectControl).flatMap((m) => {
            const variants = m.variantInfo();
            return [
                ...m.controlRoutes.map(describeRoute),
                {
                    method: "POST" as const,
                    path: `${CONTROL}/${m.name}/variants`,
                    body: `{${Object.keys(variants).map((k) => `${k}?`).join(", ")}}`,
                    meaning: `switch ${m.name} behaviours its documentation leaves open (see clouds[].variants); answers every variant's value`,
                },
            ];
        });
        return {
            emulator: "pulumi-training",
            routes: [...routes.map(describeRoute), ...moduleRoutes],
            clouds: opts.modules.map((m) => ({
                name: m.name,
                prefix: m.prefix,
                kinds: hasObjectControl(m) ? m.objectKinds : [],
                variants: hasObjectControl(m) ? m.variantInfo() : {},
            })),
            faultKinds: FAULT_KINDS,
            clock: { now: clock.now(), offsetMs: clock.offset, frozen: clock.frozen },
        };
    }

    function control(method: string, path: string, body: unknown, query: URLSearchParams): EmuResponse {
        const methods: string[] = [];
        for (const r of routes) {
            const match = r.pattern.exec(path);
            if (!match) continue;
            if (r.method !== method) {
                methods.push(r.method);
                continue;
            }
            const answer = r.handle(match.slice(1), body, query);
            persist();
            return answer;
        }
        for (const m of opts.modules) {
            if (path.startsWith(`/${m.name}/`) && m.control) {
                const r = m.control(method, path.slice(m.name.length + 1), plain(body), ctx);
                if (r) {
                    persist();
                    return r;
                }
            }
        }
        const hint = methods.length ? ` (this path takes ${methods.join(", ")})` : "; GET /_control lists every route";
        return { status: 404, body: { message: `unknown control call ${method} ${path}${hint}` } };
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

/** The control call's body: `{}` when empty, {@link INVALID_JSON} when not JSON. */
function parseJson(body: Buffer): unknown {
    if (!body.length) return {};
    try {
        return JSON.parse(body.toString("utf8"));
    } catch {
        return INVALID_JSON;
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
