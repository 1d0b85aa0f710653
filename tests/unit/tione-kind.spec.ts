/**
 * The `tione:TrainingTask` kind (provider/tione/trainingTask.kind.ts): the
 * request mapping, the marker, the field table and diff, and the cloud calls
 * (adoption, stop, outputs) against the emulator started in-process.
 */
import { strict as assert } from "node:assert";
import type { Lifecycle } from "../../provider/core/lifecycle";
import { effectOf } from "../../provider/core/fields";
import { type TrainingTaskInputs, consoleUrlFor, createRequest, decodeStartCmdInfo, encodeStartCmdInfo, taskNameOf, trainingTaskKind as kind } from "../../provider/tione/trainingTask.kind";
import { TRAINING_TASK_STATUSES } from "../../sdk/tione/types";
import type { TioneClient } from "../../sdk/tione/client";
import { RunningEmulator, emulatorEnv, startEmulator } from "../../emulator";
import { hasErrorCode } from "../../sdk/core/errors";

type Inputs = TrainingTaskInputs;

const base = (extra: Partial<Inputs> = {}): Inputs => ({
    pulumiName: "lora",
    chargeType: "POSTPAID_BY_HOUR",
    resourceConfigInfos: [{ role: "WORKER", instanceType: "TI.S.MEDIUM.POST", instanceNum: 1 }],
    ...extra,
});

/** The progress lines `fn` prints (they fall back to stdout without an engine). */
async function capturingProgress(fn: () => Promise<unknown>): Promise<string[]> {
    const lines: string[] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => void lines.push(args.join(" "));
    try {
        await fn();
    } finally {
        console.log = log;
    }
    return lines;
}

/** Start commands with every character class that breaks naive quoting or encoding. */
const TRICKY = {
    startCmd: `python train.py --prompt "it's a \\"test\\"" --sep '\\t' && echo $HOME > /tmp/out`,
    workerStartCmd: "torchrun --nproc_per_node=8 train.py\nsleep 10 # 训练 ✓ 🚀",
};

