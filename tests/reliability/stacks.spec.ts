/**
 * Several stacks of one program in one account (dev and prod of a project,
 * and the same program in another project), as teams really run it: each
 * stack's up submits its own jobs and adopts none of another's, and
 * destroying one stack leaves the others' jobs running and recorded.
 * (Issue 15, item 1; the real CLI covers the same in tests/cli/stacks.spec.ts.)
 */
import * as assert from "node:assert/strict";
import { Counts, MixedFixture, SecretsLedger, explain, mixedFixture, record, total } from "./support";

// TI-ONE task and Alaya template names are unique per account and the program names them after the
// resource, so a second stack is refused by name (tests/engine: "not created by this resource"), never
// adopted; the kinds whose clouds accept equal names are the ones where only the marker keeps stacks apart.
const COUNTS: Counts = { tione: 0, polardb: 2, fineTune: 2, file: 1, alaya: 0 };
const STACKS = [
    { project: "training", stack: "dev" },
    { project: "training", stack: "prod" },
    { project: "other-team", stack: "dev" },
];
const S = "stacks";

describe(`reliability: ${STACKS.length} stacks of one program in one account (${total(COUNTS)} resources each)`, function () {
    this.timeout(300_000);
    const fixtures: MixedFixture[] = [];
    const ledger = new SecretsLedger(S);
    const ids = (fx: MixedFixture) => fx.stack.state().resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/")).map((r) => r.id);

    before(async () => {
        const first = await mixedFixture({ counts: COUNTS, ...STACKS[0] });
        fixtures.push(first);
        for (const s of STACKS.slice(1)) fixtures.push(await mixedFixture({ counts: COUNTS, url: first.emu.url, ...s }));
        for (const fx of fixtures) ledger.addSecrets(...fx.secrets);
        record(S, "stacks", STACKS.map((s) => `${s.project}/${s.stack}`).join(", "));
    });

    after(async () => {
        ledger.report();
        for (const fx of fixtures.reverse()) await fx.close();
    });

    it("each stack's up submits its own jobs: no id is recorded by two stacks", async () => {
        for (const fx of fixtures) {
            const r = await fx.stack.up();
            ledger.scanRun(`up ${fx.stack.project}/${fx.stack.stack}`, fx.stack, r);
            assert.ok(r.ok, explain(r));
        }
        const all = fixtures.flatMap(ids);
        const shared = all.filter((id, i) => all.indexOf(id) !== i);
        record(S, "cross-stack adoptions", shared.length);
        record(S, "jobs recorded", all.length);
        assert.deepEqual(shared, []);
        assert.equal(all.length, fixtures.length * total(COUNTS));
    });

    it("destroying one stack leaves every job of the others in place", async () => {
        const [dev, ...others] = fixtures;
        const r = await dev.stack.destroy();
        ledger.scanRun("destroy training/dev", dev.stack, r);
        assert.ok(r.ok, explain(r));
        const remote = new Set((await dev.inventory()).map((o) => o.id));
        const lost = others.flatMap(ids).filter((id) => !remote.has(id));
        record(S, "jobs of other stacks lost to one stack's destroy", lost.length);
        assert.deepEqual(lost, []);
        assert.deepEqual(ledger.hits, []);
    });
});
