import * as assert from "node:assert/strict";
import { z } from "zod";
import { resourceLifecycle } from "../../provider/core/lifecycle";
import { LOG_LINE_MAX, LOG_TAIL_LINES, LOG_TAIL_MAX, boundedTail } from "../../provider/core/lifecycle/logs";
import { ResourceKind } from "../../provider/core/kind";
import { attemptMarker, retryPolicy, retrySchema } from "../../provider/core/retry";

/**
 * A cloud of in-memory jobs whose outcomes are scripted per submit: the
 * `n`-th submitted job runs once and then ends as `outcomes[n - 1]`
 * (`DONE`, `FAILED:<reason>`, `STOPPED`, or `HANG`: it never ends).
 */
interface Job {
    id: string;
    marker: string;
    status: string;
    outcome: string;
    reason?: string;
    polls: number;
}

interface Cloud {
    jobs: Map<string, Job>;
    submits: string[];
    log: string[];
    cancels: string[];
}

const BASE = "job-0123abcd";

function scriptedKind(outcomes: string[], overrides: Partial<ResourceKind<Cloud, Job>> = {}): { kind: ResourceKind<Cloud, Job>; cloud: Cloud } {
    const cloud: Cloud = { jobs: new Map(), submits: [], log: [], cancels: [] };
    const kind: ResourceKind<Cloud, Job> = {
        token: "test:Job",
        schema: z.object({ name: z.string() }).passthrough(),
        fields: { name: "replace", env: "replace" },
        run: {
            statuses: { RUNNING: "running", DONE: "succeeded", FAILED: "failed", STOPPED: "canceled", STOPPING: "stopping" },
            statusOf: (j) => j.status,
            failureDetail: async (_c, j) => j.reason ?? "",
            cancel: async (c, id) => {
                c.cancels.push(id);
                c.jobs.get(id)!.status = "STOPPED";
            },
            logTail: async (_c, j, lines) => [`${j.id} step 1`, `${j.id} done`].slice(-lines),
        },
        client: () => cloud,
        marker: () => BASE,
        findByMarker: async (c, marker, _inputs, skip) => [...c.jobs.values()].find((j) => j.marker === marker && !skip.has(j.id)),
        submit: async (c, _inputs, marker) => {
            const n = c.submits.length + 1;
            const id = `j-${n}`;
            const [status, reason] = (outcomes[n - 1] ?? "DONE").split(":");
            c.jobs.set(id, { id, marker, status: "RUNNING", outcome: status, reason, polls: 0 });
            c.submits.push(marker);
            c.log.push(`submit ${id}`);
            return { id };
        },
        get: async (c, id) => {
            const j = c.jobs.get(id);
            if (!j) return undefined;
            if (j.status === "RUNNING" && j.outcome !== "HANG" && ++j.polls > 1) j.status = j.outcome;
            return { ...j };
        },
        notFoundCodes: [],
        idOf: (j) => j.id,
        outputs: (j) => ({ status: j.status }),
        remove: async (c, id) => {
            c.log.push(`delete ${id}`);
            return c.jobs.delete(id) ? "deleted" : "gone";
        },
        redact: (_c, m) => m,
        sensitiveInputs: ["env"],
        ...overrides,
    };
    return { kind, cloud };
}

const retry = (maxAttempts: number, more: Record<string, unknown> = {}) => ({ maxAttempts, minIntervalSeconds: 0, ...more });

