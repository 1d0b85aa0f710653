/**
 * Required tags (cost attribution).
 *
 * A kind takes part by describing its tags in the kinds table (`tags`): a list of key/value
 * objects (TI-ONE `tags: [{tagKey, tagValue}]`) or a string map.
 *
 * @module
 */

import { formatList } from "./config";
import { TagSpec } from "./kinds";
import { readItems, readOne, toText } from "./props";
import { ResourceGuardDefinition } from "./guard";

/** The tags a resource sets, or `undefined` when they are unknown at preview. */
export function readTags(spec: TagSpec, props: unknown): Map<string, string> | undefined {
    const tags = new Map<string, string>();
    if (spec.shape === "map") {
        const read = readOne(props, spec.path);
        if (read.status === "unknown") {
            return undefined;
        }
        if (read.status === "known" && typeof read.value === "object") {
            for (const [key, value] of Object.entries(read.value as Record<string, unknown>)) {
                tags.set(key, typeof value === "string" ? value : "");
            }
        }
        return tags;
    }
    for (const item of readItems(props, spec.path)) {
        if (item.status === "unknown") {
            return undefined;
        }
        if (item.status !== "known") {
            continue;
        }
        const keyRead = readOne(item.value, spec.keyField);
        const valueRead = readOne(item.value, spec.valueField);
        if (keyRead.status === "unknown" || valueRead.status === "unknown") {
            return undefined;
        }
        const key = keyRead.status === "known" ? toText(keyRead.value) : undefined;
        if (key !== undefined) {
            tags.set(key, valueRead.status === "known" && typeof valueRead.value === "string" ? valueRead.value : "");
        }
    }
    return tags;
}

/** Configuration of {@link requiredTags}. */
export type RequiredTagsConfig = {
    /** Tag keys every tagged resource must carry. */
    requiredTags: string[];
    /** Whether an empty value counts as present. */
    allowEmptyValues: boolean;
};

/** The configured tag keys are present (with values). */
export const requiredTags: ResourceGuardDefinition<RequiredTagsConfig> = {
    scope: "resource",
    key: "requiredTags",
    name: "required-tags",
    displayName: "Required tags",
    description: "Training jobs must carry the configured tags for cost attribution.",
    severity: "low",
    tags: ["cost", "tagging"],
    remediationSteps: "Add the missing tags with non-empty values.",
    defaultLevel: "advisory",
    defaults: { requiredTags: ["cost-center", "owner"], allowEmptyValues: false },
    schema: {
        requiredTags: { type: "array", items: { type: "string" }, description: "Tag keys every tagged resource must carry." },
        allowEmptyValues: { type: "boolean", description: "Whether an empty tag value counts as present." },
    },
    aspects: ["tags"],
    validate({ config, kind, props }, reportViolation) {
        const spec = kind.tags!;
        const tags = readTags(spec, props);
        if (tags === undefined) {
            return; // unknown at preview
        }
        const missing = config.requiredTags.filter((key) => !tags.has(key));
        const empty = config.allowEmptyValues
            ? []
            : config.requiredTags.filter((key) => tags.has(key) && tags.get(key)!.trim() === "");
        const howTo =
            spec.shape === "list" ? `as {${spec.keyField}, ${spec.valueField}} entries in ${spec.path}` : `to ${spec.path}`;
        if (missing.length > 0) {
            reportViolation(`${kind.label} is missing tags ${formatList(missing)}. Add them ${howTo}.`);
        }
        if (empty.length > 0) {
            reportViolation(`${kind.label} has empty values for tags ${formatList(empty)}. Give them values ${howTo}.`);
        }
    },
};
