// Adopts an existing TI-ONE task by id (`pulumi import` cannot work for dynamic resources).
import * as pulumi from "@pulumi/pulumi";
import { tione } from "pulumi-training";

const cfg = new pulumi.Config();
const adopted = tione.TrainingTask.get("adopted", cfg.require("taskId"), { region: cfg.get("region") });
export const adoptedTaskId = adopted.taskId;
export const adoptedStatus = adopted.status;