describe("retry: bounded automatic retries within one up (core/retry.ts, lifecycle/attempts.ts)", () => {
    const saved = process.env.PULUMI_TRAINING_POLL_SCALE;
    before(() => void (process.env.PULUMI_TRAINING_POLL_SCALE = "0.001"));
    after(() => (saved === undefined ? delete process.env.PULUMI_TRAINING_POLL_SCALE : void (process.env.PULUMI_TRAINING_POLL_SCALE = saved)));

    it("a job whose first two attempts fail succeeds with maxAttempts 3: three jobs, three attempts recorded, the failed ones deleted", async () => {
        const { kind, cloud } = scriptedKind(["FAILED:node lost", "FAILED:node lost", "DONE"]);
        const created = await resourceLifecycle(kind).create({ name: "a", retry: retry(3) });
        assert.equal(created.id, "j-3");
        assert.equal(created.outs.status, "DONE");
        assert.deepEqual(
            created.outs.attempts.map((a: any) => [a.attempt, a.id, a.status, a.cleanup]),
            [
                [1, "j-1", "FAILED", "deleted"],
                [2, "j-2", "FAILED", "deleted"],
                [3, "j-3", "DONE", "recorded"],
            ],
        );
        assert.equal(created.outs.attempts[0].failureReason, "node lost");
        assert.deepEqual([...cloud.jobs.keys()], ["j-3"]);
    });

    it("each attempt carries its own marker, the first one the resource's marker", async () => {
        const { kind, cloud } = scriptedKind(["FAILED:x", "DONE"]);
        await resourceLifecycle(kind).create({ name: "a", retry: retry(2) });
        assert.deepEqual(cloud.submits, [BASE, attemptMarker(BASE, 2)]);
        assert.notEqual(cloud.submits[0], cloud.submits[1]);
    });

    it("a failure no retryableReasons pattern matches stops at once, recorded with its one attempt", async () => {
        const { kind, cloud } = scriptedKind(["FAILED:out of memory", "DONE"]);
        const err = (await resourceLifecycle(kind).create({ name: "a", retry: retry(3, { retryableReasons: ["node lost", "InsufficientResource"] }) }).catch((e) => e)) as any;
        assert.equal(err.id, "j-1");
        assert.equal(cloud.submits.length, 1);
        assert.equal(err.properties.attempts.length, 1);
        assert.match(err.message, /ended FAILED: out of memory/);
    });

    it("a failure a retryableReasons pattern matches (case-insensitive) is retried", async () => {
        const { kind, cloud } = scriptedKind(["FAILED:Node Lost on host 7", "DONE"]);
        await resourceLifecycle(kind).create({ name: "a", retry: retry(3, { retryableReasons: ["node lost"] }) });
        assert.equal(cloud.submits.length, 2);
    });

    it("when every attempt fails, the last one is recorded as a failure and the earlier ones are deleted", async () => {
        const { kind, cloud } = scriptedKind(["FAILED:a", "FAILED:b"]);
        const err = (await resourceLifecycle(kind).create({ name: "a", retry: retry(2) }).catch((e) => e)) as any;
        assert.equal(err.id, "j-2");
        assert.equal(err.properties.status, "FAILED");
        assert.deepEqual(
            err.properties.attempts.map((a: any) => [a.id, a.cleanup]),
            [
                ["j-1", "deleted"],
                ["j-2", "recorded"],
            ],
        );
        assert.deepEqual([...cloud.jobs.keys()], ["j-2"]);
    });

    it("a canceled job is not retried: a stop is a person's or the provider's decision", async () => {
        const { kind, cloud } = scriptedKind(["STOPPED", "DONE"]);
        const err = (await resourceLifecycle(kind).create({ name: "a", retry: retry(3) }).catch((e) => e)) as any;
        assert.equal(err.id, "j-1");
        assert.equal(cloud.submits.length, 1);
    });

    it("an up interrupted during attempt 2 resumes attempt 2: nothing is submitted again", async () => {
        const { kind, cloud } = scriptedKind([]);
        cloud.jobs.set("j-1", { id: "j-1", marker: BASE, status: "FAILED", outcome: "FAILED", reason: "node lost", polls: 0 });
        cloud.jobs.set("j-2", { id: "j-2", marker: attemptMarker(BASE, 2), status: "RUNNING", outcome: "DONE", polls: 0 });
        const created = await resourceLifecycle(kind).create({ name: "a", retry: retry(3) });
        assert.equal(cloud.submits.length, 0);
        assert.equal(created.id, "j-2");
        assert.deepEqual(
            created.outs.attempts.map((a: any) => [a.attempt, a.id, a.cleanup]),
            [
                [1, "j-1", "deleted"],
                [2, "j-2", "recorded"],
            ],
        );
    });

    it("an up interrupted after attempt 2 failed submits attempt 3, once", async () => {
        const { kind, cloud } = scriptedKind(["DONE"]);
        cloud.jobs.set("j-1", { id: "j-1", marker: BASE, status: "FAILED", outcome: "FAILED", polls: 0 });
        cloud.jobs.set("j-2", { id: "j-2", marker: attemptMarker(BASE, 2), status: "FAILED", outcome: "FAILED", reason: "node lost", polls: 0 });
        const created = await resourceLifecycle(kind).create({ name: "a", retry: retry(3) });
        assert.deepEqual(cloud.submits, [attemptMarker(BASE, 3)]);
        assert.equal(created.outs.attempts.length, 3);
    });

    it("where names are unique on the cloud, a failed attempt is deleted before the next is submitted", async () => {
        const { kind, cloud } = scriptedKind(["FAILED:x", "DONE"], { deleteBeforeReplace: true });
        await resourceLifecycle(kind).create({ name: "a", retry: retry(2) });
        assert.deepEqual(cloud.log, ["submit j-1", "delete j-1", "submit j-2"]);
    });

    it("retryOnTimeout stops an attempt still running at its deadline and submits the next", async () => {
        const { kind, cloud } = scriptedKind(["HANG", "DONE"]);
        const created = await resourceLifecycle(kind).create({ name: "a", completionTimeoutMinutes: 0.001, retry: retry(2, { retryOnTimeout: true }) });
        assert.deepEqual(cloud.cancels, ["j-1"]);
        assert.equal(created.id, "j-2");
        assert.equal(created.outs.attempts[0].status, "STOPPED");
    });

    it("without retryOnTimeout a passed deadline ends the wait as without retries, recording the running job", async () => {
        const { kind, cloud } = scriptedKind(["HANG", "DONE"]);
        const err = (await resourceLifecycle(kind).create({ name: "a", completionTimeoutMinutes: 0.001, retry: retry(2) }).catch((e) => e)) as any;
        assert.equal(err.id, "j-1");
        assert.match(err.message, /completionTimeoutMinutes/);
        assert.equal(cloud.submits.length, 1);
        assert.equal(cloud.cancels.length, 0);
    });

    it("failure reasons recorded per attempt have sensitive input values masked", async () => {
        const { kind } = scriptedKind(["FAILED:HF_TOKEN=hf_Secret9876543210 rejected", "DONE"]);
        const created = await resourceLifecycle(kind).create({ name: "a", env: { HF_TOKEN: "hf_Secret9876543210" }, retry: retry(2) });
        assert.doesNotMatch(JSON.stringify(created.outs.attempts), /hf_Secret9876543210/);
    });

    it("a replacement after every attempt failed submits anew instead of resuming the old attempts", async () => {
        const { kind, cloud } = scriptedKind(["FAILED:a", "FAILED:b", "DONE"], { remove: async () => "refused" });
        const lc = resourceLifecycle(kind);
        const err = (await lc.create({ name: "a", retry: retry(2) }).catch((e) => e)) as any;
        const olds = { ...err.properties, name: "a" };
        const diff = await lc.diff(err.id, olds, { name: "a", retry: retry(2) });
        assert.ok(diff.replaces?.includes("status"));
        const created = await lc.create({ name: "a", retry: retry(2) });
        assert.equal(created.id, "j-3");
        assert.equal(cloud.submits.length, 3);
    });

    it("with one attempt (the default) a failure fails the up as before, with no attempts output", async () => {
        const { kind, cloud } = scriptedKind(["FAILED:x"]);
        const err = (await resourceLifecycle(kind).create({ name: "a" }).catch((e) => e)) as any;
        assert.equal(cloud.submits.length, 1);
        assert.equal(err.properties.attempts, undefined);
    });

    it("check refuses retry with more than one attempt when up does not wait, naming retry.maxAttempts", async () => {
        const { kind } = scriptedKind([]);
        const r = await resourceLifecycle(kind).check({}, { name: "a", waitForCompletion: false, retry: retry(2) });
        assert.deepEqual(
            r.failures?.map((f) => f.property),
            ["retry.maxAttempts"],
        );
    });

    it("the job's log tail is recorded when up sees it end, on success as on failure", async () => {
        const { kind } = scriptedKind(["FAILED:x", "DONE"]);
        const created = await resourceLifecycle(kind).create({ name: "a", retry: retry(2) });
        assert.deepEqual(created.outs.logTail, ["j-2 step 1", "j-2 done"]);
        const { kind: failing } = scriptedKind(["FAILED:x"]);
        const err = (await resourceLifecycle(failing).create({ name: "a" }).catch((e) => e)) as any;
        assert.deepEqual(err.properties.logTail, ["j-1 step 1", "j-1 done"]);
    });

    it("a refresh keeps the attempts and the log tail the create recorded", async () => {
        const { kind } = scriptedKind(["FAILED:x", "DONE"]);
        const lc = resourceLifecycle(kind);
        const created = await lc.create({ name: "a", retry: retry(2) });
        const read = await lc.read(created.id, created.outs);
        assert.deepEqual(read.props?.attempts, created.outs.attempts);
        assert.deepEqual(read.props?.logTail, created.outs.logTail);
    });
});

