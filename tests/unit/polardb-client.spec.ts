/**
 * The PolarDB AIDB client (sdk/polardb/client.ts): endpoint rules, and every
 * action against the emulator started in-process (clusters seeded through
 * the control API).
 */
import { strict as assert } from "node:assert";
import { CENTRAL_ENDPOINT_REGIONS, PolarDbClient, PolarDbClientOptions, isTaskNotFound, polardbEndpointHost } from "../../sdk/polardb/client";
import type { CreateAidbTaskRequest } from "../../sdk/polardb/types";
import { EMULATOR_CREDENTIALS, RunningEmulator, emulatorEnv, startEmulator } from "../../emulator";
import { expectCloudError } from "./cloudErrors";

const STEP_MS = 100;
let seq = 0;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("PolarDB endpoint rules", () => {
    for (const region of ["cn-beijing", "cn-hangzhou", "cn-shanghai", "cn-qingdao", "cn-wulanchabu", "cn-heyuan"]) {
        it(`${region} uses the central host polardb.aliyuncs.com`, () => {
            assert.equal(polardbEndpointHost(region), "polardb.aliyuncs.com");
        });
    }

    for (const region of ["cn-zhangjiakou", "cn-shenzhen", "cn-hongkong", "ap-southeast-1", "us-east-1", "eu-central-1", "na-south-1"]) {
        it(`${region} uses polardb.${region}.aliyuncs.com`, () => {
            assert.equal(polardbEndpointHost(region), `polardb.${region}.aliyuncs.com`);
        });
    }

    it("a region the SDK map does not know falls back to polardb.<region>.aliyuncs.com", () => {
        assert.equal(polardbEndpointHost("xx-newregion-1"), "polardb.xx-newregion-1.aliyuncs.com");
    });

    it("the central list holds only regions, no hosts", () => {
        for (const r of CENTRAL_ENDPOINT_REGIONS) assert.match(r, /^[a-z]+(-[a-z0-9]+)+$/);
    });

    it("a client for cn-shenzhen calls https://polardb.cn-shenzhen.aliyuncs.com/", () => {
        const c = new PolarDbClient({ credentials: { accessKeyId: "id", accessKeySecret: "secret" }, regionId: "cn-shenzhen" });
        assert.equal(c.rpc.endpoint, "https://polardb.cn-shenzhen.aliyuncs.com/");
    });

    it("an endpoint override wins over the region", () => {
        const c = new PolarDbClient({ credentials: { accessKeyId: "id", accessKeySecret: "secret" }, regionId: "cn-beijing", endpoint: "http://127.0.0.1:4010/polardb/" });
        assert.equal(c.rpc.endpoint, "http://127.0.0.1:4010/polardb/");
    });

    it("without a region or an endpoint the client refuses to start and names the settings", () => {
        assert.throws(() => new PolarDbClient({ credentials: { accessKeyId: "id", accessKeySecret: "secret" } }), /alicloud:region.*ALIBABA_CLOUD_REGION_ID/);
    });
});

