/**
 * Charge type: optionally forbid pay-by-the-hour billing, or require a prepaid resource group.
 *
 * A kind takes part by describing its billing fields in the kinds table (`billing`): TI-ONE
 * `chargeType` and `resourceGroupId`. Both settings are off by default, so the policy is inert
 * until a team turns one on.
 *
 * @module
 */

import { readOne, toText } from "./props";
import { ResourceGuardDefinition } from "./guard";

/** Configuration of {@link chargeType}. */
export type ChargeTypeConfig = {
    /** Forbid hourly postpaid billing (`POSTPAID_BY_HOUR`): jobs must run on prepaid resource groups. */
    forbidPostpaidByHour: boolean;
    /** Require a prepaid resource group id on every job. */
    requireResourceGroup: boolean;
};

/** No hourly postpaid billing / a resource group on every job, when configured. */
export const chargeType: ResourceGuardDefinition<ChargeTypeConfig> = {
    scope: "resource",
    key: "chargeType",
    name: "charge-type",
    displayName: "Charge type",
    description: "Training jobs must use the billing the team allows (prepaid resource groups instead of hourly postpaid, when configured).",
    severity: "medium",
    tags: ["cost", "billing"],
    remediationSteps: "Run the job on a prepaid resource group: chargeType PREPAID with resourceGroupId.",
    defaultLevel: "advisory",
    defaults: { forbidPostpaidByHour: false, requireResourceGroup: false },
    schema: {
        forbidPostpaidByHour: { type: "boolean", description: "Forbid hourly postpaid billing (POSTPAID_BY_HOUR)." },
        requireResourceGroup: { type: "boolean", description: "Require a prepaid resource group id on every job." },
    },
    aspects: ["billing"],
    validate({ config, kind, props }, reportViolation) {
        const spec = kind.billing!;
        const chargeRead = readOne(props, spec.chargeTypePath);
        const charge = chargeRead.status === "known" ? toText(chargeRead.value) : undefined;
        if (config.forbidPostpaidByHour && charge !== undefined && spec.postpaidValues.includes(charge)) {
            reportViolation(
                `${kind.label} is billed ${charge} (${spec.chargeTypePath}), which is not allowed. ` +
                    `Set ${spec.chargeTypePath}: PREPAID with ${spec.resourceGroupPath} naming a prepaid resource group.`,
            );
        }
        const groupRead = readOne(props, spec.resourceGroupPath);
        const groupMissing = groupRead.status === "absent" || (groupRead.status === "known" && toText(groupRead.value) === undefined);
        if (config.requireResourceGroup && groupMissing) {
            reportViolation(
                `${kind.label} does not set ${spec.resourceGroupPath}. Set it to a prepaid resource group (with ${spec.chargeTypePath}: PREPAID).`,
            );
        }
    },
};
