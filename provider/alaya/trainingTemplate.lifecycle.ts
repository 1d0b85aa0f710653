/**
 * The implementation the serialized stub of `alaya.TrainingTemplate` requires
 * inside the dynamic-provider host (`pulumi-training/provider/alaya/trainingTemplate.lifecycle`).
 */
import { resourceLifecycle } from "../core/lifecycle";
import { trainingTemplateKind } from "./trainingTemplate.kind";

export = resourceLifecycle(trainingTemplateKind);
