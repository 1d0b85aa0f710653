export { TrainingTask, TrainingTaskArgs, ResourceConfigInfoArgs, TagArgs, ImageInfoArgs, StartCmdInfoArgs, DataConfigArgs, CosPathArgs } from "./trainingTask";
