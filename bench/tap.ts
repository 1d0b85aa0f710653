import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { now } from "./stats";

/** One API request as it passed through the tap. */
export interface TapRecord {
    /** When the request arrived, ms ({@link now} clock). */
    at: number;
    /** When the answer went back. */
    done: number;
    /** The emulated cloud: the first path segment (`dashscope`, `tione`, `polardb`, `alaya`). */
    cloud: string;
    /** `X-TC-Action` / `x-acs-action`, the RPC `Action` parameter, or `METHOD /path` with ids folded. */
    action: string;
    status: number;
    /** The answer was the cloud's throttling error (HTTP 429, `Throttling…`, `RequestLimitExceeded…`). */
    throttled: boolean;
    /** A `status`/`Status` value found in the answer, for waits (first 4 KB only). */
    jobStatus?: string;
}

export interface Tap {
    /** Point clients here instead of at the emulator. */
    url: string;
    records: TapRecord[];
    /** Forgets what was recorded so far. */
    reset(): void;
    close(): Promise<void>;
}

const THROTTLED = /"(?:Code|code)"\s*:\s*"(?:Throttling[^"]*|RequestLimitExceeded[^"]*)"/;
const STATUS = /"(?:status|Status|DBClusterStatus)"\s*:\s*"([A-Z_]+)"/;

/** Names a request the way the clouds count it for their rate limits. */
function actionOf(req: http.IncomingMessage, url: URL, body: Buffer): string {
    const header = req.headers["x-tc-action"] ?? req.headers["x-acs-action"];
    if (header) return String(header);
    const rpc = url.searchParams.get("Action") ?? /(?:^|&)Action=([^&]+)/.exec(body.toString("latin1"))?.[1];
    if (rpc) return rpc;
    const p = url.pathname.split("/").slice(2).map((seg) => (/\d/.test(seg) && seg.length > 8 ? "{id}" : seg));
    return `${req.method} /${p.join("/")}`;
}

/**
 * A recording reverse proxy in front of the emulator: it forwards every
 * request untouched (headers included, so signatures that cover the Host
 * still verify) and notes when it arrived, which action it was and whether the
 * answer was a throttling error. The emulator counts requests but keeps no
 * timestamps; rates and sliding-window peaks come from here. It adds well
 * under a millisecond per request, so it is used only where timing per
 * request is not what is measured.
 */
export async function startTap(target: string): Promise<Tap> {
    const upstream = new URL(target);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
    const records: TapRecord[] = [];
    const sockets = new Set<import("node:net").Socket>();
    const server = http.createServer((req, res) => {
        const at = now();
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
            const body = Buffer.concat(chunks);
            const url = new URL(req.url ?? "/", "http://tap");
            const fwd = http.request(
                { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent },
                (up) => {
                    const out: Buffer[] = [];
                    up.on("data", (c: Buffer) => out.push(c));
                    up.on("end", () => {
                        const answer = Buffer.concat(out);
                        const head = answer.subarray(0, 4096).toString("utf8");
                        const status = up.statusCode ?? 0;
                        if (!url.pathname.startsWith("/_control")) {
                            records.push({
                                at,
                                done: now(),
                                cloud: url.pathname.split("/")[1] ?? "",
                                action: actionOf(req, url, body),
                                status,
                                throttled: status === 429 || THROTTLED.test(head),
                                jobStatus: STATUS.exec(head)?.[1],
                            });
                        }
                        res.writeHead(status, up.headers);
                        res.end(answer);
                    });
                },
            );
            // A dropped upstream connection (an injected fault) is passed on as a dropped connection.
            fwd.on("error", () => req.socket.destroy());
            fwd.end(body);
        });
    });
    server.keepAliveTimeout = 5000;
    server.on("connection", (s) => {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    return {
        url: `http://127.0.0.1:${port}`,
        records,
        reset: () => void records.splice(0),
        close: () =>
            new Promise<void>((resolve) => {
                for (const s of sockets) s.destroy();
                agent.destroy();
                server.close(() => resolve());
            }),
    };
}
