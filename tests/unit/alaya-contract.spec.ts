/**
 * The assumption module (sdk/alaya/assumptions.ts) and the emulator agree.
 *
 * The emulator implements the default list/detail contract on its own (it
 * never imports sdk/). These tests speak raw HTTP to it, building every
 * request and reading every answer from DEFAULT_ALAYA_CONTRACT, so changing
 * an assumption without changing the emulator (or the reverse) fails here.
 */
import { strict as assert } from "node:assert";
import {
    ALAYA_CONTRACT_KEYS,
    DEFAULT_ALAYA_CONTRACT,
    atPath,
    contractOverridesFromStrings,
    detailPath,
    idFromCreateAnswer,
    listParameters,
    mergeContract,
} from "../../sdk/alaya/assumptions";
import { EMULATOR_CREDENTIALS, RunningEmulator, emulatorEnv, startEmulator } from "../../emulator";

const C = DEFAULT_ALAYA_CONTRACT;

describe("Alaya emulator answers the shapes the assumption module describes", () => {
    let emu: RunningEmulator;
    let base: string;
    const names = [`contract-a-${process.pid}`, `contract-b-${process.pid}`, `contract-c-${process.pid}`];

    const call = async (method: string, path: string, body?: unknown) => {
        const res = await fetch(base + path, {
            method,
            headers: { accept: "application/json", Authorization: `Bearer ${EMULATOR_CREDENTIALS.alayaApiKey}`, ...(body ? { "Content-Type": "application/json" } : {}) },
            body: body === undefined ? undefined : JSON.stringify(body),
        });
        return { http: res.status, json: (await res.json()) as { status: number; message: string; data: unknown } };
    };
    const list = (page: number, pageSize: number, name?: string) =>
        call(C.templateListMethod, `${C.templateListPath}?${new URLSearchParams(Object.entries(listParameters(C, page, pageSize, name)).map(([k, v]): [string, string] => [k, String(v)]))}`);

    before(async () => {
        emu = await startEmulator();
        base = emulatorEnv(emu).ALAYA_BASE_URL;
        for (const name of names) {
            const created = await call("POST", "/v1/training/template/create", { name, desc: `about ${name}`, aidcId: 2, trainingType: "HPC", trainingFramwork: "MPI" });
            assert.equal(created.json.status, 200);
        }
    });
    after(async () => emu.close());

    it("the assumed list method is GET, the method the emulator serves the list on", () => {
        assert.equal(C.templateListMethod, "GET");
    });

    it("create answers the documented {status: 200, message: \"OK\", data: {}}, from which no id can be read", async () => {
        const created = await call("POST", "/v1/training/template/create", { name: `contract-d-${process.pid}` });
        assert.deepEqual(created.json, { status: 200, message: "OK", data: {} });
        assert.equal(idFromCreateAnswer(created.json.data, C), undefined);
    });

    it("the list keeps its items at data.<templateListItemsPath> and the total at data.<templateListTotalPath>", async () => {
        const { json } = await list(C.templateListFirstPage, 2, "contract-");
        assert.equal(json.status, 200);
        const items = atPath(json.data, C.templateListItemsPath);
        assert.ok(Array.isArray(items), `no array at data.${C.templateListItemsPath}`);
        assert.equal(items.length, 2, "the page size parameter was not honoured");
        const everything = atPath((await list(C.templateListFirstPage, 100, "contract-")).json.data, C.templateListItemsPath) as unknown[];
        assert.ok(everything.length >= 3);
        assert.equal(atPath(json.data, C.templateListTotalPath), everything.length);
    });

    it("the page parameter selects later pages, starting at templateListFirstPage", async () => {
        const first = atPath((await list(C.templateListFirstPage, 2, "contract-")).json.data, C.templateListItemsPath) as Array<Record<string, unknown>>;
        const second = atPath((await list(C.templateListFirstPage + 1, 2, "contract-")).json.data, C.templateListItemsPath) as Array<Record<string, unknown>>;
        const ids = [...first, ...second].map((i) => i[C.templateIdField]);
        assert.equal(first.length, 2);
        assert.ok(second.length >= 1, "page 2 is empty");
        assert.equal(new Set(ids).size, ids.length, "page 2 repeats page 1");
    });

    it("list items carry id, name, desc and both times under the assumed field names, and the settings at templateSettingsPath", async () => {
        const items = atPath((await list(C.templateListFirstPage, 100, names[0])).json.data, C.templateListItemsPath) as Array<Record<string, unknown>>;
        const item = items.find((i) => i[C.templateNameField] === names[0]);
        assert.ok(item, "created template not listed under its name field");
        for (const f of [C.templateIdField, C.templateNameField, C.templateDescField, C.templateCreateTimeField, C.templateUpdateTimeField]) assert.equal(typeof item[f], "string", f);
        assert.equal(item[C.templateDescField], `about ${names[0]}`);
        assert.equal((atPath(item, C.templateSettingsPath) as Record<string, unknown>).trainingFramwork, "MPI");
    });

    it("ids match the inferred templateIdPattern (tpl_ + 20 hex)", async () => {
        const items = atPath((await list(C.templateListFirstPage, 100)).json.data, C.templateListItemsPath) as Array<Record<string, unknown>>;
        assert.ok(items.length >= 3);
        for (const i of items) assert.match(String(i[C.templateIdField]), new RegExp(C.templateIdPattern));
    });

    it("the detail call at templateDetailPath answers the template at data.<templateDetailItemPath>", async () => {
        const items = atPath((await list(C.templateListFirstPage, 100, names[1])).json.data, C.templateListItemsPath) as Array<Record<string, unknown>>;
        const id = String(items[0][C.templateIdField]);
        const { json } = await call(C.templateDetailMethod, detailPath(C, id)!);
        assert.equal(json.status, 200);
        const item = atPath(json.data, C.templateDetailItemPath) as Record<string, unknown>;
        assert.equal(item[C.templateIdField], id);
        assert.equal(item[C.templateNameField], names[1]);
    });

    it("an unknown template answers one of templateNotFoundStatuses, on detail and on delete", async () => {
        const detail = await call(C.templateDetailMethod, detailPath(C, "tpl_00000000000000000000")!);
        const del = await call("DELETE", "/v1/training/template/tpl_00000000000000000000/delete");
        assert.ok(C.templateNotFoundStatuses.includes(detail.json.status), `detail answered ${detail.json.status}`);
        assert.ok(C.templateNotFoundStatuses.includes(del.json.status), `delete answered ${del.json.status}`);
    });

    it("a duplicate name is refused with a message duplicateNamePattern recognises", async () => {
        const dup = await call("POST", "/v1/training/template/create", { name: names[2] });
        assert.notEqual(dup.json.status, 200);
        assert.match(dup.json.message, new RegExp(C.duplicateNamePattern, "i"));
    });

    it("fields outside the documented create body are dropped, as a JSON API ignores them (the correct spelling trainingFramework is lost)", async () => {
        const name = `contract-spelling-${process.pid}`;
        await call("POST", "/v1/training/template/create", { name, trainingFramework: "PyTorch" });
        const items = atPath((await list(C.templateListFirstPage, 100, name)).json.data, C.templateListItemsPath) as Array<Record<string, unknown>>;
        assert.equal(items.length, 1);
        assert.ok(!("trainingFramework" in items[0]) && !("trainingFramwork" in items[0]));
    });

    it("a wrong key answers the documented {status: 403, message: \"Forbidden\", data: {}}", async () => {
        const res = await fetch(`${base}${C.templateListPath}`, { headers: { Authorization: "Bearer nope" } });
        assert.deepEqual(await res.json(), { status: 403, message: "Forbidden", data: {} });
    });
});

