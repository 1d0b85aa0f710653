/**
 * The mapping between `alaya.TrainingTemplate` inputs and the Alaya wire
 * format, both ways: inputs -> create body (the misspelled
 * `trainingFramwork`, `description` -> `desc`, numbers -> the strings the API
 * expects), and a reported template -> inputs (for outputs and drift).
 */
import type { ContractTemplate } from "../../sdk/alaya/assumptions";
import type { CreateTemplateRequest, WireStorageConfig, WireTemplateResource } from "../../sdk/alaya/types";
import type { Inputs } from "../core/kind";
import type { TrainingTemplateArgs } from "./trainingTemplate";

/** Input name -> documented wire name (https://docs.alayanew.com/cn/docs/api-reference/distributed-training/template-create). */
export const WIRE_NAMES = {
    name: "name",
    description: "desc",
    aidcId: "aidcId",
    trainingType: "trainingType",
    trainingFramework: "trainingFramwork", // sic: the documented wire name is misspelled
    imageType: "imageType",
    image: "image",
    env: "env",
    resource: "resource",
    enableAutoRetry: "enableAutoRetry",
    maxRetryCount: "maxRetryCount",
    enableTimeoutCancel: "enableTimeoutCancel",
    timeoutHours: "timeoutHours",
    startCommand: "startCommand",
    priority: "priority",
    storageConfigs: "storageConfigs",
} as const satisfies { readonly [K in Exclude<keyof TrainingTemplateArgs, "profile">]-?: string };

/** An input that is a template field on the API. */
export type TemplateInput = keyof typeof WIRE_NAMES;
/** Every input that is a template field on the API (all but the provider's own `pulumiName`). */
export const TEMPLATE_INPUTS = Object.keys(WIRE_NAMES) as TemplateInput[];

/** `resource` keys whose documented wire value is a string although it holds a number. */
const STRING_NUMBERS = ["cpuCores", "gpuCount", "memoryGB", "productPrice"] as const;
const RESOURCE_KEYS = ["type", "gpuName", "cpuCores", "gpuCount", "memoryGB", "productCode", "productName", "workerCount", "productPrice"] as const;
const STORAGE_KEYS = ["storageId", "storageType", "fileDirectory", "mountPath", "onlyRead"] as const;
/** Top-level fields documented as integers. */
const INTEGERS = new Set<string>(["aidcId", "maxRetryCount", "timeoutHours", "priority"]);

/** `resource` as the API expects it: `cpuCores`, `gpuCount`, `memoryGB`, `productPrice` as strings, `workerCount` as an integer. */
export function wireResource(resource: Inputs): WireTemplateResource {
    const out: WireTemplateResource = {};
    for (const k of RESOURCE_KEYS) {
        const v = resource[k];
        if (v === undefined) continue;
        out[k] = (STRING_NUMBERS as readonly string[]).includes(k) ? String(v) : k === "workerCount" ? Number(v) : v;
    }
    return out;
}

function wireStorage(s: Inputs): WireStorageConfig {
    const out: Record<string, unknown> = {};
    for (const k of STORAGE_KEYS) if (s[k] !== undefined) out[k] = s[k];
    return out as WireStorageConfig;
}

/** The tag the provider appends to `desc` so it can tell its own templates from others of the same name. */
export function markerTag(marker: string): string {
    return `[pulumi:${marker}]`;
}

/** Exactly what {@link wireDescription} adds: one space (when there is a description) and the tag. Whitespace the user wrote stays. */
const TAG = / ?\[pulumi:[0-9a-f]{8}\]$/;

/** `desc` on the wire: the description with the marker tag appended. */
export function wireDescription(description: string | undefined, marker: string): string {
    return description ? `${description} ${markerTag(marker)}` : markerTag(marker);
}

/** The description a person wrote, without our marker tag. */
export function stripMarker(desc: string): string {
    return desc.replace(TAG, "");
}

/** Whether a reported `desc` carries this marker. */
export function hasMarker(desc: string | undefined, marker: string): boolean {
    return desc !== undefined && desc.endsWith(markerTag(marker));
}

