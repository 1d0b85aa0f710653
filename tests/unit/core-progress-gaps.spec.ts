/**
 * No silent stretch longer than the heartbeat (issue 19 item 3): every wait
 * of the shared lifecycle (a create waiting for its job, a destroy waiting
 * for a stop, a passed deadline, the delete of a running job on a cloud with
 * no stop call) says what it is doing as it goes. The provider's waits are
 * scaled down (pollScale) so a heartbeat is 300 ms here.
 */
import * as assert from "node:assert/strict";
import { z } from "zod";
import { resourceLifecycle } from "../../provider/core/lifecycle";
import type { ResourceKind } from "../../provider/core/kind";
import { DEFAULT_POLL } from "../../provider/core/wait";

const SCALE = 0.001;
const HEARTBEAT_MS = DEFAULT_POLL.heartbeatMs * SCALE;
const MAX_POLL_MS = DEFAULT_POLL.maxMs * SCALE;

/** A job that is RUNNING until `endsAt`, then `finalStatus`. */
interface Job {
    id: string;
    endsAt: number;
    finalStatus: string;
    stopping?: boolean;
}

function kindWith(cloud: Map<string, Job>, opts: { runMs: number; cancel?: boolean; stopMs?: number }): ResourceKind<Map<string, Job>, { id: string; status: string }> {
    const statusOf = (j: Job) => (Date.now() < j.endsAt ? (j.stopping ? "STOPPING" : "RUNNING") : j.finalStatus);
    return {
        token: "test:Job",
        schema: z.object({}).passthrough(),
        fields: { name: "replace" },
        run: {
            statuses: { RUNNING: "running", STOPPING: "stopping", DONE: "succeeded", STOPPED: "canceled" },
            statusOf: (r) => r.status,
            ...(opts.cancel
                ? {
                      cancel: async (c: Map<string, Job>, id: string) => {
                          const j = c.get(id)!;
                          Object.assign(j, { stopping: true, finalStatus: "STOPPED", endsAt: Date.now() + (opts.stopMs ?? 0) });
                      },
                  }
                : {}),
        },
        client: () => cloud,
        marker: (inputs) => `m-${inputs.name}`,
        findByMarker: async () => undefined,
        submit: async (c) => {
            const id = `j-${c.size + 1}`;
            c.set(id, { id, endsAt: Date.now() + opts.runMs, finalStatus: "DONE" });
            return { id };
        },
        notFoundCodes: [],
        get: async (c, id) => {
            const j = c.get(id);
            return j && { id: j.id, status: statusOf(j) };
        },
        idOf: (r) => r.id,
        outputs: (r) => ({ status: r.status }),
        remove: async (c, id) => (c.delete(id) ? "deleted" : "gone"),
        redact: (_c, m) => m,
        sensitiveInputs: [],
    };
}

/** Runs `fn`, returning the progress lines with the time each was printed, and the run's start and end. */
async function timedLines(fn: () => Promise<unknown>): Promise<{ lines: Array<{ at: number; text: string }>; start: number; end: number }> {
    const lines: Array<{ at: number; text: string }> = [];
    const log = console.log;
    console.log = (...args: unknown[]) => void lines.push({ at: Date.now(), text: args.join(" ") });
    const start = Date.now();
    try {
        await fn().catch((e) => lines.push({ at: Date.now(), text: `error: ${(e as Error).message}` }));
    } finally {
        console.log = log;
    }
    return { lines, start, end: Date.now() };
}

/** The longest time without a line, counting from the start and to the end. */
function longestGap(run: { lines: Array<{ at: number }>; start: number; end: number }): number {
    const times = [run.start, ...run.lines.map((l) => l.at), run.end];
    return Math.max(...times.slice(1).map((t, i) => t - times[i]));
}

/** A heartbeat, one poll interval to notice it, and room for a loaded machine. */
const ALLOWED_GAP_MS = 2 * (HEARTBEAT_MS + MAX_POLL_MS);

