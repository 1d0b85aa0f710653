/**
 * The request budgets (sdk/core/rateLimiter.ts): AIMD adaptation to
 * throttling, the TI-ONE default against the service's sliding one-second
 * window, sharing, and the configured rates the provider's client factories
 * pass on. Time is a fake clock throughout: no sleeps, no timed assertions.
 */
import * as assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { RateWindow } from "../../emulator/core/rateWindow";
import { CloudApiError } from "../../sdk/core/errors";
import { ServiceClient, isThrottling } from "../../sdk/core/http";
import { RateLimit, TokenBucket, sharedBucket, withRate } from "../../sdk/core/rateLimiter";
import { Redactor } from "../../sdk/core/redact";
import { TIONE_RATE_LIMIT } from "../../sdk/tione/client";
import { POLARDB_RATE_LIMIT } from "../../sdk/polardb/client";
import { DASHSCOPE_RATE_LIMIT } from "../../sdk/dashscope/client";
import { ALAYA_RATE_LIMIT } from "../../sdk/alaya/assumptions";
import { tioneClientFor } from "../../provider/tione/tioneClient";
import { polardbClientFor } from "../../provider/polardb/polardbClient";
import { dashScopeClientFor } from "../../provider/bailian/dashscopeClient";
import { alayaClientFor } from "../../provider/alaya/alayaClient";
import { useStackConfig } from "../../provider/core/config";

/** A clock the test moves; `sleep` moves it by the time asked, so a waiting bucket never waits. */
function fakeTime(start = 0) {
    let t = start;
    return {
        now: () => t,
        sleep: async (ms: number) => {
            t += ms;
        },
        advance: (ms: number) => {
            t += ms;
        },
    };
}

function bucket(limit: RateLimit, clock = fakeTime()) {
    return { clock, b: new TokenBucket(limit, clock.now, { sleep: clock.sleep }) };
}

/** Grant times of `n` callers that all ask at once (the bucket saturated). */
async function saturatedGrants(limit: RateLimit, n: number): Promise<number[]> {
    const { clock, b } = bucket(limit);
    const times: number[] = [];
    await Promise.all(Array.from({ length: n }, () => b.take().then(() => times.push(clock.now()))));
    return times;
}

/**
 * Grant times when each caller arrives `gap(i)` ms after the previous grant
 * (one caller at a time). Gaps are multiples of 1/8 ms so the arithmetic is
 * exact and what is checked is the bucket, not floating-point rounding.
 */
async function pacedGrants(limit: RateLimit, n: number, gap: (i: number) => number): Promise<number[]> {
    const { clock, b } = bucket(limit);
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
        clock.advance(gap(i));
        await b.take();
        times.push(clock.now());
    }
    return times;
}

/** Requests the emulator's TI-ONE window (20 per action per sliding second) would refuse, given these arrival times. */
function refusedBySlidingWindow(times: number[], perSecond = 20): number {
    const window = new RateWindow({ now: () => 0 });
    return times.filter((t) => !window.allow("action", perSecond, t)).length;
}

/** A small deterministic PRNG (mulberry32), so a failing sequence can be replayed. */
function prng(seed: number): () => number {
    return () => {
        seed = (seed + 0x6d2b79f5) | 0;
        let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
        x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
        return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
    };
}

