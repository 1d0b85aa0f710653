/**
 * `training.Completion` as data: which job kinds it can wait for and how it
 * finds each job again (the inputs that select the job's client and its
 * read), its schema and its field table. No cloud client is loaded here:
 * the resource class (program side) and the lifecycle (provider side) both
 * read it.
 *
 * A Completion is not a row of `provider/registry.ts`: a registry row is one
 * cloud's kind (one emulator module, one submit, a marker, a schema the
 * policy pack reads), and a Completion has no cloud of its own, submits
 * nothing and spans every cloud whose jobs run.
 */
import { z } from "zod";
import { DEFAULT_COMPLETION_TIMEOUT_MINUTES } from "../core/defaults";
import type { FieldTable } from "../core/fields";
import { RESOURCE_NAME_INPUT, RESOURCE_URN_INPUT } from "../core/hidden";
import { profileSchema } from "../core/profile";
import { KINDS } from "../registry";
import { SENSITIVE_INPUTS as FINE_TUNE_SENSITIVE } from "../bailian/fineTuneJob.schema";
import { SENSITIVE_INPUTS as AIDB_SENSITIVE } from "../polardb/aidbTask.schema";
import { SENSITIVE_INPUTS as TIONE_SENSITIVE } from "../tione/trainingTask.schema";

/** The `<module>:<Class>` of the Completion; its dynamic type token is `pulumi-nodejs:dynamic/training:Completion`. */
export const COMPLETION_TOKEN = "training:Completion";

/** The lifecycle module the serialized stub requires inside the dynamic-provider host. */
export const COMPLETION_LIFECYCLE = "completion/completion.lifecycle";

/**
 * How a Completion reads a job of each kind that runs:
 * - `locator`: the job's inputs that its kind's `client(inputs)` and
 *   `get(client, id, inputs)` read (its region or workspace, credential
 *   profile, project), so each status read goes through the same client,
 *   credentials, profile and region as the job's own (a unit test holds the
 *   list to what those functions really read);
 * - `sensitive`: the job's top-level inputs that may hold secrets; the
 *   Completion receives their values (encrypted in state, never echoed in
 *   outputs) only to mask them in the failure reasons and log lines it
 *   quotes, as the job's own wait does.
 */
export const WAITABLE: Readonly<Record<string, { readonly locator: readonly string[]; readonly sensitive: readonly string[] }>> = {
    [KINDS.tioneTrainingTask.token]: { locator: ["region", "profile", "tiProjectId"], sensitive: topLevel(TIONE_SENSITIVE) },
    [KINDS.bailianFineTuneJob.token]: { locator: ["workspaceId", "region", "profile"], sensitive: topLevel(FINE_TUNE_SENSITIVE) },
    [KINDS.polardbAidbTask.token]: { locator: ["regionId", "profile"], sensitive: topLevel(AIDB_SENSITIVE) },
};

function topLevel(paths: readonly string[]): string[] {
    return [...new Set(paths.map((p) => p.split(".")[0]))];
}

/** The tokens a Completion accepts, for messages. */
export const WAITABLE_TOKENS = Object.keys(WAITABLE);

/** The hidden input that carries the jobs' sensitive inputs (secret; neither compared nor echoed). */
export const JOB_SECRETS_INPUT = "pulumiJobSecrets";

/** The hidden output that records, per job id, where its status was read at create (account, region, endpoint). */
export const JOB_PLACEMENTS_OUTPUT = "jobPlacements";

/** Longest deadline, as for the jobs themselves: 7 days. */
export const MAX_TIMEOUT_MINUTES = 7 * 24 * 60;

export { DEFAULT_COMPLETION_TIMEOUT_MINUTES };

/** One job as the Completion records it: enough to read its status again, nothing secret. */
const jobRefSchema = z
    .object({
        type: z.enum(WAITABLE_TOKENS as [string, ...string[]], { message: `must be a job kind that runs: ${WAITABLE_TOKENS.join(", ")}` }),
        id: z.string({ message: "is required: the job's id (pass the job resource, not its arguments)" }).min(1, "must not be empty: the job has no id yet"),
        name: z.string().optional(),
        locator: z
            .object({
                region: z.string().optional(),
                regionId: z.string().optional(),
                workspaceId: z.string().optional(),
                tiProjectId: z.string().optional(),
                profile: profileSchema,
            })
            .strict()
            .optional(),
    })
    .strict();

/** The inputs of `training.Completion` as the provider receives them. */
export const completionSchema = z
    .object({
        jobs: z.array(jobRefSchema, { message: "is required: the job resources to wait for" }).min(1, "must name at least one job"),
        completionTimeoutMinutes: z
            .number({ message: "must be a number of minutes" })
            .positive("must be greater than 0")
            .max(MAX_TIMEOUT_MINUTES, `must be at most ${MAX_TIMEOUT_MINUTES} (7 days)`)
            .optional(),
        [RESOURCE_NAME_INPUT]: z.string().optional(),
        [JOB_SECRETS_INPUT]: z.array(z.unknown()).optional(),
    })
    .strict();

/** The checked inputs of a Completion. */
export type CompletionInputs = z.output<typeof completionSchema> & { [RESOURCE_URN_INPUT]?: string; [JOB_SECRETS_INPUT]?: Array<Record<string, unknown> | undefined> };

/** One recorded job. */
export type JobRef = CompletionInputs["jobs"][number];

/**
 * The diff: a different set of jobs (a job replaced, so its id changed; a job
 * added or removed) is a new Completion that waits for the new set; the
 * deadline is a provider setting. The jobs' secrets are not compared: a job
 * whose secret changes is replaced, and its new id replaces the Completion.
 */
export const COMPLETION_FIELDS = {
    jobs: "replace",
    completionTimeoutMinutes: "local",
    [RESOURCE_NAME_INPUT]: "local",
    [RESOURCE_URN_INPUT]: "local",
} as const satisfies FieldTable;

/** The outputs the class declares. */
export const COMPLETION_OUTPUTS = ["statuses", "outcome", "endedAt"] as const;

/** `succeeded` (every job succeeded), `failed` (one or more failed or were canceled), or `running` (a deadline passed, or a refresh found jobs still running). */
export type CompletionOutcome = "succeeded" | "failed" | "running";
