// Adopts an existing Alaya template by id (`pulumi import` cannot work for dynamic resources).
import * as pulumi from "@pulumi/pulumi";
import { alaya } from "pulumi-training";

const cfg = new pulumi.Config();
const adopted = alaya.TrainingTemplate.get("adopted", cfg.require("templateId"));
export const adoptedId = adopted.templateId;
export const adoptedName = adopted.name;
export const adoptedFramework = adopted.trainingFramework;
export const adoptedPriority = adopted.priority;
