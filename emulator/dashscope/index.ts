import { createHash } from "node:crypto";
import { hex, compactMinute, spacedTime, requestId } from "../core/ids";
import { Phase, plannedPhases, rerouteFrom, statusAt, reachedAt } from "../core/timeline";
import type { CloudModule, EmuContext, EmuRequest, EmuResponse } from "../core/types";
import { parseMultipart } from "../core/multipart";
import { DEFAULT_LIST_VARIANTS, ListVariants, VariantInfo, enumVariantInfo, enumVariantProblem, listVariantInfo, listVariantsControl, listed, outOfBandDelete } from "../core/control";
import { ControlError, ControlRoute, NO_STATUS, ObjectChange, ObjectControl, ObjectKindInfo, ObjectSummary } from "../core/objects";

/**
 * DashScope fine-tunes and files, as `reference/bailian-finetune.md` documents
 * them: `{request_id, output}` for fine-tunes, `{request_id, data}` for files,
 * `{code, message, request_id}` with a real HTTP status for errors.
 */
export interface DashScopeEmulatorOptions {
    /** API keys the emulator accepts. */
    apiKeys: string[];
    /** Time each job spends in each status. Default 1000 ms. */
    stepMs?: number;
    /** Largest accepted upload in bytes, for every purpose. Default: the documented per-purpose limits ({@link fileSizeLimit}). */
    maxFileBytes?: number;
    /** Fine-tunes one API key may have PENDING, QUEUING or RUNNING at once. Default {@link DEFAULT_RUNNING_JOB_LIMIT}. */
    runningJobLimit?: number;
}

/**
 * The service's running-job quota is per user and its number is not
 * published (reference/bailian-finetune.md §7 quotes only the message); the
 * default is high enough that no test meets it unless it sets a lower one.
 */
export const DEFAULT_RUNNING_JOB_LIMIT = 1000;

const PROGRESSION = ["PENDING", "QUEUING", "RUNNING", "SUCCEEDED"] as const;
/** Every fine-tune status (reference/bailian-finetune.md §6): what a forced outcome may be. */
const STATUSES = [...PROGRESSION, "FAILED", "CANCELING", "CANCELED"];
const FILE_PURPOSES = new Set(["fine-tune", "file-extract", "batch"]);
const MiB = 1024 * 1024;

/**
 * Per-file limits of the newer file-management page: 300 MB for fine-tune
 * data, 1 GB for image/video fine-tune data (a `.zip`), 150 MB for
 * file-extract, 500 MB for batch (reference/bailian-finetune.md §8).
 */
export function fileSizeLimit(purpose: string, name: string): number {
    if (purpose === "fine-tune") return /\.zip$/i.test(name) ? 1024 * MiB : 300 * MiB;
    if (purpose === "file-extract") return 150 * MiB;
    return 500 * MiB;
}

const ACTIVE = new Set(["PENDING", "QUEUING", "RUNNING", "CANCELING"]);
/** The statuses the running-job quota counts. */
const RUNNING = new Set(["PENDING", "QUEUING", "RUNNING"]);
/**
 * Hyper-parameters every create must carry: "The n_epochs, batch_size, and
 * max_length parameters affect the fine-tuning cost and are required"
 * (2026 create page, reference/bailian-finetune.md §3).
 */
const REQUIRED_HYPER_PARAMETERS = ["n_epochs", "batch_size", "max_length"] as const;
/** The documented 429 of the running-job quota (reference/bailian-finetune.md §7), word for word. */
const RUNNING_JOB_QUOTA_MESSAGE = "Too many fine-tune job in running, please retry later.";
const TRAINING_TYPES = new Set(["sft", "efficient_sft", "dpo_full", "dpo_lora", "cpt"]);

interface JobRecord {
    body: Record<string, any>;
    jobId: string;
    /** Who created the job ({@link userOf} its API key): the running-job quota is per user. Absent in state saved before the quota existed. */
    user?: string;
    created: number;
    phases: Phase[];
    failure?: { code: string; message: string };
}

interface FileRecord {
    file_id: string;
    name: string;
    description: string;
    size: number;
    md5: string;
    purpose: string;
    gmt_create: string;
    lines: number;
}

