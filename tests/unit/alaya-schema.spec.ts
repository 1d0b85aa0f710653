/**
 * `check` rules of alaya.TrainingTemplate (provider/alaya/trainingTemplate.schema.ts):
 * every failure names the field it is about, as a dotted path.
 */
import { strict as assert } from "node:assert";
import { validate } from "../../provider/core/check";
import { UNKNOWN } from "../../provider/core/unknown";
import { imageTypeMismatch, trainingTemplateSchema } from "../../provider/alaya/trainingTemplate.schema";

const valid = {
    name: "pytorch-2gpu-template",
    description: "常用2卡训练模板",
    aidcId: 2,
    trainingType: "PRE_TRAINING",
    trainingFramework: "PyTorch",
    imageType: "general",
    image: "harbor.zetyun.cn/anc-public/general/tensorflow:2.16.1-gpu-jupyter",
    env: { ENV_MODE: "production", MAX_CONN: "200" },
    resource: { type: "worker", gpuName: "NVIDIA-L40S-PCIE-48G", cpuCores: 1, gpuCount: "1", memoryGB: 2, productCode: "PRD-QTT", workerCount: 1, productPrice: "0.0002B" },
    enableAutoRetry: true,
    maxRetryCount: 3,
    enableTimeoutCancel: true,
    timeoutHours: 1,
    startCommand: "python train.py --data /root/nas/123/data",
    priority: 3,
    storageConfigs: [{ storageId: "0000-0000-0000-0000", storageType: "nas-capacity", fileDirectory: "nas123", mountPath: "/root/nas/123", onlyRead: true }],
    pulumiName: "tpl",
};

/** The failures for `valid` with `patch` applied (a key set to undefined is removed). */
function failures(patch: Record<string, unknown>) {
    const inputs: Record<string, unknown> = { ...valid, ...patch };
    for (const k of Object.keys(inputs)) if (inputs[k] === undefined) delete inputs[k];
    return validate(trainingTemplateSchema, inputs);
}
const properties = (patch: Record<string, unknown>) => failures(patch).map((f) => f.property);

