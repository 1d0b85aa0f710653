/**
 * How the provider builds its Alaya client from stack config and the
 * environment (provider/alaya/alayaClient.ts): config wins over env, and the
 * assumed contract is overridable through `alaya:<key>`.
 */
import { strict as assert } from "node:assert";
import { useStackConfig } from "../../provider/core/config";
import { alayaClientFor } from "../../provider/alaya/alayaClient";
import { DEFAULT_ALAYA_CONTRACT } from "../../sdk/alaya/assumptions";

describe("Alaya client from provider settings", () => {
    const saved = { key: process.env.ALAYA_API_KEY, url: process.env.ALAYA_BASE_URL };
    const withConfig = (values: Record<string, string>) => useStackConfig({ get: (k) => values[k] });

    beforeEach(() => {
        process.env.ALAYA_API_KEY = "env-key-0000";
        process.env.ALAYA_BASE_URL = "http://127.0.0.1:9/alaya";
    });
    afterEach(() => {
        useStackConfig(undefined);
        for (const [name, v] of [["ALAYA_API_KEY", saved.key], ["ALAYA_BASE_URL", saved.url]] as const) {
            if (v === undefined) delete process.env[name];
            else process.env[name] = v;
        }
    });

    it("uses the defaults of the assumption module when config overrides nothing", () => {
        withConfig({});
        assert.deepEqual(alayaClientFor().contract, { ...DEFAULT_ALAYA_CONTRACT });
    });

    it("applies alaya:<contract key> overrides from stack config", () => {
        withConfig({ "alaya:templateListPath": "/v1/training/template/page", "alaya:templateListPageSize": "20", "alaya:templateDetailPath": "none" });
        const c = alayaClientFor().contract;
        assert.equal(c.templateListPath, "/v1/training/template/page");
        assert.equal(c.templateListPageSize, 20);
        assert.equal(c.templateDetailPath, "");
    });

    it("prefers alaya:apiKey from config over ALAYA_API_KEY, and never prints either", () => {
        withConfig({ "alaya:apiKey": "config-key-1111" });
        const c = alayaClientFor();
        assert.equal(c.http.redactor.redact("config-key-1111 env-key-0000"), "*** env-key-0000");
    });

    it("fails with the two ways to set the key when neither is set", () => {
        delete process.env.ALAYA_API_KEY;
        withConfig({});
        assert.throws(() => alayaClientFor(), /ALAYA_API_KEY.*alaya:apiKey/);
    });
});
