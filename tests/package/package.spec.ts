/**
 * The package as users receive it: `npm pack` of the built repository, the
 * tarball installed with `npm install` into a fresh Pulumi project in a
 * temporary directory (no path back to this repository's sources or
 * node_modules), then `pulumi preview`, `up`, `refresh` and `destroy` of that
 * project through the real CLI against the emulator.
 *
 * The project is what `pulumi new typescript` plus README step 1 give a user:
 * Pulumi.yaml with `runtime: nodejs` (TypeScript, no build step), a package.json
 * with `@pulumi/pulumi`, `pulumi-training` (here `file:<tarball>`) and
 * `typescript`, and an index.ts. The program is served by ./languageHost.js,
 * which loads everything from the project's node_modules (see there for why
 * not the Go `pulumi-language-nodejs`); the dynamic-provider plugin, the
 * engine, the backend and the checkpoint are the CLI's own.
 *
 * Needs `npm run build` first (npm test runs it): the tarball is packed from dist/.
 */
import * as assert from "node:assert/strict";
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { RunningEmulator, emulatorEnv, startEmulator } from "../../emulator";
import { REPO_ROOT } from "../../harness";
import { CliResult, CliStack, NODE, assertOk, kindOf, processesIn } from "../cli/cli";
import { liveRecords } from "../cli/emulatorRecords";
import { FAST_POLL, emulatorControl } from "../engine/support";
import { describeCli, summary } from "../cli/support";

const REPO_PACKAGE = require(path.join(REPO_ROOT, "package.json"));
const HOST = path.join(__dirname, "languageHost.js");
const PROJECT = "pt-package-user";

/** The `@pulumi/pulumi` range a user's project has: the one the package asks for. */
const PULUMI_RANGE: string = REPO_PACKAGE.peerDependencies?.["@pulumi/pulumi"] ?? REPO_PACKAGE.dependencies?.["@pulumi/pulumi"];

/**
 * The environment of a user's shell: this process's, minus what an enclosing
 * `npm test` adds (npm_config_*, npm_package_*) and NODE_PATH, with Node 22
 * first on PATH (the `node` npm package; @pulumi/pulumi needs 22).
 */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) && k !== "NODE_PATH" && k !== "INIT_CWD") env[k] = v;
    return { ...env, PATH: [path.dirname(NODE), process.env.PATH ?? ""].join(path.delimiter), ...extra };
}

