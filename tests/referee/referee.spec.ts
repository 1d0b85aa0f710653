/**
 * Vendor SDKs as referees of the emulator. Our clients and the emulator were
 * written by the same hands, so agreement between them proves little; the
 * vendors' own SDKs, which nobody here wrote, talk to the emulator exactly as
 * they talk to the cloud, and every call they make and every answer they
 * parse must work. A disagreement is an emulator (or client) bug.
 *
 * The SDKs live in a Python venv built from requirements-dev.txt by
 * `npm run referee-venv`. Without it the layer is skipped, unless
 * PULUMI_TRAINING_REQUIRE_REFEREE is set (CI sets it), which fails instead.
 */
import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { EMULATOR_CREDENTIALS, RunningEmulator, emulatorEnv, startEmulator } from "../../emulator";
import { REPO_ROOT } from "../../harness";

/** The venv's python, where scripts/referee-venv.sh puts it (same key: the requirements file's hash). */
function refereePython(): string | undefined {
    if (process.env.PULUMI_TRAINING_REFEREE_PYTHON) return process.env.PULUMI_TRAINING_REFEREE_PYTHON;
    const key = createHash("sha256").update(fs.readFileSync(path.join(REPO_ROOT, "requirements-dev.txt"))).digest("hex").slice(0, 12);
    const venv = path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "pulumi-training", `referee-venv-${key}`);
    return fs.existsSync(path.join(venv, ".complete")) ? path.join(venv, "bin", "python") : undefined;
}

interface Step {
    step: string;
    status_code: number | null;
    code: string | null;
    message: string | null;
    [k: string]: unknown;
}

/** Runs one referee script against `emu`; its steps by name. */
async function referee(python: string, script: string, emu: RunningEmulator, env: Record<string, string> = {}): Promise<Map<string, Step>> {
    const { stdout } = await promisify(execFile)(python, [path.join(__dirname, script)], {
        env: { ...process.env, ...emulatorEnv(emu), ...env },
        timeout: 60_000,
    });
    return new Map(stdout.trim().split("\n").map((line) => JSON.parse(line) as Step).map((s) => [s.step, s]));
}

const python = refereePython();
const describeReferee = python ? describe : process.env.PULUMI_TRAINING_REQUIRE_REFEREE ? describe : describe.skip;

