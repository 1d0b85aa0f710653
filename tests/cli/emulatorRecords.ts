/**
 * What the emulator still holds, through its control API: the records a
 * destroyed stack must not leave behind.
 */
import { RELEASE_NOTE_PREFIX } from "../../provider/bailian/released";
import type { CliFixture } from "./fixture";

/** Every record in the emulator, as `cloud:kind id status`. */
export async function allRecords(fx: Pick<CliFixture, "control">): Promise<string[]> {
    const [tione, polardb, jobs, files, templates] = await Promise.all([
        fx.control("GET", "/tione/tasks"),
        fx.control("GET", "/polardb/tasks"),
        fx.control("GET", "/dashscope/fine-tunes"),
        fx.control("GET", "/dashscope/files"),
        fx.control("GET", "/alaya/templates"),
    ]);
    return [
        ...(tione.tasks ?? []).map((t: any) => `tione:task ${t.Id ?? t.TaskId} ${t.Status}`),
        ...(polardb.tasks ?? []).map((t: any) => `polardb:task ${t.id} ${t.status}`),
        ...(jobs.jobs ?? []).map((j: any) => `dashscope:fine-tune ${j.job_id} ${j.status}`),
        ...(files.files ?? []).map((f: any) => `dashscope:file ${f.file_id ?? f.id} ${f.name}`),
        ...(templates.data ?? []).map((t: any) => `alaya:template ${t.id}`),
    ];
}

/** Statuses after which a record neither runs nor bills. */
const FINISHED = /\b(SUCCEED|SUCCEEDED|FAILED|CANCELED|COMPLETED|STOPPED)$/;

/**
 * Records a destroyed stack must not leave: anything still running, and every
 * file, template or task. Finished DashScope fine-tunes stay: the service
 * refuses to delete them ("can not be deleted because it is succeeded,failed
 * or canceled", reference/bailian-finetune.md), and their model is the user's;
 * so do the release notes destroy leaves beside them (provider/bailian/released.ts).
 */
export async function liveRecords(fx: Pick<CliFixture, "control">): Promise<string[]> {
    return (await allRecords(fx)).filter((r) => !(r.startsWith("dashscope:fine-tune ") && FINISHED.test(r)) && !r.includes(` ${RELEASE_NOTE_PREFIX}`));
}
