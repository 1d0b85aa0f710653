/**
 * Allow-lists for compute: GPU models, instance specs and product codes.
 *
 * A kind takes part by listing its compute identifiers in the kinds table (`compute`), each with a
 * category: TI-ONE `resourceConfigInfos[].gpuType` and `.instanceType`, Alaya `resource.gpuName`
 * and `resource.productCode`.
 *
 * @module
 */

import { formatChoices, isAllowed } from "./config";
import { ComputeCategory } from "./kinds";
import { readAll, toText } from "./props";
import { ResourceGuardDefinition } from "./guard";

/** Configuration of {@link allowedComputeTypes}. Each empty list leaves its category unrestricted. */
export type AllowedComputeTypesConfig = {
    /** Allowed GPU models (`*` wildcards, case-insensitive), e.g. `["T4", "NVIDIA-L40S-*"]`. */
    allowedGpuTypes: string[];
    /** Allowed instance specs, e.g. `["TI.GN7.*"]`. */
    allowedInstanceTypes: string[];
    /** Allowed product codes, e.g. `["PRD-CCI-1"]`. */
    allowedProductCodes: string[];
};

const CATEGORY_SETTINGS: Record<ComputeCategory, { key: keyof AllowedComputeTypesConfig; noun: string }> = {
    gpuType: { key: "allowedGpuTypes", noun: "GPU type" },
    instanceType: { key: "allowedInstanceTypes", noun: "instance type" },
    productCode: { key: "allowedProductCodes", noun: "product code" },
};

/** Only allow-listed GPU types, instance types and product codes. */
export const allowedComputeTypes: ResourceGuardDefinition<AllowedComputeTypesConfig> = {
    scope: "resource",
    key: "allowedComputeTypes",
    name: "allowed-compute-types",
    displayName: "Allowed GPU types, instance types and product codes",
    description: "Training jobs may only use allow-listed GPU types, instance types and product codes.",
    severity: "medium",
    tags: ["cost", "gpu"],
    remediationSteps: "Pick a GPU type, instance spec or product from the allow-list, or have it added to the list.",
    defaultLevel: "advisory",
    defaults: { allowedGpuTypes: [], allowedInstanceTypes: [], allowedProductCodes: [] },
    schema: {
        allowedGpuTypes: {
            type: "array",
            items: { type: "string" },
            description: "Allowed GPU models (`*` wildcards, case-insensitive); empty allows any.",
        },
        allowedInstanceTypes: {
            type: "array",
            items: { type: "string" },
            description: "Allowed instance specs (`*` wildcards, case-insensitive); empty allows any.",
        },
        allowedProductCodes: {
            type: "array",
            items: { type: "string" },
            description: "Allowed product codes (`*` wildcards, case-insensitive); empty allows any.",
        },
    },
    aspects: ["compute"],
    validate({ config, kind, props }, reportViolation) {
        for (const field of kind.compute!) {
            const { key, noun } = CATEGORY_SETTINGS[field.category];
            const allowList = config[key];
            for (const read of readAll(props, field.path)) {
                const value = read.status === "known" ? toText(read.value) : undefined;
                // Unknown at preview, absent, or "-" (Alaya's "no GPU"): nothing to restrict.
                if (value === undefined || value === "-" || isAllowed(value, allowList)) {
                    continue;
                }
                reportViolation(
                    `${kind.label} uses ${noun} '${value}' at ${read.path}, which is not allowed. ` +
                        `Use one of ${formatChoices(allowList)}, or add it to allowedComputeTypes.${key}.`,
                );
            }
        }
    },
};
