/**
 * `tione.TrainingTask` input checking (provider/tione/trainingTask.schema.ts)
 * through the shared `validate`, as `check` runs it: valid inputs pass, each
 * rule fails naming the property path, and values unknown at preview pass.
 */
import { strict as assert } from "node:assert";
import { validate, CheckFailure } from "../../provider/core/check";
import { UNKNOWN } from "../../provider/core/unknown";
import { trainingTaskSchema } from "../../provider/tione/trainingTask.schema";

type Inputs = Record<string, any>;

const postpaid = (extra: Inputs = {}): Inputs => ({
    pulumiName: "lora",
    chargeType: "POSTPAID_BY_HOUR",
    resourceConfigInfos: [{ role: "WORKER", instanceType: "TI.GN7.8XLARGE128.POST", instanceNum: 1 }],
    ...extra,
});

const prepaid = (extra: Inputs = {}): Inputs => ({
    pulumiName: "lora",
    chargeType: "PREPAID",
    resourceGroupId: "trsg-kvvfrwl7",
    resourceConfigInfos: [{ role: "WORKER", cpu: 8000, memory: 32768, gpuType: "A100", gpu: 100, instanceNum: 2 }],
    ...extra,
});

const check = (inputs: Inputs): CheckFailure[] => validate(trainingTaskSchema, inputs);
const properties = (inputs: Inputs) => check(inputs).map((f) => f.property);

function failsAt(inputs: Inputs, property: string, reason?: RegExp): void {
    const failures = check(inputs);
    const hit = failures.find((f) => f.property === property);
    assert.ok(hit, `expected a failure at ${property}, got ${JSON.stringify(failures)}`);
    if (reason) assert.match(hit.reason, reason);
}

