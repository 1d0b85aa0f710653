/**
 * Each kind's lifecycle through the real `pulumi` CLI: in-place update versus
 * replacement (as `pulumi preview --diff` shows them, and in the order the
 * kind declares), a job that ends FAILED replaced by the next up, an
 * out-of-band delete dropped by refresh, out-of-band drift shown by refresh
 * then preview, and destroy of a running job stopping it first.
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { CliResult, ExportedResource, nameOf } from "./cli";
import { allRecords } from "./emulatorRecords";
import { KIND_CASES, PROGRAMS } from "./kinds";
import { CliFixture, cliFixture, describeCli, ok, summary } from "./support";

/** The one resource of the stack. */
async function only(fx: CliFixture): Promise<ExportedResource> {
    const rs = await fx.stack.resources();
    assert.equal(rs.length, 1, `one resource in the stack, found ${rs.map(nameOf).join(", ")}`);
    return rs[0];
}

/** Where the CLI printed `text` first (-1 if not at all). */
const at = (r: CliResult, text: string) => r.output.indexOf(text);

async function records(fx: CliFixture, prefix: string): Promise<string[]> {
    return (await allRecords(fx)).filter((l) => l.startsWith(`${prefix} `));
}

for (const k of KIND_CASES) {
    describeCli(`${k.token} lifecycle`, function () {
        this.timeout(180_000);
        let fx: CliFixture;

        async function stackFor(stepMs = 150, extra: Record<string, string> = {}): Promise<CliFixture> {
            fx = await cliFixture({ program: path.join(PROGRAMS, k.program), project: "test", secretConfig: k.secretConfig, stepMs });
            await fx.stack.init();
            await fx.stack.setConfig({ ...(await k.config(fx)), ...extra });
            return fx;
        }
        afterEach(() => fx?.close());

        if (k.inPlace) {
            it("a changed wait setting is an in-place update: preview --diff shows `~`, the up submits nothing and reads the job once", async () => {
                await stackFor();
                ok(await fx.stack.up("--skip-preview"));
                const id = (await only(fx)).id;
                await fx.stack.setConfig(k.inPlace!);
                const before = fx.requests();
                const preview = ok(await fx.stack.preview("--diff"));
                assert.deepEqual(summary(preview), { "to update": 1, unchanged: 1 });
                assert.match(preview.output, /~ ?pulumi-nodejs:dynamic\/\S+: \(update\)/);
                const up = ok(await fx.stack.up("--skip-preview"));
                assert.deepEqual(summary(up), { updated: 1, unchanged: 1 });
                assert.equal(fx.requests() - before, 1, "the update reads the job once to report its status, and calls nothing else");
                assert.equal((await only(fx)).id, id);
            });
        }

        it(`a changed field replaces, ${k.replaceOrder.replace(/-/g, " ")}, and preview --diff says replace`, async () => {
            await stackFor();
            ok(await fx.stack.up("--skip-preview"));
            const old = (await only(fx)).id!;
            await fx.stack.setConfig(k.replace);
            const preview = ok(await fx.stack.preview("--diff"));
            assert.equal(summary(preview)["to replace"], 1, preview.output);
            assert.match(preview.output, /\+-pulumi-nodejs:dynamic\/\S+: \(replace\)/);
            const up = ok(await fx.stack.up("--skip-preview"));
            assert.equal(summary(up).replaced, 1);
            const created = at(up, "creating replacement");
            const deleted = at(up, "deleting original");
            assert.ok(created >= 0 && deleted >= 0, up.output);
            assert.equal(deleted < created, k.replaceOrder === "delete-before-replace", `order in the CLI output:\n${up.output}`);
            const now = (await only(fx)).id!;
            assert.notEqual(now, old);
            const left = await records(fx, k.record);
            assert.ok(!left.some((l) => l.includes(` ${old} `) || l.endsWith(` ${old}`)) || k.record === "dashscope:fine-tune", `the replaced record is deleted: ${left.join(", ")}`);
        });

        if (k.failPath && k.noWait) {
            it("a job that fails on the cloud: refresh records FAILED, preview plans the replacement, up replaces it", async () => {
                await stackFor(4000, k.noWait);
                ok(await fx.stack.up("--skip-preview"));
                const old = (await only(fx)).id!;
                const [p, body] = k.failPath!(old);
                await fx.control("POST", p, body);
                ok(await fx.stack.refresh("--skip-preview"));
                assert.equal((await only(fx)).outputs?.status, "FAILED");
                const preview = ok(await fx.stack.preview("--diff"));
                assert.equal(summary(preview)["to replace"], 1, preview.output);
                const up = ok(await fx.stack.up("--skip-preview"));
                assert.equal(summary(up).replaced, 1);
                assert.notEqual((await only(fx)).id, old);
            });

            it("destroy of a running job stops it first and leaves no running job", async () => {
                await stackFor(4000, k.noWait);
                ok(await fx.stack.up("--skip-preview"));
                const down = ok(await fx.stack.destroy("--skip-preview"));
                assert.deepEqual(await fx.stack.resources(), []);
                const left = await records(fx, k.record);
                if (k.afterRunningDestroy === "nothing") assert.deepEqual(left, [], down.output);
                else for (const l of left) assert.match(l, k.afterRunningDestroy!);
            });
        }

        it("a record deleted out of band is dropped from the stack by refresh", async () => {
            await stackFor(k.noWait ? 4000 : 150, k.noWait ?? {});
            ok(await fx.stack.up("--skip-preview"));
            const id = (await only(fx)).id!;
            await fx.control("DELETE", k.deletePath(id));
            const refresh = ok(await fx.stack.refresh("--skip-preview"));
            assert.deepEqual(await fx.stack.resources(), [], refresh.output);
        });
    });
}

describeCli("out-of-band drift", function () {
    this.timeout(120_000);

    it("an Alaya template edited in the console: refresh shows the edited value, preview plans putting the declared one back", async () => {
        const fx = await cliFixture({ program: path.join(PROGRAMS, "alaya.ts"), project: "test", secretConfig: { apiToken: "alaya-cli-api-token" } });
        try {
            ok(await fx.stack.up("--skip-preview"));
            const id = (await only(fx)).id!;
            await fx.control("POST", `/alaya/templates/${id}/edit`, { fields: { priority: 3 } });
            const refresh = ok(await fx.stack.refresh("--skip-preview", "--diff"));
            assert.equal((await only(fx)).outputs?.priority, 3);
            assert.match(refresh.output, /priority\s*:\s*2\s*=>\s*3/);
            const preview = ok(await fx.stack.preview("--diff"));
            assert.equal(summary(preview)["to replace"], 1, preview.output);
        } finally {
            await fx.close();
        }
    });
});