interface State {
    jobs: Record<string, JobRecord>;
    files: Record<string, FileRecord>;
}

export class DashScopeEmulator implements CloudModule, ObjectControl {
    /** Order and lag of ListFineTunes (both undocumented): `POST /_control/dashscope/variants {listOrder, listLagMs}` switches them. */
    private readonly listVariants: ListVariants = { ...DEFAULT_LIST_VARIANTS };
    /**
     * How long after SUCCEEDED `finetuned_output` appears (undocumented whether
     * the two are written together): `POST /_control/dashscope/variants {finetunedOutputLagMs}`.
     */
    private finetunedOutputLagMs = 0;
    /**
     * Rules the reference leaves open (reference/bailian-finetune.md §7: "which
     * statuses allow cancel or delete is not stated"; the failure fields are
     * shown only in examples), each a variant the provider must survive:
     * - `deleteRule`: `active-only` (the one documented message refuses finished
     *   jobs) or `any` (finished jobs can be deleted too);
     * - `cancelFinished`: `unsupported-operation` (the documented message) or
     *   `generic` (a plain 400 that says nothing about the status);
     * - `failureFields`: `code-message` (a FAILED job carries code and message)
     *   or `none` (it carries neither; the reason is only in the logs);
     * - `jobName`: `echoed` (a job answers with the `job_name` it was sent) or
     *   `ignored` (the service names every job by its id: the job object's
     *   `job_name` "equals `job_id` by default" and every documented example
     *   shows it so, reference/bailian-finetune.md §5; §3 lists `job_name` as an
     *   optional request field without saying it is kept).
     */
    private readonly rules: DashScopeRules = { ...DEFAULT_RULES };
    /** The running-job quota per API key: `POST /_control/dashscope/variants {runningJobLimit}`. */
    private runningJobLimit: number;
    readonly name = "dashscope";
    readonly prefix = "/dashscope";
    private state: State = { jobs: {}, files: {} };
    private readonly stepMs: number;

    constructor(private readonly opts: DashScopeEmulatorOptions) {
        this.stepMs = opts.stepMs ?? 1000;
        this.runningJobLimit = opts.runningJobLimit ?? DEFAULT_RUNNING_JOB_LIMIT;
    }

    action(req: EmuRequest): string {
        const p = req.path.replace(/^\/api\/v1/, "");
        const m = req.method;
        if (p === "/fine-tunes") return m === "POST" ? "CreateFineTune" : "ListFineTunes";
        if (/^\/fine-tunes\/[^/]+\/cancel$/.test(p)) return "CancelFineTune";
        if (/^\/fine-tunes\/[^/]+\/logs$/.test(p)) return "GetFineTuneLogs";
        if (/^\/fine-tunes\/[^/]+$/.test(p)) return m === "DELETE" ? "DeleteFineTune" : "GetFineTune";
        if (p === "/files") return m === "POST" ? "UploadFile" : "ListFiles";
        if (/^\/files\/[^/]+$/.test(p)) return m === "DELETE" ? "DeleteFile" : "GetFile";
        return `${m} ${p}`;
    }

    /**
     * The answer to an injected request-rate fault. The reference documents
     * no request-rate message for these APIs, only the quota messages of §7,
     * which a client must not retry; this is the documented code with a
     * message that names no quota (an assumption).
     */
    throttled(): EmuResponse {
        return err(429, "Throttling", "Requests throttling triggered.");
    }

    notFound(): EmuResponse {
        return err(404, "NotFound", "Not found!");
    }

    serverError(): EmuResponse {
        return err(500, "InternalError", "Internal server error!");
    }