describe("tione.TrainingTask check", () => {
    describe("valid inputs", () => {
        it("a minimal postpaid task passes", () => {
            assert.deepEqual(check(postpaid()), []);
        });

        it("a prepaid task using every field passes", () => {
            const inputs = prepaid({
                name: "qwen-lora_训练-1",
                tiProjectId: "proj-1",
                frameworkName: "PYTORCH",
                frameworkVersion: "1.9",
                frameworkEnvironment: "torch1.9-py3.8-cuda11.1-gpu",
                tags: [{ tagKey: "team", tagValue: "nlp" }],
                imageInfo: { imageType: "CUSTOM", imageUrl: "docker.io/acme/trainer:1", imageSecret: { username: "u", password: "cA==" } },
                codePackagePath: { bucket: "code-1250000000", region: "ap-guangzhou", paths: ["/src/"] },
                startCmdInfo: { startCmd: "python train.py --lr 1e-4" },
                trainingMode: "DDP",
                dataConfigs: [
                    { mappingPath: "/opt/ml/input/data", dataSourceUsage: "USER_DATA", dataSourceType: "CFS", cfsSource: { id: "cfs-1", path: "/data", mountType: "STORAGE", protocol: "1" } },
                    { dataSourceType: "COS", cosSource: { bucket: "b-1", region: "ap-guangzhou", paths: ["/d/"] }, readOnly: true },
                ],
                vpcId: "vpc-1",
                subnetId: "subnet-1",
                output: { bucket: "out-1250000000", region: "ap-guangzhou", paths: ["/ckpt/"] },
                logConfig: { logsetId: "ls-1", topicId: "tp-1" },
                tuningParameters: { learning_rate: 1e-4, lora_rank: 8 },
                logEnable: true,
                remark: "LoRA run",
                dataSource: "CFS",
                callbackUrl: "https://hooks.example.com/tione",
                codeRepos: [{ id: "cr-1076157270725717248", targetPath: "/opt/code" }],
                exposeNetworkConfig: { sshConfig: { enable: true, publicKey: "ssh-ed25519 AAAA", port: 22 } },
                envs: [{ name: "HF_HOME", value: "/cache" }],
                trainToolConfig: { enableHangMonitor: true, logHangTimeoutInMinute: 30 },
                resourceSupplyAttribute: { supplyType: "", clusterType: "DEFAULT" },
                queues: ["q-1"],
                region: "ap-shanghai",
                waitForCompletion: false,
                completionTimeoutMinutes: 120,
            });
            assert.deepEqual(check(inputs), []);
        });

        it("tuningParameters may be a string", () => {
            assert.deepEqual(check(postpaid({ tuningParameters: "--lr 1e-4 --epochs 3" })), []);
        });
    });

    describe("each rule names the field path", () => {
        it("a name over 60 characters fails at name", () => failsAt(postpaid({ name: "a".repeat(61) }), "name", /60 characters/));
        it("a name starting with '-' fails at name", () => failsAt(postpaid({ name: "-lora" }), "name", /start with a letter or digit/));
        it("a name with a dot fails at name", () => failsAt(postpaid({ name: "lora.v2" }), "name"));
        it("without name, an invalid resource name fails at name and says to set name", () => failsAt(postpaid({ pulumiName: "my.task" }), "name", /set name/));
        it("an unknown chargeType fails at chargeType", () => failsAt(postpaid({ chargeType: "SPOT" }), "chargeType", /PREPAID, POSTPAID_BY_HOUR/));
        it("no resourceConfigInfos fails at resourceConfigInfos", () => failsAt(postpaid({ resourceConfigInfos: [] }), "resourceConfigInfos"));
        it("an unknown role fails at resourceConfigInfos[0].role", () => failsAt(postpaid({ resourceConfigInfos: [{ role: "CHIEF", instanceType: "TI.S.MEDIUM.POST" }] }), "resourceConfigInfos[0].role"));
        it("a fractional gpu fails at resourceConfigInfos[0].gpu in 1/100 cards", () =>
            failsAt(prepaid({ resourceConfigInfos: [{ role: "WORKER", cpu: 8000, memory: 32768, gpu: 0.5 }] }), "resourceConfigInfos[0].gpu", /1\/100 cards/));
        it("a fractional cpu fails at resourceConfigInfos[0].cpu in 1/1000 cores", () =>
            failsAt(prepaid({ resourceConfigInfos: [{ role: "WORKER", cpu: 1.5, memory: 1024 }] }), "resourceConfigInfos[0].cpu", /1\/1000 cores/));
        it("PREPAID without resourceGroupId fails at resourceGroupId", () => failsAt(prepaid({ resourceGroupId: undefined }), "resourceGroupId", /PREPAID/));
        it("PREPAID without cpu and memory fails at both", () => {
            const p = properties(prepaid({ resourceConfigInfos: [{ role: "WORKER", gpu: 100 }] }));
            assert.ok(p.includes("resourceConfigInfos[0].cpu") && p.includes("resourceConfigInfos[0].memory"), JSON.stringify(p));
        });
        it("POSTPAID_BY_HOUR without instanceType fails at that role's instanceType", () =>
            failsAt(postpaid({ resourceConfigInfos: [{ role: "PS", instanceType: "TI.S.LARGE.POST" }, { role: "WORKER" }] }), "resourceConfigInfos[1].instanceType", /TI\.S\.MEDIUM\.POST/));
        it("11 dataConfigs fail at dataConfigs", () =>
            failsAt(postpaid({ dataConfigs: Array.from({ length: 11 }, () => ({ dataSourceType: "DATASET", dataSetSource: { id: "ds-1" } })) }), "dataConfigs", /at most 10/));
        it("a COS data config without cosSource fails at dataConfigs[0].cosSource", () => failsAt(postpaid({ dataConfigs: [{ dataSourceType: "COS" }] }), "dataConfigs[0].cosSource"));
        it("an unknown dataSourceUsage fails at dataConfigs[0].dataSourceUsage", () =>
            failsAt(postpaid({ dataConfigs: [{ dataSourceUsage: "TRAINING", dataSourceType: "DATASET", dataSetSource: { id: "ds-1" } }] }), "dataConfigs[0].dataSourceUsage"));
        it("an unknown dataSource fails at dataSource", () => failsAt(postpaid({ dataSource: "NAS" }), "dataSource"));
        it("a remark over 1024 characters fails at remark", () => failsAt(postpaid({ remark: "x".repeat(1025) }), "remark", /1024/));
        it("a tuningParameters string over 2048 characters fails at tuningParameters", () => failsAt(postpaid({ tuningParameters: "x".repeat(2049) }), "tuningParameters", /2048/));
        it("a tuningParameters object that serializes past 2048 characters fails at tuningParameters", () =>
            failsAt(postpaid({ tuningParameters: { notes: "x".repeat(2040) } }), "tuningParameters", /serializes to \d+ characters/));
        it("two output paths fail at output.paths", () => failsAt(postpaid({ output: { bucket: "b", region: "ap-guangzhou", paths: ["/a", "/b"] } }), "output.paths", /single COS path/));
        it("imageSecret on a non-CUSTOM image fails at imageInfo.imageSecret", () =>
            failsAt(postpaid({ imageInfo: { imageType: "TCR", imageUrl: "x.tencentcloudcr.com/a/b:1", imageSecret: { username: "u" } } }), "imageInfo.imageSecret", /CUSTOM/));
        it("an unknown imageType fails at imageInfo.imageType", () => failsAt(postpaid({ imageInfo: { imageType: "DOCKERHUB", imageUrl: "x" } }), "imageInfo.imageType"));
        it("the reserved marker tag fails at tags[0].tagKey", () => failsAt(postpaid({ tags: [{ tagKey: "pulumi-training-marker", tagValue: "x" }] }), "tags[0].tagKey", /reserved/));
        it("a hang timeout of 0 minutes fails at trainToolConfig.logHangTimeoutInMinute", () => failsAt(postpaid({ trainToolConfig: { logHangTimeoutInMinute: 0 } }), "trainToolConfig.logHangTimeoutInMinute"));
        it("a malformed region fails at region", () => failsAt(postpaid({ region: "Guangzhou" }), "region", /ap-guangzhou/));
        it("a zero completionTimeoutMinutes fails at completionTimeoutMinutes", () => failsAt(postpaid({ completionTimeoutMinutes: 0 }), "completionTimeoutMinutes"));
        it("a PascalCase field name is rejected as unrecognized", () => {
            const failures = check(postpaid({ ChargeType: "POSTPAID_BY_HOUR" }));
            assert.ok(failures.some((f) => /ChargeType/.test(f.reason)), JSON.stringify(failures));
        });
        it("one check reports a field rule and a cross-field rule together", () => {
            const p = properties(prepaid({ resourceGroupId: undefined, name: "bad name" }));
            assert.ok(p.includes("name") && p.includes("resourceGroupId"), JSON.stringify(p));
        });
    });

    describe("values unknown at preview", () => {
        it("an unknown chargeType skips the rules that depend on it", () => {
            assert.deepEqual(check(postpaid({ chargeType: UNKNOWN, resourceConfigInfos: [{ role: "WORKER" }] })), []);
        });
        it("an unknown resourceConfigInfos list passes", () => {
            assert.deepEqual(check(postpaid({ resourceConfigInfos: UNKNOWN })), []);
        });
        it("an unknown gpu inside a role passes", () => {
            assert.deepEqual(check(prepaid({ resourceConfigInfos: [{ role: "WORKER", cpu: 8000, memory: 32768, gpu: UNKNOWN }] })), []);
        });
        it("an unknown resourceGroupId satisfies PREPAID", () => {
            assert.deepEqual(check(prepaid({ resourceGroupId: UNKNOWN })), []);
        });
        it("an unknown name passes, and so does an object tuningParameters holding an unknown", () => {
            assert.deepEqual(check(postpaid({ name: UNKNOWN, tuningParameters: { lr: UNKNOWN, notes: "x".repeat(3000) } })), []);
        });
        it("an unknown value does not hide a real failure elsewhere", () => {
            assert.deepEqual(properties(postpaid({ name: UNKNOWN, remark: "x".repeat(1025) })), ["remark"]);
        });
    });
});
