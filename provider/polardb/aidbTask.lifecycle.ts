/**
 * The implementation the serialized stub of `polardb.AidbTask` requires
 * inside the dynamic-provider host (`pulumi-training/provider/polardb/aidbTask.lifecycle`).
 */
import { resourceLifecycle } from "../core/lifecycle";
import { aidbTaskKind } from "./aidbTask.kind";

export = resourceLifecycle(aidbTaskKind);
