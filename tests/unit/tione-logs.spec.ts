import * as assert from "node:assert/strict";
import { RunningEmulator, emulatorEnv, startEmulator } from "../../emulator";
import { TioneClient, TioneClientOptions, tioneOptionsFromEnv } from "../../sdk/tione/client";

/** The TI-ONE log API (DescribeLogs, reference/tione.md §11) through our client and the emulator. */
describe("TI-ONE task logs (DescribeLogs)", () => {
    let emu: RunningEmulator;
    let client: TioneClient;
    const STEP = 1000;

    before(async () => {
        emu = await startEmulator({ stepMs: STEP });
        client = new TioneClient({ ...(tioneOptionsFromEnv(emulatorEnv(emu)) as TioneClientOptions), region: "ap-guangzhou" });
    });
    after(() => emu.close());

    async function started(): Promise<string> {
        const id = await client.createTrainingTask({ Name: `logs-${Date.now()}`, ChargeType: "POSTPAID_BY_HOUR", ResourceConfigInfos: [{ Role: "WORKER", InstanceType: "TI.S.MEDIUM.POST", InstanceNum: 1 }] });
        await fetch(`${emu.url}/_control/clock/advance`, { method: "POST", body: JSON.stringify({ ms: 3.5 * STEP }) });
        return id;
    }

    it("a task not started yet has no log: no call is made without a LatestInstanceId", async () => {
        const before = emu.counts().byCloud.tione?.DescribeLogs ?? 0;
        assert.deepEqual(await client.tailTaskLogs({ LatestInstanceId: null, StartTime: null, CreateTime: undefined }, 5), []);
        assert.equal(emu.counts().byCloud.tione?.DescribeLogs ?? 0, before);
    });

    it("the tail is the newest lines, oldest first, and grows while the task runs", async () => {
        const id = await started();
        const first = await client.tailTaskLogs(await client.describeTrainingTask(id), 100);
        // Read from the task's start (its pod's first line), not the documented default of the last hour.
        assert.match(first[0], new RegExp(`task ${id} STARTING`));
        assert.match(first[first.length - 1], /RUNNING|step/);
        await fetch(`${emu.url}/_control/clock/advance`, { method: "POST", body: JSON.stringify({ ms: 2 * STEP }) });
        const later = await client.tailTaskLogs(await client.describeTrainingTask(id), 100);
        assert.ok(later.length > first.length, "more lines once the task has run on");
        assert.match(later[later.length - 1], /SUCCEED/);
        assert.deepEqual(await client.tailTaskLogs(await client.describeTrainingTask(id), 2), later.slice(-2));
    });

    it("a failed task's log ends with its failure reason", async () => {
        const id = await started();
        await fetch(`${emu.url}/_control/objects/tione/task/${id}/force`, { method: "POST", body: JSON.stringify({ status: "FAILED", reason: "CUDA out of memory" }) });
        const tail = await client.tailTaskLogs(await client.describeTrainingTask(id), 3);
        assert.match(tail[tail.length - 1], /\[ERROR\] CUDA out of memory/);
    });
});
