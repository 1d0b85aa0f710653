/**
 * Allowed regions, for every kind that has one.
 *
 * A kind takes part by describing its region field in the kinds table (`region`). A resource whose
 * region is left to provider configuration or the environment cannot be judged and is skipped; Bailian
 * resources have no region input at all (DashScope's endpoint is provider configuration).
 *
 * @module
 */

import { formatChoices, isAllowed } from "./config";
import { RegionSpec } from "./kinds";
import { readAll, readFirst, toText } from "./props";
import { ResourceGuardDefinition } from "./guard";

/** Where a resource's region was found. */
export interface ResolvedRegion {
    /** The region id. */
    region: string;
    /** The field it came from, for messages. */
    source: string;
}

/** The region of a resource, or `undefined` when it is unknown (preview) or left to the environment. */
export function resolveRegion(spec: RegionSpec, props: unknown): ResolvedRegion | undefined {
    const direct = readFirst(props, spec.paths);
    if (direct.status === "unknown") {
        return undefined;
    }
    const region = direct.status === "known" ? toText(direct.value) : undefined;
    return region === undefined ? undefined : { region, source: direct.path };
}

/** Configuration of {@link allowedRegions}. */
export type AllowedRegionsConfig = {
    /** Allowed region ids (`*` wildcards, case-insensitive), e.g. `["cn-beijing", "ap-guangzhou"]`; empty allows any. */
    allowedRegions: string[];
};

/** Resources only in allow-listed regions. */
export const allowedRegions: ResourceGuardDefinition<AllowedRegionsConfig> = {
    scope: "resource",
    key: "allowedRegions",
    name: "allowed-regions",
    displayName: "Allowed regions",
    description: "Training resources may only be created in allow-listed regions.",
    severity: "high",
    tags: ["compliance", "data-residency"],
    remediationSteps: "Move the resource to an allowed region, or have the region added to the allow-list.",
    defaultLevel: "advisory",
    defaults: { allowedRegions: [] },
    schema: {
        allowedRegions: {
            type: "array",
            items: { type: "string" },
            description: "Allowed region ids (`*` wildcards, case-insensitive); empty allows any.",
        },
    },
    aspects: ["region"],
    validate({ config, kind, props }, reportViolation) {
        const resolved = resolveRegion(kind.region!, props);
        if (resolved !== undefined && !isAllowed(resolved.region, config.allowedRegions)) {
            reportViolation(
                `${kind.label} is in region '${resolved.region}' (from ${resolved.source}), which is not allowed. ` +
                    `Use ${formatChoices(config.allowedRegions)}, or add the region to allowedRegions.allowedRegions.`,
            );
        }
        for (const read of (kind.region!.dataPaths ?? []).flatMap((p) => readAll(props, p))) {
            const region = read.status === "known" ? toText(read.value) : undefined;
            if (region !== undefined && !isAllowed(region, config.allowedRegions)) {
                reportViolation(
                    `${kind.label} keeps data in region '${region}' (${read.path}), which is not allowed: the data would leave the allowed regions. ` +
                        `Use a bucket in ${formatChoices(config.allowedRegions)}, or add the region to allowedRegions.allowedRegions.`,
                );
            }
        }
    },
};
