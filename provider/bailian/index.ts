export { FineTuneJob, FineTuneJobArgs, HyperParametersArgs, DatasetArgs } from "./fineTuneJob";
