/**
 * Release notes for fine-tunes DashScope will not delete (issue 15 item 8).
 *
 * DashScope keeps the record of every finished fine-tune and refuses to
 * delete it (`UnsupportedOperation`, reference/bailian-finetune.md §7). The
 * record keeps its job_name, so after `pulumi destroy` a later `pulumi up` of
 * the same resource would find the old SUCCEEDED job by its marker and adopt
 * it instead of training again. Nothing about a fine-tune can be changed, so
 * the destroy leaves a note in the same account, visible from every machine:
 * a small file named after the job in the Files API. A marker lookup skips
 * jobs with a note. The file says what it is in its name and description.
 */
import type { DashScopeClient } from "../../sdk/dashscope/client";
import { filterFiles, uploadFile } from "../../sdk/dashscope/files";
import type { FineTuneJob } from "../../sdk/dashscope/types";

/** Every release note's name starts with this. */
export const RELEASE_NOTE_PREFIX = "pulumi-training-released-";

/** The note's file name for a job. */
export function releaseNoteName(jobId: string): string {
    return `${RELEASE_NOTE_PREFIX}${jobId}.jsonl`;
}

/** Records that the stack let go of a finished job the cloud keeps. */
export async function noteReleased(client: DashScopeClient, jobId: string): Promise<void> {
    if ((await releasedIds(client)).has(jobId)) return;
    await uploadFile(client, {
        name: releaseNoteName(jobId),
        // A valid fine-tune row: the service may check what is uploaded with purpose fine-tune.
        content: `${JSON.stringify({ messages: [{ role: "user", content: "released" }, { role: "assistant", content: jobId }] })}\n`,
        purpose: "fine-tune",
        description: `pulumi-training: fine-tune ${jobId} was destroyed; DashScope keeps its record. Later creates do not adopt it. Safe to delete once the record is gone.`,
    });
}

/** The ids of the jobs released so far in this account. */
async function releasedIds(client: DashScopeClient): Promise<Set<string>> {
    const notes = await filterFiles(client, (f) => typeof f.name === "string" && f.name.startsWith(RELEASE_NOTE_PREFIX));
    return new Set(notes.map((f) => f.name.slice(RELEASE_NOTE_PREFIX.length).replace(/\.jsonl$/, "")));
}

/** The jobs among `found` that no destroy released (one Files list, only when some job has finished). */
export async function notReleased(client: DashScopeClient, found: FineTuneJob[], finished: (j: FineTuneJob) => boolean): Promise<FineTuneJob[]> {
    if (!found.some(finished)) return found;
    const released = await releasedIds(client);
    return found.filter((j) => !released.has(j.job_id));
}