describe("sdk/core rate limiter: adaptive budgets (AIMD)", () => {
    it("a throttling answer cuts the rate to 80%; each quiet period of 2 s then adds back 10% of the configured rate, up to it", () => {
        const { clock, b } = bucket({ perSecond: 20, burst: 1 });
        assert.equal(b.perSecond, 20);
        b.throttled();
        assert.equal(b.perSecond, 16);
        clock.advance(1999);
        assert.equal(b.perSecond, 16, "no recovery before a whole quiet period");
        clock.advance(1);
        assert.equal(b.perSecond, 18);
        clock.advance(2000);
        assert.equal(b.perSecond, 20);
        clock.advance(60_000);
        assert.equal(b.perSecond, 20, "never above the configured rate");
    });

    it("throttling answers within a second of a cut are one episode (one cut), and each one restarts the quiet period", () => {
        const { clock, b } = bucket({ perSecond: 20, burst: 1 });
        b.throttled();
        clock.advance(500);
        b.throttled(); // an answer to a request already in flight at the cut
        assert.equal(b.perSecond, 16);
        clock.advance(1999);
        assert.equal(b.perSecond, 16, "the quiet period counts from the last throttling answer");
        b.throttled(); // 2.5 s after the cut: a new episode
        assert.equal(b.perSecond, 12.8);
        assert.equal(b.throttledCount, 3);
    });

    it("repeated throttling never takes the rate below the floor, 10% of the configured rate", () => {
        const { clock, b } = bucket({ perSecond: 20, burst: 1 });
        for (let i = 0; i < 50; i++) {
            b.throttled();
            assert.ok(b.perSecond >= 2, `rate ${b.perSecond} after ${i + 1} cuts`);
            clock.advance(1000);
        }
        assert.equal(b.perSecond, 2);
        assert.equal(b.floorPerSecond, 2);
    });

    it("grants follow the rate in force: spaced for 16/s after a cut, for 20/s again once recovered", async () => {
        const { clock, b } = bucket({ perSecond: 20, burst: 1 });
        const gaps = async (n: number) => {
            const times: number[] = [];
            for (let i = 0; i < n; i++) {
                await b.take();
                times.push(clock.now());
            }
            return times.slice(1).map((t, i) => t - times[i]);
        };
        await b.take();
        b.throttled();
        // Nothing saved up survives the answer: the first grant after it waits a full interval too.
        const start = clock.now();
        await b.take();
        assert.equal(clock.now() - start, 63, "ceil(1000 / 16) ms");
        assert.deepEqual(await gaps(4), [63, 63, 63]);
        clock.advance(10_000);
        await b.take();
        assert.deepEqual(await gaps(4), [50, 50, 50]);
    });

    it("the burst shrinks with the rate, so a cut is not undone by tokens saved up while idle", async () => {
        /** Grants available at once (before the clock has to move). */
        const atOnce = async (b: TokenBucket, clock: ReturnType<typeof fakeTime>) => {
            const t = clock.now();
            let n = 0;
            for (;;) {
                await b.take();
                if (clock.now() !== t) return n;
                n++;
            }
        };
        const fresh = bucket({ perSecond: 10, burst: 10 });
        assert.equal(await atOnce(fresh.b, fresh.clock), 10);
        const cut = bucket({ perSecond: 10, burst: 10 });
        cut.b.throttled();
        cut.clock.advance(1500); // time enough to refill 10 at 8/s
        assert.equal(await atOnce(cut.b, cut.clock), 8, "a burst of 8 at 8/s");
    });

    it("only throttling answers adapt the budget: not a refused connection, not a quota 429 that is not retryable, not an outage", () => {
        const err = (o: Partial<ConstructorParameters<typeof CloudApiError>[0]>) => new CloudApiError({ service: "S", action: "A", code: "C", message: "m", retryable: true, ...o });
        assert.equal(isThrottling(err({ code: "RequestLimitExceeded", rejectedBeforeApplied: true, httpStatus: 200 })), true);
        assert.equal(isThrottling(err({ code: "Throttling.User", rejectedBeforeApplied: true, httpStatus: 400 })), true);
        assert.equal(isThrottling(err({ code: "HTTP429", httpStatus: 429 })), true, "a 429 with a body that is not JSON");
        assert.equal(isThrottling(err({ code: "NetworkError", rejectedBeforeApplied: true, transport: true })), false);
        assert.equal(isThrottling(err({ code: "Throttling", rejectedBeforeApplied: true, httpStatus: 429, retryable: false })), false);
        assert.equal(isThrottling(err({ code: "InternalError", httpStatus: 500 })), false);
    });
});

describe("sdk/core rate limiter: sharing", () => {
    const opts = (bucketKey: string, rateLimit: RateLimit) => ({ service: "Test", bucketKey, rateLimit, redactor: new Redactor() });

    it("clients with one key and rate share one bucket, and with it what throttling taught it", () => {
        const key = `test-share:${Math.random()}`;
        const a = new ServiceClient(opts(key, { perSecond: 10 }));
        const b = new ServiceClient(opts(key, { perSecond: 10 }));
        assert.equal(a.bucketFor("Any"), b.bucketFor("Any"));
        a.bucketFor("Any").throttled();
        assert.equal(b.bucketFor("Any").perSecond, 8);
    });

    it("per-action budgets adapt per action: a throttled create does not slow the reads", () => {
        const key = `test-actions:${Math.random()}`;
        const c = new ServiceClient({ ...opts(key, { perSecond: 20, burst: 1 }), rateLimitPerAction: true });
        c.bucketFor("Create").throttled();
        assert.equal(new ServiceClient({ ...opts(key, { perSecond: 20, burst: 1 }), rateLimitPerAction: true }).bucketFor("Create").perSecond, 16);
        assert.equal(c.bucketFor("Describe").perSecond, 20);
    });

    it("a client configured with another rate gets a bucket of its own and keeps its rate", () => {
        const key = `test-rates:${Math.random()}`;
        assert.notEqual(sharedBucket(key, { perSecond: 10 }), sharedBucket(key, { perSecond: 5 }));
        assert.equal(new ServiceClient(opts(key, { perSecond: 5 })).bucketFor("Any").perSecond, 5);
    });

    it("a throttling answer through the HTTP core lowers the shared rate, and the request is still resent and succeeds", async () => {
        let hits = 0;
        const server = http.createServer((req, res) => {
            req.resume();
            req.on("end", () => {
                const first = hits++ === 0;
                res.writeHead(first ? 429 : 200, { "content-type": "application/json" });
                res.end(JSON.stringify(first ? { code: "Throttling", message: "slow down" } : { ok: 1 }));
            });
        });
        await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
        try {
            const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
            const key = `test-http:${Math.random()}`;
            const c = new ServiceClient({ ...opts(key, { perSecond: 1000 }), retry: { baseDelayMs: 1, maxDelayMs: 2 } });
            const other = new ServiceClient(opts(key, { perSecond: 1000 }));
            const decode = (res: { status: number; text: string }, action: string) => {
                const body = JSON.parse(res.text);
                if (res.status === 200) return body;
                throw new CloudApiError({ service: "Test", action, code: body.code, message: body.message, httpStatus: res.status, retryable: true, rejectedBeforeApplied: true });
            };
            const out = await c.call("Create", () => ({ method: "POST", url, headers: {}, body: "{}" }), decode, { idempotent: false });
            assert.deepEqual(out, { ok: 1 });
            assert.equal(hits, 2);
            const b = other.bucketFor("Create");
            assert.equal(b.throttledCount, 1);
            assert.ok(b.perSecond < 1000, `rate ${b.perSecond} after a throttling answer`);
        } finally {
            server.closeAllConnections();
            await new Promise<void>((r) => server.close(() => r()));
        }
    });
});

