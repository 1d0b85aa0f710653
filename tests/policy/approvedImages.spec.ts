import * as assert from "node:assert/strict";
import { alayaTemplate, polardbTask, tioneTask, TYPE_TOKENS } from "./fixtures";
import { assertNoViolations, assertNotApplicable, assertViolation, resourceGuard, runResourcePolicy, UNKNOWN } from "./util";

const TIONE = TYPE_TOKENS.tioneTrainingTask;
const ALAYA = TYPE_TOKENS.alayaTrainingTemplate;

describe("policy: approved-images", () => {
    const approved = { allowedImages: ["ccr.ccs.tencentyun.com/ml-team/*", "harbor.zetyun.cn/anc-public/*"] };

    it("allows any image by default, and approved repositories when configured", async () => {
        assertNoViolations(await runResourcePolicy(resourceGuard("approvedImages"), { type: TIONE, props: await tioneTask() }));
        assertNoViolations(await runResourcePolicy(resourceGuard("approvedImages", approved), { type: TIONE, props: await tioneTask() }));
        assertNoViolations(await runResourcePolicy(resourceGuard("approvedImages", approved), { type: ALAYA, props: await alayaTemplate() }));
    });

    it("reports a TI-ONE imageInfo.imageUrl and an Alaya image from elsewhere", async () => {
        const tione = await runResourcePolicy(resourceGuard("approvedImages", approved), {
            type: TIONE,
            props: await tioneTask({ imageInfo: { imageType: "CUSTOM", imageUrl: "docker.io/someone/trainer:latest" } }),
        });
        assertViolation(
            tione,
            "TI-ONE training task runs image 'docker.io/someone/trainer:latest' (imageInfo.imageUrl), which is not from an approved registry. Use an image matching 'ccr.ccs.tencentyun.com/ml-team/*' or 'harbor.zetyun.cn/anc-public/*', or add its repository to approvedImages.allowedImages.",
        );
        const alaya = await runResourcePolicy(resourceGuard("approvedImages", approved), { type: ALAYA, props: await alayaTemplate({ image: "ghcr.io/x/y:1" }) });
        assertViolation(alaya, "Alaya training template runs image 'ghcr.io/x/y:1' (image)");
    });

    it("requires digests when configured (engine configuration)", async () => {
        const tagged = await runResourcePolicy(resourceGuard("approvedImages"), { type: ALAYA, props: await alayaTemplate(), config: { requireDigest: true } });
        assertViolation(tagged, "runs image 'harbor.zetyun.cn/anc-public/general/pytorch:2.3-gpu' (image) by tag. Pin it by digest");
        const pinned = await alayaTemplate({ image: `harbor.zetyun.cn/anc-public/general/pytorch@sha256:${"a".repeat(64)}` });
        assertNoViolations(await runResourcePolicy(resourceGuard("approvedImages"), { type: ALAYA, props: pinned, config: { requireDigest: true } }));
    });

    it("skips tasks without a custom image and images unknown at preview", async () => {
        const preset = await tioneTask({ imageInfo: undefined });
        assertNoViolations(await runResourcePolicy(resourceGuard("approvedImages", approved), { type: TIONE, props: preset }));
        const unknown = await tioneTask({ imageInfo: { imageType: "CCR", imageUrl: UNKNOWN.string } });
        assertNoViolations(await runResourcePolicy(resourceGuard("approvedImages", approved), { type: TIONE, props: unknown }));
    });

    it("does nothing when disabled", async () => {
        const run = await runResourcePolicy(resourceGuard("approvedImages", { ...approved, enforcementLevel: "disabled" }), {
            type: ALAYA,
            props: await alayaTemplate({ image: "evil.example/x" }),
        });
        assert.equal(run.ran, false);
    });

    it("is not applicable to kinds without images", async () => {
        assertNotApplicable(await runResourcePolicy(resourceGuard("approvedImages"), { type: TYPE_TOKENS.polardbAidbTask, props: await polardbTask() }));
    });
});
