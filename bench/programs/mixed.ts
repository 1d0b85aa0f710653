// The Pulumi program the benchmarks run: groups of resources of any kinds, as a spec file lists them.
// The kinds are looked up in the package at run time, so the program works whichever kinds exist.
import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";

/** `count` resources of one class, named `<prefix>-0000`…, with the same arguments. */
interface Group {
    module: string;
    className: string;
    prefix: string;
    count: number;
    args: Record<string, unknown>;
}

type ResourceClass = new (name: string, args: Record<string, unknown>) => pulumi.CustomResource;

const pkg = require("pulumi-training") as Record<string, Record<string, ResourceClass>>;
const groups = JSON.parse(fs.readFileSync(new pulumi.Config().require("spec"), "utf8")) as Group[];

let declared = 0;
for (const g of groups) {
    for (let i = 0; i < g.count; i++) {
        const suffix = String(i).padStart(4, "0");
        // Names unique on the cloud (templates, tasks) get the same suffix as the resource.
        const args = typeof g.args.name === "string" ? { ...g.args, name: `${g.args.name}-${suffix}` } : g.args;
        new pkg[g.module][g.className](`${g.prefix}-${suffix}`, args);
        declared++;
    }
}

export const resources = declared;
