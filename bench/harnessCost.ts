import * as fs from "node:fs";
import * as http from "node:http";
import * as path from "node:path";
import { EMULATOR_CREDENTIALS, startEmulator } from "../emulator";
import { ResourceState, TestStack } from "../harness";
import { CheckpointFile } from "../harness/checkpoint";
import { PROGRAMS, scratchDir, startBenchEmulator } from "./fixture";
import { median, now, percentile, timed } from "./stats";

/** What the test infrastructure itself costs, so suite times can be predicted. */
export interface HarnessCost {
    runs: number;
    /** Start + close of the emulator with every cloud module, ms. */
    emulatorStartMs: number[];
    /** One authenticated GET answered by the emulator (keep-alive, no client library), ms. */
    emulatorRequestMs: { median: number; p95: number; samples: number };
    /** `up` and `preview` of a program that declares nothing: host start, program start (ts-node), engine, ms. */
    emptyUpMs: number[];
    emptyPreviewMs: number[];
    /** Saving a checkpoint of N resources (the harness saves after every step), ms. */
    checkpointSaveMs: Array<{ resources: number; ms: number; bytes: number }>;
}

function get(agent: http.Agent, url: string, headers: Record<string, string>): Promise<number> {
    return new Promise((resolve, reject) => {
        const req = http.get(url, { agent, headers }, (res) => {
            res.resume();
            res.on("end", () => resolve(res.statusCode ?? 0));
        });
        req.on("error", reject);
    });
}

/** A checkpoint of `n` resources made of copies of `sample` under other URNs. */
function syntheticCheckpoint(sample: ResourceState[], n: number): { resources: ResourceState[]; outputs: Record<string, unknown> } {
    return { resources: Array.from({ length: n }, (_, i) => ({ ...sample[i % sample.length], urn: `${sample[i % sample.length].urn}-${i}` })), outputs: {} };
}

export async function measureHarnessCost(runs: number, sample: ResourceState[]): Promise<HarnessCost> {
    const emulatorStartMs: number[] = [];
    for (let i = 0; i < runs; i++) {
        const t = await timed(async () => (await startEmulator({})).close());
        emulatorStartMs.push(t.ms);
    }

    const emu = await startEmulator({});
    const agent = new http.Agent({ keepAlive: true });
    const samples: number[] = [];
    try {
        const url = `${emu.url}/dashscope/api/v1/fine-tunes?page_no=1&page_size=10`;
        const headers = { Authorization: `Bearer ${EMULATOR_CREDENTIALS.dashscopeApiKey}` };
        for (let i = 0; i < 20; i++) await get(agent, url, headers);
        for (let i = 0; i < 300; i++) {
            const t0 = now();
            await get(agent, url, headers);
            samples.push(now() - t0);
        }
    } finally {
        agent.destroy();
        await emu.close();
    }

    const be = await startBenchEmulator();
    const emptyUpMs: number[] = [];
    const emptyPreviewMs: number[] = [];
    try {
        const stack = new TestStack({ program: path.join(PROGRAMS, "empty.ts"), env: be.env });
        for (let i = 0; i < runs; i++) {
            const up = await timed(() => stack.up());
            if (!up.value.ok) throw new Error(`empty up failed: ${up.value.errors.join("; ")}`);
            emptyUpMs.push(up.ms);
            emptyPreviewMs.push((await timed(() => stack.preview())).ms);
        }
    } finally {
        await be.close();
    }

    const checkpointSaveMs: HarnessCost["checkpointSaveMs"] = [];
    for (const n of [10, 100, 1000]) {
        const file = new CheckpointFile(path.join(scratchDir(), `save-${n}.json`));
        const cp = syntheticCheckpoint(sample, n);
        const times: number[] = [];
        for (let i = 0; i < Math.max(3, runs); i++) times.push((await timed(async () => file.save(cp))).ms);
        checkpointSaveMs.push({ resources: n, ms: median(times), bytes: fs.statSync(file.path).size });
    }

    return {
        runs,
        emulatorStartMs,
        emulatorRequestMs: { median: median(samples), p95: percentile(samples, 95), samples: samples.length },
        emptyUpMs,
        emptyPreviewMs,
        checkpointSaveMs,
    };
}
