import { z } from "zod";
import { profileSchema } from "../core/profile";
import { dashScopeRegionSchema } from "./regions";
import { INVISIBLE_CHARACTERS, INVISIBLE_CHARACTERS_RULE } from "../core/check";
import { retrySchema } from "../core/retry";

/** camelCase hyper-parameter -> DashScope wire name. One table drives validation, the wire mapping and the docs. */
export const HYPER_PARAMETER_WIRE_NAMES = {
    nEpochs: "n_epochs",
    batchSize: "batch_size",
    maxLength: "max_length",
    learningRate: "learning_rate",
    lrSchedulerType: "lr_scheduler_type",
    split: "split",
    maxSplitValDatasetSample: "max_split_val_dataset_sample",
    evalSteps: "eval_steps",
    loggingSteps: "logging_steps",
    warmupRatio: "warmup_ratio",
    weightDecay: "weight_decay",
    freezeVit: "freeze_vit",
    loraRank: "lora_rank",
    loraAlpha: "lora_alpha",
    loraDropout: "lora_dropout",
    dataAugmentation: "data_augmentation",
    augmentationTypes: "augmentation_types",
    augmentationRatio: "augmentation_ratio",
    saveStrategy: "save_strategy",
    saveSteps: "save_steps",
    saveTotalLimit: "save_total_limit",
} as const;

/** Wire name -> typed (camelCase) name, e.g. `n_epochs` -> `nEpochs`. */
const TYPED_BY_WIRE_NAME: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(HYPER_PARAMETER_WIRE_NAMES).map(([camel, wire]) => [wire, camel]));

const positiveInt = z.number().int("must be a whole number").min(1, "must be at least 1");

/**
 * The hyper-parameters DashScope requires on every create. The 2026 create
 * page: "The n_epochs, batch_size, and max_length parameters affect the
 * fine-tuning cost and are required" (reference/bailian-finetune.md §3). The
 * page says it of text-generation and visual-understanding models and
 * exempts no other family, so every fine-tune must set them. They are
 * required as typed fields: extraHyperParameters refuses typed wire names.
 */
export const REQUIRED_HYPER_PARAMETERS = ["nEpochs", "batchSize", "maxLength"] as const;
export type RequiredHyperParameter = (typeof REQUIRED_HYPER_PARAMETERS)[number];

/** A value to suggest in the check message (§4: 3-5 epochs below 10k rows; max_length default 2048 tokens). */
const SUGGESTED_VALUE: Record<RequiredHyperParameter, number> = { nEpochs: 3, batchSize: 16, maxLength: 2048 };

/** The check reason for a missing required hyper-parameter: what the service wants and why. */
export function requiredHyperParameterReason(field: RequiredHyperParameter): string {
    return `is required: DashScope requires ${HYPER_PARAMETER_WIRE_NAMES[field]} on every fine-tune because it sets the cost; set it, e.g. to ${SUGGESTED_VALUE[field]}`;
}

/** A positive whole number the service requires: a missing value gets the reason above, a wrong one the usual message. */
const requiredPositiveInt = (field: RequiredHyperParameter) =>
    z.number({ error: (issue) => (issue.input === undefined ? requiredHyperParameterReason(field) : undefined) }).int("must be a whole number").min(1, "must be at least 1");

const ratio = z.number().min(0, "must be between 0 and 1").max(1, "must be between 0 and 1");
const learningRate = z.union([
    z.number().gt(0, "must be greater than 0"),
    z.string().refine((s) => Number.isFinite(Number(s)) && Number(s) > 0, "must be a positive number such as \"1e-5\""),
]);

/** The hyper-parameters the service defaults when they are not sent (reference/bailian-finetune.md §4). */
const optionalHyperParameters = z
    .object({
        learningRate,
        lrSchedulerType: z.string().min(1),
        split: ratio,
        maxSplitValDatasetSample: positiveInt,
        evalSteps: positiveInt,
        loggingSteps: positiveInt,
        warmupRatio: ratio,
        weightDecay: z.number().min(0, "must not be negative"),
        freezeVit: z.boolean(),
        loraRank: positiveInt,
        loraAlpha: positiveInt,
        loraDropout: ratio,
        dataAugmentation: z.boolean(),
        augmentationTypes: z.string().min(1),
        augmentationRatio: z.string().regex(/^\s*\d+(\.\d+)?(\s*,\s*\d+(\.\d+)?)*\s*$/, "must be a comma-separated list of numbers such as \"0.1,0.05\""),
        saveStrategy: z.enum(["epoch", "steps"]),
        saveSteps: positiveInt,
        saveTotalLimit: positiveInt,
    })
    .partial();

/** Typed hyper-parameters: the ones the service requires ({@link REQUIRED_HYPER_PARAMETERS}), then the optional ones. */
export const hyperParametersSchema = z
    .object({
        nEpochs: requiredPositiveInt("nEpochs"),
        batchSize: requiredPositiveInt("batchSize"),
        maxLength: requiredPositiveInt("maxLength"),
        ...optionalHyperParameters.shape,
    })
    .strict();

