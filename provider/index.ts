/**
 * pulumi-training: Pulumi resources for ML training work on Alibaba PolarDB
 * AIDB, Tencent Cloud TI-ONE, Alibaba Model Studio (Bailian) and Alaya NeW.
 *
 * ```ts
 * import { bailian, tione, polardb, alaya } from "pulumi-training";
 * ```
 */
export * as bailian from "./bailian";
export * as tione from "./tione";
export * as polardb from "./polardb";
export * as alaya from "./alaya";
/**
 * `Completion` waits in one engine step for a group of jobs of any cloud
 * (declared with `waitForCompletion: false`). It is cross-cloud, so it is
 * exported at the top level rather than under a cloud's namespace.
 */
export { Completion } from "./completion/completion";
export type { CompletionArgs, CompletionJob } from "./completion/completion";
