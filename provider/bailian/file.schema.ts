import { z } from "zod";
import { profileSchema } from "../core/profile";
import { dashScopeRegionSchema } from "./regions";
import { FILE_PURPOSES } from "./fileSource";

/**
 * Input schema of `bailian.File`. What the file holds (size, format, JSONL
 * rows) is checked by the kind's `derive` step, which reads the file; this
 * schema only checks the shape of the arguments.
 */
/** A file's inputs hold no secrets: its content is identified by hash and never echoed. */
export const SENSITIVE_INPUTS = [] as const;

export const fileSchema = z
    .object({
        source: z.string({ message: "is required: the path of the local file to upload" }).min(1, "is required: the path of the local file to upload"),
        purpose: z.enum(FILE_PURPOSES, { message: `must be one of ${FILE_PURPOSES.join(", ")}` }).optional(),
        description: z.string().optional(),
        workspaceId: z.string().min(1).optional(),
        region: dashScopeRegionSchema,
        profile: profileSchema,
        // Set by `check` (the content hash); accepted so a re-checked input set passes.
        sha256: z.string().regex(/^[0-9a-f]{64}$/, "is computed by the provider from the file content").optional(),
        pulumiName: z.string().optional(),
    })
    .strict();
