/**
 * Approved images: container images only from allow-listed registries or repositories.
 *
 * A kind takes part by naming its image fields in the kinds table (`images`): TI-ONE
 * `imageInfo.imageUrl`, Alaya `image`.
 *
 * @module
 */

import { formatChoices, isAllowed } from "./config";
import { readAll, toText } from "./props";
import { ResourceGuardDefinition } from "./guard";

/** Configuration of {@link approvedImages}. */
export type ApprovedImagesConfig = {
    /**
     * Allowed image references (`*` wildcards, case-insensitive), e.g.
     * `["ccr.ccs.tencentyun.com/ml-team/*", "harbor.zetyun.cn/anc-public/*"]`; empty allows any.
     */
    allowedImages: string[];
    /** Whether images must be pinned by digest (`@sha256:...`). */
    requireDigest: boolean;
};

/** Images from the allow-list (and pinned by digest, when required). */
export const approvedImages: ResourceGuardDefinition<ApprovedImagesConfig> = {
    scope: "resource",
    key: "approvedImages",
    name: "approved-images",
    displayName: "Approved images",
    description: "Training jobs may only run container images from approved registries or repositories.",
    severity: "high",
    tags: ["security", "supply-chain"],
    remediationSteps: "Push the image to an approved registry/repository (pinned by digest if required) and reference it from there.",
    defaultLevel: "advisory",
    defaults: { allowedImages: [], requireDigest: false },
    schema: {
        allowedImages: {
            type: "array",
            items: { type: "string" },
            description: "Allowed image references (`*` wildcards, case-insensitive); empty allows any.",
        },
        requireDigest: { type: "boolean", description: "Whether images must be pinned by digest (@sha256:...)." },
    },
    aspects: ["images"],
    validate({ config, kind, props }, reportViolation) {
        for (const path of kind.images!) {
            for (const read of readAll(props, path)) {
                const image = read.status === "known" ? toText(read.value) : undefined;
                if (image === undefined) {
                    continue; // no custom image, or unknown at preview
                }
                if (!isAllowed(image, config.allowedImages)) {
                    reportViolation(
                        `${kind.label} runs image '${image}' (${read.path}), which is not from an approved registry. ` +
                            `Use an image matching ${formatChoices(config.allowedImages)}, or add its repository to approvedImages.allowedImages.`,
                    );
                }
                if (config.requireDigest && !/@sha256:[0-9a-f]{64}$/i.test(image)) {
                    reportViolation(
                        `${kind.label} runs image '${image}' (${read.path}) by tag. Pin it by digest: '<repository>@sha256:<digest>'.`,
                    );
                }
            }
        }
    },
};
