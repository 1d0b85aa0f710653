/**
 * The implementation the serialized stub of `polardb.AidbTask` requires
 * inside the dynamic-provider host (`pulumi-training/provider/polardb/aidbTask.lifecycle`).
 * The shared job lifecycle, plus carrying `orderId`, which only the create answer reports.
 */
import { jobLifecycle } from "../core/job";
import { aidbTaskKind } from "./aidbTask.kind";
import { carryWriteOnceOutputs } from "./carryOutputs";

export = carryWriteOnceOutputs(jobLifecycle(aidbTaskKind), ["orderId"]);
