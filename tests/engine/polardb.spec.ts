/**
 * polardb.AidbTask through the Pulumi engine harness: the program runs
 * through the SDK's language host, the resource through the real
 * dynamic-provider host, against the PolarDB emulator (a cluster seeded
 * through its control API).
 */
import * as assert from "node:assert/strict";
import { EMULATOR_CREDENTIALS } from "../../emulator";
import { EngineFixture, TEST_CREDENTIALS, engineFixture, leakSurface, leaked } from "./support";

interface EmuTask {
    id: string;
    orderId: string;
    clusterId: string;
    status: string;
    params: Record<string, string>;
}

describe("polardb.AidbTask through the Pulumi engine", function () {
    this.timeout(180_000);
    let fx: EngineFixture;
    let cluster: string;

    const calls = (action: string) => fx.emu.counts().byCloud.polardb?.[action] ?? 0;
    const tasks = async (): Promise<EmuTask[]> => (await fx.control("GET", "/polardb/tasks")).tasks;

    async function start(stepMs?: number): Promise<void> {
        fx = await engineFixture("polardbAidbTask.ts", { stepMs });
        cluster = (await fx.control("POST", "/polardb/clusters", { regionId: "cn-beijing" })).dbClusterId;
        fx.stack.config = { dbClusterId: cluster };
    }

    beforeEach(() => start());
    afterEach(() => fx.close());

    it("up submits the task, waits for COMPLETED and exports the task id, order id and checkpoints", async () => {
        const r = await fx.stack.up();
        assert.ok(r.ok, r.errors.join("\n"));
        assert.deepEqual(r.steps.map((s) => s.op), ["create"]);
        assert.equal(r.outputs.status, "COMPLETED");
        assert.match(r.outputs.taskId, /^pm-/);
        const [task] = await tasks();
        assert.equal(r.outputs.orderId, task.orderId);
        assert.ok(r.outputs.modelPaths.length >= 1 && r.outputs.modelPaths.every((p: string) => p.startsWith(`/models_train/${r.outputs.taskId}/`)), String(r.outputs.modelPaths));
        assert.equal(r.outputs.accessInfo.port, "8000");
        assert.equal(r.outputs.datasets[0].type, "train");
        assert.ok(r.hostLogs.some((l) => /ACTIVATION -> COMPLETED \(\d+s elapsed\)/.test(l)), r.hostLogs.join("\n"));
    });

    it("sends the marker in TaskName, the parent cluster and RunningParameter as sorted compact JSON", async () => {
        await fx.stack.up();
        const [task] = await tasks();
        assert.equal(task.clusterId, cluster);
        assert.match(task.params.TaskName, /^grpo-[0-9a-f]{8}$/);
        assert.equal(task.params.KubeType, "aitrain");
        assert.equal(task.params.RunningParameter, '{"learning_rate":"1e-6","num_epochs":1,"reward_funcs":"format,external_countdown","split_dataset_ratio":0.1,"train_mode":"grpo","train_type":"lora"}');
    });

    it("a second up with the same program is a no-op that submits nothing", async () => {
        await fx.stack.up();
        const r = await fx.stack.up();
        assert.ok(r.ok, r.errors.join("\n"));
        assert.deepEqual(r.steps.map((s) => s.op), ["same"]);
        assert.equal(calls("CreateAIDBClusterTask"), 1);
    });

    it("changing runningParameter creates a new task, then deletes the old one with its parent cluster", async () => {
        const first = await fx.stack.up();
        fx.stack.config.epochs = "2";
        const r = await fx.stack.up();
        assert.ok(r.ok, r.errors.join("\n"));
        assert.deepEqual(r.steps.map((s) => s.op), ["replace", "create-replacement", "delete-replaced"]);
        assert.ok(r.steps[0].keys?.includes("runningParameter"), String(r.steps[0].keys));
        assert.notEqual(r.outputs.taskId, first.outputs.taskId);
        const remaining = await tasks();
        assert.deepEqual(remaining.map((t) => t.id), [r.outputs.taskId]);
        assert.equal(JSON.parse(remaining[0].params.RunningParameter).num_epochs, 2);
    });

    it("changing only the wait deadline updates in place without submitting or deleting", async () => {
        await fx.stack.up();
        fx.stack.config.timeout = "45";
        const r = await fx.stack.up();
        assert.ok(r.ok, r.errors.join("\n"));
        assert.deepEqual(r.steps.map((s) => s.op), ["update"]);
        assert.equal(calls("CreateAIDBClusterTask"), 1);
        assert.equal(calls("DeleteAIDBClusterTask"), 0);
        assert.ok(fx.stack.outputsOf("grpo").orderId, "the order id, known only from the create answer, survives the update");
    });

    it("refresh after the task failed out of band records FAILED, keeps the order id, and the next preview plans a replacement", async () => {
        fx.stack.config.wait = "false";
        const up = await fx.stack.up();
        assert.equal(up.outputs.status, "ACTIVATION");
        await fx.control("POST", `/polardb/tasks/${up.outputs.taskId}/force`, { status: "FAILED", message: "CUDA out of memory" });
        const refresh = await fx.stack.refresh();
        assert.ok(refresh.ok, refresh.errors.join("\n"));
        assert.equal(fx.stack.outputsOf("grpo").status, "FAILED");
        assert.equal(fx.stack.outputsOf("grpo").orderId, up.outputs.orderId);
        const preview = await fx.stack.preview();
        assert.deepEqual(preview.steps.map((s) => s.op), ["replace"]);
        assert.ok(preview.steps[0].keys?.includes("status"), String(preview.steps[0].keys));
    });

    it("a task forced FAILED during the wait fails the up with the tail of its log, keeping the id in state", async () => {
        await fx.close();
        await start(2000);
        const upPromise = fx.stack.up();
        let taskId: string | undefined;
        for (let i = 0; i < 100 && !taskId; i++) {
            await new Promise((res) => setTimeout(res, 50));
            taskId = (await tasks())[0]?.id;
        }
        assert.ok(taskId, "the task was submitted");
        await fx.control("POST", `/polardb/tasks/${taskId}/force`, { status: "FAILED", message: "reward function external_countdown raised KeyError" });
        const r = await upPromise;
        assert.equal(r.ok, false);
        const text = r.errors.join("\n");
        assert.match(text, /ended FAILED: last log lines:/);
        assert.match(text, /\[ERROR\] reward function external_countdown raised KeyError/);
        const rec = fx.stack.state().resources[0];
        assert.equal(rec.id, taskId);
        assert.ok(rec.initErrors?.length);
    });

    it("where PolarDB refuses to delete a running task (emulator variant deleteRunning: refused), destroy fails saying to wait, keeps the task, and succeeds once it ended", async () => {
        await fx.close();
        await start(5000); // the task runs long enough to meet the destroy
        await fx.control("POST", "/polardb/variants", { deleteRunning: "refused" });
        fx.stack.config.wait = "false";
        assert.ok((await fx.stack.up()).ok);
        const first = await fx.stack.destroy();
        assert.equal(first.ok, false);
        assert.match(first.errors.join("\n"), /OperationDenied\.DBClusterStatus.*is still ACTIVATION and PolarDB AIDB tasks have no stop action, so it stays in the stack/s);
        assert.equal(fx.stack.state().resources.length, 1, "still recorded");
        const [task] = await tasks();
        await fx.control("POST", `/polardb/tasks/${task.id}/force`, { status: "COMPLETED" });
        const second = await fx.stack.destroy();
        assert.ok(second.ok, second.errors.join("\n"));
        assert.deepEqual(await tasks(), []);
    });

    it("destroy deletes the task, passing the parent cluster as RelativeDBClusterId", async () => {
        fx.stack.config.wait = "false";
        await fx.stack.up();
        const r = await fx.stack.destroy();
        assert.ok(r.ok, r.errors.join("\n"));
        assert.equal(calls("DeleteAIDBClusterTask"), 1);
        // The emulator answers not-found when RelativeDBClusterId names another cluster (the parameter is optional, as in the SDK model), so a delete that worked carried no wrong one.
        assert.deepEqual(await tasks(), []);
        assert.equal(fx.stack.state().resources.length, 0);
    });

    it("destroy of a task already deleted out of band succeeds without a delete call", async () => {
        const up = await fx.stack.up();
        // Delete it through another client: the stack's record now points at nothing.
        const { PolarDbClient } = await import("../../sdk/polardb/client");
        const other = new PolarDbClient({
            credentials: { accessKeyId: EMULATOR_CREDENTIALS.alibabaAccessKeyId, accessKeySecret: EMULATOR_CREDENTIALS.alibabaAccessKeySecret },
            endpoint: fx.stack.env.ALIBABA_CLOUD_POLARDB_ENDPOINT,
        });
        await other.deleteTask(up.outputs.taskId, cluster);
        const r = await fx.stack.destroy();
        assert.ok(r.ok, r.errors.join("\n"));
        assert.equal(calls("DeleteAIDBClusterTask"), 1);
    });

    it("a create whose answer was lost adopts the task by its TaskName instead of submitting a second one", async () => {
        fx.emu.faults.add([{ kind: "lost-response", cloud: "polardb", action: "CreateAIDBClusterTask", count: 1 }]);
        const r = await fx.stack.up();
        assert.ok(r.ok, r.errors.join("\n"));
        const all = await tasks();
        assert.equal(all.length, 1);
        assert.equal(r.outputs.taskId, all[0].id);
        assert.equal(calls("CreateAIDBClusterTask"), 1);
        assert.ok(r.hostLogs.some((l) => /found the job the interrupted submit created/.test(l)), r.hostLogs.join("\n"));
    });

    it("a check failure names the field and the reason and makes no API call", async () => {
        fx.stack.config.epochs = "0";
        const r = await fx.stack.preview();
        assert.equal(r.ok, false);
        assert.match(r.errors.join("\n"), /runningParameter\.num_epochs: must be at least 1/);
        assert.equal(fx.requests(), 0);
    });

    it("a task on a cluster the account does not have fails with InvalidDBClusterId.NotFound and records nothing", async () => {
        fx.stack.config.dbClusterId = "pc-2zenosuchcluster1";
        const r = await fx.stack.up();
        assert.equal(r.ok, false);
        assert.match(r.errors.join("\n"), /InvalidDBClusterId\.NotFound/);
        assert.equal(fx.stack.state().resources.length, 0);
    });

    it("a wrong AccessKey secret fails with SignatureDoesNotMatch and the request id, and the secret is in no message", async () => {
        const wrongSecret = "wrong-polardb-secret-for-test";
        fx.stack.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = wrongSecret;
        const r = await fx.stack.up();
        assert.equal(r.ok, false);
        const text = r.errors.join("\n");
        assert.match(text, /SignatureDoesNotMatch/);
        assert.match(text, /request id [0-9A-F-]{36}/);
        assert.deepEqual(leaked(leakSurface(fx.stack, [r]), [wrongSecret]), []);
    });

    it("credentials from secret alicloud config are used and never written to state or logs", async () => {
        fx.stack.env.ALIBABA_CLOUD_ACCESS_KEY_ID = "";
        fx.stack.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = "";
        fx.stack.config["alicloud:accessKey"] = EMULATOR_CREDENTIALS.alibabaAccessKeyId;
        fx.stack.secretConfig = { "alicloud:secretKey": EMULATOR_CREDENTIALS.alibabaAccessKeySecret };
        const r = await fx.stack.up();
        assert.ok(r.ok, r.errors.join("\n"));
        assert.deepEqual(leaked(leakSurface(fx.stack, [r]), TEST_CREDENTIALS.filter((c) => c !== EMULATOR_CREDENTIALS.alibabaAccessKeyId)), []);
    });

    it("an existing task is adopted with AidbTask.get and read into state, and destroying that stack leaves it alone", async () => {
        fx.stack.config.wait = "false";
        const up = await fx.stack.up();
        const adopt = await engineFixture("polardbAdoptAidbTask.ts");
        await adopt.close();
        adopt.stack.env = { ...fx.stack.env };
        adopt.stack.config = { taskId: up.outputs.taskId, dbClusterId: cluster };
        const r = await adopt.stack.up();
        assert.ok(r.ok, r.errors.join("\n"));
        assert.deepEqual(r.steps.map((s) => s.op), ["read"]);
        assert.equal(r.outputs.adoptedTaskId, up.outputs.taskId);
        const d = await adopt.stack.destroy();
        assert.ok(d.ok, d.errors.join("\n"));
        assert.equal(calls("DeleteAIDBClusterTask"), 0);
    });
});
