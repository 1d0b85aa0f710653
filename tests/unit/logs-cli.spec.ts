import * as assert from "node:assert/strict";
import { UsageError, findResource, kindsWithLogs, logsCommand, newLines } from "../../provider/cli/logs";

const JOB = { urn: "urn:pulumi:dev::p::pulumi-nodejs:dynamic/polardb:AidbTask::tune", type: "pulumi-nodejs:dynamic/polardb:AidbTask", id: "pm-1", custom: true, outputs: {} };
const FILE = { urn: "urn:pulumi:dev::p::pulumi-nodejs:dynamic/bailian:File::data", type: "pulumi-nodejs:dynamic/bailian:File", id: "file-1", custom: true, outputs: {} };

describe("pulumi-training logs (provider/cli/logs.ts)", () => {
    it("a later tail that overlaps what was printed yields only the lines after the overlap", () => {
        assert.deepEqual(newLines(["a", "b", "c"], ["b", "c", "d", "e"]), ["d", "e"]);
    });

    it("a tail that moved past everything printed is printed whole", () => {
        assert.deepEqual(newLines(["a", "b"], ["x", "y"]), ["x", "y"]);
    });

    it("an unchanged tail prints nothing", () => {
        assert.deepEqual(newLines(["a", "b"], ["a", "b"]), []);
    });

    it("finds a resource by its name or its URN", () => {
        const exported = { deployment: { resources: [JOB, FILE] } };
        assert.equal(findResource(exported, "tune").id, "pm-1");
        assert.equal(findResource(exported, JOB.urn).id, "pm-1");
    });

    it("an unknown name is a usage error that lists the stack's resources", () => {
        assert.throws(() => findResource({ deployment: { resources: [JOB, FILE] } }, "nope"), (e: Error) => e instanceof UsageError && /resources: tune, data/.test(e.message));
    });

    it("a resource that is not a job is refused before any cloud call", async () => {
        const calls: string[][] = [];
        const io = { out: () => undefined, sleep: async () => undefined, pulumi: async (args: string[]) => (calls.push(args), JSON.stringify({ deployment: { resources: [FILE] } })) };
        await assert.rejects(logsCommand(["data"], io), /not a job: it has no log/);
        assert.deepEqual(calls, [["stack", "export"]]);
    });

    it("--lines must be a whole number", async () => {
        await assert.rejects(logsCommand(["tune", "--lines", "0"], { out: () => undefined, sleep: async () => undefined, pulumi: async () => "{}" }), /--lines must be a whole number/);
    });

    it("the job kinds whose cloud log the provider reads", () => {
        assert.deepEqual(kindsWithLogs().sort(), ["bailian.FineTuneJob", "polardb.AidbTask", "tione.TrainingTask"]);
    });
});
