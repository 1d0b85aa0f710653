/**
 * What each example program must produce, shared by the harness suite
 * (tests/engine/examples.spec.ts) and the CLI suite (tests/cli/examples.spec.ts).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { EMULATOR_CREDENTIALS, emulatorEnv } from "../emulator";
import { REPO_ROOT } from "../harness";

export const EXAMPLES = path.join(REPO_ROOT, "examples");

/** The project name an example's Pulumi.yaml declares (config keys without a namespace belong to it). */
export function projectName(dir: string): string {
    const yaml = fs.readFileSync(path.join(EXAMPLES, dir, "Pulumi.yaml"), "utf8");
    const name = /^name:\s*(\S+)\s*$/m.exec(yaml)?.[1];
    assert.ok(name, `examples/${dir}/Pulumi.yaml has no name`);
    return name;
}

export interface ExampleCase {
    config?: Record<string, string>;
    secretConfig?: Record<string, string>;
    /** Resources the example declares, by type token. */
    resources: string[];
    /** Checks the stack outputs a user would read after `up`. */
    outputs(o: Record<string, any>): void;
    /** Stack outputs that must stay secret in state. */
    secretOutputs?: string[];
}

export const WANDB = "wandb-example-key-5f1c";

/** The examples that run against the emulator with its credentials in the environment. */
export const EXAMPLE_CASES: Record<string, ExampleCase> = {
    quickstart: {
        resources: ["bailian:File", "bailian:FineTuneJob", "tione:TrainingTask", "polardb:AidbTask", "alaya:TrainingTemplate"],
        outputs(o) {
            assert.match(o.datasetFileId, /^file-/);
            assert.match(o.fineTuneJobId, /^ft-\d{12}-[0-9a-f]{4}$/);
            assert.equal(o.fineTuneStatus, "SUCCEEDED");
            assert.match(o.fineTunedModel, /^qwen3-8b-support-ft-/);
            assert.match(o.tioneTaskId, /^train-\d+$/);
            assert.equal(o.tioneStatus, "SUCCEED");
            assert.ok(String(o.tioneConsoleUrl).includes(o.tioneTaskId), `console URL ${o.tioneConsoleUrl} names the task`);
            assert.match(o.polardbTaskId, /^pm-/);
            assert.equal(o.polardbStatus, "COMPLETED");
            assert.ok(Array.isArray(o.polardbCheckpoints) && o.polardbCheckpoints.length > 0, "PolarDB reports checkpoints");
            assert.match(o.alayaTemplateId, /^tpl_[0-9a-f]{20}$/);
        },
    },
    "tione-lora": {
        config: { image: "ccr.ccs.tencentyun.com/support-ml/llm-lora:1.0", dataBucket: "training-1250000000" },
        resources: ["tione:TrainingTask"],
        outputs(o) {
            assert.match(o.taskId, /^train-\d+$/);
            assert.equal(o.status, "SUCCEED");
            assert.ok(String(o.consoleUrl).includes(o.taskId), `console URL ${o.consoleUrl} names the task`);
            assert.equal(o.adapterLocation, "cos://training-1250000000/adapters/qwen-lora-dev/");
            assert.equal(typeof o.runtimeInSeconds, "number");
            assert.ok(String(o.logServiceId).startsWith(o.taskId), `log service id ${o.logServiceId} belongs to the task`);
        },
    },
    "polardb-grpo": {
        config: { dbClusterId: "pc-2ze0000000000000", trainDatasetId: "pds-2zetrain001" },
        resources: ["polardb:AidbTask"],
        outputs(o) {
            assert.match(o.taskId, /^pm-/);
            assert.equal(o.status, "COMPLETED");
            assert.ok(Array.isArray(o.modelPaths) && o.modelPaths.length > 0, "the task reports its checkpoints");
            assert.equal(o.latestCheckpoint, o.modelPaths[0]);
            assert.ok(o.completedTime, "completion time is reported");
        },
    },
    "alaya-template": {
        secretConfig: { wandbApiKey: WANDB },
        resources: ["alaya:TrainingTemplate"],
        outputs(o) {
            assert.match(o.templateId, /^tpl_[0-9a-f]{20}$/);
            assert.equal(o.templateName, "tensorflow-l40s-dev");
            assert.equal(o.environment.WANDB_API_KEY, WANDB);
        },
        secretOutputs: ["environment"],
    },
    "bailian-pipeline": {
        resources: ["bailian:File", "bailian:File", "bailian:FineTuneJob"],
        outputs(o) {
            assert.match(o.trainingFileId, /^file-/);
            assert.match(o.validationFileId, /^file-/);
            assert.notEqual(o.trainingFileId, o.validationFileId);
            assert.match(o.trainingFileSha256, /^[0-9a-f]{64}$/);
            assert.match(o.fineTuneJobId, /^ft-/);
            assert.match(o.fineTunedModel, /^qwen3-8b-support-ft-/);
        },
    },
};