/** Runs a command to its end, output collected (stdout and stderr interleaved, and stdout alone). */
function exec(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<CliResult & { stdout: string }> {
    return new Promise((resolve, reject) => {
        const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
        const all: string[] = [];
        const out: string[] = [];
        child.stdout!.on("data", (d: Buffer) => (out.push(d.toString("utf8")), all.push(d.toString("utf8"))));
        child.stderr!.on("data", (d: Buffer) => all.push(d.toString("utf8")));
        child.on("error", reject);
        child.on("close", (code, signal) => resolve({ code, signal, output: all.join(""), stdout: out.join(""), command: `${cmd} ${args.join(" ")}` }));
    });
}

/**
 * Every installed copy of `@pulumi/pulumi` under `dir`/node_modules, by real
 * path: nested copies and copies behind links (a `file:<directory>` install
 * links the package's own node_modules in) included.
 */
function pulumiCopies(dir: string, seen = new Set<string>(), found: string[] = []): string[] {
    const nm = path.join(dir, "node_modules");
    if (!fs.existsSync(nm)) return found;
    const entries = fs.readdirSync(nm).flatMap((e) => (e.startsWith("@") ? fs.readdirSync(path.join(nm, e)).map((s) => `${e}/${s}`) : e.startsWith(".") ? [] : [e]));
    for (const name of entries) {
        let real: string;
        try {
            real = fs.realpathSync(path.join(nm, name));
        } catch {
            continue; // A dangling link.
        }
        if (seen.has(real) || !fs.existsSync(path.join(real, "package.json"))) continue;
        seen.add(real);
        if (name === "@pulumi/pulumi") found.push(real);
        pulumiCopies(real, seen, found);
    }
    return found;
}

/** The user's program: one resource of two clouds (args as in tests/engine/programs), outputs exported. */
const INDEX_TS = `import * as pulumi from "@pulumi/pulumi";
import { alaya, tione } from "pulumi-training";

const task = new tione.TrainingTask("lora", {
    name: "package-lora",
    chargeType: "POSTPAID_BY_HOUR",
    resourceConfigInfos: [{ role: "WORKER", instanceType: "TI.GN7.8XLARGE128.POST", instanceNum: 1 }],
    startCmdInfo: { startCmd: "python train.py" },
    tuningParameters: { learning_rate: 1e-4, lora_rank: 8 },
    remark: "package test",
    waitForCompletion: true,
    completionTimeoutMinutes: 30,
});

const template = new alaya.TrainingTemplate("tpl", {
    name: "package-template",
    description: "package test template",
    aidcId: 2,
    trainingType: "PRE_TRAINING",
    trainingFramework: "PyTorch",
    imageType: "general",
    image: "harbor.zetyun.cn/anc-public/general/pytorch:2.3",
    env: { ENV_MODE: "production" },
    resource: { type: "worker", cpuCores: 2, gpuCount: 1, memoryGB: 8, workerCount: 1, productCode: "PRD-QTT" },
    startCommand: "python train.py --data /root/nas/data",
    storageConfigs: [{ storageId: "nas-1", storageType: "nas-capacity", fileDirectory: "data", mountPath: "/root/nas/data", onlyRead: true }],
});

export const taskId = task.taskId;
export const taskStatus = task.status;
export const templateId = template.templateId;
export const stack = pulumi.getStack();
`;

describeCli("the package as users receive it: npm pack, npm install into a Pulumi project, pulumi up", function () {
    // One pack, one install (from the registry mirror's cache when warm), one up and destroy.
    this.timeout(600_000);

    let tmp: string;
    let projectDir: string;
    let tarball: string;
    let emu: RunningEmulator | undefined;
    let stack: CliStack;
    const hosts: ChildProcess[] = [];

    /** `pulumi <args>` with the program served from the project by ./languageHost.js. */
    async function withProgram(args: string[]): Promise<CliResult> {
        const host = spawn(NODE, [HOST, projectDir], { cwd: projectDir, env: stack.cliEnv(), stdio: ["pipe", "pipe", "pipe"] });
        hosts.push(host);
        const early: string[] = [];
        const port = await new Promise<string>((resolve, reject) => {
            let buf = "";
            host.stdout!.on("data", (d: Buffer) => {
                buf += d.toString("utf8");
                const m = /LISTENING (\d+)\n/.exec(buf);
                if (m) resolve(m[1]);
            });
            host.stderr!.on("data", (d: Buffer) => early.push(d.toString("utf8")));
            host.on("exit", (code) => reject(new Error(`the language host exited with ${code}:\n${early.join("")}${buf}`)));
        });
        try {
            const r = await stack.run([...args, `--client=127.0.0.1:${port}`, "--exec-kind", "auto.inline"]);
            // What the program printed to stderr (a TypeScript error, say) belongs to the command's output.
            return { ...r, output: r.output + early.join("") };
        } finally {
            host.stdin!.end();
            host.kill("SIGTERM");
        }
    }

    before(async function () {
        assert.ok(
            fs.existsSync(path.join(REPO_ROOT, "dist", "provider", "index.js")),
            "dist/ is missing: run `npm run build` before these tests (`npm test` does); the tarball is packed from dist/",
        );
        tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "pt-package-")));
        projectDir = path.join(tmp, "project");
        fs.mkdirSync(path.join(tmp, "pack"));
        fs.mkdirSync(projectDir);

        // 1. npm pack, into the temporary directory (no tarball left in the repository).
        const pack = await exec("npm", ["pack", "--json", "--pack-destination", path.join(tmp, "pack")], REPO_ROOT, userEnv());
        assertOk(pack);
        const [packed] = JSON.parse(pack.stdout);
        tarball = path.join(tmp, "pack", packed.filename);
        assert.ok(fs.existsSync(tarball), `npm pack made no ${tarball}:\n${pack.output}`);

        // 2. A fresh Pulumi project that depends on the tarball.
        fs.writeFileSync(path.join(projectDir, "Pulumi.yaml"), `name: ${PROJECT}\nruntime: nodejs\ndescription: A user's project installing pulumi-training from its npm tarball.\n`);
        const userPackage = {
            name: PROJECT,
            version: "1.0.0",
            private: true,
            main: "index.ts",
            dependencies: { "@pulumi/pulumi": PULUMI_RANGE, "pulumi-training": `file:${tarball}` },
            devDependencies: { "@types/node": REPO_PACKAGE.devDependencies["@types/node"], typescript: REPO_PACKAGE.devDependencies.typescript },
        };
        fs.writeFileSync(path.join(projectDir, "package.json"), JSON.stringify(userPackage, null, 2) + "\n");
        fs.writeFileSync(path.join(projectDir, "index.ts"), INDEX_TS);
        assertOk(await exec("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"], projectDir, userEnv()));

        emu = await startEmulator({ stepMs: 150 });
        // The backend (file://), PULUMI_HOME and passphrase as tests/cli sets them; the workspace is the project itself.
        stack = new CliStack({ program: projectDir, workspace: projectDir, project: PROJECT, env: { ...emulatorEnv(emu), ...FAST_POLL } });
        await stack.init();
    });

    after(async function () {
        for (const h of hosts) h.kill("SIGTERM");
        // Plugins a failed command may have left running in the project.
        if (projectDir) {
            for (const pid of processesIn(projectDir)) {
                try {
                    process.kill(pid, "SIGKILL");
                } catch {
                    // Gone already.
                }
            }
        }
        await emu?.close();
        if (tmp && !process.env.PULUMI_TRAINING_KEEP_PACKAGE_TEST) fs.rmSync(tmp, { recursive: true, force: true });
    });

    it("the tarball holds the built package, with @pulumi/pulumi as a peer dependency", () => {
        const installed = path.join(projectDir, "node_modules", "pulumi-training");
        assert.ok(!fs.lstatSync(installed).isSymbolicLink(), "pulumi-training is installed from the tarball, not linked");
        const pkg = JSON.parse(fs.readFileSync(path.join(installed, "package.json"), "utf8"));
        assert.equal(pkg.peerDependencies?.["@pulumi/pulumi"], PULUMI_RANGE);
        assert.equal(pkg.dependencies?.["@pulumi/pulumi"], undefined, "a dependency on @pulumi/pulumi would let npm nest a second copy under pulumi-training");
        for (const file of ["dist/provider/index.js", "dist/provider/index.d.ts", "dist/provider/tione/trainingTask.js", "dist/provider/alaya/trainingTemplate.js", "dist/policy/pack.js", "README.md"]) {
            assert.ok(fs.existsSync(path.join(installed, file)), `the tarball lacks ${file}`);
        }
    });

    it("installs exactly one copy of @pulumi/pulumi, shared by the program and pulumi-training", async () => {
        const copies = pulumiCopies(projectDir);
        const ls = await exec("npm", ["ls", "@pulumi/pulumi", "--all"], projectDir, userEnv());
        assert.deepEqual(copies, [path.join(projectDir, "node_modules", "@pulumi", "pulumi")], `copies of @pulumi/pulumi in the project:\n${copies.join("\n")}\n\nnpm ls:\n${ls.output}`);
        const fromPackage = require.resolve("@pulumi/pulumi/package.json", { paths: [fs.realpathSync(path.join(projectDir, "node_modules", "pulumi-training"))] });
        assert.equal(path.dirname(fromPackage), copies[0], "pulumi-training's require('@pulumi/pulumi') reaches the project's copy");
    });

    it("pulumi preview plans both resources and calls no cloud API", async () => {
        const r = assertOk(await withProgram(["preview"]));
        assert.deepEqual(summary(r), { "to create": 3 }, r.output);
        assert.equal(emu!.counts().total, 0, "preview makes no API request");
    });

    it("pulumi up creates them and exports their outputs", async () => {
        const r = assertOk(await withProgram(["up", "--yes", "--skip-preview"]));
        assert.deepEqual(summary(r), { created: 3 }, r.output);
        const resources = await stack.resources();
        assert.deepEqual(resources.map(kindOf).sort(), ["alaya:TrainingTemplate", "tione:TrainingTask"]);
        const out = await stack.outputs();
        assert.equal(out.stack, "dev");
        assert.equal(typeof out.taskId, "string");
        assert.ok(out.taskId.length > 0, JSON.stringify(out));
        assert.equal(out.taskStatus, "SUCCEED", JSON.stringify(out));
        assert.ok(out.templateId !== undefined && out.templateId !== "", JSON.stringify(out));
        assert.ok(emu!.counts().total > 0);
    });

    it("pulumi refresh reads them back unchanged", async () => {
        const before = (await stack.resources()).map((r) => r.id).sort();
        const r = assertOk(await stack.refresh());
        assert.equal(summary(r).unchanged, 3, r.output);
        assert.deepEqual((await stack.resources()).map((r) => r.id).sort(), before);
    });

    it("pulumi destroy removes them: nothing left in the stack or live in the emulator", async () => {
        const r = assertOk(await stack.destroy());
        assert.equal(summary(r).deleted, 3, r.output);
        assert.deepEqual(await stack.resources(), []);
        assert.deepEqual(await liveRecords({ control: emulatorControl(emu!) }), [], "nothing the stack made is left running or stored in the emulator");
    });
});
