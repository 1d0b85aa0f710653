/**
 * The implementation the serialized stub of `bailian.File` requires inside
 * the dynamic-provider host (`pulumi-training/provider/bailian/file.lifecycle`).
 * The kind's `derive` step reads the file; what is wrong with it comes back
 * from `check` as failures on `source` (see `InputProblems`).
 */
import { resourceLifecycle } from "../core/lifecycle";
import { fileKind } from "./file.kind";

export = resourceLifecycle(fileKind);