describe("sdk/core rate limiter: the TI-ONE default against a sliding one-second window of 20", () => {
    it("is 97.5% of the documented 20/s per action, with a burst of 1", () => {
        assert.deepEqual({ ...TIONE_RATE_LIMIT }, { perSecond: 19.5, burst: 1 });
    });

    it("400 callers at once: never more than 20 grants in any sliding 1,000 ms, at the default's full rate", async () => {
        const times = await saturatedGrants(TIONE_RATE_LIMIT, 400);
        assert.equal(times.length, 400);
        assert.equal(refusedBySlidingWindow(times), 0);
        // One grant as soon as the next token is due (the bucket waits whole milliseconds): the default used in full.
        const span = times[399] - times[0];
        const due = 1000 / TIONE_RATE_LIMIT.perSecond;
        assert.ok(span >= 399 * due && span <= 399 * Math.ceil(due), `399 gaps took ${span} ms`);
    });

    it("callers arriving exactly when the next token is due (the tightest spacing the bucket allows): never more than 20", async () => {
        const due = 1000 / TIONE_RATE_LIMIT.perSecond;
        const times = await pacedGrants(TIONE_RATE_LIMIT, 400, (i) => (i === 0 ? 0.125 : due));
        assert.equal(refusedBySlidingWindow(times), 0);
        // Arrivals a fraction of a millisecond early wait for the next whole millisecond: at most one more per gap.
        const span = times[399] - times[0];
        assert.ok(span >= 399 * due && span <= 399 * (Math.ceil(due) + 1), `399 gaps took ${span} ms`);
    });

    it("callers at random times, idle spells included: never more than 20 in any sliding 1,000 ms (3 seeds × 400 grants)", async () => {
        for (const seed of [1, 2, 3]) {
            const random = prng(seed);
            // Mostly under the 50 ms interval (queued), sometimes long gaps that refill the bucket.
            const gap = () => (random() < 0.1 ? Math.floor(random() * 8000) : Math.floor(random() * 480)) / 8;
            const times = await pacedGrants(TIONE_RATE_LIMIT, 400, gap);
            assert.equal(refusedBySlidingWindow(times), 0, `seed ${seed}`);
        }
    });

    it("and 20/s is the highest such default: a burst of 2, or a rate above 20, lets a 21st into some second", async () => {
        assert.ok(refusedBySlidingWindow(await saturatedGrants({ perSecond: 20, burst: 2 }, 400)) > 0);
        assert.ok(refusedBySlidingWindow(await saturatedGrants({ perSecond: 20.5, burst: 1 }, 400)) > 0);
        assert.ok(refusedBySlidingWindow(await pacedGrants({ perSecond: 20.125, burst: 1 }, 400, (i) => (i === 0 ? 0 : 1000 / 20.125))) > 0);
    });

    it("after a cut and the recovery, still never more than 20", async () => {
        const { clock, b } = bucket(TIONE_RATE_LIMIT);
        const times: number[] = [];
        const take = async () => {
            await b.take();
            times.push(clock.now());
        };
        for (let i = 0; i < 100; i++) await take();
        b.throttled();
        for (let i = 0; i < 300; i++) await take(); // through the cut and each recovery step
        assert.equal(b.perSecond, TIONE_RATE_LIMIT.perSecond);
        assert.equal(refusedBySlidingWindow(times), 0);
    });
});