/** Every environment variable the providers read credentials, regions or endpoints from (provider/<cloud>/*Client.ts). */
export const CLOUD_ENV = [
    "DASHSCOPE_API_KEY",
    "DASHSCOPE_WORKSPACE_ID",
    "DASHSCOPE_HTTP_BASE_URL",
    "TENCENTCLOUD_SECRET_ID",
    "TENCENTCLOUD_SECRET_KEY",
    "TENCENTCLOUD_SESSION_TOKEN",
    "TENCENTCLOUD_SECURITY_TOKEN",
    "TENCENTCLOUD_REGION",
    "TENCENTCLOUD_TIONE_ENDPOINT",
    "ALIBABA_CLOUD_ACCESS_KEY_ID",
    "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    "ALIBABA_CLOUD_SECURITY_TOKEN",
    "ALIBABA_CLOUD_REGION_ID",
    "ALIBABA_CLOUD_POLARDB_ENDPOINT",
    "ALICLOUD_ACCESS_KEY",
    "ALICLOUD_SECRET_KEY",
    "ALICLOUD_SECURITY_TOKEN",
    "ALICLOUD_REGION",
    "ALAYA_API_KEY",
    "ALAYA_BASE_URL",
];

/** An environment with every cloud variable blanked: empty values shadow anything the developer's shell exports. */
export const NO_CLOUD_ENV: Record<string, string> = Object.fromEntries(CLOUD_ENV.map((k) => [k, ""]));

/** examples/config-credentials against an emulator: its endpoints and regions, and the example's own config. */
export function configCredentialsConfig(emu: { url: string }): Record<string, string> {
    const endpoints = emulatorEnv(emu);
    return {
        "dashscope:baseUrl": endpoints.DASHSCOPE_HTTP_BASE_URL,
        "tencentcloud:tioneEndpoint": endpoints.TENCENTCLOUD_TIONE_ENDPOINT,
        "tencentcloud:region": "ap-guangzhou",
        "alicloud:polardbEndpoint": endpoints.ALIBABA_CLOUD_POLARDB_ENDPOINT,
        "alicloud:region": "cn-beijing",
        "alaya:endpoint": endpoints.ALAYA_BASE_URL,
        dbClusterId: "pc-2ze0000000000000",
        polardbDatasetId: "pds-2zetrain001",
    };
}

/** Every cloud's emulator credentials, in the namespaces `pulumi config set --secret` puts them. */
export const CONFIG_CREDENTIALS: Record<string, string> = {
    "dashscope:apiKey": EMULATOR_CREDENTIALS.dashscopeApiKey,
    "tencentcloud:secretId": EMULATOR_CREDENTIALS.tencentSecretId,
    "tencentcloud:secretKey": EMULATOR_CREDENTIALS.tencentSecretKey,
    "alicloud:accessKey": EMULATOR_CREDENTIALS.alibabaAccessKeyId,
    "alicloud:secretKey": EMULATOR_CREDENTIALS.alibabaAccessKeySecret,
    "alaya:apiKey": EMULATOR_CREDENTIALS.alayaApiKey,
};
