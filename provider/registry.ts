/**
 * The resource kinds this library registers, one row each: the one place a
 * kind's token, module, class, lifecycle module, emulator cloud, key output
 * and docs page are written. The resource classes, the kinds, the policy
 * pack, the benchmarks, the demo, the docs tests and the contract test read
 * them from here, so adding a kind is its folders in `sdk/`, `emulator/` and
 * `provider/` plus one row below.
 *
 * Plain data with no imports: both the user-side classes and the
 * provider-side lifecycles load it.
 *
 * @module
 */

/** The emulator modules (`emulator/<cloud>/`), one per cloud API. */
export type EmulatorCloud = "dashscope" | "tione" | "polardb" | "alaya";

/** One registered resource kind. */
export interface KindEntry {
    /** The package namespace the class is exported under (`import { tione } from "pulumi-training"`). */
    readonly module: string;
    /** The resource class name. */
    readonly className: string;
    /** `<module>:<className>`: how messages and the dynamic type token name the kind. */
    readonly token: `${string}:${string}`;
    /** The lifecycle module under `provider/` that the serialized stub requires in the dynamic-provider host. */
    readonly lifecycle: string;
    /** The resource class's source, which also holds its Args (the reference page's source). */
    readonly source: string;
    /** The kind description's module under `provider/` (exports `kindExport`). */
    readonly kindModule: string;
    /** The name the kind description is exported as from {@link kindModule}. */
    readonly kindExport: string;
    /** The emulator module that serves its API. */
    readonly cloud: EmulatorCloud;
    /** Whether it is a job that runs (waits, cancels, fails), or configuration (a file, a template). */
    readonly runs: boolean;
    /** The output that says most about one of these, for summaries (the demo's table). */
    readonly keyOutput: string;
}

function entry<M extends string, C extends string>(e: Omit<KindEntry, "token" | "module" | "className"> & { module: M; className: C }): KindEntry & { token: `${M}:${C}` } {
    const token = `${e.module}:${e.className}` as `${M}:${C}`;
    return { ...e, token };
}

/** Every kind, keyed by a name the policy pack and tests use. */
export const KINDS = {
    bailianFineTuneJob: entry({
        module: "bailian",
        className: "FineTuneJob",
        lifecycle: "bailian/fineTuneJob.lifecycle",
        source: "provider/bailian/fineTuneJob.ts",
        kindModule: "bailian/fineTuneJob.kind",
        kindExport: "fineTuneJobKind",
        cloud: "dashscope",
        runs: true,
        keyOutput: "finetunedOutput",
    }),
    bailianFile: entry({
        module: "bailian",
        className: "File",
        lifecycle: "bailian/file.lifecycle",
        source: "provider/bailian/file.ts",
        kindModule: "bailian/file.kind",
        kindExport: "fileKind",
        cloud: "dashscope",
        runs: false,
        keyOutput: "fileId",
    }),
    tioneTrainingTask: entry({
        module: "tione",
        className: "TrainingTask",
        lifecycle: "tione/trainingTask.lifecycle",
        source: "provider/tione/trainingTask.ts",
        kindModule: "tione/trainingTask.kind",
        kindExport: "trainingTaskKind",
        cloud: "tione",
        runs: true,
        keyOutput: "runtimeInSeconds",
    }),
    polardbAidbTask: entry({
        module: "polardb",
        className: "AidbTask",
        lifecycle: "polardb/aidbTask.lifecycle",
        source: "provider/polardb/aidbTask.ts",
        kindModule: "polardb/aidbTask.kind",
        kindExport: "aidbTaskKind",
        cloud: "polardb",
        runs: true,
        keyOutput: "modelPaths",
    }),
    alayaTrainingTemplate: entry({
        module: "alaya",
        className: "TrainingTemplate",
        lifecycle: "alaya/trainingTemplate.lifecycle",
        source: "provider/alaya/trainingTemplate.ts",
        kindModule: "alaya/trainingTemplate.kind",
        kindExport: "trainingTemplateKind",
        cloud: "alaya",
        runs: false,
        keyOutput: "templateId",
    }),
} as const;

/** A registry key, e.g. `tioneTrainingTask`. */
export type KindName = keyof typeof KINDS;

/** A kind's token, e.g. `tione:TrainingTask`. */
export type KindToken = (typeof KINDS)[KindName]["token"];

/** Every row, in registry order. */
export const KIND_ENTRIES: readonly KindEntry[] = Object.values(KINDS);

/** The type token the engine gives a dynamic resource: `pulumi-nodejs:dynamic/<module>:<Class>`. */
export function dynamicTypeToken(kind: Pick<KindEntry, "token">): string {
    return `pulumi-nodejs:dynamic/${kind.token}`;
}

/** The row of a token (`tione:TrainingTask`) or dynamic type token, if it is one of ours. */
export function kindByToken(token: string): KindEntry | undefined {
    return KIND_ENTRIES.find((k) => k.token === token || dynamicTypeToken(k) === token);
}
