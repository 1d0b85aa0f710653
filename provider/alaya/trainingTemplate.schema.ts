import { z } from "zod";
import { profileSchema } from "../core/profile";
import { INVISIBLE_CHARACTERS, INVISIBLE_CHARACTERS_RULE } from "../core/check";
import { isUnknown } from "../core/unknown";

/** `PRE_TRAINING` (pre-training) or `HPC` (high-performance computing), as documented. */
export const TRAINING_TYPES = ["PRE_TRAINING", "HPC"] as const;
/** The documented training frameworks. */
export const TRAINING_FRAMEWORKS = ["PyTorch", "DeepSpeed", "MPI", "TensorFlow"] as const;
/** `general` (base image), `application` (application image) or `private` (your own registry). */
export const IMAGE_TYPES = ["general", "application", "private"] as const;

/**
 * One registry that holds Alaya's public images, by folder
 * (`harbor.zetyun.cn/anc-public/<imageType>/`): the create page's only example
 * pairs `general` with `harbor.zetyun.cn/anc-public/general/tensorflow:2.16.1-gpu-jupyter`.
 * It is not the only one (Alaya's own images also live at
 * `registry.hd-01.alayanew.com/...`), so an image elsewhere is not refused.
 */
export const PUBLIC_IMAGE_REGISTRY = "harbor.zetyun.cn/anc-public/";

/**
 * Why `imageType` certainly does not fit `image`, or undefined. The create
 * page says only that `imageType` "must correspond to `image`", so only what
 * is certainly wrong is refused: `private` for an image in the public
 * registry above, or a public folder other than the type named.
 */
export function imageTypeMismatch(imageType: string, image: string): string | undefined {
    const folder = image.startsWith(PUBLIC_IMAGE_REGISTRY) ? image.slice(PUBLIC_IMAGE_REGISTRY.length).split("/")[0] : undefined;
    if (folder === undefined) return undefined;
    if (imageType === "private") return `is "private", but ${image} is a public Alaya image: use "${folder}"`;
    if ((IMAGE_TYPES as readonly string[]).includes(folder) && folder !== imageType) return `is "${imageType}", but ${image} is under ${PUBLIC_IMAGE_REGISTRY}${folder}/: use "${folder}"`;
    return undefined;
}

const numeric = (what: string, ok: (n: number) => boolean) =>
    z.union([
        z.number().refine(ok, `must be ${what}`),
        z.string().refine((s) => s.trim() !== "" && Number.isFinite(Number(s)) && ok(Number(s)), `must be ${what}, as a number or a numeric string`),
    ]);

/** The `resource` object; numbers may be given as numbers, the wire wants strings (except `workerCount`). */
export const resourceSchema = z
    .object({
        type: z.string().min(1, "must not be empty").optional(),
        gpuName: z.string().min(1, "must not be empty").optional(),
        cpuCores: numeric("greater than 0", (n) => n > 0).optional(),
        gpuCount: numeric("a whole number, 0 or more", (n) => Number.isInteger(n) && n >= 0).optional(),
        memoryGB: numeric("greater than 0", (n) => n > 0).optional(),
        productCode: z.string().min(1, "must not be empty").optional(),
        productName: z.string().min(1, "must not be empty").optional(),
        workerCount: z.number().int("must be a whole number").min(1, "must be at least 1").optional(),
        productPrice: z.union([z.string().min(1, "must not be empty"), z.number().min(0, "must not be negative")]).optional(),
    })
    .strict();

/**
 * One `storageConfigs` item. The create page marks no storage field required,
 * so none is; a `mountPath` given must be absolute (a container mounts at an
 * absolute path).
 */
export const storageConfigSchema = z
    .object({
        storageId: z.string().min(1, "must not be empty").optional(),
        storageType: z.string().min(1, "must not be empty").optional(),
        fileDirectory: z.string().min(1, "must not be empty").optional(),
        mountPath: z.string().startsWith("/", "must be an absolute path (start with /)").optional(),
        onlyRead: z.boolean().optional(),
    })
    .strict();

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Inputs that can hold secrets (core/sensitive.ts): the environment and the start command. */
export const SENSITIVE_INPUTS = ["env", "startCommand"] as const;

/**
 * Longest template name. Alaya documents none (INFERENCE: a database column of
 * 255); the provider looks templates up by name in the list's query string,
 * so an unbounded name would fail there, unclearly, instead of at preview.
 */
