/**
 * The harness against the real CLI: for every kind, the same scenario
 * (create, no-op, in-place update where the kind has one, replacement, a job
 * failed on the cloud then replaced, an out-of-band delete then refresh,
 * destroy) runs through `harness/` and through `pulumi`, each against its
 * own emulator, and must give the same steps, the same resources, ids of the
 * same form and the same outputs (values that differ per run, like ids and
 * times, compared by form).
 *
 * Where the two disagree the CLI is right; CONTRIBUTING.md ("The harness and
 * the real CLI") lists the divergences found and what became of them.
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { emulatorEnv, startEmulator } from "../../emulator";
import { TestStack, values } from "../../harness";
import { CliResult, kindOf } from "./cli";
import { KIND_CASES, KindCase, PROGRAMS } from "./kinds";
import { emulatorControl } from "../engine/support";
import { FAST_POLL, cliFixture, describeCli, ok, summary } from "./support";

type Steps = Record<string, number>;

/** One observation after an operation: what changed and what the stack holds. */
interface Observation {
    step: string;
    steps: Steps;
    resources: Array<{ kind: string; id: string; outputs: Record<string, unknown> }>;
}

/** Replaces what differs per run (ids, times, markers, hashes, endpoints) by its form. */
function form(v: unknown): unknown {
    if (typeof v === "string") {
        return v
            // PolarDB task ids (pm- and 16 base-36 characters) first: they may hold a run of hex digits.
            .replace(/\bpm-[0-9a-z]{16}\b/g, "pm-<id>")
            .replace(/\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?Z?/g, "<time>")
            .replace(/127\.0\.0\.1:\d+/g, "<emulator>")
            .replace(/\/tmp\/\S+/g, "<temporary file>")
            // Random ids and hashes: long runs of letters and digits mixed.
            .replace(/[0-9a-z]{10,}/g, (m) => (/\d/.test(m) && /[a-z]/.test(m) ? "<id>" : m))
            .replace(/[0-9a-f]{8,}/g, "<hex>")
            .replace(/\d{6,}/g, "<n>")
            .replace(/-[0-9a-f]{4}$/, "-<hex>");
    }
    if (Array.isArray(v)) return v.map(form);
    if (v && typeof v === "object") {
        return Object.fromEntries(Object.entries(v).filter(([k]) => !k.startsWith("__") && k !== "pulumiUrn").map(([k, x]) => [k, values.isSecret(x) ? "<secret>" : form(x)]));
    }
    return v;
}

/** The CLI summary without the stack resource itself. */
function cliSteps(r: CliResult): Steps {
    const out: Steps = {};
    for (const [k, n] of Object.entries(summary(r))) out[k.replace(/^to /, "")] = n;
    // The stack resource: created by the first up, deleted by destroy, unchanged otherwise.
    const own = /pulumi:pulumi:Stack \S+ (created|deleted) /.exec(r.output)?.[1] ?? "unchanged";
    out[own] = (out[own] ?? 0) - 1;
    return Object.fromEntries(Object.entries(out).filter(([, n]) => n > 0));
}

/** The harness's steps in the CLI's words. */
function harnessSteps(steps: Array<{ op: string; keys?: string[] }>): Steps {
    const words: Record<string, string | undefined> = { create: "created", same: "unchanged", update: "updated", replace: "replaced", delete: "deleted", discard: "deleted" };
    const out: Steps = {};
    for (const s of steps) {
        // The CLI counts a refresh that changed the recorded outputs as an update.
        const w = s.op === "refresh" ? (s.keys?.length ? "updated" : undefined) : words[s.op];
        if (w) out[w] = (out[w] ?? 0) + 1;
    }
    return out;
}

/** The scenario, written once against an engine-neutral stack. */
interface Engine {
    control(method: string, path: string, body?: unknown): Promise<any>;
    setConfig(config: Record<string, string>): void | Promise<void>;
    up(): Promise<Steps>;
    refresh(): Promise<Steps>;
    destroy(): Promise<Steps>;
    resources(): Promise<Observation["resources"]>;
}

