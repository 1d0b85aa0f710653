/**
 * `bailian.FineTuneJob` input checking (provider/bailian/fineTuneJob.schema.ts)
 * of the hyper-parameters DashScope requires. The 2026 create page: "The
 * n_epochs, batch_size, and max_length parameters affect the fine-tuning cost
 * and are required" (reference/bailian-finetune.md §3). Check must refuse a
 * fine-tune without any of them, naming the property and saying why, before
 * anything is sent.
 */
import { strict as assert } from "node:assert";
import { CheckFailure, validate } from "../../provider/core/check";
import { UNKNOWN } from "../../provider/core/unknown";
import { fineTuneJobSchema } from "../../provider/bailian/fineTuneJob.schema";

type Inputs = Record<string, any>;

/** A valid LoRA fine-tune stating the three required hyper-parameters. */
const complete = (): Inputs => ({
    pulumiName: "support-bot",
    model: "qwen3-8b",
    trainingFileIds: ["file-ft-0001"],
    trainingType: "efficient_sft",
    hyperParameters: { nEpochs: 3, batchSize: 16, maxLength: 2048, learningRate: "1e-4", loraRank: 8 },
});

/** `complete()` without one typed hyper-parameter. */
function without(field: string): Inputs {
    const inputs = complete();
    delete inputs.hyperParameters[field];
    return inputs;
}

const check = (inputs: Inputs): CheckFailure[] => validate(fineTuneJobSchema, inputs);

describe("bailian.FineTuneJob check: the hyper-parameters DashScope requires", () => {
    const REQUIRED = [
        { field: "nEpochs", wire: "n_epochs" },
        { field: "batchSize", wire: "batch_size" },
        { field: "maxLength", wire: "max_length" },
    ];

    for (const { field, wire } of REQUIRED) {
        it(`a fine-tune that states everything but ${field} fails naming hyperParameters.${field}, because the service requires ${wire} to set the cost`, () => {
            assert.deepEqual(check(complete()), [], "the complete set passes");
            const failures = check(without(field));
            assert.deepEqual(failures.map((f) => f.property), [`hyperParameters.${field}`]);
            assert.match(failures[0].reason, new RegExp(`^is required: DashScope requires ${wire} on every fine-tune because it sets the cost`));
        });
    }

    it("a fine-tune without hyperParameters at all fails naming each of nEpochs, batchSize and maxLength", () => {
        const inputs = complete();
        delete inputs.hyperParameters;
        assert.deepEqual(check(inputs).map((f) => f.property), ["hyperParameters.nEpochs", "hyperParameters.batchSize", "hyperParameters.maxLength"]);
    });

    it("a required hyper-parameter given only through extraHyperParameters does not count: check points to the typed field", () => {
        const inputs = without("batchSize");
        inputs.extraHyperParameters = { batch_size: 16 };
        assert.deepEqual(check(inputs).map((f) => f.property).sort(), ["extraHyperParameters.batch_size", "hyperParameters.batchSize"]);
    });

    it("hyperParameters unknown at preview (the output of another resource) is not reported missing", () => {
        assert.equal(check(without("batchSize")).length, 1, "the field is missing when the object is known");
        assert.deepEqual(check({ ...complete(), hyperParameters: UNKNOWN }), []);
        assert.deepEqual(check({ ...complete(), hyperParameters: { nEpochs: 3, batchSize: UNKNOWN, maxLength: 2048 } }), []);
    });
});