    handle(req: EmuRequest, ctx: EmuContext): EmuResponse {
        const auth = String(req.headers["authorization"] ?? "");
        const key = auth.startsWith("Bearer ") ? auth.slice(7) : "";
        if (!this.opts.apiKeys.includes(key)) return err(401, "InvalidApiKey", "Invalid API-key provided.");
        if (!req.path.startsWith("/api/v1/")) return err(404, "NotFound", "Not Found!");
        const now = ctx.clock.now();
        const action = this.action(req);
        const id = decodeURIComponent(/^\/api\/v1\/(?:fine-tunes|files)\/([^/]+)/.exec(req.path)?.[1] ?? "");
        switch (action) {
            case "CreateFineTune":
                return this.create(req, userOf(key), now, ctx);
            case "ListFineTunes":
                return this.list(req, now);
            case "GetFineTune":
                return this.withJob(id, (j) => ok({ output: this.view(j, now) }));
            case "CancelFineTune":
                return this.withJob(id, (j) => this.cancel(j, now, ctx));
            case "DeleteFineTune":
                return this.withJob(id, (j) => this.remove(j, now, ctx));
            case "GetFineTuneLogs":
                return this.withJob(id, (j) => this.logs(j, req, now));
            case "UploadFile":
                return this.upload(req, now, ctx);
            case "ListFiles":
                return this.listFiles(req);
            case "GetFile":
                return this.state.files[id] ? ok({ data: this.fileView(this.state.files[id]) }) : err(404, "NotFound", "Not found!");
            case "DeleteFile":
                if (!this.state.files[id]) return err(404, "NotFound", "Not found!");
                delete this.state.files[id];
                ctx.markDirty();
                return ok({});
        }
        return err(404, "NotFound", "Not Found!");
    }

    private create(req: EmuRequest, user: string, now: number, ctx: EmuContext): EmuResponse {
        let body: Record<string, any>;
        try {
            body = JSON.parse(req.body.toString("utf8"));
        } catch {
            return err(400, "InvalidParameter", "Request body is not valid JSON");
        }
        if (typeof body.model !== "string" || !body.model) return err(400, "InvalidParameter", "Missing model");
        const fileIds: string[] = [
            ...(body.training_file_ids ?? []),
            ...(body.training_datasets ?? []).filter((d: any) => d?.data_source_type === "file_id").map((d: any) => d.file_id),
        ];
        const hasOss = (body.training_datasets ?? []).some((d: any) => d?.data_source_type === "oss_mount");
        if (fileIds.length === 0 && !hasOss) return err(400, "InvalidParameter", "Missing training files");
        const allIds = [...fileIds, ...(body.validation_file_ids ?? []), ...(body.validation_datasets ?? []).map((d: any) => d?.file_id).filter(Boolean)];
        const missing = allIds.find((f) => !this.state.files[f]);
        if (missing) return err(400, "InvalidParameter", `File ${missing} not found`);
        if (body.training_type !== undefined && !TRAINING_TYPES.has(body.training_type)) return err(400, "InvalidParameter", `Invalid training_type: ${body.training_type}`);
        for (const name of REQUIRED_HYPER_PARAMETERS) {
            const value = body.hyper_parameters?.[name];
            if (value === undefined) return err(400, "InvalidParameter", `Missing hyper_parameters.${name}: it affects the fine-tuning cost and is required`);
            if (!Number.isInteger(value) || value < 1) return err(400, "InvalidParameter", `${name} must be a positive integer`);
        }
        const running = Object.values(this.state.jobs).filter((j) => j.user === user && RUNNING.has(statusAt(j.phases, now))).length;
        if (running >= this.runningJobLimit) return err(429, "Throttling", RUNNING_JOB_QUOTA_MESSAGE);
        const jobId = `ft-${compactMinute(now)}-${hex(4)}`;
        this.state.jobs[jobId] = { body, jobId, user, created: now, phases: plannedPhases(PROGRESSION, now, this.stepMs) };
        ctx.markDirty();
        return ok({ output: this.view(this.state.jobs[jobId], now) });
    }

    private list(req: EmuRequest, now: number): EmuResponse {
        const pageNo = Math.max(1, Number(req.query.get("page_no") ?? 1));
        const pageSize = Math.min(100, Math.max(1, Number(req.query.get("page_size") ?? 10)));
        const model = req.query.get("model");
        const all = listed(Object.values(this.state.jobs), this.listVariants, now).filter((j) => !model || j.body.model === model);
        const jobs = all.slice((pageNo - 1) * pageSize, pageNo * pageSize).map((j) => this.view(j, now));
        return ok({ output: { page_no: pageNo, page_size: pageSize, total: all.length, jobs } });
    }

