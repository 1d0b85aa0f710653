import * as assert from "node:assert/strict";
import * as path from "node:path";
import { AlayaClient } from "../../sdk/alaya/client";
import { EMULATOR_CREDENTIALS, emulatorEnv } from "../../emulator";
import { REPO_ROOT, TestStack, values } from "../../harness";
import { EngineFixture, TEST_CREDENTIALS, engineFixture, leakSurface, leaked } from "./support";

const TYPE = "pulumi-nodejs:dynamic/alaya:TrainingTemplate";
const API_TOKEN = "alaya-env-token-7f3e9c1d";

/** A template as the emulator's control API shows it (wire field names). */
interface EmuTemplate {
    id: string;
    name: string;
    priority?: number;
    trainingFramwork?: string;
    resource?: Record<string, unknown>;
    env?: Record<string, string>;
}

describe("alaya.TrainingTemplate through the Pulumi engine", function () {
    this.timeout(180_000);
    let fx: EngineFixture;

    const templates = async (): Promise<EmuTemplate[]> => (await fx.control("GET", "/alaya/templates")).data;
    const calls = (action: string): number => fx.emu.counts().byCloud.alaya?.[action] ?? 0;

    beforeEach(async () => {
        fx = await engineFixture("alaya.ts");
        fx.stack.secretConfig = { apiToken: API_TOKEN };
    });
    afterEach(() => fx.close());

    it("up creates the template, learns its id from the list, and exports it", async () => {
        const r = await fx.stack.up();
        assert.ok(r.ok, r.errors.join("\n"));
        assert.deepEqual(r.steps.map((s) => s.op), ["create"]);
        assert.match(r.outputs.templateId, /^tpl_[0-9a-f]{20}$/);
        const [t, ...others] = await templates();
        assert.equal(others.length, 0);
        assert.equal(t.id, r.outputs.templateId);
        assert.equal(t.name, "engine-template");
        assert.equal(t.trainingFramwork, "PyTorch");
        assert.deepEqual(t.resource, { type: "worker", cpuCores: "2", gpuCount: "1", memoryGB: "8", workerCount: 1, productCode: "PRD-QTT" });
        assert.equal(fx.stack.state().resources[0].type, TYPE);
    });

    it("a second up with the same program is a no-op that makes no API call", async () => {
        await fx.stack.up();
        const before = fx.requests();
        const r = await fx.stack.up();
        assert.ok(r.ok, r.errors.join("\n"));
        assert.deepEqual(r.steps.map((s) => s.op), ["same"]);
        assert.equal(fx.requests(), before);
    });

    it("changing a field (priority) deletes the template first, then creates the replacement", async () => {
        const first = await fx.stack.up();
        fx.stack.config.priority = "3";
        const r = await fx.stack.up();
        assert.ok(r.ok, r.errors.join("\n"));
        assert.deepEqual(r.steps.map((s) => s.op), ["replace", "delete-replaced", "create-replacement"]);
        assert.deepEqual(r.steps[0].keys, ["priority"]);
        assert.notEqual(r.outputs.templateId, first.outputs.templateId);
        const all = await templates();
        assert.deepEqual(all.map((t) => [t.id, t.priority]), [[r.outputs.templateId, 3]]);
    });

    it("refresh after a console edit shows the edited value in the outputs", async () => {
        const up = await fx.stack.up();
        await fx.control("POST", `/alaya/templates/${up.outputs.templateId}/edit`, { fields: { priority: 1 } });
        const r = await fx.stack.refresh();
        assert.ok(r.ok, r.errors.join("\n"));
        assert.deepEqual(r.steps.map((s) => s.op), ["refresh"]);
        assert.ok(r.steps[0].keys?.includes("priority"), `refresh keys: ${r.steps[0].keys}`);
        assert.equal(fx.stack.outputsOf("tpl").priority, 1);
    });

    it("the up after a refreshed console edit puts the declared template back", async () => {
        const up = await fx.stack.up();
        await fx.control("POST", `/alaya/templates/${up.outputs.templateId}/edit`, { fields: { priority: 1 } });
        await fx.stack.refresh();
        const r = await fx.stack.up();
        assert.ok(r.ok, r.errors.join("\n"));
        assert.deepEqual(r.steps.map((s) => s.op), ["replace", "delete-replaced", "create-replacement"]);
        assert.deepEqual(r.steps[0].keys, ["priority"]);
        const all = await templates();
        assert.deepEqual(all.map((t) => [t.id, t.priority]), [[r.outputs.templateId, 2]]);
        assert.equal(fx.stack.outputsOf("tpl").priority, 2);
    });

    it("refresh after a console delete drops the template from the stack, and the next up creates it again", async () => {
        const up = await fx.stack.up();
        await fx.control("DELETE", `/alaya/templates/${up.outputs.templateId}`);
        const refresh = await fx.stack.refresh();
        assert.ok(refresh.ok, refresh.errors.join("\n"));
        assert.deepEqual(refresh.steps.map((s) => s.op), ["discard"]);
        assert.equal(fx.stack.state().resources.length, 0);
        const r = await fx.stack.up();
        assert.ok(r.ok, r.errors.join("\n"));
        assert.deepEqual(r.steps.map((s) => s.op), ["create"]);
        assert.deepEqual((await templates()).map((t) => t.id), [r.outputs.templateId]);
    });

    it("destroy deletes the template and empties the stack", async () => {
        await fx.stack.up();
        const r = await fx.stack.destroy();
        assert.ok(r.ok, r.errors.join("\n"));
        assert.deepEqual(r.steps.map((s) => s.op), ["delete"]);
        assert.equal(calls("DeleteTemplate"), 1);
        assert.deepEqual(await templates(), []);
        assert.equal(fx.stack.state().resources.length, 0);
    });

    it("secret env values reach Alaya but stay secret in the checkpoint, also after a refresh", async () => {
        const up = await fx.stack.up();
        assert.ok(up.ok, up.errors.join("\n"));
        const refresh = await fx.stack.refresh();
        assert.equal((await templates())[0].env?.API_TOKEN, API_TOKEN, "the secret was sent");
        const rec = fx.stack.state().resources[0];
        assert.ok(values.isSecret(rec.inputs.env?.API_TOKEN) || values.isSecret(rec.inputs.env), "input not secret");
        assert.ok(values.isSecret(rec.outputs.env?.API_TOKEN) || values.isSecret(rec.outputs.env), "output not secret");
        // Debug-level engine logs are left out: the SDK itself logs each RegisterResource response there, secret
        // values included (`pulumi up` shows them only with --debug, and they never reach the checkpoint).
        const shown = [up, refresh].map((r) => ({ ...r, logs: r.logs.filter((l) => l.severity !== "debug") }));
        assert.deepEqual(leaked(leakSurface(fx.stack, shown), [API_TOKEN, ...TEST_CREDENTIALS]), []);
        assert.deepEqual(leaked(fx.stack.checkpoint.raw(), [API_TOKEN]), []);
    });

    it("a bad input fails check naming the field, with zero API calls", async () => {
        fx.stack.config.priority = "7";
        const r = await fx.stack.up();
        assert.equal(r.ok, false);
        assert.match(r.errors.join("\n"), /priority: must be 1, 2 or 3/);
        assert.equal(fx.requests(), 0);
        assert.equal(fx.stack.state().resources.length, 0);
    });

    it("a duplicate mount path fails check naming the item, with zero API calls", async () => {
        fx.stack.config.secondMountPath = "/root/nas/data/";
        const r = await fx.stack.up();
        assert.equal(r.ok, false);
        assert.match(r.errors.join("\n"), /storageConfigs\[1\]\.mountPath: mounts at \/root\/nas\/data like storageConfigs\[0\]/);
        assert.equal(fx.requests(), 0);
    });

    it("a same-named template made elsewhere is not taken over: up fails pointing to TrainingTemplate.get, creating nothing", async () => {
        const direct = new AlayaClient({ apiKey: EMULATOR_CREDENTIALS.alayaApiKey, baseUrl: emulatorEnv(fx.emu).ALAYA_BASE_URL });
        await direct.createTemplate({ name: "engine-template", desc: "made in the console" });
        const [foreign] = await templates();
        const createsBefore = calls("CreateTemplate");
        const r = await fx.stack.up();
        assert.equal(r.ok, false);
        assert.match(r.errors.join("\n"), new RegExp(`already exists \\(id ${foreign.id}\\)[^]*TrainingTemplate\\.get\\("tpl", "${foreign.id}"\\)`));
        assert.equal(calls("CreateTemplate"), createsBefore);
        assert.equal(fx.stack.state().resources.length, 0);
    });

    it("an existing template is adopted with TrainingTemplate.get, read with its fields, and left alone on destroy", async () => {
        const up = await fx.stack.up();
        const adopt = await engineFixture("alayaAdopt.ts");
        await adopt.close();
        adopt.stack.env = { ...fx.stack.env };
        adopt.stack.config = { templateId: up.outputs.templateId };
        const r = await adopt.stack.up();
        assert.ok(r.ok, r.errors.join("\n"));
        assert.deepEqual(r.steps.map((s) => s.op), ["read"]);
        assert.equal(r.outputs.adoptedId, up.outputs.templateId);
        assert.equal(r.outputs.adoptedName, "engine-template");
        assert.equal(r.outputs.adoptedFramework, "PyTorch");
        assert.equal(r.outputs.adoptedPriority, 2);
        const d = await adopt.stack.destroy();
        assert.ok(d.ok, d.errors.join("\n"));
        assert.equal(calls("DeleteTemplate"), 0);
        assert.equal((await templates()).length, 1);
    });

    it("the examples/alaya-template program runs against the emulator and keeps its secret env value secret", async () => {
        const example = new TestStack({
            program: path.join(REPO_ROOT, "examples", "alaya-template"),
            env: { ...fx.stack.env },
            secretConfig: { wandbApiKey: "wandb-example-secret-42" },
        });
        const r = await example.up();
        assert.ok(r.ok, r.errors.join("\n"));
        assert.match(r.outputs.templateId, /^tpl_[0-9a-f]{20}$/);
        assert.equal(r.outputs.templateName, "tensorflow-l40s-dev");
        assert.ok(values.isSecret(example.state().outputs.environment), "the environment export is not secret");
        assert.deepEqual(leaked(example.checkpoint.raw(), ["wandb-example-secret-42"]), []);
        const d = await example.destroy();
        assert.ok(d.ok, d.errors.join("\n"));
    });
});
