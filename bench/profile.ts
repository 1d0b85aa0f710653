import * as fs from "node:fs";
import * as path from "node:path";
import { scratchDir, startBenchEmulator } from "./fixture";
import { BenchKind, typeToken, varied } from "./kinds";
import { checkAndCreate, checkedInputs, startHost } from "./hostOps";
import { childPids, cpuMsOf, roleOfPid } from "./procmem";
import { sleep } from "./stats";

/** A share of the host's busy CPU time. */
export interface ProfileSlice {
    name: string;
    ms: number;
    /** Of the busy (non-idle) time. */
    share: number;
}

/** Where a warm host spends its CPU time on creates. */
export interface HostProfile {
    token: string;
    creates: number;
    /** Host CPU time (user + system, from /proc) per create. */
    cpuMsPerCreate: number;
    /** Sampled busy time per create (the profile's non-idle samples). */
    busyMsPerCreate: number;
    categories: ProfileSlice[];
    /** The functions with the most self time. */
    top: Array<{ fn: string; where: string; ms: number }>;
}

interface CpuProfile {
    nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
    samples: number[];
    timeDeltas: number[];
}

const CATEGORIES: Array<[string, (url: string, fn: string) => boolean]> = [
    ["garbage collection", (_u, fn) => fn === "(garbage collector)"],
    ["V8 / native (program)", (_u, fn) => fn === "(program)"],
    ["gRPC (@grpc/grpc-js)", (u) => u.includes("@grpc/grpc-js")],
    ["protobuf encoding", (u) => u.includes("google-protobuf") || u.endsWith("_pb.js")],
    ["Pulumi dynamic-provider host", (u) => u.includes("@pulumi/pulumi")],
    ["axios", (u) => u.includes("/axios/")],
    ["zod (check)", (u) => u.includes("/zod/")],
    ["provider code (dist/provider)", (u) => u.includes("/dist/provider/")],
    ["SDK clients, signing (dist/sdk)", (u) => u.includes("/dist/sdk/")],
    ["Node internals (http, net, streams, crypto)", (u) => u.startsWith("node:") || u === ""],
];

function categorize(url: string, fn: string): string {
    return CATEGORIES.find(([, test]) => test(url, fn))?.[0] ?? "other modules";
}

/** Self time per category and per function, from a V8 CPU profile. */
function summarize(p: CpuProfile, creates: number): Pick<HostProfile, "categories" | "top" | "busyMsPerCreate"> {
    const byId = new Map(p.nodes.map((n) => [n.id, n]));
    const cats = new Map<string, number>();
    const fns = new Map<string, { fn: string; where: string; ms: number }>();
    let busy = 0;
    p.samples.forEach((id, i) => {
        const node = byId.get(id);
        if (!node) return;
        const { functionName, url, lineNumber } = node.callFrame;
        // Idle time, and the profiler's own stop (it samples itself while it serializes), are not the host's work.
        if (functionName === "(idle)" || url === "node:inspector") return;
        const ms = (p.timeDeltas[i] ?? 0) / 1000;
        busy += ms;
        const cat = categorize(url, functionName);
        cats.set(cat, (cats.get(cat) ?? 0) + ms);
        const where = url ? `${url.replace(/^.*node_modules\//, "").replace(/^.*\/dist\//, "dist/")}:${lineNumber + 1}` : "";
        const key = `${functionName}@${where}`;
        const f = fns.get(key) ?? { fn: functionName || "(anonymous)", where, ms: 0 };
        f.ms += ms;
        fns.set(key, f);
    });
    return {
        busyMsPerCreate: busy / creates,
        categories: [...cats.entries()].map(([name, ms]) => ({ name, ms: ms / creates, share: ms / busy })).sort((a, b) => b.ms - a.ms),
        top: [...fns.values()].sort((a, b) => b.ms - a.ms).slice(0, 8).map((f) => ({ ...f, ms: f.ms / creates })),
    };
}

/**
 * Profiles a warm dynamic-provider host over `creates` check + create calls
 * of one kind: the host runs with a preloaded hook that starts V8's sampling
 * profiler once the host is warm and writes the profile when it is stopped.
 */
export async function profileHost(kind: BenchKind, creates: number): Promise<HostProfile> {
    const be = await startBenchEmulator({ stepMs: 600_000 });
    const out = path.join(scratchDir(), `host-${kind.className}.cpuprofile`);
    try {
        const base = (await checkedInputs(be, [kind])).get(typeToken(kind))!;
        const hook = path.join(__dirname, "profileHook.js");
        const before = new Set(childPids());
        const host = await startHost(be, { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${hook}`.trim(), PT_BENCH_PROFILE: out });
        const pid = childPids().find((p) => !before.has(p) && roleOfPid(p) === "host");
        if (!pid) throw new Error("could not find the host process to profile");
        const createOnce = async (suffix: string) => {
            await checkAndCreate(host, kind, varied(base, suffix));
            await sleep((1000 * 4) / kind.clientLimit.perSecond + 25);
        };
        for (let i = 0; i < 3; i++) await createOnce(`prof-warm-${i}`);
        process.kill(pid, "SIGUSR2");
        await sleep(200);
        const cpu0 = cpuMsOf(pid);
        for (let i = 0; i < creates; i++) await createOnce(`prof-${i}`);
        const cpuMsPerCreate = (cpuMsOf(pid) - cpu0) / creates;
        await host.stop();
        const profile = JSON.parse(fs.readFileSync(out, "utf8")) as CpuProfile;
        return { token: kind.token, creates, cpuMsPerCreate, ...summarize(profile, creates) };
    } finally {
        await be.close();
    }
}
