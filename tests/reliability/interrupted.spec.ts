/**
 * Interrupted apply: `pulumi up` is killed (program and provider host at once)
 * while its creates wait on running jobs of every kind. Meanwhile some jobs
 * fail. The next `up` must adopt every job still in flight by its marker and
 * wait for it, submit nothing twice, and report the failed ones: recorded in
 * the stack so the next preview plans their replacement (TI-ONE, PolarDB), or,
 * where the cloud keeps every finished record and a failed one cannot be told
 * from what a destroy left (DashScope fine-tunes), reported and submitted anew.
 */
import * as assert from "node:assert/strict";
import type { RunResult } from "../../harness";
import { Counts, FULL, Kind, MixedFixture, PREFIX, RemoteObject, SecretsLedger, add, expectedNames, explain, mixedFixture, reconcile, record, scale, sleep, total } from "./support";

const COUNTS: Counts = scale<Counts>({ tione: 2, polardb: 2, fineTune: 2, file: 1, alaya: 1 }, { tione: 6, polardb: 6, fineTune: 6, file: 3, alaya: 3 });
const RUNNING: Kind[] = ["tione", "polardb", "fineTune"];
const FORCE: Partial<Record<Kind, string>> = { tione: "/tione/tasks", polardb: "/polardb/tasks", fineTune: "/dashscope/fine-tunes" };
const S = "interrupted apply";