    private cancel(j: JobRecord, now: number, ctx: EmuContext): EmuResponse {
        const status = statusAt(j.phases, now);
        if (!ACTIVE.has(status)) {
            return this.rules.cancelFinished === "generic"
                ? err(400, "InvalidParameter", "Invalid request.")
                : err(400, "UnsupportedOperation", "The fine-tune job can not be canceled because it is succeeded,failed or canceled");
        }
        if (status !== "CANCELING") j.phases = rerouteFrom(j.phases, now, ["CANCELING", "CANCELED"], this.stepMs);
        ctx.markDirty();
        return ok({ output: { status: "success" } });
    }

    private remove(j: JobRecord, now: number, ctx: EmuContext): EmuResponse {
        const status = statusAt(j.phases, now);
        if (!ACTIVE.has(status) && this.rules.deleteRule === "active-only") {
            return err(400, "UnsupportedOperation", "The fine-tune job can not be deleted because it is succeeded,failed or canceled");
        }
        delete this.state.jobs[j.jobId];
        ctx.markDirty();
        return ok({ output: { status: "success" } });
    }

    private logs(j: JobRecord, req: EmuRequest, now: number): EmuResponse {
        const all = this.logLines(j, now);
        const offset = Math.max(0, Number(req.query.get("offset") ?? 0));
        const line = Math.min(1000, Math.max(1, Number(req.query.get("line") ?? 100)));
        return ok({ output: { total: all.length, logs: all.slice(offset, offset + line) } });
    }

    private logLines(j: JobRecord, now: number): string[] {
        const lines: string[] = [];
        for (const p of j.phases) {
            if (p.at > now) break;
            lines.push(`${spacedTime(p.at)} job ${j.jobId} ${p.status.toLowerCase()}`);
            if (p.status === "RUNNING") for (let e = 1; e <= 3; e++) lines.push(`${spacedTime(p.at)} epoch ${e} step ${e * 10} loss ${(2 / e).toFixed(3)}`);
            if (p.status === "FAILED") lines.push(`${spacedTime(p.at)} ERROR ${j.failure?.message ?? "training failed"}`);
            if (p.status === "SUCCEEDED") lines.push("##FT_COMPLETE##");
        }
        return lines;
    }

    private view(j: JobRecord, now: number): Record<string, unknown> {
        const status = statusAt(j.phases, now);
        const b = j.body;
        const end = ["SUCCEEDED", "FAILED", "CANCELED"].includes(status) ? reachedAt(j.phases, status, now) : undefined;
        // What was sent, plus the service's default learning rate (§4); the required three are always sent.
        const hp: Record<string, unknown> = { learning_rate: b.training_type === "efficient_sft" ? 1e-4 : 1e-5, ...(b.hyper_parameters ?? {}) };
        return {
            job_id: j.jobId,
            job_name: this.rules.jobName === "echoed" ? (b.job_name ?? j.jobId) : j.jobId,
            status,
            model: b.model,
            base_model: b.model,
            training_type: b.training_type ?? "sft",
            training_file_ids: b.training_file_ids ?? [],
            validation_file_ids: b.validation_file_ids ?? [],
            training_datasets: b.training_datasets,
            validation_datasets: b.validation_datasets,
            hyper_parameters: hp,
            create_time: spacedTime(j.created),
            workspace_id: "llm-emulator",
            group: "llm",
            ...(end !== undefined ? { end_time: spacedTime(end) } : {}),
            ...(status === "SUCCEEDED" && now - (end ?? now) >= this.finetunedOutputLagMs ? { finetuned_output: `${b.model}-${b.finetuned_output_suffix ?? b.model_name ?? "ft"}-${j.jobId}`.replace(/--+/g, "-") } : {}),
            ...(status === "SUCCEEDED" || status === "CANCELED" ? { usage: status === "SUCCEEDED" ? 1000 * Number(hp.n_epochs ?? 1) : 0 } : {}),
            ...(status === "FAILED" && this.rules.failureFields === "code-message" ? { code: j.failure?.code ?? "TrainingFailed", message: j.failure?.message ?? "training failed" } : {}),
        };
    }

