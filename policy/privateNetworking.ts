/**
 * Private networking: jobs run inside a VPC and subnet (or vSwitch).
 *
 * A kind takes part by naming its VPC and subnet fields in the kinds table (`network`): TI-ONE
 * `vpcId`/`subnetId`, PolarDB AIDB `vpcId`/`vSwitchId`.
 *
 * @module
 */

import { formatChoices, formatList, isAllowed } from "./config";
import { readOne, toText } from "./props";
import { ResourceGuardDefinition } from "./guard";

/** Configuration of {@link privateNetworking}. */
export type PrivateNetworkingConfig = {
    /** Allowed VPC ids (`*` wildcards); empty allows any VPC as long as one is set. */
    allowedVpcIds: string[];
};

/** VPC and subnet set (and the VPC allow-listed, when a list is configured). */
export const privateNetworking: ResourceGuardDefinition<PrivateNetworkingConfig> = {
    scope: "resource",
    key: "privateNetworking",
    name: "private-networking",
    displayName: "Private networking",
    description: "Training jobs must run inside a VPC and subnet.",
    severity: "high",
    tags: ["security", "network"],
    remediationSteps: "Set the VPC and subnet (vSwitch) fields so the job runs on your private network.",
    defaultLevel: "advisory",
    defaults: { allowedVpcIds: [] },
    schema: {
        allowedVpcIds: {
            type: "array",
            items: { type: "string" },
            description: "Allowed VPC ids (`*` wildcards); empty allows any VPC as long as one is set.",
        },
    },
    aspects: ["network"],
    validate({ config, kind, props }, reportViolation) {
        const spec = kind.network!;
        const vpcRead = readOne(props, spec.vpcPath);
        const subnetRead = readOne(props, spec.subnetPath);
        const missing = [vpcRead, subnetRead]
            .filter((r) => r.status === "absent" || (r.status === "known" && toText(r.value) === undefined))
            .map((r) => r.path);
        if (missing.length > 0) {
            reportViolation(
                `${kind.label} does not set ${formatList(missing)}, so it would not run on a private network. ` +
                    `Set ${spec.vpcPath} and ${spec.subnetPath}.`,
            );
        }
        const vpcId = vpcRead.status === "known" ? toText(vpcRead.value) : undefined;
        if (vpcId !== undefined && !isAllowed(vpcId, config.allowedVpcIds)) {
            reportViolation(
                `${kind.label} runs in VPC '${vpcId}', which is not allowed. ` +
                    `Use ${formatChoices(config.allowedVpcIds)}, or add it to privateNetworking.allowedVpcIds.`,
            );
        }
    },
};
