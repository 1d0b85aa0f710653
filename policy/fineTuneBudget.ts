/**
 * Fine-tune budget: epochs, training types and base models.
 *
 * A kind takes part by describing its fine-tune settings in the kinds table (`fineTune`): Bailian
 * `hyperParameters.nEpochs`, `trainingType` (unset: the service default `sft`) and `model`; PolarDB
 * AIDB `runningParameter.num_epochs`, `runningParameter.train_type` (`full` counted as `sft`,
 * `lora` as `efficient_sft`) and `modelName`.
 *
 * @module
 */

import { formatChoices, formatNumber, isAllowed } from "./config";
import { readFirst, readOne, toNumber, toText } from "./props";
import { ResourceGuardDefinition } from "./guard";

/** Configuration of {@link fineTuneBudget}. Empty lists leave that setting unrestricted. */
export type FineTuneBudgetConfig = {
    /** The most epochs a fine-tune may run. */
    maxEpochs: number;
    /**
     * Allowed training types (`sft`, `efficient_sft`, `dpo_full`, `dpo_lora`, `cpt`), e.g. only
     * `efficient_sft` in dev. A Bailian fine-tune without `trainingType` is judged as the service
     * default `sft`; PolarDB's `train_type` `full` as `sft` and `lora` as `efficient_sft`.
     */
    allowedTrainingTypes: string[];
    /** Allowed base models (`*` wildcards, case-insensitive), e.g. `["qwen3-8b", "qwen2.5-*-instruct"]`. */
    allowedBaseModels: string[];
};

/** Epochs, training types and base models within budget. */
export const fineTuneBudget: ResourceGuardDefinition<FineTuneBudgetConfig> = {
    scope: "resource",
    key: "fineTuneBudget",
    name: "fine-tune-budget",
    displayName: "Fine-tune budget",
    description: "Fine-tunes must stay within the configured epochs, training types and base models.",
    severity: "medium",
    tags: ["cost", "fine-tune"],
    remediationSteps: "Lower the epoch count, switch to an allowed training type (e.g. efficient_sft), or pick an allowed base model.",
    defaultLevel: "advisory",
    defaults: { maxEpochs: 10, allowedTrainingTypes: [], allowedBaseModels: [] },
    schema: {
        maxEpochs: { type: "number", minimum: 1, description: "The most epochs a fine-tune may run." },
        allowedTrainingTypes: {
            type: "array",
            items: { type: "string" },
            description: "Allowed training types; empty allows any.",
        },
        allowedBaseModels: {
            type: "array",
            items: { type: "string" },
            description: "Allowed base models (`*` wildcards, case-insensitive); empty allows any.",
        },
    },
    aspects: ["fineTune"],
    validate({ config, kind, props }, reportViolation) {
        const spec = kind.fineTune!;
        const epochsRead = readFirst(props, spec.epochsPaths);
        const epochs = epochsRead.status === "known" ? toNumber(epochsRead.value) : undefined;
        if (epochs !== undefined && epochs > config.maxEpochs) {
            reportViolation(
                `${kind.label} runs ${formatNumber(epochs)} epochs (${epochsRead.path}); the limit is ${formatNumber(config.maxEpochs)}. ` +
                    `Lower ${epochsRead.path}, or raise fineTuneBudget.maxEpochs.`,
            );
        }
        if (spec.trainingTypePath) {
            const typeRead = readOne(props, spec.trainingTypePath);
            const written = typeRead.status === "known" ? toText(typeRead.value) : undefined;
            // Unset, the cloud runs its default: judge that, so leaving the field out does not escape the list.
            const raw = written ?? (typeRead.status === "absent" ? spec.trainingTypeDefault : undefined);
            const trainingType = raw === undefined ? undefined : (spec.trainingTypeAliases?.[raw] ?? raw);
            if (raw !== undefined && trainingType !== undefined && !isAllowed(trainingType, config.allowedTrainingTypes)) {
                const what =
                    written === undefined
                        ? `no ${spec.trainingTypePath}, so the service default '${raw}'`
                        : `${spec.trainingTypePath} '${raw}'${trainingType !== raw ? ` (counted as '${trainingType}')` : ""}`;
                reportViolation(
                    `${kind.label} uses ${what}, which is not allowed here. ` +
                        `Use ${formatChoices(config.allowedTrainingTypes)}, or change fineTuneBudget.allowedTrainingTypes.`,
                );
            }
        }
        const modelRead = readOne(props, spec.baseModelPath);
        const model = modelRead.status === "known" ? toText(modelRead.value) : undefined;
        if (model !== undefined && !isAllowed(model, config.allowedBaseModels)) {
            reportViolation(
                `${kind.label} fine-tunes base model '${model}' (${spec.baseModelPath}), which is not allowed. ` +
                    `Use ${formatChoices(config.allowedBaseModels)}, or add it to fineTuneBudget.allowedBaseModels.`,
            );
        }
    },
};