describe("alaya.TrainingTemplate check", () => {
    it("accepts the documented example (with numbers where the wire has numeric strings)", () => {
        assert.deepEqual(failures({}), []);
    });

    it("requires a name", () => {
        assert.deepEqual(properties({ name: undefined }), ["name"]);
        assert.deepEqual(properties({ name: "  " }), ["name"]);
    });

    it("refuses an unknown trainingType, naming the allowed values", () => {
        const f = failures({ trainingType: "FINE_TUNING" });
        assert.deepEqual(f.map((x) => x.property), ["trainingType"]);
        assert.match(f[0].reason, /PRE_TRAINING, HPC/);
    });

    it("refuses an unknown trainingFramework, naming the allowed values", () => {
        const f = failures({ trainingFramework: "JAX" });
        assert.deepEqual(f.map((x) => x.property), ["trainingFramework"]);
        assert.match(f[0].reason, /PyTorch, DeepSpeed, MPI, TensorFlow/);
    });

    it("refuses the wire spelling trainingFramwork as an unknown input", () => {
        assert.ok(failures({ trainingFramwork: "PyTorch" }).some((f) => /trainingFramwork/.test(f.property + f.reason)));
    });

    it("refuses an unknown imageType", () => {
        assert.deepEqual(properties({ imageType: "public" }), ["imageType"]);
    });

    it("refuses priority outside 1..3 and non-integer priority", () => {
        assert.deepEqual(properties({ priority: 0 }), ["priority"]);
        assert.deepEqual(properties({ priority: 4 }), ["priority"]);
        assert.deepEqual(properties({ priority: 2.5 }), ["priority"]);
    });

    it("accepts imageType general for an image in another registry (Alaya's own images also live at registry.hd-01.alayanew.com)", () => {
        assert.deepEqual(failures({ image: "registry.hd-01.alayanew.com/alayanew/pytorch:2.3" }), []);
    });

    it("refuses imageType private for a public Alaya image", () => {
        assert.deepEqual(properties({ imageType: "private" }), ["imageType"]);
    });

    it("refuses imageType application for an image in the public general folder", () => {
        const f = failures({ imageType: "application" });
        assert.deepEqual(f.map((x) => x.property), ["imageType"]);
        assert.match(f[0].reason, /use "general"/);
    });

    it("accepts imageType private for an image from one's own registry", () => {
        assert.deepEqual(failures({ imageType: "private", image: "registry.example.com/team/trainer:1" }), []);
    });

    it("requires imageType with image, and image with imageType", () => {
        assert.deepEqual(properties({ imageType: undefined }), ["imageType"]);
        assert.deepEqual(properties({ image: undefined }), ["image"]);
    });

    it("refuses maxRetryCount without enableAutoRetry: true", () => {
        assert.deepEqual(properties({ enableAutoRetry: false }), ["maxRetryCount"]);
        assert.deepEqual(properties({ enableAutoRetry: undefined }), ["maxRetryCount"]);
    });

    it("requires a positive timeoutHours when enableTimeoutCancel is on", () => {
        assert.deepEqual(properties({ timeoutHours: undefined }), ["timeoutHours"]);
        assert.deepEqual(properties({ timeoutHours: 0 }), ["timeoutHours"]);
        assert.deepEqual(properties({ timeoutHours: -2 }), ["timeoutHours"]);
    });

    it("refuses a relative mount path, naming the item", () => {
        const f = failures({ storageConfigs: [{ storageId: "s", mountPath: "data" }] });
        assert.deepEqual(f.map((x) => x.property), ["storageConfigs[0].mountPath"]);
        assert.match(f[0].reason, /absolute/);
    });

    it("refuses duplicate mount paths (a trailing slash does not make them distinct), naming the second", () => {
        const f = failures({ storageConfigs: [{ storageId: "a", mountPath: "/data" }, { storageId: "b", mountPath: "/models" }, { storageId: "c", mountPath: "/data/" }] });
        assert.deepEqual(f.map((x) => x.property), ["storageConfigs[2].mountPath"]);
        assert.match(f[0].reason, /storageConfigs\[0\]/);
    });

    it("requires no storage field (the API page marks none required)", () => {
        assert.deepEqual(properties({ storageConfigs: [{ storageType: "nas-capacity" }] }), []);
    });

    it("refuses non-numeric resource numbers and a fractional gpuCount, naming the resource key", () => {
        assert.deepEqual(properties({ resource: { cpuCores: "many" } }), ["resource.cpuCores"]);
        assert.deepEqual(properties({ resource: { gpuCount: 1.5 } }), ["resource.gpuCount"]);
        assert.deepEqual(properties({ resource: { workerCount: 0 } }), ["resource.workerCount"]);
        assert.deepEqual(properties({ resource: { memoryGB: -1 } }), ["resource.memoryGB"]);
    });

    it("refuses an unknown resource key", () => {
        assert.deepEqual(properties({ resource: { cpu: 1 } }), ["resource"]);
    });

    it("refuses an env variable name that is not a name, and a non-string value, naming the key", () => {
        assert.deepEqual(properties({ env: { "1BAD": "x" } }), ["env.1BAD"]);
        assert.deepEqual(properties({ env: { GOOD: 3 } }), ["env.GOOD"]);
    });

    it("refuses a fractional aidcId", () => {
        assert.deepEqual(properties({ aidcId: 1.5 }), ["aidcId"]);
    });

    it("lets unknown values through at preview, including in cross-field rules", () => {
        assert.deepEqual(failures({ image: UNKNOWN, priority: UNKNOWN, enableAutoRetry: UNKNOWN }), []);
        assert.deepEqual(failures({ storageConfigs: [{ storageId: "a", mountPath: UNKNOWN }, { storageId: "b", mountPath: UNKNOWN }] }), []);
    });

    it("the image rule itself: only known public sub-folders are enforced", () => {
        assert.equal(imageTypeMismatch("application", "harbor.zetyun.cn/anc-public/llm/vllm:1"), undefined);
        assert.match(imageTypeMismatch("private", "harbor.zetyun.cn/anc-public/llm/vllm:1") ?? "", /public/);
    });
});
