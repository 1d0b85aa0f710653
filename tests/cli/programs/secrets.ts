// Secrets where people put them: a hub token as a free-form hyper-parameter of
// a fine-tune, and (with config templateId) an Alaya template adopted by id
// whose console-edited env and start command hold a token.
import * as pulumi from "@pulumi/pulumi";
import { alaya, bailian } from "pulumi-training";

const cfg = new pulumi.Config();

const templateId = cfg.get("templateId");
if (templateId) {
    const adopted = alaya.TrainingTemplate.get("adopted", templateId);
    module.exports = { adoptedName: adopted.name };
} else {
    const job = new bailian.FineTuneJob("tuned", {
        model: "qwen3-8b",
        trainingFileIds: [cfg.require("trainingFileId")],
        hyperParameters: { nEpochs: 1, batchSize: 8, maxLength: 2048, learningRate: "1e-4" },
        // `pulumi config set --secret hubToken …`: the echo in effectiveHyperParameters stays secret too.
        extraHyperParameters: { hub_token: cfg.requireSecret("hubToken") },
    });
    module.exports = { status: job.status };
}