/** The create body for these inputs. Unset inputs are left out (the API then applies its own defaults). */
export function createRequest(inputs: Inputs, marker: string): CreateTemplateRequest {
    const body: Record<string, unknown> = {};
    for (const input of TEMPLATE_INPUTS) {
        const v = inputs[input];
        if (input === "description") body.desc = wireDescription(v, marker);
        else if (v === undefined) continue;
        else if (input === "resource") body.resource = wireResource(v);
        else if (input === "storageConfigs") body.storageConfigs = (v as Inputs[]).map(wireStorage);
        else body[WIRE_NAMES[input]] = v;
    }
    return body as unknown as CreateTemplateRequest;
}

const reported = (v: unknown) => v !== undefined && v !== null;
const asNumberIfNumeric = (v: unknown) => (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v)) ? Number(v) : v);

/** A reported `resource` value in the shape the user wrote it (a number stays a number when the wire sends `"1"`). */
function resourceFromWire(wire: Record<string, unknown>, current: Inputs | undefined): Inputs {
    const keys = current ? Object.keys(current) : RESOURCE_KEYS.filter((k) => reported(wire[k]));
    const out: Inputs = {};
    for (const k of keys) {
        if (!reported(wire[k])) {
            out[k] = current?.[k]; // not reported: assumed unchanged
            continue;
        }
        if (k === "workerCount" || typeof current?.[k] === "number") out[k] = asNumberIfNumeric(wire[k]);
        else out[k] = typeof wire[k] === "number" && (STRING_NUMBERS as readonly string[]).includes(k) ? String(wire[k]) : wire[k];
    }
    return out;
}

function storageFromWire(wire: unknown[], current: Inputs[] | undefined): Inputs[] {
    return wire.map((item, i) => {
        const w = (item ?? {}) as Record<string, unknown>;
        const mine = current && current.length === wire.length ? current[i] : undefined;
        const keys = mine ? Object.keys(mine) : STORAGE_KEYS.filter((k) => reported(w[k]));
        return Object.fromEntries(keys.map((k) => [k, reported(w[k]) ? w[k] : mine?.[k]]));
    });
}

/**
 * The inputs as Alaya now reports them, for outputs and drift detection.
 *
 * - A field the user set is reported as the API has it, in the user's shape.
 * - A field the API does not report at all is assumed unchanged (the list and
 *   detail shapes are assumptions; an absent field must not look like drift).
 * - A field the user left unset is not reported (the API may fill defaults we
 *   cannot know), except `description`, which always goes out carrying the
 *   marker, and except on adoption (`TrainingTemplate.get`, recognised by no
 *   template field other than `name` being set), where every reported field is.
 * - Inside `resource` and `storageConfigs` items only the keys the user set
 *   are compared (the API may enrich them, e.g. with `productName`); `env` is
 *   compared whole, so a variable added in the console is drift.
 */
export function inputsFromTemplate(remote: ContractTemplate, inputs: Inputs): Inputs {
    const adopting = TEMPLATE_INPUTS.every((k) => k === "name" || inputs[k] === undefined);
    const out: Inputs = {};
    if (remote.name) out.name = remote.name;
    if (remote.desc !== undefined) out.description = stripMarker(remote.desc) || undefined;
    for (const input of TEMPLATE_INPUTS) {
        if (input === "name" || input === "description") continue;
        const wire = remote.settings[WIRE_NAMES[input]];
        if (!reported(wire) || (inputs[input] === undefined && !adopting)) continue;
        if (input === "resource" && typeof wire === "object" && !Array.isArray(wire)) out.resource = resourceFromWire(wire as Record<string, unknown>, inputs.resource);
        else if (input === "storageConfigs" && Array.isArray(wire)) out.storageConfigs = storageFromWire(wire, inputs.storageConfigs);
        else if (input === "env" && typeof wire === "object" && !Array.isArray(wire)) out.env = Object.fromEntries(Object.entries(wire as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
        else out[input] = INTEGERS.has(input) ? asNumberIfNumeric(wire) : wire;
    }
    return out;
}