describe(`reliability: interrupted apply (${total(COUNTS)} resources of every kind, killed while waiting)`, function () {
    this.timeout(FULL ? 0 : 300_000);
    let fx: MixedFixture;
    const names = expectedNames(COUNTS);
    const ledger = new SecretsLedger(S);
    let killed: RunResult;
    let resumed: RunResult;
    let inFlight: RemoteObject[];
    let idsAfterKill: string[];
    const failedIds: Partial<Record<Kind, string>> = {};

    const idOf = (name: string) => fx.stack.state().resources.find((r) => r.name === name)?.id;

    before(async () => {
        // Jobs run for several seconds, so the creates are waiting when the run is killed.
        fx = await mixedFixture({ counts: COUNTS, stepMs: 2000 });
        ledger.addSecrets(...fx.secrets);
        const t0 = Date.now();
        const run = fx.stack.up();
        const want = RUNNING.reduce((a, k) => a + COUNTS[k], 0);
        for (let i = 0; i < 600; i++) {
            inFlight = (await fx.inventory()).filter((o) => RUNNING.includes(o.kind));
            if (inFlight.length >= want) break;
            await sleep(50);
        }
        fx.stack.interrupt();
        killed = await run;
        idsAfterKill = fx.stack.state().resources.map((r) => r.id);
        ledger.scanRun("killed up", fx.stack, killed);
        // While nothing watches, one job of each running kind fails.
        for (const k of RUNNING) {
            const job = inFlight.find((o) => o.kind === k && o.resource === `${PREFIX[k]}-000`)!;
            failedIds[k] = job.id;
            await fx.control("POST", `${FORCE[k]}/${job.id}/force`, { status: "FAILED", reason: "node lost", message: "node lost" });
        }
        resumed = await fx.stack.up();
        ledger.scanRun("resumed up", fx.stack, resumed);
        record(S, "resources", total(COUNTS));
        record(S, "jobs in flight when killed", inFlight.length);
        record(S, "jobs failed while nothing watched", RUNNING.length);
        record(S, "seconds (kill, resume)", Math.round((Date.now() - t0) / 1000));
    });

    after(async () => {
        ledger.report();
        await fx.close();
    });

    it("the kill ends the run with every in-flight running job left out of the checkpoint", () => {
        assert.equal(killed.ok, false);
        assert.equal(inFlight.length, RUNNING.reduce((a, k) => a + COUNTS[k], 0), "every running job was submitted before the kill");
        assert.deepEqual(inFlight.filter((o) => idsAfterKill.includes(o.id)), []);
    });

    it("the next up adopts every job still in flight by its marker and waits for it to finish", () => {
        const adopted = resumed.hostLogs.filter((l) => /adopting the job an earlier attempt submitted \(marker /.test(l));
        const healthy = inFlight.filter((o) => !Object.values(failedIds).includes(o.id));
        record(S, "jobs adopted by the next up", adopted.length);
        assert.equal(adopted.length, healthy.length, adopted.join("\n"));
        for (const o of healthy) {
            const state = fx.stack.state().resources.find((r) => r.id === o.id);
            assert.ok(state, `${o.resource} (${o.id}) is recorded`);
            assert.ok(["SUCCEED", "COMPLETED", "SUCCEEDED"].includes(state!.outputs.status), `${o.resource} ended ${state!.outputs.status}`);
        }
    });

    it("no job is submitted twice: one job per resource, plus one for the failed fine-tune the cloud keeps", async () => {
        // Jobs the clouds hold, not create requests: where names are unique (TI-ONE) a resumed create may send a
        // submit the cloud refuses as a duplicate, which creates nothing.
        const held = await fx.inventory();
        const counted = Object.fromEntries(RUNNING.map((k) => [k, held.filter((o) => o.kind === k).length]));
        record(S, "jobs the clouds hold after resume", Object.entries(counted).map(([k, n]) => `${k} ${n}`).join(", "));
        assert.deepEqual(counted, { tione: COUNTS.tione, polardb: COUNTS.polardb, fineTune: COUNTS.fineTune + 1 });
        add(S, "duplicate submissions", counted.tione - COUNTS.tione + counted.polardb - COUNTS.polardb);
    });

    it("a TI-ONE task and a PolarDB task that failed meanwhile are reported with the cloud's reason and recorded with their ids", () => {
        assert.equal(resumed.ok, false);
        for (const [k, name] of [["tione", "tione-000"], ["polardb", "aidb-000"]] as const) {
            const err = resumed.errors.find((e) => e.includes(`::${name}:`));
            assert.ok(err, `${name} is reported: ${explain(resumed)}`);
            assert.match(err!, new RegExp(`${failedIds[k]} ended FAILED`));
            assert.equal(idOf(name), failedIds[k], `${name} is recorded with the failed job's id`);
        }
        assert.equal(resumed.errors.length, 2, explain(resumed));
    });

    it("the failed fine-tune is reported in the progress output and a new job is trained in its place", () => {
        assert.ok(resumed.hostLogs.some((l) => l.includes(failedIds.fineTune!) && /ended FAILED; it is not adopted, a new one is submitted/.test(l)), resumed.hostLogs.join("\n"));
        const id = idOf("ft-000");
        assert.ok(id && id !== failedIds.fineTune);
        assert.equal(fx.stack.outputsOf("ft-000").status, "SUCCEEDED");
    });

    it("the next preview plans replacing exactly the failed TI-ONE and PolarDB tasks, with no API call", async () => {
        const before = fx.emu.counts().total;
        const p = await fx.stack.preview();
        ledger.scanRun("preview", fx.stack, p);
        const replaced = p.steps.filter((s) => s.op === "replace").map((s) => s.urn.split("::").pop());
        assert.deepEqual(replaced.sort(), ["aidb-000", "tione-000"]);
        assert.equal(fx.emu.counts().total, before);
    });

    it("the up after that replaces them, and then every resource has exactly one live job and nothing is orphaned", async () => {
        const r = await fx.stack.up();
        ledger.scanRun("replacing up", fx.stack, r);
        assert.ok(r.ok, explain(r) + "\n" + JSON.stringify(r.logs.slice(-10)) + "\n" + r.hostLogs.slice(-20).join("\n"));
        assert.notEqual(idOf("tione-000"), failedIds.tione);
        assert.notEqual(idOf("aidb-000"), failedIds.polardb);
        const remote = (await fx.inventory()).filter((o) => o.id !== failedIds.fineTune);
        const rec = reconcile(remote, fx.stack, names);
        record(S, "orphans after replacement", rec.orphans.length);
        record(S, "duplicates after replacement", rec.duplicates.length);
        assert.deepEqual({ duplicates: rec.duplicates, orphans: rec.orphans, missing: rec.missing, unrecorded: rec.unrecorded }, { duplicates: [], orphans: [], missing: [], unrecorded: [] });
        assert.ok(!remote.some((o) => o.id === failedIds.tione || o.id === failedIds.polardb), "the failed tasks were deleted by the replacement");
    });

    describe("secrets scan", () => {
        it("no credential or secret env value appears in the checkpoint, __provider, any log line or any error of these runs", () => {
            assert.ok(ledger.runs >= 4);
            assert.deepEqual(ledger.hits, []);
        });
    });
});
