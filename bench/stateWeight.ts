import * as fs from "node:fs";
import type { ResourceState } from "../harness";
import { mixedStack, startBenchEmulator } from "./fixture";
import { BenchKind, typeToken } from "./kinds";

/** What one resource of a kind weighs in the checkpoint. */
export interface KindWeight {
    token: string;
    resources: number;
    /** UTF-8 bytes of the serialized `__provider` input. */
    providerBytes: number;
    /** Whether every resource of the kind carries the very same `__provider` text. */
    providerIdentical: boolean;
    /** The dynamic-provider host copies `__provider` into the outputs too, so state holds it twice. */
    providerCopies: number;
    /** Bytes of one resource's entry as the checkpoint file holds it (pretty-printed JSON, secrets encrypted), median over the kind. */
    checkpointBytes: number;
    /** The same entry as compact JSON. */
    compactBytes: number;
}

export interface StateWeightResult {
    /** Jobs waited to completion, so every output is filled (the heaviest state a resource reaches). */
    waited: boolean;
    kinds: KindWeight[];
    /** The checkpoint's resources (secrets decrypted, still marked), for the harness-cost measure's synthetic checkpoints. */
    sample: ResourceState[];
}

const utf8 = (s: string) => Buffer.byteLength(s, "utf8");

/**
 * State weight: a stack of `perKind` resources of every kind, jobs waited to
 * completion, then the checkpoint file read back as it sits on disk.
 */
export async function measureStateWeight(kinds: BenchKind[], perKind: number): Promise<StateWeightResult> {
    const be = await startBenchEmulator({ stepMs: 50, pollScale: 0.01 });
    try {
        const stack = mixedStack(be, kinds.map((kind) => ({ kind, count: perKind, wait: true })));
        const r = await stack.up();
        if (!r.ok) throw new Error(`state-weight stack failed: ${r.errors.join("; ")}`);
        const onDisk = JSON.parse(fs.readFileSync(stack.checkpoint.path, "utf8")) as { resources: ResourceState[] };
        const weights = kinds.map((k) => {
            const mine = onDisk.resources.filter((x) => x.type === typeToken(k));
            const providers = mine.map((x) => String(x.inputs.__provider ?? ""));
            const sizes = mine.map((x) => utf8(JSON.stringify(x, null, 2))).sort((a, b) => a - b);
            const compact = mine.map((x) => utf8(JSON.stringify(x))).sort((a, b) => a - b);
            return {
                token: k.token,
                resources: mine.length,
                providerBytes: utf8(providers[0] ?? ""),
                providerIdentical: new Set(providers).size === 1,
                providerCopies: mine[0] ? Number("__provider" in mine[0].inputs) + Number("__provider" in mine[0].outputs) : 0,
                checkpointBytes: sizes[sizes.length >> 1] ?? NaN,
                compactBytes: compact[compact.length >> 1] ?? NaN,
            };
        });
        return { waited: true, kinds: weights, sample: stack.state().resources };
    } finally {
        await be.close();
    }
}
