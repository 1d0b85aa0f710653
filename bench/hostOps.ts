import { DynamicProviderHost } from "../harness/host";
import { unwrapSecrets } from "../harness/values";
import { BenchEmulator, PROGRAMS, mixedStack } from "./fixture";
import { BenchKind, Inputs, typeToken } from "./kinds";
import { now } from "./stats";

/**
 * The checked inputs of one resource per kind, `__provider` included, from a
 * real harness up: what the engine hands the host's Create.
 */
export async function checkedInputs(be: BenchEmulator, kinds: BenchKind[]): Promise<Map<string, Inputs>> {
    const stack = mixedStack(be, kinds.map((kind) => ({ kind, count: 1, prefix: `seed-${kind.className.toLowerCase()}` })));
    const r = await stack.up();
    if (!r.ok) throw new Error(`seeding resource inputs failed: ${r.errors.join("; ")}`);
    const byType = new Map<string, Inputs>();
    for (const res of stack.state().resources) byType.set(res.type, unwrapSecrets(res.inputs));
    return byType;
}

/** A dynamic-provider host pointed at `be`, started the way the harness starts it. */
export function startHost(be: BenchEmulator, extraEnv: Record<string, string> = {}): Promise<DynamicProviderHost> {
    return DynamicProviderHost.start({ cwd: PROGRAMS, env: { ...process.env, ...be.env, ...extraEnv }, project: "bench", config: {}, secretKeys: [] });
}

/** Check + create through the host, as the engine does for a new resource; ms for both and for the create alone. */
export async function checkAndCreate(host: DynamicProviderHost, k: BenchKind, inputs: Inputs): Promise<{ total: number; create: number; id: string }> {
    const urn = `urn:pulumi:bench::bench::${typeToken(k)}::${inputs.pulumiName}`;
    const t0 = now();
    const checked = await host.check(urn, {}, inputs);
    if (checked.failures.length) throw new Error(`${k.token} check failed: ${JSON.stringify(checked.failures)}`);
    const t1 = now();
    const res = await host.create(urn, checked.inputs);
    const t2 = now();
    return { total: t2 - t0, create: t2 - t1, id: res.id };
}