const dataset = z
    .object({
        dataSourceType: z.enum(["file_id", "oss_mount"]),
        fileId: z.string().min(1).optional(),
        mountStorage: z
            .object({ region: z.string().min(1), bucket: z.string().min(1), filePath: z.string().min(1) })
            .strict()
            .optional(),
    })
    .strict()
    .superRefine((d, ctx) => {
        if (d.dataSourceType === "file_id" && !d.fileId) ctx.addIssue({ code: "custom", path: ["fileId"], message: "is required when dataSourceType is \"file_id\"" });
        if (d.dataSourceType === "oss_mount" && !d.mountStorage) ctx.addIssue({ code: "custom", path: ["mountStorage"], message: "is required when dataSourceType is \"oss_mount\"" });
    });

const fileIds = z.array(z.string().min(1, "must not be empty")).min(1, "must list at least one file id");

/** Inputs that can hold secrets (core/sensitive.ts): free-form hyper-parameters (a hub token, a callback key). */
export const SENSITIVE_INPUTS = ["extraHyperParameters"] as const;

export const TRAINING_TYPES = ["sft", "efficient_sft", "dpo_full", "dpo_lora", "cpt"] as const;

/** Input schema of `bailian.FineTuneJob`; the paths of its issues are the property names check failures report. */
export const fineTuneJobSchema = z
    .object({
        model: z.string({ message: "is required: the base model id, e.g. \"qwen3-8b\"" }).min(1, "is required: the base model id, e.g. \"qwen3-8b\""),
        trainingFileIds: fileIds.optional(),
        trainingDatasets: z.array(dataset).min(1, "must list at least one dataset").optional(),
        validationFileIds: fileIds.optional(),
        validationDatasets: z.array(dataset).optional(),
        hyperParameters: hyperParametersSchema.optional(),
        // Untyped extras must not carry a typed hyper-parameter: it would skip its validation, and which value wins would be a guess.
        extraHyperParameters: z
            .record(z.string(), z.unknown())
            .superRefine((extra, ctx) => {
                for (const key of Object.keys(extra)) {
                    const typed = Object.hasOwn(TYPED_BY_WIRE_NAME, key) ? TYPED_BY_WIRE_NAME[key] : undefined;
                    if (typed) ctx.addIssue({ code: "custom", path: [key], message: `is a typed hyper-parameter: set hyperParameters.${typed} instead, where it is checked` });
                }
            })
            .optional(),
        trainingType: z.enum(TRAINING_TYPES).optional(),
        jobName: z.string().min(1).max(64, "must be at most 64 characters").refine((s) => !INVISIBLE_CHARACTERS.test(s), INVISIBLE_CHARACTERS_RULE).optional(),
        modelName: z.string().min(1).max(64, "must be at most 64 characters").refine((s) => !INVISIBLE_CHARACTERS.test(s), INVISIBLE_CHARACTERS_RULE).optional(),
        adoptJobId: z.string().min(1, "must be a fine-tune job id, e.g. \"ft-202611011200-1c7f\"").optional(),
        allowIdenticalJob: z.boolean().optional(),
        finetunedOutputSuffix: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, "must be 1-32 lowercase letters, digits or '-'").optional(),
        workspaceId: z.string().min(1).optional(),
        region: dashScopeRegionSchema,
        profile: profileSchema,
        waitForCompletion: z.boolean().optional(),
        retry: retrySchema(true),
        stopAtDeadline: z.boolean().optional(),
        completionTimeoutMinutes: z.number().positive("must be greater than 0").max(7 * 24 * 60, "must be at most 10080 (7 days)").optional(),
        pulumiName: z.string().optional(),
    })
    .strict()
    .superRefine((a, ctx) => {
        if (!a.trainingFileIds && !a.trainingDatasets) ctx.addIssue({ code: "custom", path: ["trainingFileIds"], message: "set trainingFileIds or trainingDatasets" });
        if (a.trainingFileIds && a.trainingDatasets) ctx.addIssue({ code: "custom", path: ["trainingDatasets"], message: "conflicts with trainingFileIds: set one of them" });
        if (a.validationFileIds && a.validationDatasets) ctx.addIssue({ code: "custom", path: ["validationDatasets"], message: "conflicts with validationFileIds: set one of them" });
        // Without hyperParameters at all, each required one is named, as when the object lacks it.
        if (a.hyperParameters === undefined) {
            for (const field of REQUIRED_HYPER_PARAMETERS) ctx.addIssue({ code: "custom", path: ["hyperParameters", field], message: requiredHyperParameterReason(field) });
        }
        const lora = ["loraRank", "loraAlpha", "loraDropout"].filter((k) => (a.hyperParameters as Record<string, unknown> | undefined)?.[k] !== undefined);
        if (lora.length && a.trainingType && !["efficient_sft", "dpo_lora"].includes(a.trainingType)) {
            ctx.addIssue({ code: "custom", path: ["hyperParameters", lora[0]], message: `applies only to trainingType "efficient_sft" or "dpo_lora", not "${a.trainingType}"` });
        }
    });
