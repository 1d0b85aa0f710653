/**
 * The TI-ONE endpoint variant (issue 16): whether the cloud serves the
 * region-pinned host `tione.<region>.tencentcloudapi.com` (API 3.0's generic
 * rule, an inference for TI-ONE) or only the documented
 * `tione.tencentcloudapi.com` with `X-TC-Region` (every action page,
 * reference/tione.md §1, §15). Our client must work under both.
 *
 * The client here sends the cloud's own host names: a resolver patched for
 * this file sends `*.tencentcloudapi.com` to the emulator's TI-ONE port, so
 * the Host header and the signature are exactly what the cloud would get.
 */
import { strict as assert } from "node:assert";
import * as http from "node:http";
import { EMULATOR_CREDENTIALS, RunningEmulator, startEmulator } from "../../emulator";
import { TIONE_HOST, TioneClient, TioneClientOptions, pinnedRegionOf, tioneEndpoint } from "../../sdk/tione/client";
import { tioneClientFor } from "../../provider/tione/tioneClient";

/** The module object itself (not an import wrapper): its `lookup` is what `net` calls. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dns: typeof import("node:dns") = require("node:dns");

const REGION = "ap-guangzhou";
/** A pinned host the patched resolver does not know, as a name the real network would not resolve. */
const UNRESOLVED = "tione.ap-unserved.tencentcloudapi.com";

const TASK = {
    ChargeType: "POSTPAID_BY_HOUR",
    ResourceConfigInfos: [{ Role: "WORKER", InstanceType: "TI.S.MEDIUM.POST", InstanceNum: 1 }],
    StartCmdInfo: { StartCmd: "python train.py" },
};

