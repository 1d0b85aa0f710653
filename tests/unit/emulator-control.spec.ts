/**
 * The emulator's uniform control API (emulator/core/objects.ts, the server's
 * route table) and its command-line front end (emulator/cli.ts): what a user
 * testing their own stack relies on (docs/emulator.md). Objects are created
 * through each cloud's own API with the project's clients, and every forced,
 * deleted or edited object is read back the same way: the control API is
 * right only when the cloud's own answers change with it.
 */
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import * as path from "node:path";
import { EMULATOR_CREDENTIALS, RunningEmulator, emulatorEnv, startEmulator } from "../../emulator";
import { CliIo, main as cli } from "../../emulator/cli";
import { DEMO_CLUSTER } from "../../emulator/polardb";
import { AlayaClient } from "../../sdk/alaya/client";
import { hasErrorCode } from "../../sdk/core/errors";
import { DashScopeClient } from "../../sdk/dashscope/client";
import { getFileIfExists, uploadFile } from "../../sdk/dashscope/files";
import { PolarDbClient } from "../../sdk/polardb/client";
import { TioneClient, tioneOptionsFromEnv } from "../../sdk/tione/client";

/** One minute per status: only an explicit force or clock advance moves an object. */
const STEP = 60_000;
const RETRY = { baseDelayMs: 1, maxDelayMs: 5 };
const FAST = { perSecond: 1000, burst: 1000 };
const REPO = path.resolve(__dirname, "..", "..");

interface Answer {
    status: number;
    body: any;
}

