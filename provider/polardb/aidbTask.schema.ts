import { z } from "zod";
import { profileSchema } from "../core/profile";
import { INVISIBLE_CHARACTERS, INVISIBLE_CHARACTERS_RULE } from "../core/check";
import { canonicalJson } from "../core/marker";
import { isUnknown, containsUnknown } from "../core/unknown";
import { retrySchema } from "../core/retry";

/**
 * Input schema of `polardb.AidbTask`. The paths of its issues are the
 * property names `check` reports (`runningParameter.num_epochs`).
 * Facts: reference/polardb-aidb.md §3 and
 * https://help.aliyun.com/zh/polardb/api-polardb-2017-08-01-createaidbclustertask .
 */

/** The only documented KubeType: model-operator tuning. It is also the default. */
export const DEFAULT_KUBE_TYPE = "aitrain";

/** `train_mode` values seen in the response and dataset docs. */
export const TRAIN_MODES = ["sft", "grpo"] as const;
/** `train_type` values seen in the response docs. */
export const TRAIN_TYPES = ["lora", "full"] as const;

/** Any JSON value: what RunningParameter can carry once serialized. Rejects NaN, Infinity, functions and undefined in arrays. */
export const jsonValue: z.ZodType<unknown> = z.lazy(() =>
    z.union([
        z.string(),
        z.number().refine(Number.isFinite, "must be a finite number (JSON has no NaN or Infinity)"),
        z.boolean(),
        z.null(),
        z.array(jsonValue),
        z.record(z.string(), jsonValue),
    ], { message: "must be JSON-serializable (string, finite number, boolean, null, array or object)" }),
);

const positiveInt = z.number().int("must be a whole number").min(1, "must be at least 1");
const ratio = z.number().min(0, "must be between 0 and 1").max(1, "must be between 0 and 1");
const learningRate = z.union([
    z.number().gt(0, "must be greater than 0"),
    z.string().refine((s) => s.trim() !== "" && Number.isFinite(Number(s)) && Number(s) > 0, 'must be a positive number such as "1e-6"'),
]);

/**
 * The RunningParameter keys the documentation shows (one example, §3),
 * typed; any other key passes through unchanged as long as it is JSON.
 */
export const runningParameterSchema = z
    .object({
        train_mode: z.enum(TRAIN_MODES, { message: `must be one of ${TRAIN_MODES.join(", ")}` }),
        train_type: z.enum(TRAIN_TYPES, { message: `must be one of ${TRAIN_TYPES.join(", ")}` }),
        num_epochs: positiveInt,
        batch_size: positiveInt,
        eval_batch_size: positiveInt,
        num_generations: positiveInt,
        learning_rate: learningRate,
        split_dataset_ratio: ratio,
        lora_rank: positiveInt,
        lora_alpha: positiveInt,
        gpu_memory_utilization: z.number().gt(0, "must be greater than 0 and at most 1").max(1, "must be greater than 0 and at most 1"),
        data_file_list: z.string().min(1, "must not be empty"),
        external_plugins: z.string().min(1, "must not be empty"),
        reward_funcs: z.string().min(1, "must not be empty"),
    })
    .partial()
    .catchall(jsonValue);

const pcId = z.string().regex(/^pc-[A-Za-z0-9]+$/, 'must be a PolarDB cluster id such as "pc-2ze0000000000000"');
const prefixed = (prefix: string, example: string) => z.string().regex(new RegExp(`^${prefix}-[A-Za-z0-9]+$`), `must look like "${example}"`);

/** The longest `taskName` a user may give; the provider appends `-<8 hex>` (the idempotency marker). */
/** Inputs that can hold secrets (core/sensitive.ts): the free-form running parameters. */
export const SENSITIVE_INPUTS = ["runningParameter"] as const;

export const MAX_TASK_NAME = 55;

/**
 * Longest RunningParameter, percent-encoded as it travels: RPC calls carry
 * every parameter in the query string (reference/polardb-aidb.md §1), and
 * gateways refuse request lines past about 8 KB (nginx's default buffer),
 * which the signature and the other parameters share.
 */
export const MAX_RUNNING_PARAMETER_ENCODED = 4096;

/** The whole input object of `polardb.AidbTask`, with the cross-field rule that a task needs data. */
export const aidbTaskSchema = z
    .object({
        dbClusterId: pcId,
        modelSource: z.enum(["public", "custom"], { message: 'must be "public" (a preset model) or "custom"' }),
        modelName: z.string({ message: 'is required: a preset model such as "Qwen3-8B", or the path of a custom model' }).min(1, "must not be empty"),
        modelType: z.string().min(1, "must not be empty").optional(),
        datasetPath: z.string().min(1, "must not be empty").optional(),
        evalDatasetPath: z.string().min(1, "must not be empty").optional(),
        runningParameter: runningParameterSchema,
        kubeType: z.enum([DEFAULT_KUBE_TYPE], { message: `must be "${DEFAULT_KUBE_TYPE}", the only documented value` }).optional(),
        taskName: z
            .string()
            .min(1, "must not be empty")
            .max(MAX_TASK_NAME, `must be at most ${MAX_TASK_NAME} characters (the provider appends a 9-character marker)`)
            .refine((s) => !INVISIBLE_CHARACTERS.test(s), INVISIBLE_CHARACTERS_RULE)
            .optional(),
        zoneId: z.string().regex(/^[a-z]{2,}(-[a-z0-9]+)+$/, 'must be a zone id such as "cn-beijing-i"').optional(),
        vpcId: prefixed("vpc", "vpc-2zeabc123").optional(),
        vSwitchId: prefixed("vsw", "vsw-2zeabc123").optional(),
        securityGroupId: prefixed("sg", "sg-2zeabc123").optional(),
        dbInstanceClass: z.string().min(1, "must not be empty").optional(),
        tuneArch: z.string().min(1, "must not be empty").optional(),
        regionId: z.string().regex(/^[a-z]{2,}(-[a-z0-9]+)+$/, 'must be a region id such as "cn-beijing"').optional(),
        profile: profileSchema,
        waitForCompletion: z.boolean().optional(),
        retry: retrySchema(false),
        completionTimeoutMinutes: z.number().positive("must be greater than 0").max(7 * 24 * 60, "must be at most 10080 (7 days)").optional(),
        pulumiName: z.string().optional(),
    })
    .strict()
    .superRefine((a, ctx) => {
        const rp = a.runningParameter as Record<string, unknown> | undefined;
        if (rp && typeof rp === "object" && !isUnknown(rp) && !containsUnknown(rp)) {
            const encoded = encodeURIComponent(canonicalJson(rp)).length;
            if (encoded > MAX_RUNNING_PARAMETER_ENCODED) {
                ctx.addIssue({
                    code: "custom",
                    path: ["runningParameter"],
                    message: `is ${encoded} bytes once encoded for the request URL; at most ${MAX_RUNNING_PARAMETER_ENCODED} fit (PolarDB's API carries every parameter in the query string): keep large settings in the dataset or a file`,
                });
            }
        }
        const fineTuning = rp?.train_mode !== undefined || rp?.train_type !== undefined;
        if (fineTuning && !a.datasetPath) {
            ctx.addIssue({ code: "custom", path: ["datasetPath"], message: "is required for fine-tuning (runningParameter sets train_mode or train_type): the training dataset id, e.g. \"pds-2zetrain123\"" });
        } else if (!a.datasetPath && !a.evalDatasetPath) {
            ctx.addIssue({ code: "custom", path: ["datasetPath"], message: "set datasetPath (fine-tuning) or evalDatasetPath (evaluation): a task needs data" });
        }
    });