describe("PolarDB client against the emulator", () => {
    let emu: RunningEmulator;
    let cluster: string;
    let otherCluster: string;

    const client = (o: Partial<PolarDbClientOptions> = {}) =>
        new PolarDbClient({
            credentials: { accessKeyId: EMULATOR_CREDENTIALS.alibabaAccessKeyId, accessKeySecret: EMULATOR_CREDENTIALS.alibabaAccessKeySecret },
            endpoint: emulatorEnv(emu).ALIBABA_CLOUD_POLARDB_ENDPOINT,
            regionId: "cn-beijing",
            rateLimit: { perSecond: 1000 },
            retry: { baseDelayMs: 5, maxDelayMs: 50 },
            ...o,
        });
    const control = async <T = unknown>(method: string, path: string, body?: unknown): Promise<T> =>
        (await (await fetch(`${emu.url}/_control${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) })).json()) as T;
    const seedCluster = async () => (await control<{ dbClusterId: string }>("POST", "/polardb/clusters", { regionId: "cn-beijing" })).dbClusterId;
    const request = (o: Partial<CreateAidbTaskRequest> = {}): CreateAidbTaskRequest => ({
        DBClusterId: cluster,
        ModelSource: "public",
        ModelName: "Qwen3-8B",
        KubeType: "aitrain",
        RunningParameter: JSON.stringify({ train_mode: "grpo", train_type: "lora", num_epochs: 1 }),
        DatasetPath: "pds-2zetrain001",
        TaskName: `client-test-${process.pid}-${++seq}`,
        ...o,
    });

    before(async () => {
        emu = await startEmulator({ stepMs: STEP_MS });
        cluster = await seedCluster();
        otherCluster = await seedCluster();
    });
    after(() => emu.close());

    it("createTask returns a pm- task id and a numeric OrderId", async () => {
        const res = await client().createTask(request());
        assert.match(res.DBClusterId, /^pm-[a-z0-9]+$/);
        assert.match(res.OrderId ?? "", /^\d{13}$/);
    });

    it("a new task is ACTIVATION, then COMPLETED with model paths after three clock steps", async () => {
        const c = client();
        const { DBClusterId: id } = await c.createTask(request());
        assert.equal((await c.describeTask(id)).DBClusterStatus, "ACTIVATION");
        await sleep(3 * STEP_MS + 50);
        const done = await c.describeTask(id);
        assert.equal(done.DBClusterStatus, "COMPLETED");
        assert.match(done.ModelPath ?? "", new RegExp(`^/models_train/${id}/merged_models_checkpoint-\\d+,`));
        assert.ok(done.TaskInfo?.[0]?.CompletedTime);
    });

    it("describeTask reports the TaskName, the RunningParameter and the training dataset", async () => {
        const c = client();
        const req = request();
        const { DBClusterId: id } = await c.createTask(req);
        const t = await c.describeTask(id);
        assert.equal(t.DBClusterDescription, req.TaskName);
        assert.equal(t.TaskInfo?.[0]?.RunningTimes, req.RunningParameter);
        assert.deepEqual(t.DataSets?.map((d) => [d.DatasetName, d.Type]), [["pds-2zetrain001", "train"]]);
    });

    it("a task on a cluster the account does not have fails with InvalidDBClusterId.NotFound (404)", async () => {
        const e = await expectCloudError(client().createTask(request({ DBClusterId: "pc-2zenosuchcluster1" })), "InvalidDBClusterId.NotFound");
        assert.equal(e.httpStatus, 404);
    });

    it("a task on a cluster of another region fails as not found", async () => {
        await expectCloudError(client({ regionId: "cn-hangzhou" }).createTask(request()), "InvalidDBClusterId.NotFound");
    });

    it("a create without ModelName fails with MissingParameter naming it", async () => {
        const e = await expectCloudError(client().createTask(request({ ModelName: undefined as unknown as string })), "MissingParameter");
        assert.ok(e.message.includes('"ModelName"'), e.message);
    });

    it("a fine-tune without DatasetPath fails with MissingParameter DatasetPath", async () => {
        const e = await expectCloudError(client().createTask(request({ DatasetPath: undefined })), "MissingParameter");
        assert.ok(e.message.includes('"DatasetPath"'), e.message);
    });

    it("a RunningParameter that is not a JSON object fails with InvalidParameter", async () => {
        await expectCloudError(client().createTask(request({ RunningParameter: "num_epochs=1" })), "InvalidParameter");
    });

    it("an unknown task id fails with InvalidDBClusterId.NotFound (404), which isTaskNotFound recognises", async () => {
        const e = await expectCloudError(client().describeTask("pm-2zenosuchtask0000"), "InvalidDBClusterId.NotFound");
        assert.equal(e.httpStatus, 404);
        assert.equal(isTaskNotFound(e), true);
    });

    it("findTask returns undefined for an unknown task id", async () => {
        assert.equal(await client().findTask("pm-2zenosuchtask0000"), undefined);
    });

    it("listTasks by RelativeDBClusterId returns only that cluster's tasks", async () => {
        const c = client();
        const mine = (await c.createTask(request())).DBClusterId;
        const theirs = (await c.createTask(request({ DBClusterId: otherCluster }))).DBClusterId;
        const ids = ((await c.listTasks(cluster)).Items ?? []).map((i) => i.DBNodeId);
        assert.ok(ids.includes(mine));
        assert.ok(!ids.includes(theirs));
    });

    describe("a cluster with more tasks than one default page (the SDK model pages DescribeAIDBClusterTasks)", () => {
        let busy: string;
        const names: string[] = [];
        before(async function () {
            this.timeout(60_000);
            busy = await seedCluster();
            const c = client();
            for (let i = 0; i < 35; i++) {
                const req = request({ DBClusterId: busy });
                names.push(req.TaskName as string);
                await c.createTask(req);
            }
        });
        afterEach(() => control("POST", "/polardb/variants", { taskPaging: "paged" }));

        it("listTasks returns every task, not the first page of 30", async () => {
            assert.equal(((await client().listTasks(busy)).Items ?? []).length, 35);
        });

        it("findTasksByName finds a task beyond the first default page", async () => {
            const found = await client().findTasksByName(busy, names[0]);
            assert.equal(found.length, 1);
        });

        it("against a service that ignores paging, one call returns every task and the walk stops", async () => {
            await control("POST", "/polardb/variants", { taskPaging: "all" });
            const before = emu.counts().byCloud.polardb?.DescribeAIDBClusterTasks ?? 0;
            assert.equal(((await client().listTasks(busy)).Items ?? []).length, 35);
            assert.equal((emu.counts().byCloud.polardb?.DescribeAIDBClusterTasks ?? 0) - before, 1);
        });
    });

    it("listTasks of an unknown cluster is an empty list, not an error", async () => {
        assert.deepEqual((await client().listTasks("pc-2zenosuchcluster1")).Items, []);
    });

    it("findTasksByName finds the task carrying that TaskName, in detail", async () => {
        const c = client();
        const req = request();
        const { DBClusterId: id } = await c.createTask(req);
        const [found] = await c.findTasksByName(cluster, req.TaskName as string);
        assert.equal(found?.DBClusterId, id);
        assert.equal(found?.DBClusterStatus, "ACTIVATION");
    });

    it("findTasksByName returns nothing when no task carries the name", async () => {
        assert.deepEqual(await client().findTasksByName(cluster, "nobody-named-this-abcdef12"), []);
    });

    // DBNodeDescription is "the node description" in the SDK model, not the task name: the lookup must hold whatever it carries.
    describe("findTasksByName whatever list items carry in DBNodeDescription", () => {
        afterEach(() => control("POST", "/polardb/variants", { listItemDescription: "other" }));

        for (const variant of ["other", "task-name", "empty", "absent"]) {
            it(`${variant}: returns every task named so, in detail, and no other task of the cluster`, async () => {
                await control("POST", "/polardb/variants", { listItemDescription: variant });
                const c = client();
                const own = await seedCluster();
                const name = `lookup-${variant}-${process.pid}`;
                const first = (await c.createTask(request({ DBClusterId: own, TaskName: name }))).DBClusterId;
                await c.createTask(request({ DBClusterId: own, TaskName: `${name}-other` }));
                const second = (await c.createTask(request({ DBClusterId: own, TaskName: name }))).DBClusterId;

                const found = await c.findTasksByName(own, name);
                assert.deepEqual(found.map((t) => t.DBClusterId).sort(), [first, second].sort());
                // DBClusterDescription is a field of the detail only.
                assert.ok(found.every((t) => t.DBClusterDescription === name));
            });
        }

        it("other: a task whose list item's node description happens to equal the name is not taken when its detail names another task", async () => {
            const c = client();
            const own = await seedCluster();
            await c.createTask(request({ DBClusterId: own, TaskName: "named-otherwise" }));
            // Under the default variant every item's node description is the SDK model's example, `test`.
            assert.deepEqual(await c.findTasksByName(own, "test"), []);
        });
    });

    it("deleteTask with the parent cluster removes the task", async () => {
        const c = client();
        const { DBClusterId: id } = await c.createTask(request());
        const res = await c.deleteTask(id, cluster);
        assert.deepEqual([res.DBClusterId, res.RelativeDBClusterId], [id, cluster]);
        assert.equal(await c.findTask(id), undefined);
    });

    it("deleteTask with the wrong parent cluster fails as not found and keeps the task", async () => {
        const c = client();
        const { DBClusterId: id } = await c.createTask(request());
        await expectCloudError(c.deleteTask(id, otherCluster), "InvalidDBClusterId.NotFound");
        assert.ok(await c.findTask(id));
    });

    it("deleting a task twice answers not found the second time", async () => {
        const c = client();
        const { DBClusterId: id } = await c.createTask(request());
        await c.deleteTask(id, cluster);
        await expectCloudError(c.deleteTask(id, cluster), "InvalidDBClusterId.NotFound");
    });

    it("a task forced FAILED ends its log with the error, and tailTaskLogs returns it last, oldest first", async () => {
        const c = client();
        const { DBClusterId: id } = await c.createTask(request());
        await control("POST", `/polardb/tasks/${id}/force`, { status: "FAILED", message: "reward function format raised KeyError" });
        assert.equal((await c.describeTask(id)).DBClusterStatus, "FAILED");
        const tail = await c.tailTaskLogs(id, { since: new Date(Date.now() - 60_000), count: 5 });
        assert.ok(tail.length >= 3, tail.join("\n"));
        assert.match(tail[tail.length - 2], /\[ERROR\] reward function format raised KeyError/);
        assert.match(tail[tail.length - 1], /FAILED$/);
        assert.match(tail[0], /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z /);
    });

    it("describeTaskLogs pages oldest first with PageSize 30", async () => {
        const c = client();
        const { DBClusterId: id } = await c.createTask(request());
        await sleep(3 * STEP_MS + 50);
        const page = await c.describeTaskLogs({ taskId: id, startTime: new Date(Date.now() - 60_000), endTime: new Date(Date.now() + 60_000), pageSize: 30 });
        const messages = (page.Items?.SlsLogItems ?? []).map((i) => i.Message ?? "");
        assert.equal(page.PageSize, 30);
        assert.match(messages[0], /accepted/);
        assert.match(messages[messages.length - 1], /COMPLETED$/);
    });
});
