// A dataset-to-model pipeline on Alibaba Model Studio (Bailian): the training
// and validation data live next to this program as JSONL, are uploaded as
// bailian.File resources, and a LoRA fine-tune trains on their file ids.
//
// The files are identified by their content. Edit one line of data/train.jsonl
// and `pulumi preview` plans a new upload and a new fine-tune job trained on
// it; `pulumi up` uploads first, trains, then deletes the old file.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { bailian } from "pulumi-training";

const config = new pulumi.Config();

// Where the dataset lives; relative paths are relative to this project directory.
const dataDir = config.get("dataDir") ?? "data";

// `check` validates every line (chat `messages` with system/user/assistant
// roles here) and refuses the file before anything is uploaded if one is wrong.
const training = new bailian.File("train", {
    source: path.join(dataDir, "train.jsonl"),
    description: "Lumen Lamps support conversations (training)",
});

const validation = new bailian.File("validation", {
    source: path.join(dataDir, "validation.jsonl"),
    description: "Lumen Lamps support conversations (validation)",
});

const tune = new bailian.FineTuneJob("support-bot", {
    model: config.get("baseModel") ?? "qwen3-8b",
    // New file ids (an edited dataset) replace the job: the model is trained on exactly this data.
    trainingFileIds: [training.fileId],
    validationFileIds: [validation.fileId],
    trainingType: "efficient_sft",
    hyperParameters: { nEpochs: 3, batchSize: 16, maxLength: 2048, learningRate: "1e-4", loraRank: 64, loraAlpha: 32 },
    finetunedOutputSuffix: "support",
    completionTimeoutMinutes: 180,
});

export const trainingFileId = training.fileId;
export const trainingFileSha256 = training.sha256;
export const validationFileId = validation.fileId;
export const fineTuneJobId = tune.jobId;
/** The fine-tuned model id: deploy it, or tune it further as the `model` of another job. */
export const fineTunedModel = tune.finetunedOutput;