describe("progress during every wait", function () {
    this.timeout(30_000);
    const saved = process.env.PULUMI_TRAINING_POLL_SCALE;
    before(() => void (process.env.PULUMI_TRAINING_POLL_SCALE = String(SCALE)));
    after(() => (saved === undefined ? delete process.env.PULUMI_TRAINING_POLL_SCALE : void (process.env.PULUMI_TRAINING_POLL_SCALE = saved)));

    it("a create waiting on a job that runs for ten heartbeats is never silent longer than a heartbeat", async () => {
        const lifecycle = resourceLifecycle(kindWith(new Map(), { runMs: 10 * HEARTBEAT_MS }));
        const run = await timedLines(() => lifecycle.create({ name: "a" }));
        assert.ok(run.lines.some((l) => /still RUNNING/.test(l.text)), run.lines.map((l) => l.text).join("\n"));
        assert.ok(longestGap(run) <= ALLOWED_GAP_MS, `longest gap ${longestGap(run)} ms`);
    });

    it("a passed completion deadline is announced when it passes, before the step fails", async () => {
        const lifecycle = resourceLifecycle(kindWith(new Map(), { runMs: 60_000 }));
        const run = await timedLines(() => lifecycle.create({ name: "a", completionTimeoutMinutes: (4 * HEARTBEAT_MS) / 60_000 }));
        const texts = run.lines.map((l) => l.text);
        const announced = texts.findIndex((t) => /completionTimeoutMinutes=\S+ passed while RUNNING: no longer waiting/.test(t));
        assert.ok(announced >= 0 && announced < texts.length - 1, texts.join("\n"));
        assert.ok(longestGap(run) <= ALLOWED_GAP_MS, `longest gap ${longestGap(run)} ms`);
    });

    it("with stopAtDeadline, a passed deadline stops the job, says so, and fails the step recording the stopping job", async () => {
        const cloud = new Map<string, Job>();
        const lifecycle = resourceLifecycle(kindWith(cloud, { runMs: 60_000, cancel: true, stopMs: 60_000 }));
        let error: { message: string; id?: string; properties?: Record<string, unknown> } | undefined;
        const run = await timedLines(() => lifecycle.create({ name: "a", completionTimeoutMinutes: (3 * HEARTBEAT_MS) / 60_000, stopAtDeadline: true }).catch((e) => void (error = e)));
        assert.match(run.lines.map((l) => l.text).join("\n"), /passed while RUNNING: stopping the job \(stopAtDeadline\)/);
        assert.match(error?.message ?? "", /was stopped: it was still RUNNING when completionTimeoutMinutes=\S+ passed, and stopAtDeadline is set\. It is recorded as STOPPING/);
        assert.equal(error?.properties?.status, "STOPPING");
        assert.equal([...cloud.values()][0].stopping, true, "the cloud was asked to stop it");
    });

    it("a destroy waiting for a stop that takes five heartbeats is never silent longer than a heartbeat", async () => {
        const cloud = new Map<string, Job>();
        // Five heartbeats stay within the scaled 30-minute stop deadline (1.8 s here).
        const lifecycle = resourceLifecycle(kindWith(cloud, { runMs: 60_000, cancel: true, stopMs: 5 * HEARTBEAT_MS }));
        const created = await lifecycle.create({ name: "a", waitForCompletion: false });
        const run = await timedLines(() => lifecycle.delete(created.id, created.outs));
        assert.match(run.lines[0].text, /cancelling \(RUNNING\)/);
        assert.ok(longestGap(run) <= ALLOWED_GAP_MS, `longest gap ${longestGap(run)} ms`);
        assert.equal(cloud.size, 0, run.lines.map((l) => l.text).join("\n"));
    });

    it("deleting a running job on a cloud with no stop call says so before it deletes", async () => {
        const cloud = new Map<string, Job>();
        const lifecycle = resourceLifecycle(kindWith(cloud, { runMs: 60_000 }));
        const created = await lifecycle.create({ name: "a", waitForCompletion: false });
        const run = await timedLines(() => lifecycle.delete(created.id, created.outs));
        assert.match(run.lines.map((l) => l.text).join("\n"), /no stop call for a job: deleting it while RUNNING ends its run/);
        assert.equal(cloud.size, 0);
    });
});
