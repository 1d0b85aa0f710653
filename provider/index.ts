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
