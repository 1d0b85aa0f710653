/**
 * The implementation the serialized stub of `polardb.AidbTask` requires
 * inside the dynamic-provider host (`pulumi-training/provider/polardb/aidbTask.lifecycle`).
 */
import { jobLifecycle } from "../core/job";
import { aidbTaskKind } from "./aidbTask.kind";

export = jobLifecycle(aidbTaskKind);
