/**
 * The input <-> wire mapping of alaya.TrainingTemplate (provider/alaya/trainingTemplate.wire.ts).
 * Wire facts: https://docs.alayanew.com/cn/docs/api-reference/distributed-training/template-create
 * (reference/alaya-templates.md §1.1).
 */
import { strict as assert } from "node:assert";
import type { ContractTemplate } from "../../sdk/alaya/assumptions";
import { createRequest, hasMarker, inputsFromTemplate, stripMarker, wireDescription, wireResource } from "../../provider/alaya/trainingTemplate.wire";

const inputs = {
    name: "tpl",
    description: "two GPUs",
    aidcId: 2,
    trainingType: "PRE_TRAINING",
    trainingFramework: "TensorFlow",
    imageType: "general",
    image: "harbor.zetyun.cn/anc-public/general/tensorflow:2.16.1-gpu-jupyter",
    env: { ENV_MODE: "production" },
    resource: { type: "worker", cpuCores: 1, gpuCount: 1, memoryGB: 2, workerCount: 1, productPrice: 0.0002, productCode: "PRD-QTT" },
    priority: 3,
    storageConfigs: [{ storageId: "s-1", mountPath: "/root/nas/123", onlyRead: true }],
    pulumiName: "tpl",
};

/** A template as the contract reads it, with `settings` in wire names. */
function remote(settings: Record<string, unknown>, desc?: string): ContractTemplate {
    return { id: "tpl_0123456789abcdef0123", name: String(settings.name ?? "tpl"), desc, settings, raw: settings };
}

describe("alaya.TrainingTemplate wire mapping", () => {
    it("sends trainingFramework as the documented misspelling trainingFramwork, and never the correct spelling", () => {
        const body = createRequest(inputs, "0a1b2c3d") as unknown as Record<string, unknown>;
        assert.equal(body.trainingFramwork, "TensorFlow");
        assert.ok(!("trainingFramework" in body));
    });

    it("sends description as desc with the marker tag appended", () => {
        const body = createRequest(inputs, "0a1b2c3d");
        assert.equal(body.desc, "two GPUs [pulumi:0a1b2c3d]");
        assert.ok(!("description" in body));
    });

    it("sends the marker tag alone as desc when there is no description", () => {
        assert.equal(createRequest({ name: "x" }, "0a1b2c3d").desc, "[pulumi:0a1b2c3d]");
    });

    it("sends resource numbers as the strings the API expects, and workerCount as an integer", () => {
        assert.deepEqual(wireResource(inputs.resource), { type: "worker", cpuCores: "1", gpuCount: "1", memoryGB: "2", workerCount: 1, productPrice: "0.0002", productCode: "PRD-QTT" });
    });

    it("leaves numeric strings in resource as they are", () => {
        assert.deepEqual(wireResource({ cpuCores: "1.5", productPrice: "0.0002B" }), { cpuCores: "1.5", productPrice: "0.0002B" });
    });

    it("leaves unset fields and the provider's own inputs out of the body", () => {
        const body = createRequest({ name: "x", pulumiName: "x" }, "0a1b2c3d") as unknown as Record<string, unknown>;
        assert.deepEqual(Object.keys(body).sort(), ["desc", "name"]);
    });

    it("the marker tag is recognised and stripped, and another marker is not ours", () => {
        const desc = wireDescription("about", "0a1b2c3d");
        assert.ok(hasMarker(desc, "0a1b2c3d"));
        assert.ok(!hasMarker(desc, "ffffffff"));
        assert.ok(!hasMarker(undefined, "0a1b2c3d"));
        assert.equal(stripMarker(desc), "about");
    });

    it("stripping the tag keeps whitespace the user wrote, so a description ending in a space does not replace the template on every up", () => {
        assert.equal(stripMarker(wireDescription("about ", "0a1b2c3d")), "about ");
        assert.equal(stripMarker(wireDescription("about\n", "0a1b2c3d")), "about\n");
        assert.equal(stripMarker(wireDescription(undefined, "0a1b2c3d")), "");
    });
});

describe("alaya.TrainingTemplate inputs from the reported template", () => {
    const sent = createRequest(inputs, "0a1b2c3d") as unknown as Record<string, unknown>;

    it("an unchanged template reports exactly the inputs (numbers stay numbers), so the diff stays empty", () => {
        const { pulumiName: _p, ...apiInputs } = inputs;
        assert.deepEqual(inputsFromTemplate(remote(sent, String(sent.desc)), inputs), apiInputs);
    });

    it("a console edit of a field shows in that input", () => {
        const got = inputsFromTemplate(remote({ ...sent, priority: 1, image: "harbor.zetyun.cn/anc-public/general/pytorch:2" }, String(sent.desc)), inputs);
        assert.equal(got.priority, 1);
        assert.equal(got.image, "harbor.zetyun.cn/anc-public/general/pytorch:2");
    });

    it("a console edit of a resource number shows in the user's type", () => {
        const got = inputsFromTemplate(remote({ ...sent, resource: { ...(sent.resource as object), cpuCores: "4" } }, String(sent.desc)), inputs);
        assert.equal(got.resource.cpuCores, 4);
    });

    it("an env variable added in the console is drift", () => {
        const got = inputsFromTemplate(remote({ ...sent, env: { ENV_MODE: "production", DEBUG: "1" } }, String(sent.desc)), inputs);
        assert.deepEqual(got.env, { ENV_MODE: "production", DEBUG: "1" });
    });

    it("a console edit of the description shows without the tag, and a removed description as undefined", () => {
        assert.equal(inputsFromTemplate(remote(sent, "edited [pulumi:0a1b2c3d]"), inputs).description, "edited");
        const cleared = inputsFromTemplate(remote(sent, ""), inputs);
        assert.ok("description" in cleared && cleared.description === undefined);
    });

    it("a field the API does not report is assumed unchanged, not drift", () => {
        const { priority: _priority, storageConfigs: _s, ...partial } = sent;
        const got = inputsFromTemplate(remote(partial, String(sent.desc)), inputs);
        assert.ok(!("priority" in got) && !("storageConfigs" in got));
    });

    it("keys the API adds inside resource and fields the user left unset are not drift", () => {
        const got = inputsFromTemplate(remote({ ...sent, resource: { ...(sent.resource as object), productName: "量子训练" }, enableAutoRetry: false }, String(sent.desc)), inputs);
        assert.ok(!("productName" in got.resource));
        assert.ok(!("enableAutoRetry" in got));
    });

    it("on adoption (no template field set, as with TrainingTemplate.get) every reported field is returned, in input names", () => {
        const got = inputsFromTemplate(remote({ ...sent, enableAutoRetry: false }, String(sent.desc)), { pulumiName: "adopted" });
        assert.equal(got.trainingFramework, "TensorFlow");
        assert.equal(got.enableAutoRetry, false);
        assert.equal(got.description, "two GPUs");
        assert.equal(got.resource.cpuCores, "1");
        assert.ok(!("trainingFramwork" in got));
    });
});
