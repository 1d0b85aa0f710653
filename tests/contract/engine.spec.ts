/**
 * The engine scenarios every kind passes alike, once per kind of the
 * registry (through the harness, with each kind's program and config from
 * tests/cli/kinds.ts; the real CLI runs the same cases in
 * tests/cli/lifecycle.spec.ts): preview makes no API call, a change plans
 * its replacement with no API call, a second `up` is a no-op, and the
 * recorded `__provider` stays small and credential-free.
 */
import * as assert from "node:assert/strict";
import type { RunResult } from "../../harness";
import { KIND_ENTRIES } from "../../provider/registry";
import { KIND_CASES, KindCase } from "../cli/kinds";
import { EngineFixture, TEST_CREDENTIALS, engineFixture, leaked } from "../engine/support";

const explain = (r: RunResult): string => (r.errors.length ? r.errors.join("\n") : [...r.logs.map((l) => l.message), ...r.hostLogs].slice(-20).join("\n") || "failed without errors or logs");

async function fixtureFor(k: KindCase): Promise<EngineFixture> {
    const fx = await engineFixture(k.program);
    fx.stack.config = { ...(await k.config(fx)) };
    if (k.secretConfig) fx.stack.secretConfig = { ...k.secretConfig };
    return fx;
}

for (const entry of KIND_ENTRIES) {
    const k = KIND_CASES.find((c) => c.token === entry.token);
    if (!k) continue; // tests/contract/kinds.spec.ts fails for a kind without a case

    describe(`${entry.token} through the engine, as every kind`, function () {
        this.timeout(180_000);
        let fx: EngineFixture;

        beforeEach(async () => {
            fx = await fixtureFor(k);
        });
        afterEach(() => fx.close());

        it("preview of a new stack plans a create, makes zero API calls and writes no state", async () => {
            const r = await fx.stack.preview();
            assert.ok(r.ok, explain(r));
            assert.deepEqual(r.steps.map((s) => [s.op, s.preview]), [["create", true]]);
            assert.equal(fx.requests(), 0);
            assert.equal(fx.stack.state().resources.length, 0);
        });

        it("after up: a second up changes nothing, a changed field previews as a replacement with zero API calls, and __provider is small and credential-free", async () => {
            const up = await fx.stack.up();
            assert.ok(up.ok, explain(up));
            const provider = fx.stack.state().resources[0].inputs.__provider as string;
            assert.ok(Buffer.byteLength(provider) < 3072, `__provider is ${Buffer.byteLength(provider)} bytes`);
            assert.deepEqual(leaked(provider, TEST_CREDENTIALS), []);

            const again = await fx.stack.up();
            assert.ok(again.ok, explain(again));
            assert.deepEqual(again.steps.map((s) => s.op), ["same"]);

            const before = fx.requests();
            Object.assign(fx.stack.config, k.replace);
            const preview = await fx.stack.preview();
            assert.ok(preview.ok, explain(preview));
            assert.deepEqual(preview.steps.map((s) => s.op), ["replace"]);
            assert.equal(fx.requests(), before, "a preview makes no API call");
        });
    });
}
