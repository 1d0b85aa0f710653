/**
 * Inputs every resource class adds to what the user declared. They are the
 * provider's own: no schema declares them as user input, and a change to them
 * never reaches a cloud.
 */

/** The resource's Pulumi name; it seeds the idempotency marker. */
export const RESOURCE_NAME_INPUT = "pulumiName";

/**
 * The resource's URN, so that progress lines can be logged on the resource
 * through the engine (`pulumi.log` has no engine connection inside the
 * dynamic-provider host, and the host does not pass the URN to the provider).
 */
export const RESOURCE_URN_INPUT = "pulumiUrn";

/** The hidden inputs, as kind code reads them. */
export interface HiddenInputs {
    [RESOURCE_NAME_INPUT]?: string;
    [RESOURCE_URN_INPUT]?: string;
}