    private upload(req: EmuRequest, now: number, ctx: EmuContext): EmuResponse {
        const parts = parseMultipart(req.body, String(req.headers["content-type"] ?? ""));
        if (!parts) return err(400, "InvalidParameter", "Expected multipart/form-data");
        // The official SDKs send no purpose (reference §8), so the service must accept its absence; treating it as fine-tune is an inference.
        const purpose = parts.find((p) => p.name === "purpose")?.data.toString("utf8") ?? "fine-tune";
        if (!FILE_PURPOSES.has(purpose)) return err(400, "InvalidParameter", `Invalid purpose: ${purpose}`);
        const descriptions = parts.filter((p) => p.name === "descriptions").map((p) => p.data.toString("utf8"));
        const files = parts.filter((p) => p.name === "files" && p.filename !== undefined);
        if (files.length === 0) return err(400, "InvalidParameter", "Missing files");
        const uploaded: Array<{ file_id: string; name: string }> = [];
        const failed: Array<{ name: string; code: string; message: string }> = [];
        files.forEach((f, i) => {
            const name = f.filename as string;
            if (f.data.length === 0) return failed.push({ name, code: "InvalidFile", message: "File is empty" });
            const limit = this.opts.maxFileBytes ?? fileSizeLimit(purpose, name);
            if (f.data.length > limit) return failed.push({ name, code: "FileTooLarge", message: `File exceeds the size limit of ${limit} bytes` });
            const rec = this.addFile(name, f.data, purpose, descriptions[i] ?? "", now);
            uploaded.push({ file_id: rec.file_id, name });
        });
        ctx.markDirty();
        return ok({ data: { uploaded_files: uploaded, failed_uploads: failed } });
    }

    private addFile(name: string, data: Buffer, purpose: string, description: string, now: number): FileRecord {
        const rec: FileRecord = {
            file_id: `file-ft-${hex(24)}`,
            name,
            description,
            size: data.length,
            md5: createHash("md5").update(data).digest("hex"),
            purpose,
            gmt_create: spacedTime(now),
            lines: data.toString("utf8").split("\n").filter((l) => l.trim()).length,
        };
        this.state.files[rec.file_id] = rec;
        return rec;
    }

    private listFiles(req: EmuRequest): EmuResponse {
        const pageNo = Math.max(1, Number(req.query.get("page_no") ?? 1));
        const pageSize = Math.min(100, Math.max(1, Number(req.query.get("page_size") ?? 10)));
        const all = Object.values(this.state.files);
        const files = all.slice((pageNo - 1) * pageSize, pageNo * pageSize).map((f) => this.fileView(f));
        return ok({ data: { total: all.length, page_no: pageNo, page_size: pageSize, files } });
    }

    private fileView(f: FileRecord): Record<string, unknown> {
        return {
            id: f.file_id,
            file_id: f.file_id,
            name: f.name,
            description: f.description,
            size: f.size,
            md5: f.md5,
            gmt_create: f.gmt_create,
            purpose: f.purpose,
            region: "cn-beijing",
            url: `https://emulator.invalid/files/${f.file_id}`,
            user_id: "emulator-user",
            api_key_id: "emulator-api-key",
        };
    }

    private withJob(id: string, fn: (j: JobRecord) => EmuResponse): EmuResponse {
        const j = this.state.jobs[id];
        return j ? fn(j) : err(404, "NotFound", "Not found!");
    }

    control(method: string, path: string, body: any, ctx: EmuContext): EmuResponse | undefined {
        const now = ctx.clock.now();
        const force = /^\/fine-tunes\/([^/]+)\/force$/.exec(path);
        if (force && method === "POST") {
            const j = this.state.jobs[decodeURIComponent(force[1])];
            if (!j) return err(404, "NotFound", "Not found!");
            this.forceJob(j, String(body?.status ?? "FAILED"), body?.code, body?.message, ctx);
            return ok({ output: this.view(j, now) });
        }
        const deleted = outOfBandDelete(method, path, { "fine-tunes": this.state.jobs, files: this.state.files }, ctx);
        if (deleted) return deleted;
        if (path === "/variants" && method === "POST") return this.variants(body);
        if (path === "/fine-tunes" && method === "GET") return ok({ jobs: Object.values(this.state.jobs).map((j) => this.view(j, now)) });
        if (path === "/files" && method === "GET") return ok({ files: Object.values(this.state.files).map((f) => this.fileView(f)) });
        if (path === "/files" && method === "POST") {
            const rec = this.addFile(String(body?.name ?? "data.jsonl"), Buffer.from(String(body?.content ?? '{"messages":[]}\n')), String(body?.purpose ?? "fine-tune"), "", now);
            ctx.markDirty();
            return ok({ data: this.fileView(rec) });
        }
        return undefined;
    }

