/**
 * `bailian.File`: a local dataset file uploaded to Alibaba Model Studio
 * (Bailian) with the DashScope Files API. Every argument, its type, default
 * and unit, and what changing it does.
 *
 * @module bailian.File
 */
import * as pulumi from "@pulumi/pulumi";
import { dynamicResourceArgs } from "../core/resource";
import { KINDS } from "../registry";
import { secretOutputNames } from "../core/sensitive";
import { SENSITIVE_INPUTS } from "./file.schema";

/**
 * Arguments of {@link File}.
 *
 * @group Arguments
 */
export interface FileArgs {
    /**
     * Path of the local file to upload: a `.jsonl` file for text fine-tunes, a
     * `.zip` archive for image and video data. Relative paths resolve against
     * the Pulumi project directory.
     *
     * `check` refuses, before anything is uploaded: a missing file, a file
     * over the documented per-file limit (fine-tune: 300 MB for `.jsonl`, 1 GB
     * for `.zip`; file-extract: 150 MB; batch: 500 MB), and fine-tune JSONL
     * whose lines are not the documented row shapes (chat `messages` with roles
     * system/user/assistant, DPO `messages` + `chosen` + `rejected`, CPT `text`,
     * or `prompt` + `completion`), naming the first bad lines by number.
     *
     * The file is identified by its content, not its path: `check` computes its
     * SHA-256 (streamed, the file is never read whole), so editing the file
     * replaces the uploaded one (output `sha256` changes), while moving or
     * renaming a file with the same content changes nothing on the cloud.
     * @defaultValue required
     */
    source: pulumi.Input<string>;
    /**
     * `fine-tune`, `file-extract` or `batch`; sets the size limit and the checks. Replaces.
     * @defaultValue `fine-tune`
     */
    purpose?: pulumi.Input<"fine-tune" | "file-extract" | "batch">;
    /**
     * Free text stored with the file (the upload's `descriptions` field). Replaces.
     * @defaultValue none
     */
    description?: pulumi.Input<string>;
    /**
     * Workspace id (`llm-…`), sent as `X-DashScope-WorkSpace`. Replaces.
     * @defaultValue `dashscope:workspaceId` config, then `DASHSCOPE_WORKSPACE_ID`, then the API key's default workspace
     */
    workspaceId?: pulumi.Input<string>;
    /**
     * DashScope region: `cn-beijing` (China, `dashscope.aliyuncs.com`) or
     * `ap-southeast-1` (international, Singapore,
     * `dashscope-intl.aliyuncs.com`). An API key works only in its own region,
     * so a second region usually comes with a `profile`; an endpoint override
     * (`dashscope:baseUrl`) wins over it. Replaces.
     * @defaultValue the `dashscope:baseUrl` endpoint if set, else `cn-beijing`
     */
    region?: pulumi.Input<"cn-beijing" | "ap-southeast-1">;
    /**
     * Credential profile: the account (and endpoint, region, workspace) this
     * resource uses, read from the profile's own stack config namespace
     * (`<namespace>-<profile>:`, e.g. `dashscope-prod:apiKey`) or environment
     * variables (`<PROFILE>_…`, e.g. `PROD_DASHSCOPE_API_KEY`) instead of the stack's
     * defaults, with no fallback to them. One stack can so use several
     * accounts; the credentials never enter inputs or state. Lower-case
     * letters, digits and `-`. Replaces.
     * @defaultValue none: the stack's default settings
     */
    profile?: pulumi.Input<string>;
}

const OUTPUTS = ["fileId", "name", "sizeBytes", "md5", "sha256", "createTime"] as const satisfies readonly (keyof File)[];

/** The outputs the cloud reports (the kind's `outputs` may report only these). @internal */
export type FileOutputName = (typeof OUTPUTS)[number];

/**
 * Outputs stored encrypted whatever the program marked secret: the echoes of
 * the inputs that can hold secrets (core/sensitive.ts).
 */
const SECRET_OUTPUTS = [...secretOutputNames(SENSITIVE_INPUTS)];

/**
 * A local dataset file uploaded to Alibaba Model Studio (Bailian) with the
 * DashScope Files API (`POST /api/v1/files`), so a fine-tune's data is part
 * of the stack: pass {@link File.fileId} to `FineTuneJob.trainingFileIds`.
 *
 * Editing the file plans a replacement in preview: `up` uploads the new
 * content first, then deletes the old file, and whatever uses the id (a
 * fine-tune job) is replaced with it. `destroy` deletes the file; a file
 * already gone is fine.
 *
 * Uploading is not idempotent on the service, so the uploaded file's name
 * carries a marker: the local name with 8 hex characters (a hash of the
 * resource name, the content hash, purpose and description) before the
 * extension, e.g. `train-3fa9c2d1.jsonl`. When an upload's answer is lost,
 * or `up` was interrupted, the next attempt finds that name in the file list
 * (and checks its MD5) instead of uploading a second copy.
 *
 * Credentials: `DASHSCOPE_API_KEY` or `pulumi config set --secret dashscope:apiKey`.
 * Endpoint: `DASHSCOPE_HTTP_BASE_URL` or `dashscope:baseUrl`. Per the
 * service's documentation the file API is open in the Beijing region.
 *
 * @example
 * ```ts
 * import { bailian } from "pulumi-training";
 *
 * const train = new bailian.File("train", {
 *     source: "data/train.jsonl", // relative to the Pulumi project directory
 *     description: "support conversations",
 * });
 * export const trainingFileId = train.fileId;
 * ```
 *
 * @group Resource
 */
export class File extends pulumi.dynamic.Resource {
    /** The file id to train on (`training_file_ids`, or a dataset's `file_id`). */
    declare public readonly fileId: pulumi.Output<string>;
    /** The name the service records: the local name with the idempotency marker, e.g. `train-3fa9c2d1.jsonl`. */
    declare public readonly name: pulumi.Output<string>;
    /** Size in bytes, as the service reports it. */
    declare public readonly sizeBytes: pulumi.Output<number>;
    /** MD5 of the content, hex, as the service reports it. */
    declare public readonly md5: pulumi.Output<string>;
    /** SHA-256 of the local content, hex, computed by `check`; a change replaces the file. */
    declare public readonly sha256: pulumi.Output<string>;
    /** Upload time as the service prints it (`yyyy-MM-dd HH:mm:ss`, service time zone). */
    declare public readonly createTime: pulumi.Output<string>;

    /** The local path, as given. */
    declare public readonly source: pulumi.Output<string>;
    /** The purpose, as given or defaulted (`fine-tune`). */
    declare public readonly purpose: pulumi.Output<string>;
    /** The description, as given. */
    declare public readonly description: pulumi.Output<string | undefined>;

    constructor(name: string, args: FileArgs, opts?: pulumi.CustomResourceOptions) {
        super(...dynamicResourceArgs(KINDS.bailianFile, name, args, OUTPUTS, SECRET_OUTPUTS, opts));
    }

    /**
     * Adopts a file already uploaded into the stack by id (`pulumi import`
     * cannot work for dynamic resources). An adopted file is read, never
     * uploaded or deleted by this stack. Pass `workspaceId` in `state` when the
     * file lives in a non-default workspace.
     */
    static get(name: string, id: pulumi.Input<string>, state?: Partial<FileArgs>, opts?: pulumi.CustomResourceOptions): File {
        return new File(name, (state ?? {}) as FileArgs, { ...opts, id });
    }
}
