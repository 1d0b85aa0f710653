/**
 * The implementation the serialized stub of `alaya.TrainingTemplate` requires
 * inside the dynamic-provider host (`pulumi-training/provider/alaya/trainingTemplate.lifecycle`).
 */
import { jobLifecycle } from "../core/job";
import { trainingTemplateKind } from "./trainingTemplate.kind";

export = jobLifecycle(trainingTemplateKind);
