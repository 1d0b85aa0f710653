// The bad-input corpus as one program: every case is a resource registered with
// its arguments exactly as written in the cases file (wrong types included, as
// an untyped or JavaScript program would pass them), so one preview checks all.
import * as pulumi from "@pulumi/pulumi";
import * as fs from "node:fs";
import { alaya, bailian, polardb, tione } from "pulumi-training";

interface Case {
    name: string;
    kind: "tione" | "polardb" | "fineTune" | "file" | "alaya";
    args: any;
}

const cfg = new pulumi.Config();
const cases = JSON.parse(fs.readFileSync(cfg.require("casesFile"), "utf8")) as Case[];
const make: Record<Case["kind"], (name: string, args: any) => pulumi.CustomResource> = {
    tione: (n, a) => new tione.TrainingTask(n, a),
    polardb: (n, a) => new polardb.AidbTask(n, a),
    fineTune: (n, a) => new bailian.FineTuneJob(n, a),
    file: (n, a) => new bailian.File(n, a),
    alaya: (n, a) => new alaya.TrainingTemplate(n, a),
};
for (const c of cases) make[c.kind](c.name, c.args);
