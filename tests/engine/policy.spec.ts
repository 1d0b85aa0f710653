/**
 * The policy pack in the loop of a deployment: the quickstart program run through the engine
 * harness with `policy/` served by the real analyzer (`run-policy-pack` over gRPC), as
 * `pulumi up --policy-pack policy` would. A mandatory violation stops the resource before the
 * provider is asked to create it, so the cloud never sees the job.
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { REPO_ROOT } from "../../harness";
import { PolicyAnalyzer, harnessAnalyzeHook } from "../policy/analyzerClient";
import { EngineFixture, engineFixture } from "./support";

const QUICKSTART = path.join(REPO_ROOT, "examples", "quickstart", "index.ts");

describe("engine: the policy pack guards the quickstart", function () {
    this.timeout(240_000);
    let analyzer: PolicyAnalyzer;
    let fx: EngineFixture;

    before(async () => {
        analyzer = await PolicyAnalyzer.start(path.join(REPO_ROOT, "policy"));
    });
    after(async () => {
        await analyzer?.stop();
    });
    beforeEach(async () => {
        fx = await engineFixture(QUICKSTART, { projectDir: path.dirname(QUICKSTART), project: "quickstart", analyze: harnessAnalyzeHook(analyzer) });
    });
    afterEach(async () => {
        await fx.stack.destroy().catch(() => undefined);
        await fx.close();
    });

    it("a mandatory epoch budget fails preview on the fine-tune, naming the policy, with zero API calls", async () => {
        await analyzer.configure({ "fine-tune-budget": { enforcementLevel: "mandatory", maxEpochs: 2 } });
        const r = await fx.stack.preview();
        assert.equal(r.ok, false);
        assert.match(r.errors.join("\n"), /fine-tune-budget/);
        assert.ok(r.policyDiagnostics.some((d) => d.policyName === "fine-tune-budget" && d.enforcementLevel === "mandatory" && /support-bot/.test(d.urn ?? "")));
        assert.equal(fx.requests(), 0);
    });

    it("pulumi up (which previews first, as the CLI does without --skip-preview) stops at the preview: the emulator sees no request", async () => {
        await analyzer.configure({ "fine-tune-budget": { enforcementLevel: "mandatory", maxEpochs: 2 } });
        const preview = await fx.stack.preview();
        assert.equal(preview.ok, false);
        // The CLI only goes on to the update when the preview succeeded.
        assert.equal(fx.requests(), 0);
        assert.equal(fx.stack.state().resources.length, 0);
    });

    it("with --skip-preview, the mandatory violation still stops the guarded job before it is submitted", async () => {
        await analyzer.configure({ "fine-tune-budget": { enforcementLevel: "mandatory", maxEpochs: 2 } });
        const r = await fx.stack.up();
        assert.equal(r.ok, false);
        const jobs = await fx.control<{ data?: { jobs?: unknown[] }; jobs?: unknown[] }>("GET", "/dashscope/fine-tunes");
        const list = jobs.data?.jobs ?? jobs.jobs ?? [];
        assert.equal(list.length, 0, "no fine-tune job reached DashScope");
        assert.ok(!fx.stack.state().resources.some((res) => res.name === "support-bot"), "nothing recorded for the blocked job");
    });

    it("at the pack's default (advisory) levels the quickstart applies and the advice is reported", async () => {
        await analyzer.configure({});
        const r = await fx.stack.up();
        assert.deepEqual(r.errors, []);
        assert.equal(r.ok, true);
        assert.ok(r.policyDiagnostics.length > 0, "advisory diagnostics were reported");
        assert.ok(r.policyDiagnostics.every((d) => d.enforcementLevel === "advisory"), JSON.stringify(r.policyDiagnostics));
    });
});
