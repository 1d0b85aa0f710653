import * as assert from "node:assert/strict";
import { z } from "zod";
import { InputProblems } from "../../provider/core/check";
import { resourceLifecycle } from "../../provider/core/lifecycle";
import { ResourceKind } from "../../provider/core/kind";

/** A cloud of one in-memory record per id, enough to drive the shared lifecycle without HTTP. */
interface Remote {
    id: string;
    status: string;
    receipt?: string;
}

function memoryKind(overrides: Partial<ResourceKind<Map<string, Remote>, Remote>> = {}): { kind: ResourceKind<Map<string, Remote>, Remote>; cloud: Map<string, Remote> } {
    const cloud = new Map<string, Remote>();
    const kind: ResourceKind<Map<string, Remote>, Remote> = {
        token: "test:Thing",
        schema: z.object({ name: z.string() }).passthrough(),
        fields: { name: "replace" },
        run: { statuses: { DONE: "succeeded" }, statusOf: (r) => r.status },
        client: () => cloud,
        marker: (inputs) => `m-${inputs.name}`,
        findByMarker: async () => undefined,
        submit: async (c) => {
            const id = `t-${c.size + 1}`;
            c.set(id, { id, status: "DONE", receipt: "only-at-submit" });
            return { id };
        },
        get: async (c, id) => {
            const r = c.get(id);
            // Like PolarDB's OrderId: the receipt is in the submit answer, never in a later read.
            return r && { id: r.id, status: r.status };
        },
        notFoundCodes: [],
        idOf: (r) => r.id,
        outputs: (r) => ({ status: r.status, receipt: r.receipt }),
        remove: async (c, id) => (c.delete(id) ? "deleted" : "gone"),
        redact: (_c, m) => m,
        sensitiveInputs: ["env"],
        ...overrides,
    };
    return { kind, cloud };
}

describe("provider/core job lifecycle", () => {
    it("check returns what derive reports as InputProblems as check failures, not an error", async () => {
        const { kind } = memoryKind({
            derive: () => {
                throw new InputProblems([{ property: "source", reason: "line 3 is not JSON" }]);
            },
        });
        const r = await resourceLifecycle(kind).check({}, { name: "a" });
        assert.deepEqual(r.failures, [{ property: "source", reason: "line 3 is not JSON" }]);
    });

    it("check lets any other error from derive propagate", async () => {
        const { kind } = memoryKind({
            derive: () => {
                throw new Error("disk on fire");
            },
        });
        await assert.rejects(resourceLifecycle(kind).check({}, { name: "a" }), /disk on fire/);
    });

    it("refresh keeps a write-once output that the cloud no longer reports", async () => {
        const { kind } = memoryKind({ writeOnceOutputs: ["receipt"] });
        const lc = resourceLifecycle(kind);
        const created = await lc.create({ name: "a" });
        const read = await lc.read(created.id, { ...created.outs, receipt: "r-42" });
        assert.equal(read.props?.receipt, "r-42");
    });

    it("refresh drops an output not declared write-once when the cloud stops reporting it", async () => {
        const { kind } = memoryKind();
        const lc = resourceLifecycle(kind);
        const created = await lc.create({ name: "a" });
        const read = await lc.read(created.id, { ...created.outs, receipt: "r-42" });
        assert.equal(read.props?.receipt, undefined);
    });

    it("update keeps a write-once output from the old state", async () => {
        const { kind } = memoryKind({ writeOnceOutputs: ["receipt"] });
        const lc = resourceLifecycle(kind);
        const created = await lc.create({ name: "a" });
        const updated = await lc.update(created.id, { ...created.outs, receipt: "r-42" }, { name: "a", waitForCompletion: false });
        assert.equal(updated.outs?.receipt, "r-42");
    });

    it("an error that repeats a sensitive input value reaches the engine with the value masked", async () => {
        const { kind } = memoryKind({
            fields: { name: "replace", env: "replace" },
            submit: async () => {
                throw new Error("rejected: body {\"env\":{\"HF_TOKEN\":\"hf_Secret9876543210\"}}");
            },
        });
        const err = await resourceLifecycle(kind).create({ name: "a", env: { HF_TOKEN: "hf_Secret9876543210" } }).catch((e: Error) => e);
        assert.ok(err instanceof Error);
        assert.doesNotMatch(err.message + String(err.stack), /hf_Secret9876543210/);
        assert.match(err.message, /"HF_TOKEN":"\*\*\*"/);
    });

    it("a partial failure's reasons are masked too", async () => {
        const { kind, cloud } = memoryKind({
            fields: { name: "replace", env: "replace" },
            run: { statuses: { DONE: "succeeded", BROKE: "failed" }, statusOf: (r) => r.status, failureDetail: async () => "log: export HF_TOKEN=hf_Secret9876543210 failed" },
            submit: async (c) => {
                c.set("t-1", { id: "t-1", status: "BROKE" });
                return { id: "t-1" };
            },
        });
        const err = (await resourceLifecycle(kind).create({ name: "a", env: { HF_TOKEN: "hf_Secret9876543210" } }).catch((e) => e)) as { message: string; reasons: string[]; id: string };
        assert.equal(err.id, "t-1");
        assert.ok(cloud.has("t-1"));
        assert.doesNotMatch(JSON.stringify([err.message, err.reasons]), /hf_Secret9876543210/);
    });

    it("a create-before-delete replacement never adopts the job it replaces, even when both carry one marker", async () => {
        const { kind, cloud } = memoryKind({
            fields: { name: "replace", env: "replace" },
            // The marker masks sensitive values: a change of the env value alone keeps it.
            findByMarker: async (c, _marker, _inputs, skip) => [...c.values()].find((r) => !skip.has(r.id)),
        });
        const lc = resourceLifecycle(kind);
        const first = await lc.create({ name: "a", env: { K: "old-secret-value" } });
        const plan = await lc.diff(first.id, { ...first.outs, name: "a", env: { K: "old-secret-value" } }, { name: "a", env: { K: "new-secret-value" } });
        assert.deepEqual(plan.replaces, ["env"]);
        const second = await lc.create({ name: "a", env: { K: "new-secret-value" } });
        assert.notEqual(second.id, first.id);
        assert.equal(cloud.size, 2);
    });
});
