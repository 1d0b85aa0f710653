/**
 * Several accounts and regions in one stack (issue 19 item 4): a resource's
 * `profile` picks another credential set (its own config namespace or
 * variable prefix), and a Bailian resource's `region` picks DashScope's
 * Singapore endpoint. Each resource is created, refreshed and destroyed with
 * its own account, and no credential reaches the state.
 */
import * as assert from "node:assert/strict";
import { EMULATOR_CREDENTIALS } from "../../emulator";
import type { RunResult } from "../../harness";
import { EngineFixture, TEST_CREDENTIALS, engineFixture, leakSurface, leaked } from "./support";

const explain = (r: RunResult): string => (r.errors.length ? r.errors.join("\n") : [...r.logs.map((l) => l.message), ...r.hostLogs].slice(-20).join("\n") || "failed without errors or logs");

describe("one stack, two accounts and two regions per cloud (credential profiles)", function () {
    this.timeout(180_000);
    let fx: EngineFixture;

    beforeEach(async () => {
        fx = await engineFixture("twoAccounts.ts");
        const c = EMULATOR_CREDENTIALS;
        // The profiles' own variables: `intl` for DashScope, `other` for TI-ONE; both point at the emulator.
        fx.stack.env = {
            ...fx.stack.env,
            INTL_DASHSCOPE_API_KEY: c.dashscopeOtherAccountKey,
            INTL_DASHSCOPE_HTTP_BASE_URL: fx.stack.env.DASHSCOPE_HTTP_BASE_URL,
            OTHER_TENCENTCLOUD_SECRET_ID: c.tencentOtherSecretId,
            OTHER_TENCENTCLOUD_SECRET_KEY: c.tencentOtherSecretKey,
            OTHER_TENCENTCLOUD_TIONE_ENDPOINT: fx.stack.env.TENCENTCLOUD_TIONE_ENDPOINT,
        };
        const file = async () => (await fx.control("POST", "/dashscope/files", { name: "train.jsonl" })).data.file_id as string;
        fx.stack.config = { trainingFileId: await file(), intlTrainingFileId: await file() };
    });
    afterEach(() => fx.close());

    const placement = (name: string) => fx.stack.state().resources.find((r) => r.name === name)?.outputs.pulumiPlacement as { account: string; region?: string; endpoint?: string };

    it("each resource is created, refreshed and destroyed under its own account and region", async () => {
        const up = await fx.stack.up();
        assert.ok(up.ok, explain(up));
        assert.notEqual(placement("singapore").account, placement("beijing").account, "the intl profile's DashScope key");
        assert.notEqual(placement("shanghai").account, placement("guangzhou").account, "the other profile's TI-ONE SecretId");
        assert.equal(placement("shanghai").region, "ap-shanghai");
        assert.equal(placement("guangzhou").region, "ap-guangzhou");
        const tasks = (await fx.control("GET", "/tione/tasks")).tasks as Array<{ Id: string; Region?: string }>;
        assert.equal(tasks.length, 2);

        const refresh = await fx.stack.refresh();
        assert.ok(refresh.ok, explain(refresh));
        assert.equal(fx.stack.state().resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/")).length, 4);

        const destroy = await fx.stack.destroy();
        assert.ok(destroy.ok, explain(destroy));
        assert.deepEqual((await fx.control("GET", "/tione/tasks")).tasks, []);
        assert.deepEqual(leaked(leakSurface(fx.stack, [up, refresh, destroy]), TEST_CREDENTIALS), []);
    });

    it("a profile without its own credentials fails naming the profile's keys, and does not borrow the default account's", async () => {
        const { INTL_DASHSCOPE_API_KEY: _dropped, ...env } = fx.stack.env;
        fx.stack.env = env;
        const up = await fx.stack.up();
        assert.equal(up.ok, false);
        assert.match(up.errors.join("\n"), /DashScope credentials missing for profile "intl": set INTL_DASHSCOPE_API_KEY, or `pulumi config set --secret dashscope-intl:apiKey <value>`/);
        assert.equal(fx.stack.state().resources.find((r) => r.name === "singapore"), undefined);
    });
});
