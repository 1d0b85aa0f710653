import * as pulumi from "@pulumi/pulumi";
import { bailian } from "pulumi-training";

const cfg = new pulumi.Config();
const job = bailian.FineTuneJob.get("adopted", cfg.require("jobId"));
export const adoptedJobId = job.jobId;
export const adoptedStatus = job.status;