export const MAX_NAME = 255;

/** `/a/b/` and `/a/b` mount at the same place. */
const normalizeMountPath = (p: string) => p.replace(/\/+$/, "") || "/";

/** Input schema of `alaya.TrainingTemplate`; issue paths are the property names check failures report. */
export const trainingTemplateSchema = z
    .object({
        name: z
            .string({ message: "is required: the template name, unique in the Alaya account" })
            .trim()
            .min(1, "is required: the template name, unique in the Alaya account")
            .max(MAX_NAME, `must be at most ${MAX_NAME} characters`)
            .refine((s) => !INVISIBLE_CHARACTERS.test(s), INVISIBLE_CHARACTERS_RULE),
        description: z.string().optional(),
        profile: profileSchema,
        aidcId: z.number().int("must be a whole number").min(1, "must be a compute-centre id (1 or more)").optional(),
        trainingType: z.enum(TRAINING_TYPES, { message: `must be one of ${TRAINING_TYPES.join(", ")}` }).optional(),
        trainingFramework: z.enum(TRAINING_FRAMEWORKS, { message: `must be one of ${TRAINING_FRAMEWORKS.join(", ")}` }).optional(),
        imageType: z.enum(IMAGE_TYPES, { message: `must be one of ${IMAGE_TYPES.join(", ")}` }).optional(),
        image: z.string().min(1, "must not be empty").optional(),
        env: z
            .record(z.string(), z.string({ message: "must be a string" }))
            .superRefine((env, ctx) => {
                for (const key of Object.keys(env)) {
                    if (!ENV_NAME.test(key)) ctx.addIssue({ code: "custom", path: [key], message: "is not a valid variable name: letters, digits and _, not starting with a digit" });
                }
            })
            .optional(),
        resource: resourceSchema.optional(),
        enableAutoRetry: z.boolean().optional(),
        maxRetryCount: z.number().int("must be a whole number").min(1, "must be at least 1").optional(),
        enableTimeoutCancel: z.boolean().optional(),
        timeoutHours: z.number().int("must be a whole number of hours").min(1, "must be at least 1 hour").optional(),
        startCommand: z.string().min(1, "must not be empty").optional(),
        priority: z.number().int("must be 1, 2 or 3").min(1, "must be 1, 2 or 3").max(3, "must be 1, 2 or 3").optional(),
        storageConfigs: z.array(storageConfigSchema).optional(),
        pulumiName: z.string().optional(),
    })
    .strict()
    .superRefine((a, ctx) => {
        // Cross-field rules: skipped while a value they read is unknown (preview); check runs again once it is known.
        const known = (...vs: unknown[]) => vs.every((v) => v !== undefined && !isUnknown(v));
        if (known(a.imageType, a.image)) {
            const why = imageTypeMismatch(a.imageType as string, a.image as string);
            if (why) ctx.addIssue({ code: "custom", path: ["imageType"], message: why });
        }
        if (known(a.image) && a.imageType === undefined) ctx.addIssue({ code: "custom", path: ["imageType"], message: "is required with image: general, application or private" });
        if (known(a.imageType) && a.image === undefined) ctx.addIssue({ code: "custom", path: ["image"], message: `is required with imageType "${a.imageType}"` });
        if (a.maxRetryCount !== undefined && !isUnknown(a.enableAutoRetry) && a.enableAutoRetry !== true) {
            ctx.addIssue({ code: "custom", path: ["maxRetryCount"], message: "applies only with enableAutoRetry: true" });
        }
        if (a.enableTimeoutCancel === true && a.timeoutHours === undefined) {
            ctx.addIssue({ code: "custom", path: ["timeoutHours"], message: "is required (1 or more hours) when enableTimeoutCancel is true" });
        }
        const seen = new Map<string, number>();
        (a.storageConfigs ?? []).forEach((s, i) => {
            if (!known(s.mountPath)) return;
            const at = normalizeMountPath(s.mountPath as string);
            const first = seen.get(at);
            if (first !== undefined) ctx.addIssue({ code: "custom", path: ["storageConfigs", i, "mountPath"], message: `mounts at ${at} like storageConfigs[${first}]: mount paths must be distinct` });
            else seen.set(at, i);
        });
    });
