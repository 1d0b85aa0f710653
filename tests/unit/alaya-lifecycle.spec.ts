/**
 * The alaya.TrainingTemplate lifecycle module (what the dynamic-provider host
 * runs) called directly against the emulator: ownership, adoption after a lost
 * answer, drift and deletes. The engine-level suite is tests/engine/alaya.spec.ts.
 */
import { strict as assert } from "node:assert";
import { AlayaClient } from "../../sdk/alaya/client";
import { EMULATOR_CREDENTIALS, RunningEmulator, emulatorEnv, startEmulator } from "../../emulator";
import type { Lifecycle } from "../../provider/core/lifecycle";

describe("alaya.TrainingTemplate lifecycle against the emulator", () => {
    let emu: RunningEmulator;
    let lifecycle: Lifecycle;
    let direct: AlayaClient;
    const saved: Record<string, string | undefined> = {};
    let seq = 0;

    const inputsFor = (name: string, extra: Record<string, unknown> = {}) => ({
        name,
        description: "lifecycle test",
        aidcId: 2,
        trainingType: "PRE_TRAINING",
        trainingFramework: "PyTorch",
        imageType: "general",
        image: "harbor.zetyun.cn/anc-public/general/pytorch:2.3",
        env: { TOKEN: "s3cr3t-value" },
        resource: { type: "worker", cpuCores: 1, gpuCount: 1, memoryGB: 2, workerCount: 1 },
        priority: 2,
        pulumiName: name,
        ...extra,
    });
    const fresh = (extra: Record<string, unknown> = {}) => {
        const name = `lc-${process.pid}-${++seq}`;
        return inputsFor(name, extra);
    };
    const control = async (method: string, path: string, payload?: unknown) =>
        (await (await fetch(`${emu.url}/_control${path}`, { method, body: payload === undefined ? undefined : JSON.stringify(payload) })).json()) as { data: any };
    const calls = (action: string) => emu.counts().byCloud.alaya?.[action] ?? 0;

    before(async () => {
        emu = await startEmulator();
        for (const [k, v] of Object.entries(emulatorEnv(emu))) {
            saved[k] = process.env[k];
            process.env[k] = v;
        }
        lifecycle = require("../../provider/alaya/trainingTemplate.lifecycle");
        direct = new AlayaClient({ apiKey: EMULATOR_CREDENTIALS.alayaApiKey, baseUrl: emulatorEnv(emu).ALAYA_BASE_URL, rateLimit: { perSecond: 1000 } });
    });
    after(async () => {
        for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
        else process.env[k] = v;
        await control("DELETE", "/faults");
        await emu.close();
    });

    it("create finds the new id by name and outputs templateId plus the template as reported", async () => {
        const inputs = fresh();
        const { id, outs } = await lifecycle.create(inputs);
        assert.match(id, /^tpl_[0-9a-f]{20}$/);
        assert.equal(outs.templateId, id);
        assert.equal(outs.trainingFramework, "PyTorch");
        assert.deepEqual(outs.resource, inputs.resource);
        assert.ok(outs.createTime);
        const stored = (await control("GET", "/alaya/templates")).data.find((t: any) => t.id === id);
        assert.equal(stored.trainingFramwork, "PyTorch");
        assert.equal(stored.cpuCores ?? stored.resource.cpuCores, "1");
        assert.match(stored.desc, /^lifecycle test \[pulumi:[0-9a-f]{8}\]$/);
    });

    it("diff of the same inputs against the create outputs is empty", async () => {
        const inputs = fresh();
        const { id, outs } = await lifecycle.create(inputs);
        const d = await lifecycle.diff(id, outs, inputs);
        assert.equal(d.changes, false);
    });

    it("a changed field replaces, deleting first (names are unique)", async () => {
        const inputs = fresh();
        const { id, outs } = await lifecycle.create(inputs);
        const d = await lifecycle.diff(id, outs, { ...inputs, priority: 3 });
        assert.deepEqual(d.replaces, ["priority"]);
        assert.equal(d.deleteBeforeReplace, true);
    });

    it("refuses to create over a same-named template it did not create, pointing to TrainingTemplate.get, with no create call", async () => {
        const inputs = fresh();
        await direct.createTemplate({ name: inputs.name, desc: "made in the console" });
        const foreignId = (await direct.findTemplateByName(inputs.name))!.id;
        const before = calls("CreateTemplate");
        const err = await lifecycle.create(inputs).then(() => undefined, (e) => e as Error);
        assert.ok(err, "create succeeded");
        assert.match(err.message, /already exists/);
        assert.match(err.message, new RegExp(`TrainingTemplate\\.get\\("${inputs.pulumiName}", "${foreignId}"\\)`));
        assert.equal(calls("CreateTemplate"), before);
    });

    it("a create whose answer is lost adopts the template it made instead of failing or making a second", async () => {
        const inputs = fresh();
        await control("POST", "/faults", { cloud: "alaya", action: "CreateTemplate", kind: "lost-response", count: 1 });
        const { id } = await lifecycle.create(inputs);
        const same = (await control("GET", "/alaya/templates")).data.filter((t: any) => t.name === inputs.name);
        assert.deepEqual(same.map((t: any) => t.id), [id]);
    });

    it("read after a console edit returns the edited value as input, and the next diff replaces", async () => {
        const inputs = fresh();
        const { id, outs } = await lifecycle.create(inputs);
        await control("POST", `/alaya/templates/${id}/edit`, { fields: { priority: 1, image: "harbor.zetyun.cn/anc-public/general/pytorch:2.4" } });
        const r = await lifecycle.read(id, outs);
        assert.equal(r.id, id);
        assert.equal(r.inputs?.priority, 1);
        assert.equal(r.props?.image, "harbor.zetyun.cn/anc-public/general/pytorch:2.4");
        assert.notEqual(r.props?.updateTime, undefined);
        const d = await lifecycle.diff(id, r.props!, inputs);
        assert.deepEqual([...(d.replaces ?? [])].sort(), ["image", "priority"]);
    });

    it("read of a template without a description answers with values the host can encode (no undefined, found by the real CLI's refresh)", async () => {
        const { description: _omitted, ...inputs } = fresh();
        const { id, outs } = await lifecycle.create(inputs);
        const r = await lifecycle.read(id, outs);
        const undefinedAt = (v: unknown, at: string): string[] =>
            v === undefined ? [at] : v && typeof v === "object" ? Object.entries(v).flatMap(([k, x]) => undefinedAt(x, `${at}.${k}`)) : [];
        assert.deepEqual([...undefinedAt(r.props, "props"), ...undefinedAt(r.inputs, "inputs")], []);
    });

    it("read after a console delete returns no id", async () => {
        const inputs = fresh();
        const { id, outs } = await lifecycle.create(inputs);
        await control("DELETE", `/alaya/templates/${id}`);
        assert.equal((await lifecycle.read(id, outs)).id, "");
    });

    it("delete removes the template, and deleting a template that is already gone succeeds", async () => {
        const inputs = fresh();
        const { id, outs } = await lifecycle.create(inputs);
        await lifecycle.delete(id, outs);
        assert.equal(await direct.getTemplate(id), undefined);
        await lifecycle.delete(id, outs);
    });

    it("check names the field of a bad input and calls no API", async () => {
        const before = emu.counts().total;
        const r = await lifecycle.check({}, fresh({ priority: 7 }));
        assert.deepEqual(r.failures?.map((f) => f.property), ["priority"]);
        assert.equal(emu.counts().total, before);
    });
});