describe("retry settings and markers", () => {
    it("attempt 1 keeps the resource's marker; later attempts replace its trailing 8 hex, keeping its length", () => {
        assert.equal(attemptMarker(BASE, 1), BASE);
        const second = attemptMarker(BASE, 2);
        assert.equal(second.length, BASE.length);
        assert.ok(second.startsWith("job-"));
        assert.notEqual(second, attemptMarker(BASE, 3));
    });

    it("a marker that does not end in 8 hex cannot be numbered", () => {
        assert.throws(() => attemptMarker("no-hash-here", 2), /8 hex/);
    });

    it("the schema bounds maxAttempts to 1-10 and refuses a pattern that is not a regular expression", () => {
        const schema = retrySchema(true);
        assert.equal(schema.safeParse({ maxAttempts: 11 }).success, false);
        assert.equal(schema.safeParse({ maxAttempts: 0 }).success, false);
        assert.equal(schema.safeParse({ retryableReasons: ["("] }).success, false);
        assert.equal(schema.safeParse({ maxAttempts: 3, retryableReasons: ["node lost"] }).success, true);
    });

    it("retryOnTimeout is refused on a cloud without a stop call", () => {
        assert.equal(retrySchema(false).safeParse({ retryOnTimeout: true }).success, false);
        assert.equal(retrySchema(false).safeParse({ retryOnTimeout: false }).success, true);
    });

    it("defaults: one attempt, 60 s between attempts, no retry on timeout, every failure retryable", () => {
        assert.deepEqual(retryPolicy(undefined), { maxAttempts: 1, minIntervalMs: 60_000, retryOnTimeout: false, reasons: undefined });
    });
});

describe("logTail bounds", () => {
    it("keeps the last lines, cuts long lines and bounds the total size", () => {
        const lines = Array.from({ length: 50 }, (_, i) => `line ${i} ${"x".repeat(i === 49 ? 2 * LOG_LINE_MAX : 300)}`);
        const tail = boundedTail(lines);
        assert.ok(tail.length <= LOG_TAIL_LINES);
        assert.ok(tail.join("").length <= LOG_TAIL_MAX + 20);
        assert.match(tail[tail.length - 1], /… \(cut\)$/);
        assert.match(tail[0], /^line \d+/);
    });
});
