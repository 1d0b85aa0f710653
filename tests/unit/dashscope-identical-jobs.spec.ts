/**
 * provider/bailian/identicalJobs.ts: which fine-tunes have a resource's
 * content, and which names prove a job is another resource's (the DashScope
 * job_name variant, issue 16).
 */
import { strict as assert } from "node:assert";
import { contentDifference, namedByAnotherResource, unprovenJobError } from "../../provider/bailian/identicalJobs";
import type { CreateFineTuneRequest, FineTuneJob } from "../../sdk/dashscope/types";

const MARKER = "tune-0123abcd";
const SENT: CreateFineTuneRequest = {
    model: "qwen3-8b",
    training_file_ids: ["file-ft-a", "file-ft-b"],
    hyper_parameters: { n_epochs: 2, batch_size: 16, max_length: 2048, learning_rate: "1e-4" },
    training_type: "efficient_sft",
    job_name: MARKER,
};
const JOB: FineTuneJob = {
    job_id: "ft-202612021200-1c7f",
    job_name: "ft-202612021200-1c7f",
    status: "RUNNING",
    model: "qwen3-8b",
    training_file_ids: ["file-ft-b", "file-ft-a"],
    hyper_parameters: { n_epochs: 2, batch_size: 16, max_length: 2048, learning_rate: 0.0001, split: 0.9 },
    training_type: "efficient_sft",
    create_time: "2026-12-02 20:00:00",
};

describe("bailian identical fine-tunes: contentDifference", () => {
    it("a job with the same model, files (in any order), hyper-parameters (numbers as numbers) and training type has the same content", () => {
        assert.equal(contentDifference(JOB, SENT), undefined);
    });

    it("hyper-parameters the service adds (those actually used) are no difference", () => {
        assert.equal(contentDifference({ ...JOB, hyper_parameters: { ...JOB.hyper_parameters, warmup_ratio: 0.05 } }, SENT), undefined);
    });

    it("a job that reports no training file ids (the 2026 compatibility fields, empty for new jobs) is not told apart by them", () => {
        assert.equal(contentDifference({ ...JOB, training_file_ids: [] }, SENT), undefined);
    });

    it("files sent as 2026 datasets match the same ids reported as datasets", () => {
        const sent = { ...SENT, training_file_ids: undefined, training_datasets: [{ data_source_type: "file_id" as const, file_id: "file-ft-a" }] };
        assert.equal(contentDifference({ ...JOB, training_file_ids: [], training_datasets: [{ data_source_type: "file_id", file_id: "file-ft-a" }] }, sent), undefined);
    });

    it("another model is a difference, named", () => {
        assert.equal(contentDifference({ ...JOB, model: "qwen3-14b" }, SENT), "model");
    });

    it("another training file is a difference, named", () => {
        assert.equal(contentDifference({ ...JOB, training_file_ids: ["file-ft-a", "file-ft-c"] }, SENT), "training files");
    });

    it("validation files where none were sent are a difference", () => {
        assert.equal(contentDifference({ ...JOB, validation_file_ids: ["file-ft-v"] }, SENT), "validation files");
    });

    it("another value of a hyper-parameter sent is a difference, naming it", () => {
        assert.equal(contentDifference({ ...JOB, hyper_parameters: { ...JOB.hyper_parameters, n_epochs: 3 } }, SENT), "hyper_parameters.n_epochs");
    });

    it("another training type is a difference; an absent one sent means the service's default sft", () => {
        assert.equal(contentDifference({ ...JOB, training_type: "sft" }, SENT), "training_type");
        assert.equal(contentDifference({ ...JOB, training_type: "sft" }, { ...SENT, training_type: undefined }), undefined);
    });
});

describe("bailian identical fine-tunes: namedByAnotherResource", () => {
    it("a job named by its id (the documented default) proves nothing", () => {
        assert.equal(namedByAnotherResource(JOB, MARKER), false);
    });

    it("a job carrying another marker-shaped name is another resource's", () => {
        assert.equal(namedByAnotherResource({ ...JOB, job_name: "other-89abcdef" }, MARKER), true);
    });

    it("a job carrying this resource's marker is not another's", () => {
        assert.equal(namedByAnotherResource({ ...JOB, job_name: MARKER }, MARKER), false);
    });

    it("a job with a name of another shape (a console name) proves nothing", () => {
        assert.equal(namedByAnotherResource({ ...JOB, job_name: "my console run" }, MARKER), false);
    });
});

describe("bailian identical fine-tunes: the refusal", () => {
    const message = unprovenJobError(JOB, MARKER, "tune").message;

    it("names the job, its status and the name it reads where the marker was sent", () => {
        assert.ok(message.includes("fine-tune ft-202612021200-1c7f (RUNNING"), message);
        assert.ok(message.includes(`it reads "ft-202612021200-1c7f" where this resource sends "${MARKER}"`), message);
    });

    it("says why the provider cannot decide", () => {
        assert.match(message, /DashScope does not keep the job names it is sent/);
    });

    it("names both settings a user sets, with the job id to adopt", () => {
        assert.ok(message.includes('`adoptJobId: "ft-202612021200-1c7f"`'), message);
        assert.ok(message.includes("`allowIdenticalJob: true`"), message);
    });

    it("quotes no hyper-parameter value (they may hold secrets)", () => {
        assert.ok(!message.includes("1e-4") && !message.includes("2048"), message);
    });
});
