/**
 * The kinds table is typed to the resources (policy/kinds.ts `row<Args>()`): a path that is not an
 * argument of the resource is a compile error. The `@ts-expect-error` lines below are the test:
 * `npx tsc -p tsconfig.json --noEmit` fails if any of them stops being an error, i.e. if the typing
 * were loosened until a renamed argument would slip through. The runtime cases check what the
 * compiler cannot: that the policy and the provider agree on which fields hold secrets.
 */
import * as assert from "node:assert/strict";
import type { TrainingTemplateArgs } from "../../provider/alaya/trainingTemplate";
import { SENSITIVE_INPUTS as ALAYA_SENSITIVE } from "../../provider/alaya/trainingTemplate.schema";
import type { FineTuneJobArgs } from "../../provider/bailian/fineTuneJob";
import { SENSITIVE_INPUTS as FINE_TUNE_SENSITIVE } from "../../provider/bailian/fineTuneJob.schema";
import type { AidbTaskArgs } from "../../provider/polardb/aidbTask";
import { SENSITIVE_INPUTS as AIDB_SENSITIVE } from "../../provider/polardb/aidbTask.schema";
import type { TrainingTaskArgs } from "../../provider/tione/trainingTask";
import { SENSITIVE_INPUTS as TIONE_SENSITIVE } from "../../provider/tione/trainingTask.schema";
import { type ArgPath, row, TRAINING_KINDS, TYPE_TOKENS } from "../../policy/kinds";

// Paths that exist type-check ...
const tionePaths: ArgPath<TrainingTaskArgs>[] = ["resourceConfigInfos[].gpuType", "imageInfo.imageSecret.password", "envs[].value", "startCmdInfo.startCmd"];
const aidbPaths: ArgPath<AidbTaskArgs>[] = ["runningParameter.num_epochs", "dbInstanceClass"];
const alayaPaths: ArgPath<TrainingTemplateArgs>[] = ["env.HF_TOKEN", "resource.gpuName"];
const fineTunePaths: ArgPath<FineTuneJobArgs>[] = ["hyperParameters.nEpochs", "trainingDatasets[].fileId", "extraHyperParameters.anything"];

// ... and paths that do not are compile errors, also inside a group.
// @ts-expect-error a misspelt argument
const misspelt: ArgPath<TrainingTaskArgs> = "resourceConfigInfos[].gpuTyp";
// @ts-expect-error a list read without its [] segment is not a path into its elements
const notFannedOut: ArgPath<TrainingTaskArgs> = "resourceConfigInfos.gpu";
const badGroupField = () =>
    // @ts-expect-error `cards` must be a field of the group
    row<TrainingTaskArgs>()({ type: "t", label: "l", gpus: { groups: "resourceConfigInfos", cards: "gpux", cardScale: 1 } });
const badEnvField = () =>
    // @ts-expect-error `nameField` must be a field of the env list's elements
    row<TrainingTaskArgs>()({ type: "t", label: "l", env: { shape: "list", path: "envs", nameField: "key", valueField: "value" } });
const badPricedField = () =>
    // @ts-expect-error a priced field must be an argument of the resource
    row<AidbTaskArgs>()({ type: "t", label: "l", cost: { basis: "hours", priced: [{ field: "dbInstanceKlass", unit: "instance" }] } });
const badSecretField = () =>
    // @ts-expect-error a secret-bearing field must be an argument of the resource
    row<TrainingTemplateArgs>()({ type: "t", label: "l", secrets: [{ path: "startCmd", holds: "command" }] });

describe("policy: the kinds table is typed to the resources", () => {
    it("accepts the resources' own paths (compile-time; the values are the paths)", () => {
        assert.ok([...tionePaths, ...aidbPaths, ...alayaPaths, ...fineTunePaths].every((p) => typeof p === "string"));
        assert.equal(typeof misspelt + typeof notFannedOut, "stringstring");
        assert.ok([badGroupField, badEnvField, badPricedField, badSecretField].every((f) => typeof f === "function"));
    });

    const sensitive: Record<string, readonly string[]> = {
        [TYPE_TOKENS.tioneTrainingTask]: TIONE_SENSITIVE,
        [TYPE_TOKENS.alayaTrainingTemplate]: ALAYA_SENSITIVE,
        [TYPE_TOKENS.polardbAidbTask]: AIDB_SENSITIVE,
        [TYPE_TOKENS.bailianFineTuneJob]: FINE_TUNE_SENSITIVE,
    };

    for (const kind of TRAINING_KINDS) {
        it(`${kind.label}: every field the secret policy reads is one the provider treats as sensitive, and every sensitive input is read`, () => {
            const provider = sensitive[kind.type] ?? [];
            const read = [...(kind.env ? [kind.env.path] : []), ...(kind.secrets ?? []).map((s) => s.path)];
            const under = (path: string, root: string) => path === root || path.startsWith(`${root}.`) || root.startsWith(`${path}.`);
            assert.deepEqual(read.filter((p) => !provider.some((root) => under(p, root))), [], "read by the policy, not sensitive in the provider");
            const unread = provider.filter((root) => !read.some((p) => under(p, root)));
            assert.deepEqual(unread, [], "sensitive in the provider, never read by the policy");
        });
    }
});
