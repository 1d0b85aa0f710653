/**
 * Allowed regions, for every kind that has one.
 *
 * A kind takes part by describing its region in the kinds table (`region`): a region field, and
 * optionally an endpoint field whose host implies the region (DashScope's `baseUrl`). A resource
 * whose region is left to the environment (no field, no endpoint) cannot be judged and is skipped.
 *
 * @module
 */

import { formatChoices, isAllowed } from "./config";
import { RegionSpec } from "./kinds";
import { readFirst, readOne, toText } from "./props";
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
    if (region !== undefined) {
        return { region, source: direct.path };
    }
    if (!spec.endpoint) {
        return undefined;
    }
    const endpointRead = readOne(props, spec.endpoint.path);
    const endpoint = endpointRead.status === "known" ? toText(endpointRead.value) : undefined;
    if (endpoint === undefined) {
        return undefined;
    }
    let host: string;
    try {
        host = new URL(endpoint).hostname.toLowerCase();
    } catch {
        return undefined;
    }
    const implied = spec.endpoint.regionsByHost[host];
    return implied === undefined ? undefined : { region: implied, source: `${spec.endpoint.path} (${host})` };
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
        if (resolved === undefined || isAllowed(resolved.region, config.allowedRegions)) {
            return;
        }
        reportViolation(
            `${kind.label} is in region '${resolved.region}' (from ${resolved.source}), which is not allowed. ` +
                `Use ${formatChoices(config.allowedRegions)}, or add the region to allowedRegions.allowedRegions.`,
        );
    },
};