    /**
     * `POST /_control/dashscope/variants`: any of `finetunedOutputLagMs`,
     * `runningJobLimit`, the rules (`deleteRule`, `cancelFinished`,
     * `failureFields`, `jobName`) and the list variants (`listOrder`, `listLagMs`).
     * Nothing changes unless every given value is valid; the answer is every variant's value.
     */
    private variants(body: any): EmuResponse {
        const lag = body?.finetunedOutputLagMs;
        const limit = body?.runningJobLimit;
        const problem = enumVariantProblem(RULE_VALUES, body);
        if (problem) return { status: 400, body: { message: problem } };
        if (lag !== undefined && !(Number.isFinite(lag) && lag >= 0)) return { status: 400, body: { message: "finetunedOutputLagMs must be a number of milliseconds, 0 or more" } };
        if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) return { status: 400, body: { message: "runningJobLimit must be a whole number, 0 or more" } };
        const list = listVariantsControl("POST", "/variants", body, this.listVariants) as EmuResponse;
        if (list.status !== 200) return list;
        if (lag !== undefined) this.finetunedOutputLagMs = lag;
        if (limit !== undefined) this.runningJobLimit = limit;
        for (const rule of Object.keys(RULE_VALUES) as Array<keyof DashScopeRules>) if (body?.[rule] !== undefined) (this.rules as Record<string, string>)[rule] = body[rule];
        return ok({ ...this.listVariants, finetunedOutputLagMs: this.finetunedOutputLagMs, runningJobLimit: this.runningJobLimit, ...this.rules });
    }

    /** Moves a job to `status` now; a FAILED job gets `code` and `message` (or defaults) as its failure. */
    private forceJob(j: JobRecord, status: string, code: string | undefined, message: string | undefined, ctx: EmuContext): void {
        j.phases = rerouteFrom(j.phases, ctx.clock.now(), [status], this.stepMs);
        if (status === "FAILED") j.failure = { code: code ?? "TrainingFailed", message: message ?? "training failed: loss is NaN" };
        ctx.markDirty();
    }

    /**
     * The uniform object API's view of DashScope: fine-tunes and files. The API
     * documents no update for either (reference/bailian-finetune.md), so nothing is editable.
     */
    readonly objectKinds: readonly ObjectKindInfo[] = [
        {
            kind: "fine-tune",
            meaning: "a fine-tune job (POST /api/v1/fine-tunes)",
            forceStatuses: STATUSES,
            reasonStatuses: ["FAILED"],
            reasonField: "message of the job (code TrainingFailed; absent under the failureFields=none variant) and the ERROR line of its logs",
            editable: {},
            deletable: true,
        },
        { kind: "file", meaning: "an uploaded file (POST /api/v1/files); files have no status", forceStatuses: [], reasonStatuses: [], editable: {}, deletable: true },
    ];

    readonly controlRoutes: readonly ControlRoute[] = [
        { method: "GET", path: "/_control/dashscope/fine-tunes", meaning: "every fine-tune job as GetFineTune shows it" },
        { method: "POST", path: "/_control/dashscope/fine-tunes/<id>/force", body: "{status?, code?, message?}", meaning: "jump a job to a status now (default FAILED, with code and message)" },
        { method: "DELETE", path: "/_control/dashscope/fine-tunes/<id>", meaning: "delete a job out of band, whatever its status" },
        { method: "GET", path: "/_control/dashscope/files", meaning: "every file as GetFile shows it" },
        { method: "POST", path: "/_control/dashscope/files", body: "{name?, content?, purpose?}", meaning: "add a file without a multipart upload (default a one-line fine-tune JSONL)" },
        { method: "DELETE", path: "/_control/dashscope/files/<id>", meaning: "delete a file out of band" },
    ];

    listObjects(ctx: EmuContext): ObjectSummary[] {
        const now = ctx.clock.now();
        return [...Object.values(this.state.jobs).map((j) => this.jobSummary(j, now)), ...Object.values(this.state.files).map(fileSummary)];
    }

    forceObject(_kind: string, id: string, status: string, reason: string | undefined, ctx: EmuContext): ObjectChange {
        const j = this.jobForControl(id);
        this.forceJob(j, status, undefined, reason, ctx);
        const now = ctx.clock.now();
        return { object: this.jobSummary(j, now), view: this.view(j, now) };
    }

    deleteObject(kind: string, id: string, ctx: EmuContext): ObjectSummary {
        let was: ObjectSummary;
        if (kind === "file") {
            const f = this.state.files[id];
            if (!f) throw new ControlError(404, `no dashscope file ${id}`);
            was = fileSummary(f);
            delete this.state.files[id];
        } else {
            const j = this.jobForControl(id);
            was = this.jobSummary(j, ctx.clock.now());
            delete this.state.jobs[id];
        }
        ctx.markDirty();
        return was;
    }

    /** Never called: no kind declares an editable field (the server refuses the call first). */
    editObject(kind: string): ObjectChange {
        throw new ControlError(400, `a dashscope ${kind} has no editable field`);
    }

    variantInfo(): Record<string, VariantInfo> {
        return {
            ...listVariantInfo(this.listVariants),
            finetunedOutputLagMs: { unit: "ms", default: 0, current: this.finetunedOutputLagMs, meaning: "how long after SUCCEEDED finetuned_output appears" },
            runningJobLimit: { unit: "jobs", default: this.opts.runningJobLimit ?? DEFAULT_RUNNING_JOB_LIMIT, current: this.runningJobLimit, meaning: "fine-tunes one API key may have PENDING, QUEUING or RUNNING (past it: 429 Throttling)" },
            ...enumVariantInfo(RULE_VALUES, DEFAULT_RULES, this.rules, RULE_MEANINGS),
        };
    }

    private jobForControl(id: string): JobRecord {
        const j = this.state.jobs[id];
        if (!j) throw new ControlError(404, `no dashscope fine-tune ${id}`);
        return j;
    }

    private jobSummary(j: JobRecord, now: number): ObjectSummary {
        return { kind: "fine-tune", id: j.jobId, name: this.rules.jobName === "echoed" ? String(j.body.job_name ?? j.jobId) : j.jobId, status: statusAt(j.phases, now) };
    }

    snapshot(): unknown {
        return this.state;
    }

    restore(state: unknown): void {
        this.state = state as State;
    }
}

