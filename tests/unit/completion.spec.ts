/**
 * `training.Completion`'s description and pure lifecycle steps
 * (provider/completion/): which jobs it can wait for and how it finds each
 * again, its check, its diff and its id. The waiting itself is covered
 * through the engine (tests/engine/completion.spec.ts) and the real CLI.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { RunningEmulator, emulatorEnv, startEmulator } from "../../emulator";
import { REPO_ROOT } from "../../harness";
import type { ResourceKind } from "../../provider/core/kind";
import { secretOutputNames } from "../../provider/core/sensitive";
import { UNKNOWN } from "../../provider/core/unknown";
import { KIND_ENTRIES } from "../../provider/registry";
import { WAITABLE } from "../../provider/completion/completion.kind";
import * as lifecycle from "../../provider/completion/completion.lifecycle";

const kindOf = (token: string) => {
    const row = KIND_ENTRIES.find((k) => k.token === token)!;
    return require(path.join(REPO_ROOT, "provider", row.kindModule))[row.kindExport] as ResourceKind<unknown, unknown>;
};

const job = (id: string, extra: Record<string, unknown> = {}) => ({ type: "tione:TrainingTask", id, name: `task-${id}`, ...extra });

describe("training.Completion: the jobs it can wait for", () => {
    it("waits for every registered kind that runs, and for nothing else", () => {
        assert.deepEqual(Object.keys(WAITABLE).sort(), KIND_ENTRIES.filter((k) => k.runs).map((k) => k.token).sort());
    });

    for (const token of Object.keys(WAITABLE)) {
        it(`${token}: the masked inputs are exactly the kind's sensitive inputs`, () => {
            assert.deepEqual([...WAITABLE[token].sensitive].sort(), secretOutputNames(kindOf(token).sensitiveInputs).sort());
        });

        it(`${token}: the locator is an input of the kind, never a sensitive one`, () => {
            const kind = kindOf(token);
            for (const name of WAITABLE[token].locator) {
                assert.ok(name in kind.fields, `${name} is an input of ${token}`);
                assert.ok(!WAITABLE[token].sensitive.includes(name), `${name} is not sensitive`);
            }
        });
    }

    describe("the locator holds every input the kind's client and status read use", () => {
        let emu: RunningEmulator;
        const saved = { ...process.env };
        before(async () => {
            emu = await startEmulator({ stepMs: 150 });
            Object.assign(process.env, emulatorEnv(emu));
        });
        after(async () => {
            await emu.close();
            for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
            Object.assign(process.env, saved);
        });

        for (const token of Object.keys(WAITABLE)) {
            it(`${token}: client(inputs) and get(client, id, inputs) read only locator inputs`, async () => {
                const kind = kindOf(token);
                const read = new Set<string>();
                const inputs = new Proxy({} as Record<string, unknown>, {
                    get(_t, key) {
                        if (typeof key === "string") read.add(key);
                        return undefined;
                    },
                });
                const client = kind.client(inputs);
                await kind.get(client, "no-such-job-0000", inputs).catch(() => undefined);
                const outside = [...read].filter((k) => !WAITABLE[token].locator.includes(k) && k !== "then");
                assert.deepEqual(outside, [], `${token} reads ${outside.join(", ")} from its inputs to read a job: add them to WAITABLE`);
            });
        }
    });
});

describe("training.Completion: check", () => {
    it("accepts jobs with ids, a deadline and the hidden inputs", async () => {
        const r = await lifecycle.check({}, { jobs: [job("train-1", { locator: { region: "ap-shanghai" } })], completionTimeoutMinutes: 60, pulumiName: "all", pulumiJobSecrets: [{}] });
        assert.deepEqual(r.failures, []);
    });

    it("lets an id that is unknown at preview through", async () => {
        const r = await lifecycle.check({}, { jobs: [job(UNKNOWN)] });
        assert.deepEqual(r.failures, []);
    });

    it("refuses an empty group, naming jobs", async () => {
        const r = await lifecycle.check({}, { jobs: [] });
        assert.deepEqual(r.failures, [{ property: "jobs", reason: "must name at least one job" }]);
    });

    it("refuses a kind that does not run, naming the job's path and the kinds that do", async () => {
        const r = await lifecycle.check({}, { jobs: [job("t-1", { type: "alaya:TrainingTemplate" })] });
        assert.equal(r.failures?.[0]?.property, "jobs[0].type");
        assert.match(r.failures![0].reason, /tione:TrainingTask, bailian:FineTuneJob, polardb:AidbTask/);
    });

    it("refuses a deadline beyond 7 days", async () => {
        const r = await lifecycle.check({}, { jobs: [job("train-1")], completionTimeoutMinutes: 20_000 });
        assert.deepEqual(r.failures, [{ property: "completionTimeoutMinutes", reason: "must be at most 10080 (7 days)" }]);
    });
});

describe("training.Completion: diff (pure, against the recorded outputs)", () => {
    const recorded = { jobs: [job("train-1"), job("train-2")], completionTimeoutMinutes: 30, outcome: "succeeded", statuses: { "train-1": "SUCCEED", "train-2": "SUCCEED" } };

    it("the same jobs after success: no change", async () => {
        const d = await lifecycle.diff("c", recorded, { jobs: [job("train-1"), job("train-2")], completionTimeoutMinutes: 30 });
        assert.deepEqual(d, { changes: false, replaces: [], deleteBeforeReplace: false });
    });

    it("a job with a new id replaces the Completion", async () => {
        const d = await lifecycle.diff("c", recorded, { jobs: [job("train-1"), job("train-3")], completionTimeoutMinutes: 30 });
        assert.deepEqual(d.replaces, ["jobs"]);
    });

    it("a job id unknown at preview (the job is being replaced) replaces the Completion", async () => {
        const d = await lifecycle.diff("c", recorded, { jobs: [job("train-1"), job(UNKNOWN)], completionTimeoutMinutes: 30 });
        assert.deepEqual(d.replaces, ["jobs"]);
    });

    it("a new deadline is an update, not a replacement", async () => {
        const d = await lifecycle.diff("c", recorded, { jobs: [job("train-1"), job("train-2")], completionTimeoutMinutes: 90 });
        assert.deepEqual(d, { changes: true, replaces: [], deleteBeforeReplace: false });
    });

    it("a Completion whose last wait did not succeed waits again (an update)", async () => {
        const d = await lifecycle.diff("c", { ...recorded, outcome: "failed" }, { jobs: [job("train-1"), job("train-2")], completionTimeoutMinutes: 30 });
        assert.deepEqual(d, { changes: true, replaces: [], deleteBeforeReplace: false });
    });
});

describe("training.Completion: id", () => {
    it("is derived from the set of jobs, whatever their order", () => {
        assert.equal(lifecycle.completionId([job("a"), job("b")]), lifecycle.completionId([job("b"), job("a")]));
        assert.match(lifecycle.completionId([job("a")]), /^completion-[0-9a-f]{16}$/);
    });

    it("differs for a different set", () => {
        assert.notEqual(lifecycle.completionId([job("a"), job("b")]), lifecycle.completionId([job("a"), job("c")]));
    });
});

describe("training.Completion: delete", () => {
    it("makes no call: the jobs are their own resources", async () => {
        // With no emulator and no credentials, any cloud call would throw.
        await lifecycle.delete("completion-1", { jobs: [job("train-1")], outcome: "running" });
    });
});
