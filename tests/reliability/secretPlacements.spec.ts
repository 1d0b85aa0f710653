/**
 * Secrets where people put them (issue 15, item 9): env values, tokens in
 * start commands, `pulumi.secret(...)` literals among free-form parameters
 * (programs/mixed.ts), cloud failure reasons and log tails that repeat them,
 * and a console edit that adds one. A stack of every kind is applied while
 * the clouds fail jobs with messages that quote the secrets, refreshed after
 * the console edit, and destroyed; every run's checkpoint, `__provider`,
 * errors and log lines are scanned, and the outputs that may hold them are
 * secret in the checkpoint.
 */
import * as assert from "node:assert/strict";
import { Counts, MixedFixture, SecretsLedger, mixedFixture, record, sleep } from "./support";

const COUNTS: Counts = { tione: 1, polardb: 1, fineTune: 1, file: 1, alaya: 1 };
const S = "secret placements";

describe("reliability: secrets in every placement, echoed back by failing clouds and console edits", function () {
    this.timeout(300_000);
    let fx: MixedFixture;
    const ledger = new SecretsLedger(S);

    before(async () => {
        // Jobs run for seconds, so they can be failed while the up waits on them.
        fx = await mixedFixture({ counts: COUNTS, stepMs: 1500 });
        ledger.addSecrets(...fx.secrets);
    });

    after(async () => {
        ledger.report();
        record(S, "placements", "env values (TI-ONE, Alaya), start commands (TI-ONE, Alaya), pulumi.secret literals (fine-tune hyper-parameters, PolarDB running parameters), failure reasons and log tails, a console-added env var");
        record(S, "leaks", ledger.hits.length);
        await fx.close();
    });

    it("an up whose jobs fail with reasons quoting the secrets reports the failures with the secrets masked", async () => {
        const [tioneSecret] = fx.secrets;
        const hub = fx.secrets[2];
        const run = fx.stack.up();
        let ids: { tione?: string; fineTune?: string } = {};
        for (let i = 0; i < 600 && !(ids.tione && ids.fineTune); i++) {
            const [t, f] = await Promise.all([fx.control("GET", "/tione/tasks"), fx.control("GET", "/dashscope/fine-tunes")]);
            ids = { tione: t.tasks[0]?.Id, fineTune: f.jobs[0]?.job_id };
            if (!(ids.tione && ids.fineTune)) await sleep(50);
        }
        await fx.control("POST", `/tione/tasks/${ids.tione}/force`, { status: "FAILED", reason: `login failed with token ${tioneSecret}` });
        await fx.control("POST", `/dashscope/fine-tunes/${ids.fineTune}/force`, { status: "FAILED", code: "HubAuth", message: `hub rejected ${hub}` });
        const r = await run;
        ledger.scanRun("failing up", fx.stack, r);
        assert.equal(r.ok, false);
        assert.match(r.errors.join("\n"), /login failed with token \*\*\*/);
        assert.match(r.errors.join("\n"), /hub rejected \*\*\*/);
    });

    it("the outputs that echo secrets or repeat cloud text are secret in the checkpoint", () => {
        const secretOutputs: Record<string, string[]> = {
            "tione:TrainingTask": ["envs", "startCmdInfo", "failureReason"],
            "bailian:FineTuneJob": ["extraHyperParameters", "effectiveHyperParameters", "failureReason"],
            "polardb:AidbTask": ["runningParameter"],
            "alaya:TrainingTemplate": ["env", "startCommand"],
        };
        // The checkpoint as it sits on disk: a secret is `{<sig>: <secret sig>, ciphertext}`.
        const onDisk: Array<{ type: string; name: string; outputs: Record<string, any> }> = JSON.parse(fx.stack.checkpoint.raw()).resources;
        let checked = 0;
        for (const r of onDisk) {
            const fields = Object.entries(secretOutputs).find(([token]) => r.type.endsWith(token))?.[1] ?? [];
            for (const f of fields.filter((f) => r.outputs[f] !== undefined)) {
                assert.equal(typeof r.outputs[f]?.ciphertext, "string", `${r.name}.${f} is encrypted`);
                checked++;
            }
        }
        record(S, "secret outputs checked encrypted", checked);
        assert.ok(checked >= 9, `only ${checked} outputs checked`);
    });

    it("a refresh after a console edit added a secret env var keeps it out of the checkpoint", async () => {
        const added = "console-added-secret-0a9b8c7d";
        ledger.addSecrets(added);
        const template = fx.stack.state().resources.find((r) => r.type.endsWith("alaya:TrainingTemplate"))!;
        await fx.control("POST", `/alaya/templates/${template.id}/edit`, { fields: { env: { ...template.outputs.env, HF_TOKEN: added } } });
        const r = await fx.stack.refresh();
        ledger.scanRun("refresh after console edit", fx.stack, r);
        assert.ok(r.ok, r.errors.join("\n"));
    });

    it("destroy leaves no secret behind either, and the scans found none anywhere", async () => {
        const r = await fx.stack.destroy();
        ledger.scanRun("destroy", fx.stack, r);
        assert.ok(r.ok, r.errors.join("\n"));
        assert.deepEqual(ledger.hits, []);
    });
});
