/**
 * The implementation the serialized stub of `bailian.FineTuneJob` requires
 * inside the dynamic-provider host (`pulumi-training/provider/bailian/fineTuneJob.lifecycle`).
 */
import { jobLifecycle } from "../core/job";
import { fineTuneJobKind } from "./fineTuneJob.kind";

export = jobLifecycle(fineTuneJobKind);
