/**
 * The implementation the serialized stub of `bailian.FineTuneJob` requires
 * inside the dynamic-provider host (`pulumi-training/provider/bailian/fineTuneJob.lifecycle`).
 */
import { resourceLifecycle } from "../core/lifecycle";
import { fineTuneJobKind } from "./fineTuneJob.kind";

export = resourceLifecycle(fineTuneJobKind);