async function scenario(k: KindCase, e: Engine): Promise<Observation[]> {
    const seen: Observation[] = [];
    const note = async (step: string, steps: Steps) => seen.push({ step, steps, resources: (await e.resources()).map((r) => ({ ...r, id: String(form(r.id)) })) });
    // The emulator's clock stands still during each operation and jumps an hour between them (every job
    // in flight finishes), so both engines read the same statuses however fast a loaded machine runs them.
    await e.control("POST", "/clock/freeze");
    const later = () => e.control("POST", "/clock/advance", { ms: 3_600_000 });
    await e.setConfig({ ...(await k.config(e)), ...(k.noWait ?? {}) });
    await note("create", await e.up());
    await later();
    await note("no-op", await e.up());
    if (k.inPlace) {
        await e.setConfig(k.inPlace);
        await later();
        await note("in-place update", await e.up());
    }
    await e.setConfig(k.replace);
    await later();
    await note("replace", await e.up());
    if (k.failPath) {
        // The job fails while it runs (no time passes: a job that already ended cannot fail).
        const [{ id }] = await e.resources();
        const [p, body] = k.failPath(id);
        await e.control("POST", p, body);
        await note("refresh after a failure", await e.refresh());
        await note("up replaces the failed job", await e.up());
    }
    await later();
    const [{ id }] = await e.resources();
    await e.control("DELETE", k.deletePath(id));
    await note("refresh after an out-of-band delete", await e.refresh());
    await note("up creates it again", await e.up());
    await later();
    await note("destroy", await e.destroy());
    return seen;
}

for (const k of KIND_CASES) {
    describeCli(`${k.token}: harness and CLI agree`, function () {
        this.timeout(300_000);

        it("create, no-op, update, replace, failure, out-of-band delete and destroy give the same steps, resources and outputs", async () => {
            // Slow enough that a job is still running when the scenario fails it.
            const stepMs = k.noWait ? 3000 : 150;

            const emu = await startEmulator({ stepMs });
            const control = emulatorControl(emu);
            const harness = new TestStack({ program: path.join(PROGRAMS, k.program), project: "test", secretConfig: k.secretConfig, env: { ...emulatorEnv(emu), ...FAST_POLL } });
            const expectOk = <T extends { ok: boolean; errors: string[] }>(r: T): T => (assert.ok(r.ok, r.errors.join("\n")), r);
            let viaHarness: Observation[];
            try {
                viaHarness = await scenario(k, {
                    control,
                    setConfig: (c) => void Object.assign(harness.config, c),
                    up: async () => harnessSteps(expectOk(await harness.up()).steps),
                    refresh: async () => harnessSteps(expectOk(await harness.refresh()).steps),
                    destroy: async () => harnessSteps(expectOk(await harness.destroy()).steps),
                    resources: async () =>
                        harness
                            .state()
                            .resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"))
                            .map((r) => ({ kind: kindOf(r), id: r.id, outputs: form(r.outputs) as Record<string, unknown> })),
                });
            } finally {
                await emu.close();
            }

            const fx = await cliFixture({ program: path.join(PROGRAMS, k.program), project: "test", secretConfig: k.secretConfig, stepMs });
            let viaCli: Observation[];
            try {
                await fx.stack.init();
                viaCli = await scenario(k, {
                    control: fx.control,
                    setConfig: (c) => fx.stack.setConfig(c),
                    up: async () => cliSteps(ok(await fx.stack.up("--skip-preview"))),
                    refresh: async () => cliSteps(ok(await fx.stack.refresh("--skip-preview"))),
                    destroy: async () => cliSteps(ok(await fx.stack.destroy("--skip-preview"))),
                    resources: async () => (await fx.stack.resources()).map((r) => ({ kind: kindOf(r), id: r.id ?? "", outputs: form(r.outputs) as Record<string, unknown> })),
                });
            } finally {
                await fx.close();
            }

            for (let i = 0; i < Math.max(viaHarness.length, viaCli.length); i++) {
                assert.deepEqual(viaCli[i], viaHarness[i], `after "${viaHarness[i]?.step ?? viaCli[i]?.step}" (actual: CLI, expected: harness)`);
            }
        });
    });
}