describe("tione:TrainingTask kind", () => {
    describe("request mapping", () => {
        it("maps lowerCamel inputs to the API's PascalCase, including the acronym fields", () => {
            const req = createRequest(
                base({
                    resourceConfigInfos: [{ role: "WORKER", cpu: 8000, memory: 32768, gpu: 100, gpuType: "A100", rdmaConfig: { enable: true } }],
                    chargeType: "PREPAID",
                    resourceGroupId: "trsg-1",
                    dataConfigs: [
                        { dataSourceType: "COS", cosSource: { bucket: "b", region: "ap-guangzhou", paths: ["/d"] } },
                        { dataSourceType: "CFS", cfsSource: { id: "cfs-1", path: "/", mountType: "STORAGE" } },
                        { cbsSource: { volumeSizeInGB: 100 } },
                    ],
                    exposeNetworkConfig: { sshConfig: { enable: true } },
                    envs: [{ name: "hf_home", value: "/cache" }],
                    tiProjectId: "p-1",
                }),
                "0badc0de",
            );
            assert.deepEqual(req.ResourceConfigInfos, [{ Role: "WORKER", Cpu: 8000, Memory: 32768, Gpu: 100, GpuType: "A100", RDMAConfig: { Enable: true } }]);
            assert.deepEqual(req.DataConfigs, [
                { DataSourceType: "COS", COSSource: { Bucket: "b", Region: "ap-guangzhou", Paths: ["/d"] } },
                { DataSourceType: "CFS", CFSSource: { Id: "cfs-1", Path: "/", MountType: "STORAGE" } },
                { CBSSource: { VolumeSizeInGB: 100 } },
            ]);
            assert.deepEqual(req.ExposeNetworkConfig, { SSHConfig: { Enable: true } });
            assert.deepEqual(req.Envs, [{ Name: "hf_home", Value: "/cache" }], "values are left alone");
            assert.equal(req.TiProjectId, "p-1");
            assert.equal(req.ResourceGroupId, "trsg-1");
        });

        it("sends no provider settings (region, wait, resource name) to the API", () => {
            const req = createRequest(base({ region: "ap-shanghai", waitForCompletion: false, completionTimeoutMinutes: 5 }), "0badc0de") as unknown as Record<string, unknown>;
            for (const k of ["Region", "WaitForCompletion", "CompletionTimeoutMinutes", "PulumiName", "pulumiName"]) assert.equal(k in req, false, k);
        });

        it("sends startCmdInfo only as EncodedStartCmdInfo, base64 of the full JSON, and it round-trips special characters", () => {
            const req = createRequest(base({ startCmdInfo: TRICKY }), "0badc0de");
            assert.equal(req.StartCmdInfo, undefined);
            const encoded = req.EncodedStartCmdInfo?.StartCmdInfo ?? "";
            assert.match(encoded, /^[A-Za-z0-9+/]+=*$/);
            assert.deepEqual(Object.keys(JSON.parse(Buffer.from(encoded, "base64").toString("utf8"))), ["StartCmd", "PsStartCmd", "WorkerStartCmd"]);
            assert.deepEqual(decodeStartCmdInfo(encoded), { ...TRICKY, psStartCmd: "" });
        });

        it("encodes the official example to the documented value", () => {
            assert.equal(encodeStartCmdInfo({ workerStartCmd: "sleep 10" }), "eyJTdGFydENtZCI6IiIsIlBzU3RhcnRDbWQiOiIiLCJXb3JrZXJTdGFydENtZCI6InNsZWVwIDEwIn0=");
        });

        it("serializes an object tuningParameters as JSON and passes a string through", () => {
            assert.equal(createRequest(base({ tuningParameters: { lr: 0.0001, rank: 8 } }), "m").TuningParameters, '{"lr":0.0001,"rank":8}');
            assert.equal(createRequest(base({ tuningParameters: "--lr 1e-4" }), "m").TuningParameters, "--lr 1e-4");
        });

        it("keeps the user's tags and adds the marker tag", () => {
            const req = createRequest(base({ tags: [{ tagKey: "team", tagValue: "nlp" }] }), "0badc0de");
            assert.deepEqual(req.Tags, [{ TagKey: "team", TagValue: "nlp" }, { TagKey: "pulumi-training-marker", TagValue: "0badc0de" }]);
        });

        it("names the task after `name`, else after the resource", () => {
            assert.equal(taskNameOf(base()), "lora");
            assert.equal(createRequest(base({ name: "qwen-lora" }), "m").Name, "qwen-lora");
        });
    });

    describe("marker, field table and diff", () => {
        const lifecycle = require("../../provider/tione/trainingTask.lifecycle") as Lifecycle;

        it("the marker is stable, changes with an API field or the resource name, and ignores the wait settings", () => {
            const m = kind.marker(base());
            assert.match(m, /^[0-9a-f]{8}$/);
            assert.equal(kind.marker(base()), m);
            assert.equal(kind.marker(base({ waitForCompletion: false, completionTimeoutMinutes: 3 })), m);
            assert.notEqual(kind.marker(base({ remark: "v2" })), m);
            assert.notEqual(kind.marker(base({ pulumiName: "other" })), m);
        });

        it("every API field replaces, delete first (the schema's agreement with the field table is the kinds contract's)", () => {
            assert.deepEqual(Object.entries(kind.fields).filter(([, rule]) => effectOf(rule) !== "replace"), []);
            assert.equal(kind.deleteBeforeReplace, true);
        });

        it("reordered tags are no change: TI-ONE neither keeps nor heeds their order", async () => {
            const tags = [{ tagKey: "team", tagValue: "nlp" }, { tagKey: "cost", tagValue: "r&d" }];
            const d = await lifecycle.diff("train-1", { ...base({ tags }), status: "SUCCEED" }, base({ tags: [...tags].reverse() }));
            assert.equal(d.changes, false);
        });

        it("a changed tag value still replaces", async () => {
            const d = await lifecycle.diff("train-1", { ...base({ tags: [{ tagKey: "team", tagValue: "nlp" }] }), status: "SUCCEED" }, base({ tags: [{ tagKey: "team", tagValue: "cv" }] }));
            assert.deepEqual(d.replaces, ["tags"]);
        });

        it("a changed API field plans a delete-before-replace", async () => {
            const d = await lifecycle.diff("train-1", { ...base(), status: "SUCCEED" }, base({ remark: "v2" }));
            assert.deepEqual(d, { changes: true, replaces: ["remark"], deleteBeforeReplace: true });
        });

        it("a changed wait setting is a change without replacement", async () => {
            const d = await lifecycle.diff("train-1", { ...base(), status: "RUNNING" }, base({ waitForCompletion: false }));
            assert.equal(d.changes, true);
            assert.deepEqual(d.replaces, []);
        });

        it("identical inputs on a SUCCEED task are no change", async () => {
            const d = await lifecycle.diff("train-1", { ...base(), status: "SUCCEED", taskId: "train-1" }, base());
            assert.equal(d.changes, false);
        });

        for (const status of ["FAILED", "SUBMIT_FAILED", "STOPPED"]) {
            it(`a task that ended ${status} plans a replacement`, async () => {
                const d = await lifecycle.diff("train-1", { ...base(), status }, base());
                assert.deepEqual(d.replaces, ["status"]);
            });
        }

        it("every documented status has a class, and only SUCCEED counts as success", () => {
            assert.deepEqual(TRAINING_TASK_STATUSES.filter((s) => !(s in kind.run!.statuses)), []);
            assert.deepEqual(Object.entries(kind.run!.statuses).filter(([, c]) => c === "succeeded").map(([s]) => s), ["SUCCEED"]);
        });

        it("links the console page the way Tencent's tikit prints it", () => {
            assert.equal(consoleUrlFor("train-1", "ap-guangzhou"), "https://console.cloud.tencent.com/tione/v2/job/detail/train-1?regionId=1");
            assert.equal(consoleUrlFor("train-1", "eu-frankfurt"), "https://console.cloud.tencent.com/tione/v2/job/detail/train-1");
        });
    });

    describe("against the emulator", () => {
        let emu: RunningEmulator;
        const saved = { ...process.env };
        let client: TioneClient;
        let seq = 0;
        const unique = (extra: Partial<Inputs> = {}) => base({ pulumiName: `kind-${process.pid}-${++seq}`, ...extra });
        const lifecycle = require("../../provider/tione/trainingTask.lifecycle") as Lifecycle;
        const creates = () => emu.counts().byCloud.tione?.CreateTrainingTask ?? 0;

        before(async () => {
            emu = await startEmulator({ stepMs: 100 });
            Object.assign(process.env, emulatorEnv(emu), { PULUMI_TRAINING_POLL_SCALE: "0.01" });
            client = kind.client(base());
        });
        after(async () => {
            for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
            Object.assign(process.env, saved);
            await emu.close();
        });
        afterEach(() => emu.faults.clear());

        it("start commands with special characters survive a submit: Describe returns them unchanged", async () => {
            const inputs = unique({ startCmdInfo: TRICKY });
            const id = (await kind.submit(client, inputs, kind.marker(inputs))).id;
            const t = await kind.get(client, id, inputs);
            assert.deepEqual(t?.StartCmdInfo, { StartCmd: TRICKY.startCmd, PsStartCmd: "", WorkerStartCmd: TRICKY.workerStartCmd });
        });

        it("findByMarker adopts a same-named task that carries this resource's marker", async () => {
            const inputs = unique();
            const id = (await kind.submit(client, inputs, kind.marker(inputs))).id;
            const found = await kind.findByMarker(client, kind.marker(inputs), inputs, new Set());
            assert.equal(found?.Id, id);
            assert.ok(found && "LatestInstanceId" in found, "the detail, not the list item, is returned");
        });

        it("findByMarker refuses a same-named task without the marker, naming it and TrainingTask.get", async () => {
            const inputs = unique();
            const id = await client.createTrainingTask({ Name: taskNameOf(inputs), ChargeType: "POSTPAID_BY_HOUR", ResourceConfigInfos: [{ Role: "WORKER", InstanceType: "TI.S.MEDIUM.POST" }] });
            await assert.rejects(kind.findByMarker(client, kind.marker(inputs), inputs, new Set()), (e: Error) => {
                assert.match(e.message, new RegExp(`a task named "${taskNameOf(inputs)}" exists \\(${id}.*was not created by this resource.*TrainingTask\\.get\\(.*${id}`));
                return true;
            });
        });

        it("findByMarker finds nothing when no task has the Name", async () => {
            const inputs = unique();
            assert.equal(await kind.findByMarker(client, kind.marker(inputs), inputs, new Set()), undefined);
        });

        for (const duplicateNameCode of ["FailedOperation.DuplicateNameTaskIsCreating", "InvalidParameterValue.DuplicateName"]) {
            it(`a second submit of one Name answered ${duplicateNameCode} is taken as "already submitted" (looked up, not failed)`, async () => {
                const variant = (code: string) => fetch(`${emu.url}/_control/tione/variants`, { method: "POST", body: JSON.stringify({ duplicateNameCode: code }) });
                await variant(duplicateNameCode);
                try {
                    const inputs = unique();
                    await kind.submit(client, inputs, kind.marker(inputs));
                    const err = await kind.submit(client, inputs, kind.marker(inputs)).catch((e: unknown) => e);
                    assert.ok(hasErrorCode(err, ...kind.duplicateCodes!), `${(err as Error).message} is one of ${kind.duplicateCodes!.join(", ")}`);
                } finally {
                    await variant("FailedOperation.DuplicateNameTaskIsCreating");
                }
            });
        }

        for (const unsetFields of ["empty", "null"]) {
            it(`a task not started yet reports no start time, instance or failure whether unset fields read as ${unsetFields === "empty" ? '"" and []' : "null"}`, async () => {
                const variant = (v: string) => fetch(`${emu.url}/_control/tione/variants`, { method: "POST", body: JSON.stringify({ unsetFields: v }) });
                await variant(unsetFields);
                try {
                    const { outs } = await lifecycle.create(unique({ waitForCompletion: false }));
                    for (const k of ["startTime", "endTime", "latestInstanceId", "failureReason"]) assert.equal(outs[k], undefined, k);
                } finally {
                    await variant("empty");
                }
            });
        }

        it("create waits for SUCCEED and reports the outputs, times in ISO 8601 UTC", async () => {
            const inputs = unique();
            const { id, outs } = await lifecycle.create(inputs);
            assert.match(id, /^train-\d{19}$/);
            assert.equal(outs.status, "SUCCEED");
            assert.equal(outs.taskId, id);
            assert.equal(outs.taskName, inputs.pulumiName);
            assert.equal(outs.chargeStatus, "NOT_BILLING");
            assert.match(outs.billingInfo, /元\/小时/);
            assert.match(outs.startTime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
            assert.ok(Date.parse(outs.endTime) >= Date.parse(outs.startTime));
            assert.match(outs.latestInstanceId, new RegExp(`^${id}-`));
            assert.equal(outs.consoleUrl, `https://console.cloud.tencent.com/tione/v2/job/detail/${id}?regionId=1`);
            assert.equal(typeof outs.runtimeInSeconds, "number");
        });

        it("a create whose answer is lost adopts the task it created instead of submitting a second one", async () => {
            const inputs = unique();
            emu.faults.add([{ kind: "lost-response", cloud: "tione", action: "CreateTrainingTask", count: 1 }]);
            const before = creates();
            const { id, outs } = await lifecycle.create(inputs);
            assert.equal(creates() - before, 1);
            assert.equal(outs.status, "SUCCEED");
            const tasks = (await (await fetch(`${emu.url}/_control/tione/tasks`)).json()) as { tasks: Array<{ Id: string; Name: string }> };
            assert.deepEqual(tasks.tasks.filter((t) => t.Name === inputs.pulumiName).map((t) => t.Id), [id]);
        });

        it("a re-run create finds the task already in flight and waits on it instead of creating a second", async () => {
            const inputs = unique({ waitForCompletion: false });
            const first = await lifecycle.create(inputs);
            const before = creates();
            const again = await lifecycle.create({ ...inputs, waitForCompletion: true });
            assert.equal(again.id, first.id);
            // Names are unique on TI-ONE: the create submits first, is refused as a duplicate, and adopts the first.
            assert.equal(creates() - before, 1);
            const tasks = (await (await fetch(`${emu.url}/_control/tione/tasks`)).json()) as { tasks: Array<{ Id: string; Name: string }> };
            assert.deepEqual(tasks.tasks.filter((t) => t.Name === inputs.pulumiName).map((t) => t.Id), [first.id]);
            assert.equal(again.outs.status, "SUCCEED");
        });

        it("cancel waits out InternalError.UnSubmittedStatusNotAllowStop and then stops the task", async () => {
            const inputs = unique();
            const id = (await kind.submit(client, inputs, kind.marker(inputs))).id;
            const force = (status: string) => fetch(`${emu.url}/_control/tione/tasks/${id}/force`, { method: "POST", body: JSON.stringify({ status }) });
            await force("SUBMITTING"); // held in SUBMITTING until released below
            const stops = () => emu.counts().byCloud.tione?.StopTrainingTask ?? 0;
            const before = stops();
            const release = new Promise((r) => setTimeout(r, 300)).then(() => force("PENDING"));
            const lines = await capturingProgress(() => kind.run!.cancel!(client, id, inputs, Date.now() - 40_000));
            await release;
            assert.ok(stops() - before >= 2, `expected refused stops before the accepted one, saw ${stops() - before}`);
            assert.equal((await kind.get(client, id, inputs))?.Status, "STOPPING");
            // Never silent: the first refusal says what is going on, with the time since the destroy began.
            assert.match(lines.join("\n"), /TI-ONE refuses to stop a task that is being submitted; retrying the stop \(4\ds elapsed/);
        });

        it("remove of an unknown task answers a not-found code, which the lifecycle counts as gone", async () => {
            const err = await kind.remove(client, "train-1000000000000000000", base(), {} as never).catch((e: unknown) => e);
            assert.ok(hasErrorCode(err, ...(kind.notFoundCodes as readonly string[])), String(err));
        });

        it("check makes no API call", async () => {
            const before = emu.counts().total;
            const res = await lifecycle.check({}, base({ chargeType: "PREPAID" }));
            assert.deepEqual((res.failures ?? []).map((f) => f.property).sort(), ["resourceConfigInfos[0].cpu", "resourceConfigInfos[0].memory", "resourceGroupId"]);
            assert.equal(emu.counts().total - before, 0);
        });
    });
});
