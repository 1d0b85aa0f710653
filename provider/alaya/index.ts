/** Alaya NeW (九章智算云) resources: `alaya.TrainingTemplate`. */
export { TrainingTemplate, TrainingTemplateArgs, TemplateResourceArgs, TemplateStorageConfigArgs } from "./trainingTemplate";
