// Adopts an existing TI-ONE task by id (`TrainingTask.get`), as the README shows.
import * as pulumi from "@pulumi/pulumi";
import { tione } from "pulumi-training";

const cfg = new pulumi.Config();
const task = tione.TrainingTask.get("adopted", cfg.require("taskId"));

export const status = task.status;
