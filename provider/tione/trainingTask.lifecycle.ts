/**
 * The implementation the serialized stub of `tione.TrainingTask` requires
 * inside the dynamic-provider host (`pulumi-training/provider/tione/trainingTask.lifecycle`).
 */
import { jobLifecycle } from "../core/job";
import { trainingTaskKind } from "./trainingTask.kind";

export = jobLifecycle(trainingTaskKind);