function fileSummary(f: FileRecord): ObjectSummary {
    return { kind: "file", id: f.file_id, name: f.name, status: NO_STATUS };
}

/** The values each open rule can take (see DashScopeEmulator.rules); the first is the default. */
const RULE_VALUES = {
    deleteRule: ["active-only", "any"],
    cancelFinished: ["unsupported-operation", "generic"],
    failureFields: ["code-message", "none"],
    jobName: ["echoed", "ignored"],
} as const;

type DashScopeRules = { -readonly [K in keyof typeof RULE_VALUES]: (typeof RULE_VALUES)[K][number] };

const DEFAULT_RULES: DashScopeRules = { deleteRule: "active-only", cancelFinished: "unsupported-operation", failureFields: "code-message", jobName: "echoed" };

const RULE_MEANINGS: Record<keyof DashScopeRules, string> = {
    deleteRule: "which jobs DeleteFineTune accepts: active ones only, or finished ones too",
    cancelFinished: "how a cancel of a finished job is refused: the documented UnsupportedOperation, or a plain 400",
    failureFields: "whether a FAILED job carries code and message, or neither",
    jobName: "whether a job answers with the job_name it was sent (echoed), or with its job_id as every documented example shows (ignored)",
};

/** The user an API key belongs to (each key is its own user here), as a fingerprint: the state file never holds a key. */
function userOf(apiKey: string): string {
    return createHash("sha256").update(apiKey).digest("hex").slice(0, 12);
}

function ok(body: Record<string, unknown>): EmuResponse {
    return { status: 200, body: { request_id: requestId(), ...body } };
}

function err(status: number, code: string, message: string): EmuResponse {
    return { status, body: { code, message, request_id: requestId() } };
}