describeReferee("vendor SDKs referee the emulator", function () {
    this.timeout(120_000);
    if (!python) {
        it("needs the referee venv", () => assert.fail("no referee venv: run `npm run referee-venv` first"));
        return;
    }

    describe("DashScope: the official dashscope Python SDK (fine-tunes and files)", () => {
        let emu: RunningEmulator;
        let steps: Map<string, Step>;
        const step = (name: string): Step => {
            const s = steps.get(name);
            assert.ok(s, `the script reached "${name}"`);
            return s;
        };

        before(async () => {
            emu = await startEmulator({ stepMs: 60_000 });
            const data = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pt-referee-")), "train.jsonl");
            fs.writeFileSync(data, `${JSON.stringify({ messages: [{ role: "user", content: "hi" }, { role: "assistant", content: "hello" }] })}\n`);
            steps = await referee(python, "dashscope_referee.py", emu, { REFEREE_DATA: data, DASHSCOPE_API_KEY: EMULATOR_CREDENTIALS.dashscopeApiKey });
        });
        after(() => emu.close());

        it("uploads a file the SDK's way (multipart, its default purpose) and reads it back by id and in the list", () => {
            const id = step("files.upload").file_id as string;
            assert.match(id, /^file-/);
            assert.equal(step("files.get").name, "train.jsonl");
            assert.ok((step("files.list").ids as string[]).includes(id));
        });

        it("creates a fine-tune the SDK parses, with the hyper-parameters sent echoed back", () => {
            const created = step("fine_tunes.call");
            assert.equal(created.status_code, 200);
            assert.match(String(created.job_id), /^ft-/);
            assert.equal(created.status, "PENDING");
            const echoed = created.hyper_parameters as Record<string, unknown>;
            for (const [k, v] of Object.entries({ n_epochs: 1, batch_size: 8, max_length: 2048 })) assert.equal(echoed[k], v, k);
        });

        it("gets, lists and cancels the fine-tune", () => {
            const id = step("fine_tunes.call").job_id;
            assert.equal(step("fine_tunes.get").job_id, id);
            assert.equal(step("fine_tunes.get").model, "qwen3-8b");
            assert.ok((step("fine_tunes.list").ids as string[]).includes(id as string));
            assert.equal(step("fine_tunes.cancel").status_code, 200);
            assert.match(String(step("fine_tunes.get after cancel").status), /^CANCEL(ING|ED)$/);
        });

        it("an unknown job reaches the SDK as 404 NotFound", () => {
            const s = step("fine_tunes.get unknown");
            assert.deepEqual([s.status_code, s.code], [404, "NotFound"]);
        });

        it("a create without batch_size reaches the SDK as 400 InvalidParameter naming it", () => {
            const s = step("fine_tunes.call without batch_size");
            assert.deepEqual([s.status_code, s.code], [400, "InvalidParameter"]);
            assert.match(String(s.message), /batch_size/);
        });

        it("a create with an unknown file reaches the SDK as 400 InvalidParameter", () => {
            const s = step("fine_tunes.call unknown file");
            assert.deepEqual([s.status_code, s.code], [400, "InvalidParameter"]);
        });

        it("deletes the file, after which the SDK reads 404 NotFound", () => {
            assert.equal(step("files.delete").status_code, 200);
            assert.deepEqual([step("files.get deleted").status_code, step("files.get deleted").code], [404, "NotFound"]);
        });
    });

    /** A referee script against an emulator that also serves each cloud at the root of its own port. */
    function rootMounted(script: string, cloud: "tione" | "polardb", env: (emu: RunningEmulator) => Record<string, string>) {
        let emu: RunningEmulator;
        let steps: Map<string, Step>;
        before(async () => {
            emu = await startEmulator({ stepMs: 60_000, cloudPorts: true });
            steps = await referee(python!, script, emu, { ...env(emu), [`${cloud.toUpperCase()}_ENDPOINT`]: new URL(emu.cloudUrls[cloud]).host });
        });
        after(() => emu.close());
        return (name: string): Step => {
            const s = steps.get(name);
            assert.ok(s, `the script reached "${name}"`);
            return s;
        };
    }

    describe("TI-ONE: the official tencentcloud-sdk-python-tione (2021-11-11), signing TC3 over the host and path it is given", () => {
        const step = rootMounted("tione_referee.py", "tione", () => ({}));

        it("creates a task and reads it back, detail and list, through the SDK's typed models", () => {
            const id = step("CreateTrainingTask").id as string;
            assert.match(id, /^train-\d{19}$/);
            assert.deepEqual([step("DescribeTrainingTask").id, step("DescribeTrainingTask").name, step("DescribeTrainingTask").start_cmd], [id, "referee-task", "python train.py"]);
            assert.deepEqual(step("DescribeTrainingTasks").ids, [id]);
            assert.deepEqual(step("DescribeTrainingTasks").envs, [["MODE"]]);
            assert.deepEqual(step("DescribeTrainingTasks").app_ids, ["1250000000"]);
        });

        it("a taken name, an unknown id and a missing field reach the SDK with the documented codes", () => {
            assert.match(String(step("CreateTrainingTask duplicate").code), /^(FailedOperation\.DuplicateNameTaskIsCreating|InvalidParameterValue\.DuplicateName)$/);
            assert.equal(step("DescribeTrainingTask unknown").code, "ResourceNotFound");
            assert.equal(step("CreateTrainingTask without ResourceConfigInfos").code, "MissingParameter");
        });

        it("a stop before the task is submitted is refused as documented, and a delete of an unfinished task is refused too", () => {
            assert.equal(step("StopTrainingTask while submitting").code, "InternalError.UnSubmittedStatusNotAllowStop");
            // Which states allow delete is inferred (reference/tione.md); the SDK must surface the refusal's code either way.
            assert.equal(step("DeleteTrainingTask while submitting").code, "InternalError.NotAllow");
        });
    });

    describe("PolarDB: Alibaba's official alibabacloud-polardb20170801, signing ACS3 itself", () => {
        const step = rootMounted("polardb_referee.py", "polardb", () => ({ REFEREE_CLUSTER: "pc-2ze0000000000000" }));

        it("creates a task whose running parameters hold spaces (sent as `+`, signed as %20), and reads it back", () => {
            const id = step("CreateAIDBClusterTask").id as string;
            assert.match(id, /^pm-/);
            assert.deepEqual([step("DescribeAIDBClusterTaskAttribute").id, step("DescribeAIDBClusterTaskAttribute").name], [id, "referee-task"]);
            assert.deepEqual(step("DescribeAIDBClusterTasks").ids, [id]);
        });

        it("an unknown task reaches the SDK as InvalidDBClusterId.NotFound; delete without the parent cluster works", () => {
            assert.equal(step("DescribeAIDBClusterTaskAttribute unknown").code, "InvalidDBClusterId.NotFound");
            assert.equal(step("DeleteAIDBClusterTask").ok, true);
            assert.equal(step("DescribeAIDBClusterTaskAttribute deleted").code, "InvalidDBClusterId.NotFound");
        });
    });
});
