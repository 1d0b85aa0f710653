// One bailian.File driven through config: each engine test changes one value (or the file itself).
import * as pulumi from "@pulumi/pulumi";
import { bailian } from "pulumi-training";

const cfg = new pulumi.Config();
const file = new bailian.File("dataset", {
    source: cfg.require("source"),
    description: cfg.get("description"),
});

export const fileId = file.fileId;
export const name = file.name;
export const sizeBytes = file.sizeBytes;
export const md5 = file.md5;
export const sha256 = file.sha256;
export const createTime = file.createTime;
