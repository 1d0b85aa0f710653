export { FineTuneJob, FineTuneJobArgs, HyperParametersArgs, DatasetArgs } from "./fineTuneJob";
export { File, FileArgs } from "./file";
