import type { ContractTemplate } from "../../sdk/alaya/assumptions";
import { AlayaClient, DUPLICATE_NAME_CODE } from "../../sdk/alaya/client";
import type { Inputs, KindInputs, ResourceKind, Submitted } from "../core/kind";
import { resourceHash } from "../core/marker";
import type { FieldTableFor, OutputsOf, SchemaMatchesArgs } from "../core/shape";
import { KINDS } from "../registry";
import type { TrainingTemplateArgs, TrainingTemplateOutputName } from "./trainingTemplate";
import { sleep } from "../core/wait";
import { alayaClientFor } from "./alayaClient";
import { SENSITIVE_INPUTS, trainingTemplateSchema } from "./trainingTemplate.schema";
import { TEMPLATE_INPUTS, type TemplateInput, createRequest, hasMarker, inputsFromTemplate, markerTag } from "./trainingTemplate.wire";

/**
 * No update call is documented for the Open API's templates, so every API
 * field replaces the template (delete first: names are unique per account).
 */
const FIELDS: FieldTableFor<TrainingTemplateArgs> = { ...(Object.fromEntries(TEMPLATE_INPUTS.map((f) => [f, "replace" as const])) as Record<TemplateInput, "replace">), profile: "replace" };

/** The schema accepts exactly the documented arguments (a type error names any that differ). */
const SCHEMA_MATCHES_ARGS: SchemaMatchesArgs<typeof trainingTemplateSchema, TrainingTemplateArgs> = true;
void SCHEMA_MATCHES_ARGS;


/** Tries and pause for finding a just-created template in the list (the create answer carries no id). */
const LOOKUP_ATTEMPTS = 5;
const LOOKUP_PAUSE_MS = 500;

/**
 * What the marker hashes: every template input, with the sensitive values
 * masked (env values, the start command), so that nothing derived from a
 * secret is written into the template's description on the cloud.
 */
const definingInputs = (inputs: TrainingTemplateInputs): Inputs => Object.fromEntries(TEMPLATE_INPUTS.map((k) => [k, (inputs as Inputs)[k]]));

/**
 * The template named like this resource, if it is ours. Ownership is a tag
 * `[pulumi:<8 hex>]` at the end of the template's `desc`: a hash of the
 * resource name and inputs (see {@link definingInputs}). A same-named template
 * without our tag belongs to someone else: creating would fail on the unique
 * name, and adopting silently would put a template we did not make under
 * this stack's destroy, so we refuse and point to `TrainingTemplate.get`.
 */
async function findOurs(client: AlayaClient, marker: string, inputs: TrainingTemplateInputs, skip: ReadonlySet<string> = new Set()): Promise<ContractTemplate | undefined> {
    const name = String(inputs.name);
    // Every template of that name: whether Alaya refuses duplicate names is undocumented.
    const named = (await client.findTemplatesByName(name)).filter((t) => !skip.has(t.id));
    let other: ContractTemplate | undefined;
    for (const t of named) {
        // List items may not carry `desc` (the item shape is an assumption): read the detail then.
        const desc = t.desc ?? (await client.getTemplate(t.id))?.desc;
        if (hasMarker(desc, marker)) return t;
        other ??= t;
    }
    if (!other) return undefined;
    throw new Error(
        `an Alaya training template named "${name}" already exists (id ${other.id}) and was not created by this resource ` +
            `(its description does not end with ${markerTag(marker)}). ` +
            `Choose another name, delete that template in the Alaya console, or adopt it with ` +
            `alaya.TrainingTemplate.get("${inputs.pulumiName ?? "<name>"}", "${other.id}").`,
    );
}

/** Creates, then learns the id: from the answer if Alaya ever sends one, otherwise by name through the list. */
async function submit(client: AlayaClient, inputs: TrainingTemplateInputs, marker: string): Promise<Submitted<ContractTemplate>> {
    const { id } = await client.createTemplate(createRequest(inputs, marker));
    if (id) return { id };
    for (let attempt = 1; ; attempt++) {
        const found = await findOurs(client, marker, inputs);
        if (found) return { id: found.id };
        if (attempt >= LOOKUP_ATTEMPTS) {
            throw new Error(
                `Alaya accepted the training template "${inputs.name}" but does not list it yet, so its id is unknown. ` +
                    `Run \`pulumi up\` again: it finds the template by name and its ${markerTag(marker)} tag and adopts it.`,
            );
        }
        await sleep(LOOKUP_PAUSE_MS * attempt);
    }
}

/**
 * `alaya:TrainingTemplate` as a kind of the shared lifecycle: configuration
 * that does not run (no waiting, no cancel), one constant status, every field
 * replaced delete-first, drift read back through {@link inputsFromTemplate}.
 */
/** The checked inputs of `alaya.TrainingTemplate`. */
export type TrainingTemplateInputs = KindInputs<typeof trainingTemplateSchema>;

export const trainingTemplateKind: ResourceKind<AlayaClient, ContractTemplate, TrainingTemplateInputs> = {
    token: KINDS.alayaTrainingTemplate.token,
    schema: trainingTemplateSchema,
    fields: FIELDS,
    deleteBeforeReplace: true,
    client: (inputs) => alayaClientFor(inputs.profile),
    sensitiveInputs: SENSITIVE_INPUTS,
    marker: (inputs) => resourceHash(inputs, definingInputs(inputs), SENSITIVE_INPUTS),
    findByMarker: findOurs,
    submit,
    duplicateCodes: [DUPLICATE_NAME_CODE],
    notFoundCodes: (client) => client.notFoundCodes,
    get: (client, id) => client.getTemplate(id),
    idOf: (t) => t.id,
    outputs: (t, inputs): OutputsOf<TrainingTemplateOutputName> => ({
        templateId: t.id,
        createTime: t.createTime,
        updateTime: t.updateTime,
        ...inputsFromTemplate(t, inputs),
    }),
    inputsFromRemote: (t, inputs) => inputsFromTemplate(t, inputs),
    remove: async (client, id) => {
        await client.deleteTemplate(id);
        return "deleted";
    },
    redact: (client, message) => client.http.redactor.redact(message),
};
