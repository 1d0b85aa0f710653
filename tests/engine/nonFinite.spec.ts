/**
 * NaN and ±Infinity cannot be sent (the SDK serializes them as null, so check
 * would only ever see null): the resource class refuses them where they were
 * written, naming the field and the value, before anything is registered.
 * (Issue 15, item 16.)
 */
import * as assert from "node:assert/strict";
import { nonFiniteNumbers } from "../../provider/core/resource";
import { engineFixture } from "./support";

describe("numbers JSON cannot carry", function () {
    this.timeout(60_000);

    it("are found with their path, also in arrays, and finite numbers and strings are left alone", () => {
        assert.deepEqual(nonFiniteNumbers({ a: 1, b: { c: Number.NaN }, d: [0, Number.NEGATIVE_INFINITY], e: "NaN" }), [
            { path: "b.c", value: Number.NaN },
            { path: "d[1]", value: Number.NEGATIVE_INFINITY },
        ]);
    });

    it("fail the preview naming the field and what was written, with no API call", async () => {
        const fx = await engineFixture("nonFinite.ts");
        try {
            const r = await fx.stack.preview();
            assert.equal(r.ok, false);
            // The program's error reaches the engine as an error log, as `pulumi preview` prints it.
            assert.match([...r.errors, ...r.logs.map((l) => l.message)].join("\n"), /tione:TrainingTask "sweep": tuningParameters\.learning_rate is Infinity, tuningParameters\.warmup_ratio is NaN, which cannot be sent/);
            assert.equal(fx.requests(), 0);
        } finally {
            await fx.close();
        }
    });
});