async function control(emu: RunningEmulator, method: string, p: string, body?: unknown): Promise<Answer> {
    const res = await fetch(`${emu.url}${p}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: await res.json() };
}

/** The project's client of each cloud, pointed at `emu` as a user's stack would be (emulatorEnv). */
function clients(emu: RunningEmulator) {
    const env = emulatorEnv(emu);
    return {
        tione: new TioneClient({ ...(tioneOptionsFromEnv(env) as { secretId: string; secretKey: string }), region: "ap-guangzhou", endpoint: env.TENCENTCLOUD_TIONE_ENDPOINT, retry: RETRY }),
        dashscope: new DashScopeClient({ apiKey: env.DASHSCOPE_API_KEY, baseUrl: env.DASHSCOPE_HTTP_BASE_URL, retry: RETRY }),
        polardb: new PolarDbClient({
            credentials: { accessKeyId: EMULATOR_CREDENTIALS.alibabaAccessKeyId, accessKeySecret: EMULATOR_CREDENTIALS.alibabaAccessKeySecret },
            regionId: DEMO_CLUSTER.regionId,
            endpoint: env.ALIBABA_CLOUD_POLARDB_ENDPOINT,
            rateLimit: FAST,
            retry: RETRY,
        }),
        alaya: new AlayaClient({ apiKey: env.ALAYA_API_KEY, baseUrl: env.ALAYA_BASE_URL, rateLimit: FAST, retry: RETRY }),
    };
}

/** One object of every kind a user's stack can create, each through its cloud's own API. */
interface Made {
    tioneTask: string;
    fineTune: string;
    file: string;
    polardbTask: string;
    template: string;
    names: Record<string, string>;
}

let seq = 0;
async function makeOneOfEach(c: ReturnType<typeof clients>): Promise<Made> {
    const n = `ctl-${process.pid}-${++seq}`;
    const names = { tioneTask: `${n}-tione`, fineTune: `${n}-ft`, file: `${n}.jsonl`, polardbTask: `${n}-pm`, template: `${n}-tpl` };
    const tioneTask = await c.tione.createTrainingTask({
        Name: names.tioneTask,
        ChargeType: "POSTPAID_BY_HOUR",
        ResourceConfigInfos: [{ Role: "WORKER", InstanceType: "TI.S6.MEDIUM2.POST", InstanceNum: 1 }],
    });
    const { file_id: file } = await uploadFile(c.dashscope, {
        name: names.file,
        purpose: "fine-tune",
        content: '{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]}\n',
    });
    const job = await c.dashscope.createFineTune({ model: "qwen3-8b", training_file_ids: [file], hyper_parameters: { n_epochs: 1, batch_size: 8, max_length: 2048 }, job_name: names.fineTune });
    const { DBClusterId: polardbTask } = await c.polardb.createTask({
        DBClusterId: DEMO_CLUSTER.dbClusterId,
        ModelSource: "public",
        ModelName: "Qwen3-8B",
        KubeType: "aitrain",
        RunningParameter: '{"train_mode":"sft","train_type":"lora","num_epochs":1}',
        DatasetPath: "pds-2zetrain001",
        TaskName: names.polardbTask,
    });
    await c.alaya.createTemplate({ name: names.template, desc: "made by a test", aidcId: 2, trainingType: "PRE_TRAINING", priority: 3 });
    const template = (await c.alaya.findTemplateByName(names.template))?.id;
    assert.ok(template, "the template created through the Alaya API is listed");
    return { tioneTask, fineTune: job.job_id, file, polardbTask, template, names };
}

/** Captures what a CLI command prints. */
function captureIo(env: NodeJS.ProcessEnv = {}): CliIo & { stdout: string[]; stderr: string[] } {
    const stdout: string[] = [];
    const stderr: string[] = [];
    return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l), env };
}

/** Every control route the emulator serves, as `METHOD path`: the existing per-cloud routes (which tests use) and the uniform ones. */
const SERVED = [
    "GET /_control",
    "GET /_control/requests",
    "POST /_control/requests/reset",
    "POST /_control/faults",
    "GET /_control/faults",
    "DELETE /_control/faults",
    "POST /_control/clock/advance",
    "POST /_control/clock/freeze",
    "DELETE /_control/clock/freeze",
    "GET /_control/objects",
    "POST /_control/objects/<cloud>/<kind>/<id>/force",
    "DELETE /_control/objects/<cloud>/<kind>/<id>",
    "PATCH /_control/objects/<cloud>/<kind>/<id>",
    "POST /_control/dashscope/variants",
    "GET /_control/dashscope/fine-tunes",
    "POST /_control/dashscope/fine-tunes/<id>/force",
    "DELETE /_control/dashscope/fine-tunes/<id>",
    "GET /_control/dashscope/files",
    "POST /_control/dashscope/files",
    "DELETE /_control/dashscope/files/<id>",
    "POST /_control/tione/variants",
    "GET /_control/tione/tasks",
    "POST /_control/tione/tasks/<id>/force",
    "DELETE /_control/tione/tasks/<id>",
    "GET /_control/tione/stats",
    "POST /_control/polardb/variants",
    "POST /_control/polardb/clusters",
    "GET /_control/polardb/clusters",
    "GET /_control/polardb/tasks",
    "POST /_control/polardb/tasks/<id>/force",
    "DELETE /_control/polardb/tasks/<id>",
    "POST /_control/alaya/variants",
    "GET /_control/alaya/templates",
    "POST /_control/alaya/templates/<id>/edit",
    "DELETE /_control/alaya/templates/<id>",
];

describe("emulator control API (uniform) and CLI", () => {
    let emu: RunningEmulator;
    let c: ReturnType<typeof clients>;

    before(async () => {
        emu = await startEmulator({ stepMs: STEP });
        // Jobs stay in the status they were created in however slowly a loaded machine runs the suite.
        await fetch(`${emu.url}/_control/clock/freeze`, { method: "POST" });
        c = clients(emu);
    });
    after(() => emu.close());

    describe("GET /_control", () => {
        it("lists every route it serves, each with a meaning, and serves every route it lists", async () => {
            // A fresh emulator: the probe freezes the clock and adds records.
            const probe = await startEmulator();
            try {
                const d = (await control(probe, "GET", "/_control")).body;
                const listed = (d.routes as any[]).map((r) => `${r.method} ${r.path}`);
                for (const route of SERVED) assert.ok(listed.includes(route), `GET /_control does not list ${route}`);
                assert.equal(new Set(listed).size, listed.length, "no route is listed twice");
                for (const r of d.routes) assert.ok(typeof r.meaning === "string" && r.meaning.length > 10, `${r.method} ${r.path} has a one-line meaning`);
                for (const r of d.routes) {
                    const p = String(r.path).replace("<cloud>", "tione").replace("<kind>", "task").replace("<id>", "no-such-id");
                    const a = await control(probe, r.method, p, r.method === "POST" || r.method === "PATCH" ? {} : undefined);
                    assert.ok(!(a.status === 404 && /^unknown control call/.test(a.body?.message ?? "")), `${r.method} ${r.path} is listed but not served: ${JSON.stringify(a.body)}`);
                }
                const unknown = await control(probe, "GET", "/_control/nothing-here");
                assert.equal(unknown.status, 404);
                assert.match(unknown.body.message, /GET \/_control lists every route/);
            } finally {
                await probe.close();
            }
        });

        it("names each cloud's object kinds and variants, and the variants are exactly what POST /<cloud>/variants switches", async () => {
            const d = (await control(emu, "GET", "/_control")).body;
            const kinds = Object.fromEntries((d.clouds as any[]).map((cl) => [cl.name, cl.kinds.map((k: any) => k.kind)]));
            assert.deepEqual(kinds, { dashscope: ["fine-tune", "file"], tione: ["task"], polardb: ["task", "cluster"], alaya: ["template"] });
            for (const cloud of d.clouds) {
                // An empty body changes nothing and answers every variant's value.
                const { request_id: _ignored, ...answered } = (await control(emu, "POST", `/_control/${cloud.name}/variants`, {})).body;
                assert.deepEqual(Object.keys(answered).sort(), Object.keys(cloud.variants).sort(), `${cloud.name}: described variants`);
                for (const [name, info] of Object.entries<any>(cloud.variants)) {
                    assert.equal(answered[name], info.current, `${cloud.name}.${name}: current value`);
                    if (info.values) assert.ok(info.values.includes(info.default), `${cloud.name}.${name}: the default is one of its values`);
                    else assert.equal(typeof info.default, "number");
                }
            }
            assert.deepEqual(d.clouds.find((cl: any) => cl.name === "tione").variants.unsetFields.values, ["empty", "null"]);
        });
    });

    describe("GET /_control/objects", () => {
        it("lists one object of each kind in the shape {cloud, kind, id, name, status}", async () => {
            const m = await makeOneOfEach(c);
            const { status, body } = await control(emu, "GET", "/_control/objects");
            assert.equal(status, 200);
            for (const o of body.objects) {
                assert.deepEqual(Object.keys(o).sort(), ["cloud", "id", "kind", "name", "status"]);
                for (const v of Object.values(o)) assert.equal(typeof v, "string");
            }
            const find = (cloud: string, kind: string, id: string) => body.objects.find((o: any) => o.cloud === cloud && o.kind === kind && o.id === id);
            assert.deepEqual(find("tione", "task", m.tioneTask), { cloud: "tione", kind: "task", id: m.tioneTask, name: m.names.tioneTask, status: "SUBMITTING" });
            assert.deepEqual(find("dashscope", "fine-tune", m.fineTune), { cloud: "dashscope", kind: "fine-tune", id: m.fineTune, name: m.names.fineTune, status: "PENDING" });
            assert.deepEqual(find("dashscope", "file", m.file), { cloud: "dashscope", kind: "file", id: m.file, name: m.names.file, status: "ACTIVE" });
            assert.deepEqual(find("polardb", "task", m.polardbTask), { cloud: "polardb", kind: "task", id: m.polardbTask, name: m.names.polardbTask, status: "ACTIVATION" });
            assert.deepEqual(find("polardb", "cluster", DEMO_CLUSTER.dbClusterId), { cloud: "polardb", kind: "cluster", id: DEMO_CLUSTER.dbClusterId, name: "", status: "Running" });
            assert.deepEqual(find("alaya", "template", m.template), { cloud: "alaya", kind: "template", id: m.template, name: m.names.template, status: "ACTIVE" });
        });

        it("filters by cloud and kind, and refuses an unknown one naming it", async () => {
            await makeOneOfEach(c);
            const tione = (await control(emu, "GET", "/_control/objects?cloud=tione")).body.objects;
            assert.ok(tione.length > 0 && tione.every((o: any) => o.cloud === "tione"));
            const files = (await control(emu, "GET", "/_control/objects?cloud=dashscope&kind=file")).body.objects;
            assert.ok(files.length > 0 && files.every((o: any) => o.kind === "file"));
            const badCloud = await control(emu, "GET", "/_control/objects?cloud=aws");
            assert.equal(badCloud.status, 400);
            assert.match(badCloud.body.message, /^cloud: no emulated cloud aws \(clouds: dashscope, tione, polardb, alaya\)/);
            const badKind = await control(emu, "GET", "/_control/objects?cloud=tione&kind=notebook");
            assert.equal(badKind.status, 400);
            assert.match(badKind.body.message, /^kind: no object kind notebook in tione \(kinds: task\)/);
        });
    });

    describe("POST /_control/objects/<cloud>/<kind>/<id>/force", () => {
        it("takes one body {status, reason} for every cloud's job kind, and each cloud's own read shows the status and the reason", async () => {
            const m = await makeOneOfEach(c);
            const reason = "NCCL timeout on rank 3: a GPU fell off the bus";
            const force = (cloud: string, kind: string, id: string) => control(emu, "POST", `/_control/objects/${cloud}/${kind}/${id}/force`, { status: "FAILED", reason });
            for (const [cloud, kind, id] of [["tione", "task", m.tioneTask], ["dashscope", "fine-tune", m.fineTune], ["polardb", "task", m.polardbTask]]) {
                const a = await force(cloud, kind, id);
                assert.equal(a.status, 200, JSON.stringify(a.body));
                assert.deepEqual({ ...a.body.object, name: undefined }, { cloud, kind, id, name: undefined, status: "FAILED" });
                assert.ok(a.body.view, "the answer carries the cloud's own view");
            }
            // TI-ONE: FailureReason (reference/tione.md §5).
            const task = await c.tione.describeTrainingTask(m.tioneTask);
            assert.equal(task.Status, "FAILED");
            assert.equal(task.FailureReason, reason);
            // DashScope: the job's message (reference/bailian-finetune.md §5).
            const job = await c.dashscope.getFineTune(m.fineTune);
            assert.equal(job.status, "FAILED");
            assert.equal((job as unknown as Record<string, unknown>).message, reason);
            // PolarDB: the detail has no failure field; the error is the log's.
            assert.equal((await c.polardb.describeTask(m.polardbTask)).DBClusterStatus, "FAILED");
            const logs = await c.polardb.tailTaskLogs(m.polardbTask, { since: new Date(Date.now() - 3_600_000) });
            assert.ok(logs.some((l) => l.includes(`[ERROR] ${reason}`)), logs.join("\n"));
        });

        it("moves a job to any of its cloud's statuses, without a reason", async () => {
            const m = await makeOneOfEach(c);
            const a = await control(emu, "POST", `/_control/objects/tione/task/${m.tioneTask}/force`, { status: "RUNNING" });
            assert.equal(a.status, 200, JSON.stringify(a.body));
            assert.equal((await c.tione.describeTrainingTask(m.tioneTask)).Status, "RUNNING");
            const done = await control(emu, "POST", `/_control/objects/polardb/task/${m.polardbTask}/force`, { status: "COMPLETED" });
            assert.equal(done.status, 200, JSON.stringify(done.body));
            assert.equal((await c.polardb.describeTask(m.polardbTask)).DBClusterStatus, "COMPLETED");
        });

        it("refuses what it cannot do, naming the field at fault", async () => {
            const m = await makeOneOfEach(c);
            const force = (p: string, body: unknown) => control(emu, "POST", `/_control/objects/${p}/force`, body);
            const cases: Array<[string, unknown, number, RegExp]> = [
                [`tione/task/${m.tioneTask}`, { status: "DONE" }, 400, /^status: a tione task takes one of SUBMITTING, .*SUBMIT_FAILED, got DONE$/],
                [`tione/task/${m.tioneTask}`, {}, 400, /^status: required/],
                [`tione/task/${m.tioneTask}`, { status: "RUNNING", reason: "x" }, 400, /^reason: tione shows a failure text only with FAILED, SUBMIT_FAILED, not RUNNING$/],
                [`dashscope/fine-tune/${m.fineTune}`, { status: "FAILED", message: "x" }, 400, /^message: not a field of the force body, which is \{status, reason\?\}$/],
                [`alaya/template/${m.template}`, { status: "FAILED" }, 400, /^status: an alaya template has no status to force$/],
                [`tione/task/train-0000000000000000000`, { status: "FAILED" }, 404, /^no tione task train-0000000000000000000$/],
                [`tione/notebook/x`, { status: "FAILED" }, 404, /^tione has no object kind notebook \(kinds: task\)$/],
                [`aws/job/x`, { status: "FAILED" }, 404, /^no emulated cloud aws/],
            ];
            for (const [p, body, status, message] of cases) {
                const a = await force(p, body);
                assert.equal(a.status, status, `${p} ${JSON.stringify(body)}: ${JSON.stringify(a.body)}`);
                assert.match(a.body.message, message);
            }
            const notJson = await fetch(`${emu.url}/_control/objects/tione/task/${m.tioneTask}/force`, { method: "POST", body: "status=FAILED" });
            assert.equal(notJson.status, 400);
            assert.match(((await notJson.json()) as any).message, /not valid JSON/);
            await force(`polardb/task/${m.polardbTask}`, { status: "FAILED" });
            const again = await force(`polardb/task/${m.polardbTask}`, { status: "COMPLETED" });
            assert.equal(again.status, 409, "PolarDB forces only a task still in ACTIVATION");
        });
    });

    describe("DELETE /_control/objects/<cloud>/<kind>/<id>", () => {
        it("removes an object of every kind from every cloud, whatever its status, and the cloud's own read no longer finds it", async () => {
            const m = await makeOneOfEach(c);
            // Running objects: the clouds' own deletes would refuse some of these (TI-ONE, DashScope), an out-of-band delete does not.
            await control(emu, "POST", `/_control/objects/tione/task/${m.tioneTask}/force`, { status: "RUNNING" });
            const targets: Array<[string, string, string]> = [
                ["tione", "task", m.tioneTask],
                ["dashscope", "fine-tune", m.fineTune],
                ["dashscope", "file", m.file],
                ["polardb", "task", m.polardbTask],
                ["alaya", "template", m.template],
            ];
            for (const [cloud, kind, id] of targets) {
                const a = await control(emu, "DELETE", `/_control/objects/${cloud}/${kind}/${id}`);
                assert.equal(a.status, 200, JSON.stringify(a.body));
                assert.deepEqual([a.body.object.cloud, a.body.object.kind, a.body.object.id], [cloud, kind, id]);
                const again = await control(emu, "DELETE", `/_control/objects/${cloud}/${kind}/${id}`);
                assert.equal(again.status, 404, `${cloud} ${kind}: a second delete finds nothing`);
            }
            const left = (await control(emu, "GET", "/_control/objects")).body.objects.map((o: any) => o.id);
            for (const [, , id] of targets) assert.ok(!left.includes(id), `${id} is still listed`);

            await assert.rejects(c.tione.describeTrainingTask(m.tioneTask), (e) => hasErrorCode(e, "ResourceNotFound"));
            await assert.rejects(c.dashscope.getFineTune(m.fineTune), (e) => hasErrorCode(e, "NotFound"));
            assert.equal(await getFileIfExists(c.dashscope, m.file), undefined);
            assert.equal(await c.polardb.findTask(m.polardbTask), undefined);
            assert.equal(await c.alaya.getTemplate(m.template), undefined);
        });

        it("refuses to delete a PolarDB cluster", async () => {
            const a = await control(emu, "DELETE", `/_control/objects/polardb/cluster/${DEMO_CLUSTER.dbClusterId}`);
            assert.equal(a.status, 400);
            assert.match(a.body.message, /a polardb cluster cannot be deleted/);
        });
    });

    describe("PATCH /_control/objects/<cloud>/<kind>/<id>", () => {
        it("edits an Alaya template as a console edit would, and the API then shows the edit", async () => {
            const m = await makeOneOfEach(c);
            const a = await control(emu, "PATCH", `/_control/objects/alaya/template/${m.template}`, { desc: "edited in the console", priority: 1 });
            assert.equal(a.status, 200, JSON.stringify(a.body));
            assert.equal(a.body.view.desc, "edited in the console");
            const t = await c.alaya.getTemplate(m.template);
            assert.equal(t?.desc, "edited in the console");
            assert.equal(t?.settings.priority, 1);
            // The console validates its form as create does.
            const bad = await control(emu, "PATCH", `/_control/objects/alaya/template/${m.template}`, { priority: 9 });
            assert.equal(bad.status, 400);
            assert.match(bad.body.message, /^priority must be an integer from 1 to 3$/);
        });

        it("edits a TI-ONE task's Remark and Tags, and DescribeTrainingTask then shows them", async () => {
            const m = await makeOneOfEach(c);
            const a = await control(emu, "PATCH", `/_control/objects/tione/task/${m.tioneTask}`, { Remark: "hand-edited", Tags: [{ TagKey: "team", TagValue: "ml" }] });
            assert.equal(a.status, 200, JSON.stringify(a.body));
            const task = await c.tione.describeTrainingTask(m.tioneTask);
            assert.equal(task.Remark, "hand-edited");
            assert.deepEqual(
                (task.Tags ?? []).map((t) => t.TagKey),
                ["team", "qcs:tag:createdBy"],
            );
            const cleared = await control(emu, "PATCH", `/_control/objects/tione/task/${m.tioneTask}`, { Remark: null });
            assert.equal(cleared.status, 200);
            assert.equal((await c.tione.describeTrainingTask(m.tioneTask)).Remark, "");
        });

        it("edits a PolarDB task's name (DBClusterDescription)", async () => {
            const m = await makeOneOfEach(c);
            const a = await control(emu, "PATCH", `/_control/objects/polardb/task/${m.polardbTask}`, { DBClusterDescription: "renamed" });
            assert.equal(a.status, 200, JSON.stringify(a.body));
            assert.equal(a.body.object.name, "renamed");
            assert.equal((await c.polardb.describeTask(m.polardbTask)).DBClusterDescription, "renamed");
        });

        it("refuses a field that is not editable, naming it and the editable ones", async () => {
            const m = await makeOneOfEach(c);
            const cases: Array<[string, Record<string, unknown>, RegExp]> = [
                [`tione/task/${m.tioneTask}`, { Remark: "ok", Name: "other" }, /^Name: not an editable field of a tione task \(editable: Remark, Tags\)$/],
                [`alaya/template/${m.template}`, { colour: "red" }, /^colour: not an editable field of an alaya template \(editable: name, desc, /],
                [`dashscope/fine-tune/${m.fineTune}`, { job_name: "x" }, /^job_name: not an editable field of a dashscope fine-tune \(it has none\)$/],
                [`tione/task/${m.tioneTask}`, { Tags: [{ TagKey: "qcs:x", TagValue: "y" }] }, /^Tags: keys starting with qcs: are system tags$/],
                [`tione/task/${m.tioneTask}`, {}, /^the body names no field to edit$/],
            ];
            for (const [p, body, message] of cases) {
                const a = await control(emu, "PATCH", `/_control/objects/${p}`, body);
                assert.equal(a.status, 400, `${p} ${JSON.stringify(body)}: ${JSON.stringify(a.body)}`);
                assert.match(a.body.message, message);
            }
            assert.equal((await c.tione.describeTrainingTask(m.tioneTask)).Remark, "", "a refused edit changes nothing");
        });
    });

    describe("the per-cloud routes still work beside the uniform ones", () => {
        it("TI-ONE force with {status, reason} and Alaya edit with {fields}", async () => {
            const m = await makeOneOfEach(c);
            const f = await control(emu, "POST", `/_control/tione/tasks/${m.tioneTask}/force`, { status: "SUBMIT_FAILED", reason: "no quota" });
            assert.equal(f.status, 200);
            assert.equal(f.body.FailureReason, "no quota");
            const e = await control(emu, "POST", `/_control/alaya/templates/${m.template}/edit`, { fields: { desc: "legacy edit" } });
            assert.equal(e.body.data.desc, "legacy edit");
            const bad = await control(emu, "POST", `/_control/alaya/templates/${m.template}/edit`, { fields: { colour: "red" } });
            assert.equal(bad.status, 400);
        });
    });

    describe("command line (emulator/cli.ts)", () => {
        it("objects lists what the emulator holds, as a table or as JSON", async () => {
            const m = await makeOneOfEach(c);
            const io = captureIo();
            assert.equal((await cli(["objects", "--url", emu.url], io)).code, 0, io.stderr.join("\n"));
            assert.match(io.stdout[0], /^CLOUD\s+KIND\s+ID\s+STATUS\s+NAME$/);
            assert.ok(io.stdout.some((l) => new RegExp(`^tione\\s+task\\s+${m.tioneTask}\\s+SUBMITTING\\s+${m.names.tioneTask}$`).test(l)), io.stdout.join("\n"));
            const json = captureIo();
            assert.equal((await cli(["objects", "--url", emu.url, "--cloud", "alaya", "--json"], json)).code, 0);
            const objects = JSON.parse(json.stdout.join("\n"));
            assert.ok(objects.length > 0 && objects.every((o: any) => o.cloud === "alaya"));
            assert.ok(objects.some((o: any) => o.id === m.template));
        });

        it("force sets the status and reason the cloud then reports; edit changes a field", async () => {
            const m = await makeOneOfEach(c);
            const io = captureIo();
            const r = await cli(["force", "--url", emu.url, "tione", "task", m.tioneTask, "FAILED", "--reason", "OOM in the data loader"], io);
            assert.equal(r.code, 0, io.stderr.join("\n"));
            assert.deepEqual(io.stdout, [`tione task ${m.tioneTask} FAILED ${JSON.stringify(m.names.tioneTask)}`]);
            const task = await c.tione.describeTrainingTask(m.tioneTask);
            assert.deepEqual([task.Status, task.FailureReason], ["FAILED", "OOM in the data loader"]);

            const ds = captureIo();
            assert.equal((await cli(["force", "--url", emu.url, "dashscope", "fine-tune", m.fineTune, "FAILED", "--reason", "loss is NaN"], ds)).code, 0, ds.stderr.join("\n"));
            assert.equal(((await c.dashscope.getFineTune(m.fineTune)) as unknown as Record<string, unknown>).message, "loss is NaN");

            const edit = captureIo();
            assert.equal((await cli(["edit", "--url", emu.url, "alaya", "template", m.template, "desc=from the CLI", "priority=2"], edit)).code, 0, edit.stderr.join("\n"));
            const t = await c.alaya.getTemplate(m.template);
            assert.deepEqual([t?.desc, t?.settings.priority], ["from the CLI", 2]);
        });

        it("names the argument at fault, and says when the emulator refuses or cannot be reached", async () => {
            const missing = captureIo();
            assert.equal((await cli(["force", "--url", emu.url, "tione", "task"], missing)).code, 2);
            assert.match(missing.stderr.join("\n"), /force: missing <id> <status>/);
            const unknownOption = captureIo();
            assert.equal((await cli(["objects", "--url", emu.url, "--colour", "red"], unknownOption)).code, 2);
            assert.match(unknownOption.stderr.join("\n"), /--colour/);
            const badPort = captureIo();
            assert.equal((await cli(["start", "--port", "http"], badPort)).code, 2);
            assert.match(badPort.stderr.join("\n"), /--port must be a whole number from 0 to 65535, got "http"/);
            const refused = captureIo();
            assert.equal((await cli(["force", "--url", emu.url, "tione", "task", "train-1", "FAILED"], refused)).code, 1);
            assert.match(refused.stderr.join("\n"), /refused POST \/_control\/objects\/tione\/task\/train-1\/force \(404\): no tione task train-1$/);
            const badStatus = captureIo();
            assert.equal((await cli(["force", "--url", emu.url, "tione", "task", "train-1", "DONE"], badStatus)).code, 1);
            assert.match(badStatus.stderr.join("\n"), /\(400\): status: a tione task takes one of .*, got DONE$/);
            const unreachable = captureIo();
            assert.equal((await cli(["objects", "--url", "http://127.0.0.1:9"], unreachable)).code, 1);
            assert.match(unreachable.stderr.join("\n"), /cannot reach the emulator at http:\/\/127\.0\.0\.1:9/);
            const unknownCommand = captureIo();
            assert.equal((await cli(["destroy"], unknownCommand)).code, 2);
            assert.match(unknownCommand.stderr.join("\n"), /unknown command "destroy"/);
        });

        it("start serves the emulator and prints its env; env and advance work against it", async () => {
            const io = captureIo({});
            const { code, emulator } = await cli(["start", "--port", "0", "--step-ms", "60000"], io);
            assert.equal(code, 0);
            assert.ok(emulator);
            try {
                assert.equal(io.stdout[0], `pulumi-training emulator listening on ${emulator.url}`);
                assert.ok(io.stdout.includes(`  export ALAYA_BASE_URL=${emulator.url}/alaya`));
                const env = captureIo();
                assert.equal((await cli(["env", "--url", emulator.url, "--format", "dotenv"], env)).code, 0);
                assert.deepEqual(env.stdout, Object.entries(emulatorEnv(emulator)).map(([k, v]) => `${k}=${v}`));
                const before = emulator.clock.now();
                const adv = captureIo();
                assert.equal((await cli(["advance", "--url", emulator.url, "5m"], adv)).code, 0, adv.stderr.join("\n"));
                assert.ok(emulator.clock.now() - before >= 300_000);
            } finally {
                await emulator.close();
            }
        });

        it("runs as a program (the bin's entry point) and exits with the command's code", async function () {
            this.timeout(60_000);
            // Asynchronous: the emulator serving the child runs in this process's event loop.
            const run = (args: string[]) =>
                new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
                    execFile(process.execPath, ["-r", "ts-node/register/transpile-only", "emulator/cli.ts", ...args], { cwd: REPO, encoding: "utf8", timeout: 50_000 }, (e, stdout, stderr) =>
                        resolve({ status: e ? (typeof e.code === "number" ? e.code : null) : 0, stdout, stderr }),
                    );
                });
            const ok = await run(["objects", "--url", emu.url, "--cloud", "polardb", "--json"]);
            assert.equal(ok.status, 0, ok.stderr);
            assert.ok(JSON.parse(ok.stdout).some((o: any) => o.id === DEMO_CLUSTER.dbClusterId));
            const bad = await run(["delete", "--url", emu.url, "polardb", "cluster", DEMO_CLUSTER.dbClusterId]);
            assert.equal(bad.status, 1);
            assert.match(bad.stderr, /cannot be deleted/);
        });
    });
});