describe("TI-ONE endpoint hosts: the documented host with X-TC-Region, or region-pinned hosts", function () {
    this.timeout(30_000);
    let emu: RunningEmulator;
    let port: number;
    const originalLookup = dns.lookup;
    let seq = 0;

    before(async () => {
        emu = await startEmulator({ stepMs: 60_000, cloudPorts: true });
        port = Number(new URL(emu.cloudUrls.tione).port);
        // Tencent hosts resolve to the emulator; one pinned host resolves nowhere.
        (dns as { lookup: unknown }).lookup = (host: string, opts: any, cb?: any) => {
            const done = typeof opts === "function" ? opts : cb;
            const all = typeof opts === "object" && opts?.all;
            if (host === UNRESOLVED) return done(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND", hostname: host }));
            if (host.endsWith(".tencentcloudapi.com")) return all ? done(null, [{ address: "127.0.0.1", family: 4 }]) : done(null, "127.0.0.1", 4);
            return (originalLookup as any)(host, opts, cb);
        };
    });
    after(async () => {
        (dns as { lookup: unknown }).lookup = originalLookup;
        await emu.close();
    });

    const variant = async (endpointHosts: string) => {
        const res = await fetch(`${emu.url}/_control/tione/variants`, { method: "POST", body: JSON.stringify({ endpointHosts }) });
        assert.equal(((await res.json()) as { endpointHosts: string }).endpointHosts, endpointHosts);
    };
    const client = (host: string, o: Partial<TioneClientOptions> = {}) =>
        new TioneClient({
            secretId: EMULATOR_CREDENTIALS.tencentSecretId,
            secretKey: EMULATOR_CREDENTIALS.tencentSecretKey,
            region: REGION,
            endpoint: `http://${host}:${port}/`,
            retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 20 },
            ...o,
        });
    const tasks = async () => ((await (await fetch(`${emu.url}/_control/tione/tasks`)).json()) as { tasks: unknown[] }).tasks.length;

    it("without an override the client posts to the documented host whatever the region, and sends the region as X-TC-Region", () => {
        assert.equal(tioneEndpoint("ap-shanghai"), `https://${TIONE_HOST}/`);
        const c = new TioneClient({ secretId: "AKIDx", secretKey: "k", region: "ap-shanghai" });
        const req = c.build("DescribeTrainingTasks", Buffer.from("{}"));
        assert.deepEqual([req.url, req.headers.Host, req.headers["X-TC-Region"]], [`https://${TIONE_HOST}/`, TIONE_HOST, "ap-shanghai"]);
    });

    it("pinnedRegionOf reads the region of a pinned host, and none of the documented or intl hosts", () => {
        assert.deepEqual([pinnedRegionOf("tione.ap-shanghai.tencentcloudapi.com"), pinnedRegionOf(TIONE_HOST), pinnedRegionOf("tione.intl.tencentcloudapi.com")], ["ap-shanghai", undefined, undefined]);
    });

    for (const hosts of ["documented-only", "regional"]) {
        it(`under ${hosts}, the documented host with X-TC-Region creates and reads a task (signed over the host sent)`, async () => {
            await variant(hosts);
            const c = client(TIONE_HOST);
            const id = await c.createTrainingTask({ ...TASK, Name: `endpoint-${hosts}-${seq++}` } as any);
            assert.equal((await c.describeTrainingTask(id)).Id, id);
        });
    }

    it("under regional, the pinned host of the client's region creates and reads a task", async () => {
        await variant("regional");
        const c = client(`tione.${REGION}.tencentcloudapi.com`);
        const id = await c.createTrainingTask({ ...TASK, Name: `endpoint-pinned-${seq++}` } as any);
        assert.equal((await c.describeTrainingTask(id)).Id, id);
    });

    it("under documented-only, a pinned host is not served: the create fails naming the setting to change, and nothing is created", async () => {
        await variant("documented-only");
        const before = await tasks();
        await assert.rejects(client(`tione.${REGION}.tencentcloudapi.com`).createTrainingTask({ ...TASK, Name: `endpoint-unserved-${seq++}` } as any), (e: Error) => {
            assert.match(e.message, /region-pinned host, which TI-ONE does not document/);
            assert.match(e.message, /set `tencentcloud:tioneEndpoint` \(or TENCENTCLOUD_TIONE_ENDPOINT\) to https:\/\/tione\.tencentcloudapi\.com\//);
            return true;
        });
        assert.equal(await tasks(), before);
    });

    it("a pinned host that does not resolve fails naming the setting to change", async () => {
        await assert.rejects(client(UNRESOLVED, { region: "ap-unserved" }).describeTrainingTasks({}), (e: Error) => {
            assert.match(e.message, /ENOTFOUND/);
            assert.match(e.message, /`tencentcloud:tioneEndpoint` \(or TENCENTCLOUD_TIONE_ENDPOINT\)/);
            return true;
        });
    });

    it("a pinned host of another region than the client's is refused before any call, naming the setting and both regions", () => {
        assert.throws(
            () => client("tione.ap-shanghai.tencentcloudapi.com"),
            /TI-ONE endpoint tione\.ap-shanghai\.tencentcloudapi\.com:\d+ is pinned to region ap-shanghai, but the region is ap-guangzhou: set `tencentcloud:tioneEndpoint`/,
        );
    });

    it("under regional, the emulator refuses a pinned host whose region differs from X-TC-Region", async () => {
        await variant("regional");
        // Our client refuses to build such a request; a hand-made one (signed by it) reaches the emulator.
        const req = client("tione.ap-shanghai.tencentcloudapi.com", { region: undefined }).build("DescribeTrainingTasks", Buffer.from("{}"));
        const answer = await new Promise<any>((resolve, reject) => {
            const r = http.request({ host: "127.0.0.1", port, path: "/", method: "POST", headers: { ...req.headers, "X-TC-Region": REGION } }, (res) => {
                const chunks: Buffer[] = [];
                res.on("data", (c: Buffer) => chunks.push(c));
                res.on("end", () => resolve(JSON.parse(Buffer.concat(chunks).toString("utf8"))));
            });
            r.on("error", reject);
            r.end(req.body);
        });
        assert.equal(answer.Response.Error?.Code, "InvalidParameterValue");
    });

    describe("through the provider's settings", () => {
        /** Runs `fn` with these environment variables set, then restores them. */
        function withEnv(vars: Record<string, string>, fn: () => void): void {
            const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
            Object.assign(process.env, vars);
            try {
                fn();
            } finally {
                for (const [k, v] of Object.entries(saved)) {
                    if (v === undefined) delete process.env[k];
                    else process.env[k] = v;
                }
            }
        }
        const keys = (prefix: string) => ({ [`${prefix}TENCENTCLOUD_SECRET_ID`]: EMULATOR_CREDENTIALS.tencentSecretId, [`${prefix}TENCENTCLOUD_SECRET_KEY`]: EMULATOR_CREDENTIALS.tencentSecretKey });

        it("without an endpoint setting a resource's client posts to the documented host, its region in X-TC-Region", () => {
            withEnv({ ...keys(""), TENCENTCLOUD_TIONE_ENDPOINT: "" }, () => {
                const req = tioneClientFor("ap-chengdu").build("DescribeTrainingTasks", Buffer.from("{}"));
                assert.deepEqual([req.url, req.headers["X-TC-Region"]], [`https://${TIONE_HOST}/`, "ap-chengdu"]);
            });
        });

        it("a pinned endpoint of another region under a credential profile fails naming that profile's own setting", () => {
            withEnv({ ...keys("PROD_"), PROD_TENCENTCLOUD_TIONE_ENDPOINT: "https://tione.ap-shanghai.tencentcloudapi.com/" }, () => {
                assert.throws(() => tioneClientFor("ap-chengdu", "prod"), /pinned to region ap-shanghai, but the region is ap-chengdu: set `tencentcloud-prod:tioneEndpoint` \(or PROD_TENCENTCLOUD_TIONE_ENDPOINT\)/);
            });
        });
    });
});
