/**
 * Every example program, run the way a new user runs it: `pulumi up` against a fresh emulator
 * with only the config its README asks for, outputs that mean something, then `pulumi destroy`
 * leaving nothing behind. An example directory this suite does not know fails the suite, so a
 * new example cannot ship untested.
 *
 * examples/policy is a policy pack, not a program: tests/docs/snippets.spec.ts type-checks its
 * index.ts and tests/policy/analyzer.spec.ts serves it through the real analyzer.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { EMULATOR_CREDENTIALS, startEmulator } from "../../emulator";
import { RunResult, TestStack, values } from "../../harness";
import { CONFIG_CREDENTIALS, EXAMPLES, EXAMPLE_CASES as CASES, NO_CLOUD_ENV, configCredentialsConfig, projectName } from "../exampleCases";
import { FAST_POLL, TEST_CREDENTIALS, engineFixture, leakSurface, leaked } from "./support";


const ok = (r: RunResult, what: string) => assert.ok(r.ok, `${what} failed:\n${r.errors.join("\n")}`);

/** Dynamic resources left in a stack's state. */
const remaining = (stack: TestStack) => stack.state().resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"));

describe("examples through the Pulumi engine", function () {
    this.timeout(180_000);

    it("every example directory is a Pulumi project this suite runs, or a policy pack", () => {
        const dirs = fs.readdirSync(EXAMPLES, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
        const projects = dirs.filter((d) => fs.existsSync(path.join(EXAMPLES, d, "Pulumi.yaml")));
        const packs = dirs.filter((d) => fs.existsSync(path.join(EXAMPLES, d, "PulumiPolicy.yaml")));
        assert.deepEqual([...projects, ...packs].sort(), dirs.sort(), "each example has a Pulumi.yaml (program) or a PulumiPolicy.yaml (policy pack)");
        assert.deepEqual(projects.sort(), [...Object.keys(CASES), "config-credentials"].sort(), "add the new example to tests/engine/examples.spec.ts");
        for (const d of dirs) assert.ok(fs.existsSync(path.join(EXAMPLES, d, "README.md")), `examples/${d} has no README.md`);
        for (const d of projects) {
            const yaml = fs.readFileSync(path.join(EXAMPLES, d, "Pulumi.yaml"), "utf8");
            assert.match(yaml, /^runtime:\s*nodejs\s*$/m, `examples/${d}/Pulumi.yaml: runtime nodejs`);
            assert.ok(fs.existsSync(path.join(EXAMPLES, d, "index.ts")), `examples/${d} has no index.ts`);
            if (d === "quickstart") continue; // run from the repository root (its Pulumi.yaml points here), like `npm run demo`
            const pkg = JSON.parse(fs.readFileSync(path.join(EXAMPLES, d, "package.json"), "utf8"));
            assert.ok(pkg.dependencies?.["pulumi-training"], `examples/${d}/package.json must depend on pulumi-training (the provider host loads it from the project)`);
        }
    });

    for (const [dir, c] of Object.entries(CASES)) {
        it(`${dir}: up against the emulator gives meaningful outputs, destroy leaves nothing`, async () => {
            const program = path.join(EXAMPLES, dir);
            const fx = await engineFixture(program, { projectDir: program, project: projectName(dir), config: c.config, secretConfig: c.secretConfig });
            try {
                const up = await fx.stack.up();
                ok(up, "up");
                assert.deepEqual(
                    remaining(fx.stack).map((r) => r.type.replace("pulumi-nodejs:dynamic/", "")).sort(),
                    [...c.resources].sort(),
                );
                c.outputs(up.outputs);
                for (const k of c.secretOutputs ?? []) assert.ok(values.isSecret(fx.stack.state().outputs[k]), `the ${k} output stays secret`);
                const down = await fx.stack.destroy();
                ok(down, "destroy");
                assert.deepEqual(remaining(fx.stack), []);
                const secrets = [...TEST_CREDENTIALS, ...Object.values(c.secretConfig ?? {})];
                assert.deepEqual(leaked(leakSurface(fx.stack, [up, down]), secrets), []);
            } finally {
                await fx.close();
            }
        });
    }

    describe("config-credentials: credentials only in encrypted stack config", () => {
        const dir = path.join(EXAMPLES, "config-credentials");
        const c = EMULATOR_CREDENTIALS;

        /** A stack whose environment holds no cloud variable at all: everything comes from config. */
        async function stackWithConfigOnly(secretConfig: Record<string, string>) {
            const emu = await startEmulator({ stepMs: 150 });
            const stack = new TestStack({
                program: dir,
                projectDir: dir,
                project: projectName("config-credentials"),
                env: { ...NO_CLOUD_ENV, ...FAST_POLL },
                config: configCredentialsConfig(emu),
                secretConfig,
            });
            return { emu, stack };
        }

        it("runs on all four clouds with the credentials set only as secret config, and leaks none of them", async () => {
            const { emu, stack } = await stackWithConfigOnly(CONFIG_CREDENTIALS);
            try {
                assert.ok(Object.values(stack.env).every((v) => !TEST_CREDENTIALS.includes(v)), "no credential in the environment");
                const up = await stack.up();
                ok(up, "up");
                const o = up.outputs;
                assert.deepEqual(o.configuredClouds, ["bailian", "tione", "polardb", "alaya"]);
                assert.equal(o.fineTuneStatus, "SUCCEEDED");
                assert.match(o.fineTunedModel, /^qwen3-8b-ft-/);
                assert.equal(o.tioneStatus, "SUCCEED");
                assert.equal(o.polardbStatus, "COMPLETED");
                assert.match(o.alayaTemplateId, /^tpl_/);
                assert.ok(emu.counts().total > 0, "the clouds were called");
                const down = await stack.destroy();
                ok(down, "destroy");
                assert.deepEqual(remaining(stack), []);
                assert.deepEqual(leaked(leakSurface(stack, [up, down]), TEST_CREDENTIALS), []);
            } finally {
                await emu.close();
            }
        });

        it("declares only the clouds whose keys are set, and says what to set when none is", async () => {
            const { emu, stack } = await stackWithConfigOnly({ "dashscope:apiKey": c.dashscopeApiKey });
            try {
                const preview = await stack.preview();
                ok(preview, "preview");
                assert.deepEqual(preview.outputs.configuredClouds, ["bailian"]);
                assert.deepEqual(
                    preview.steps.map((s) => s.urn.split("::")[2]).filter((t) => t.startsWith("pulumi-nodejs:dynamic/")).map((t) => t.replace("pulumi-nodejs:dynamic/", "")).sort(),
                    ["bailian:File", "bailian:FineTuneJob"],
                );
                stack.secretConfig = {};
                const none = await stack.preview();
                assert.equal(none.ok, false);
                // The program's own error reaches the engine as an error log, as `pulumi preview` prints it.
                assert.match([...none.errors, ...none.logs.map((l) => l.message)].join("\n"), /No cloud credentials in this stack's config\. Set at least one cloud's keys/);
                assert.equal(emu.counts().total, 0, "preview calls no cloud API");
            } finally {
                await emu.close();
            }
        });
    });
});
