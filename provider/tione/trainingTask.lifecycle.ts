/**
 * The implementation the serialized stub of `tione.TrainingTask` requires
 * inside the dynamic-provider host (`pulumi-training/provider/tione/trainingTask.lifecycle`).
 */
import { resourceLifecycle } from "../core/lifecycle";
import { trainingTaskKind } from "./trainingTask.kind";

export = resourceLifecycle(trainingTaskKind);
