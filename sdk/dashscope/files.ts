/**
 * The DashScope Files API (`/api/v1/files`), the source of the file ids a
 * fine-tune trains on. Envelopes use `data`, not `output`; an upload answers
 * HTTP 200 with per-file `uploaded_files` and `failed_uploads`
 * (reference/bailian-finetune.md §8; https://help.aliyun.com/en/model-studio/upload-file-api).
 */
import * as fs from "node:fs";
import { CloudApiError, hasErrorCode } from "../core/errors";
import type { HttpResponse } from "../core/http";
import type { DashScopeClient } from "./client";
import type { DashScopeFile, FileList, FileUploadResult } from "./types";

const SERVICE = "DashScope";

/** What the Files API accepts as `purpose` (reference §8). */
export type FilePurpose = "fine-tune" | "file-extract" | "batch";

export interface UploadFileRequest {
    /** Local path of the file; it is streamed from disk, never read whole. Exactly one of `path` and `content`. */
    path?: string;
    /** The file's content, for small files made in memory. */
    content?: string;
    /** The file name the service records (the multipart filename). */
    name: string;
    /**
     * Sent as the `purpose` form field. The English upload page marks it
     * required; the official SDKs omit it (reference §8, §11), so the service
     * also accepts uploads without it.
     */
    purpose: FilePurpose;
    /** Sent as the `descriptions` form field when given. */
    description?: string;
}

/** One uploaded file as the upload answer names it. */
export interface UploadedFile {
    file_id: string;
    name: string;
}

/**
 * Uploads one file with `POST /files` (multipart: `files`, `purpose`,
 * `descriptions`). Not idempotent: after a transport error the caller must
 * look the file up (by its name) instead of uploading again, so the HTTP core
 * resends only when the service said it did nothing (throttling). A file the
 * service lists under `failed_uploads` becomes a {@link CloudApiError} with the
 * service's code and message.
 */
export function uploadFile(client: DashScopeClient, req: UploadFileRequest): Promise<UploadedFile> {
    return client.http.call(
        "UploadFile",
        async () => {
            // A fresh form per attempt: a blob body is consumed by the send.
            const form = new FormData();
            if (req.path === undefined) {
                form.append("files", new Blob([req.content ?? ""]), req.name);
            } else {
                // access() first gives a plain ENOENT/EACCES message; openAsBlob then reads lazily and fails if the file changes under it.
                await fs.promises.access(req.path, fs.constants.R_OK);
                form.append("files", await fs.openAsBlob(req.path), req.name);
            }
            form.append("purpose", req.purpose);
            if (req.description) form.append("descriptions", req.description);
            // No Content-Type here: axios writes multipart/form-data with its boundary and the length.
            return { method: "POST", url: client.url("/files"), headers: client.headers(), body: form };
        },
        (res, action) => uploadedOrThrow(client, res, action, req.name),
        { idempotent: false },
    );
}

/** The single uploaded file of an upload answer, or the service's reason for refusing it. */
function uploadedOrThrow(client: DashScopeClient, res: HttpResponse, action: string, name: string): UploadedFile {
    const result = client.decode<FileUploadResult>(res, action);
    const failed = (result?.failed_uploads ?? []).find((f) => f.name === name) ?? result?.failed_uploads?.[0];
    const uploaded = (result?.uploaded_files ?? []).find((f) => f.name === name) ?? result?.uploaded_files?.[0];
    if (uploaded?.file_id && !failed) return uploaded;
    throw new CloudApiError({
        service: SERVICE,
        action,
        code: failed?.code || "MalformedResponse",
        message: client.http.redactor.redact(
            failed
                ? `the service refused "${failed.name ?? name}": ${failed.message ?? "no message"}`
                : `the answer lists "${name}" neither under uploaded_files nor under failed_uploads`,
        ),
        requestId: requestIdOf(res),
        httpStatus: res.status,
        retryable: false,
    });
}

function requestIdOf(res: HttpResponse): string | undefined {
    try {
        const id = (JSON.parse(res.text) as { request_id?: unknown }).request_id;
        return typeof id === "string" ? id : undefined;
    } catch {
        return undefined;
    }
}

/** `GET /files/{file_id}`. */
export function getFile(client: DashScopeClient, fileId: string): Promise<DashScopeFile> {
    return client.json<DashScopeFile>("GetFile", "GET", `/files/${encodeURIComponent(fileId)}`);
}

/** `GET /files/{file_id}`, or undefined when the service answers `NotFound`. */
export async function getFileIfExists(client: DashScopeClient, fileId: string): Promise<DashScopeFile | undefined> {
    try {
        return await getFile(client, fileId);
    } catch (e) {
        if (hasErrorCode(e, "NotFound")) return undefined;
        throw e;
    }
}

/** One page of `GET /files?page_no=&page_size=` (`page_size` 1-100). */
export function listFiles(client: DashScopeClient, page: { pageNo?: number; pageSize?: number } = {}): Promise<FileList> {
    const q = new URLSearchParams({ page_no: String(page.pageNo ?? 1), page_size: String(page.pageSize ?? 100) });
    return client.json<FileList>("ListFiles", "GET", `/files?${q}`);
}

/** Walks every page of the file list and returns the first file that matches. */
export async function findFile(client: DashScopeClient, match: (f: DashScopeFile) => boolean): Promise<DashScopeFile | undefined> {
    for (let pageNo = 1; ; pageNo++) {
        const page = await listFiles(client, { pageNo, pageSize: 100 });
        const files = page.files ?? [];
        const hit = files.find(match);
        if (hit) return hit;
        if (files.length === 0 || pageNo * (page.page_size || 100) >= (page.total ?? 0)) return undefined;
    }
}

/** Walks every page of the file list and returns all files that match. */
export async function filterFiles(client: DashScopeClient, match: (f: DashScopeFile) => boolean): Promise<DashScopeFile[]> {
    const out: DashScopeFile[] = [];
    for (let pageNo = 1; ; pageNo++) {
        const page = await listFiles(client, { pageNo, pageSize: 100 });
        const files = page.files ?? [];
        out.push(...files.filter(match));
        if (files.length === 0 || pageNo * (page.page_size || 100) >= (page.total ?? 0)) return out;
    }
}

/** `DELETE /files/{file_id}`. Returns false when the service no longer knows the file. */
export async function deleteFile(client: DashScopeClient, fileId: string): Promise<boolean> {
    try {
        await client.json<unknown>("DeleteFile", "DELETE", `/files/${encodeURIComponent(fileId)}`);
        return true;
    } catch (e) {
        if (hasErrorCode(e, "NotFound")) return false;
        throw e;
    }
}
