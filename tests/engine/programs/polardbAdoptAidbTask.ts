// Adopts an existing AIDB task by id (`pulumi import` cannot work for dynamic resources).
import * as pulumi from "@pulumi/pulumi";
import { polardb } from "pulumi-training";

const cfg = new pulumi.Config();
const adopted = polardb.AidbTask.get("adopted", cfg.require("taskId"), { dbClusterId: cfg.require("dbClusterId") });
export const adoptedTaskId = adopted.taskId;
export const adoptedStatus = adopted.status;