describe("configured rates: the provider's client factories", () => {
    const ENV: Record<string, string> = {
        TENCENTCLOUD_SECRET_ID: "AKIDrateLimitTest0000",
        TENCENTCLOUD_SECRET_KEY: "rate-limit-test-key",
        ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAIrateLimitTest",
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: "rate-limit-test-secret",
        DASHSCOPE_API_KEY: "sk-rate-limit-test",
        ALAYA_API_KEY: "alaya-rate-limit-test",
    };
    const RATE_VARS = ["TIONE", "POLARDB", "DASHSCOPE", "ALAYA"].map((c) => `PULUMI_TRAINING_${c}_REQUESTS_PER_SECOND`);
    const saved: Record<string, string | undefined> = {};

    beforeEach(() => {
        for (const k of [...Object.keys(ENV), ...RATE_VARS]) saved[k] = process.env[k];
        Object.assign(process.env, ENV);
        for (const k of RATE_VARS) delete process.env[k];
    });
    afterEach(() => {
        useStackConfig(undefined);
        for (const [k, v] of Object.entries(saved)) {
            if (v === undefined) delete process.env[k];
            else process.env[k] = v;
        }
    });

    it("TI-ONE: PULUMI_TRAINING_TIONE_REQUESTS_PER_SECOND sets each action's bucket, burst still 1; unset, the 19.5/s default", () => {
        process.env.PULUMI_TRAINING_TIONE_REQUESTS_PER_SECOND = "7";
        const c = tioneClientFor("ap-rate-config");
        assert.deepEqual({ ...c.http.rateLimit }, { perSecond: 7, burst: 1 });
        assert.equal(c.http.bucketFor("CreateTrainingTask").perSecond, 7);
        delete process.env.PULUMI_TRAINING_TIONE_REQUESTS_PER_SECOND;
        const d = tioneClientFor("ap-rate-config");
        assert.notEqual(d, c, "the rate is part of the client cache key");
        assert.equal(d.http.bucketFor("CreateTrainingTask").perSecond, TIONE_RATE_LIMIT.perSecond);
    });

    it("TI-ONE: the stack config pulumi-training:tioneRequestsPerSecond wins over the environment", () => {
        process.env.PULUMI_TRAINING_TIONE_REQUESTS_PER_SECOND = "7";
        useStackConfig({ get: (k) => (k === "pulumi-training:tioneRequestsPerSecond" ? "12.5" : undefined) });
        assert.equal(tioneClientFor("ap-rate-config").http.bucketFor("DescribeTrainingTask").perSecond, 12.5);
    });

    it("PolarDB, DashScope and Alaya: each reads its own setting; a lowered rate keeps at most one second of burst", () => {
        process.env.PULUMI_TRAINING_POLARDB_REQUESTS_PER_SECOND = "2";
        process.env.PULUMI_TRAINING_DASHSCOPE_REQUESTS_PER_SECOND = "4";
        process.env.PULUMI_TRAINING_ALAYA_REQUESTS_PER_SECOND = "3";
        assert.deepEqual({ ...polardbClientFor("cn-rate-config").rpc.http.rateLimit }, { perSecond: 2, burst: 2 });
        assert.deepEqual({ ...dashScopeClientFor("ws-rate-config").http.rateLimit }, { perSecond: 4, burst: 4 });
        assert.deepEqual({ ...alayaClientFor().http.rateLimit }, { perSecond: 3, burst: 3 });
    });

    it("PolarDB, DashScope and Alaya: unset (or not a positive number), the stated defaults", () => {
        process.env.PULUMI_TRAINING_ALAYA_REQUESTS_PER_SECOND = "fast";
        assert.deepEqual({ ...polardbClientFor("cn-rate-config").rpc.http.rateLimit }, { ...POLARDB_RATE_LIMIT });
        assert.deepEqual({ ...dashScopeClientFor("ws-rate-config").http.rateLimit }, { ...DASHSCOPE_RATE_LIMIT });
        assert.deepEqual({ ...alayaClientFor().http.rateLimit }, { ...ALAYA_RATE_LIMIT });
    });

    it("withRate: a raised rate keeps the default burst; the default itself passes through unchanged", () => {
        assert.deepEqual(withRate({ perSecond: 10, burst: 10 }, 50), { perSecond: 50, burst: 10 });
        assert.equal(withRate(TIONE_RATE_LIMIT, TIONE_RATE_LIMIT.perSecond), TIONE_RATE_LIMIT);
        assert.equal(withRate(TIONE_RATE_LIMIT, undefined), TIONE_RATE_LIMIT);
    });
});