describe("Alaya contract overrides", () => {
    it("mergeContract replaces only the given keys and leaves the defaults untouched", () => {
        const merged = mergeContract(DEFAULT_ALAYA_CONTRACT, { templateListPath: "/v1/training/template/page", templateNotFoundStatuses: [404, 500] });
        assert.equal(merged.templateListPath, "/v1/training/template/page");
        assert.deepEqual(merged.templateNotFoundStatuses, [404, 500]);
        assert.equal(merged.templateListPageParam, C.templateListPageParam);
        assert.equal(C.templateListPath, "/v1/training/template/list");
    });

    it("mergeContract refuses an unknown key and a value of the wrong type", () => {
        assert.throws(() => mergeContract(C, { templateListPathh: "/x" } as never), /unknown Alaya contract key "templateListPathh"/);
        assert.throws(() => mergeContract(C, { templateListPageSize: "100" } as never), /must be a number/);
    });

    it("string settings (stack config) parse into numbers, lists and methods, and none into the empty string", () => {
        const config: Record<string, string> = { templateListPageSize: "50", templateNotFoundStatuses: "404, 500", createIdFields: "id", templateListMethod: "post", templateDetailPath: "none" };
        const over = contractOverridesFromStrings((k) => config[k]);
        assert.deepEqual(over, { templateListPageSize: 50, templateNotFoundStatuses: [404, 500], createIdFields: ["id"], templateListMethod: "POST", templateDetailPath: "" });
    });

    it("a non-numeric setting for a number key names the config key", () => {
        assert.throws(() => contractOverridesFromStrings((k) => (k === "templateListFirstPage" ? "one" : undefined)), /alaya:templateListFirstPage must be a number/);
    });

    it("every contract key is documented as an assumption or inference in the module (one place to fix)", () => {
        const fs = require("node:fs") as typeof import("node:fs");
        const text = fs.readFileSync(require.resolve("../../sdk/alaya/assumptions"), "utf8");
        for (const key of ALAYA_CONTRACT_KEYS) {
            const doc = new RegExp(`/\\*\\*((?!\\*/)[\\s\\S])*\\*/\\s*${key}:`).exec(text);
            assert.ok(doc, `${key} has no TSDoc`);
            assert.ok(/ASSUMPTION|INFERENCE|Documented/.test(doc[0]), `${key} is not named as an assumption`);
        }
    });
});
