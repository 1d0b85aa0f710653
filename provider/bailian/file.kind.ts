import type { DashScopeClient } from "../../sdk/dashscope/client";
import { FilePurpose, deleteFile, filterFiles, getFileIfExists, uploadFile } from "../../sdk/dashscope/files";
import type { DashScopeFile } from "../../sdk/dashscope/types";
import type { KindInputs, ResourceKind, Submitted } from "../core/kind";
import { resourceHash } from "../core/marker";
import type { FieldTableFor, OutputsOf, SchemaMatchesArgs } from "../core/shape";
import { KINDS } from "../registry";
import type { FileArgs, FileOutputName } from "./file";
import { UNKNOWN, containsUnknown } from "../core/unknown";
import { dashScopeClientFor } from "./dashscopeClient";
import { SENSITIVE_INPUTS, fileSchema } from "./file.schema";
import { DEFAULT_PURPOSE, cloudFileName, digestFile, inspectSource, resolveSource } from "./fileSource";

/**
 * The Files API has no update call, so everything that reaches the service
 * replaces the file. The content is represented by `sha256`, which `check`
 * computes; the path itself is `local`: moving or renaming a file with the
 * same content changes nothing on the service.
 */
const FIELDS = {
    source: "local",
    sha256: "replace",
    purpose: "replace",
    description: "replace",
    workspaceId: "replace",
    region: "replace",
    profile: "replace",
} as const satisfies FieldTableFor<FileArgs, "sha256">;

/** The schema accepts exactly the documented arguments (a type error names any that differ). */
// `sha256` is derived by check and validated again on the next run.
const SCHEMA_MATCHES_ARGS: SchemaMatchesArgs<typeof fileSchema, FileArgs & { sha256?: string }> = true;
void SCHEMA_MATCHES_ARGS;

const purposeOf = (inputs: FileInputs): FilePurpose => inputs.purpose ?? DEFAULT_PURPOSE;

/** What the marker hashes: the content and everything else sent with it. */
const definingInputs = (inputs: FileInputs) => ({ sha256: inputs.sha256, purpose: purposeOf(inputs), description: inputs.description, workspaceId: inputs.workspaceId });

/**
 * Whether the service's `md5` can be the local one. The reference shows the
 * field without its format; only a 32-hex-digit value is compared, so an
 * unexpected encoding never refuses a good upload.
 */
function md5Agrees(remote: string | undefined, local: string): boolean {
    return !remote || !/^[0-9a-f]{32}$/i.test(remote) || remote.toLowerCase() === local;
}

/**
 * The file an earlier attempt of this resource uploaded: found by its name,
 * which carries the marker, and confirmed by its MD5 against the local file.
 * The list is walked to the end, as the service documents no order.
 */
async function findOurs(client: DashScopeClient, marker: string, inputs: FileInputs, skip: ReadonlySet<string>): Promise<DashScopeFile | undefined> {
    const name = cloudFileName(String(inputs.source), marker);
    const named = await filterFiles(client, (f) => f.name === name && !skip.has(f.file_id));
    if (named.length === 0) return undefined;
    const local = await digestFile(resolveSource(String(inputs.source)));
    // Same name, other bytes: an upload that went wrong, not one to build on.
    return named.find((f) => md5Agrees(f.md5, local.md5));
}

/**
 * Uploads the file once. The content is hashed again first, so a file edited
 * between `check` and the upload is refused rather than uploaded under the
 * old hash; afterwards the service's MD5 is compared with the local one.
 */
async function submit(client: DashScopeClient, inputs: FileInputs, marker: string): Promise<Submitted<DashScopeFile>> {
    const abs = resolveSource(String(inputs.source));
    const local = await digestFile(abs);
    if (local.sha256 !== inputs.sha256) {
        throw new Error(
            `source ${JSON.stringify(inputs.source)} changed after it was checked (SHA-256 ${String(inputs.sha256).slice(0, 12)}… then, ${local.sha256.slice(0, 12)}… now); ` +
                `nothing was uploaded. Run the update again so the plan matches the file.`,
        );
    }
    const uploaded = await uploadFile(client, { path: abs, name: cloudFileName(String(inputs.source), marker), purpose: purposeOf(inputs), description: inputs.description });
    const remote = await getFileIfExists(client, uploaded.file_id);
    if (remote && !md5Agrees(remote.md5, local.md5)) {
        await deleteFile(client, uploaded.file_id).catch(() => false);
        throw new Error(`DashScope reports MD5 ${remote.md5} for the uploaded ${uploaded.name} (${uploaded.file_id}), but the local file's MD5 is ${local.md5}; the upload was deleted. Run the update again.`);
    }
    return { id: uploaded.file_id, remote };
}

/** The checked inputs of `bailian.File` (with `sha256`, which check derives). */
export type FileInputs = KindInputs<typeof fileSchema> & { sha256?: string };

/** `bailian.File` as a kind of the shared lifecycle: an upload, which does not run. */
export const fileKind: ResourceKind<DashScopeClient, DashScopeFile, FileInputs> = {
    token: KINDS.bailianFile.token,
    schema: fileSchema,
    fields: FIELDS,
    // Create-before-delete: the new upload exists before the old file goes, so a job replaced with it never points at nothing.
    deleteBeforeReplace: false,
    regionInput: "workspaceId",
    client: (inputs) => dashScopeClientFor(inputs.workspaceId, inputs.region, inputs.profile),
    // 8 hex of SHA-256 over the resource name and the defining inputs; it goes into the uploaded file's name.
    sensitiveInputs: SENSITIVE_INPUTS,
    marker: (inputs) => resourceHash(inputs, definingInputs(inputs), SENSITIVE_INPUTS),
    findByMarker: findOurs,
    submit,
    notFoundCodes: ["NotFound"],
    get: getFileIfExists,
    idOf: (f) => f.file_id,
    outputs: (f): OutputsOf<FileOutputName> => ({
        fileId: f.file_id,
        name: f.name,
        sizeBytes: f.size,
        md5: f.md5,
        createTime: f.gmt_create,
    }),
    remove: async (client, id) => ((await deleteFile(client, id)) ? "deleted" : "gone"),
    // Offline except for reading the local file: the content hash, the default purpose, and the checks of inspectSource.
    derive: async (inputs) => {
        const purpose = inputs.purpose ?? DEFAULT_PURPOSE;
        // A path or purpose known only after an earlier resource is created: hash it then; until then the content counts as changed.
        if (containsUnknown(inputs.source) || containsUnknown(purpose)) return { purpose, sha256: UNKNOWN };
        const digest = await inspectSource(String(inputs.source), purpose);
        return { purpose, sha256: digest.sha256 };
    },
    redact: (client, message) => client.http.redactor.redact(message),
};
