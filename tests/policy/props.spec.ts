import { Secret } from "@pulumi/policy";
import * as assert from "node:assert/strict";
import { isUnknownValue, readAll, readFirst, readItems, readOne, toBoolean, toNumber, UNKNOWN_SENTINELS, unwrapProxies } from "../../policy/props";
import { createResourceValidationArgs, secret, UNKNOWN } from "./util";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const proxy = require("@pulumi/policy/proxy") as Record<string, unknown>;

describe("policy: reading props through unknowns and secrets", () => {
    it("knows exactly the sentinels @pulumi/policy treats as unknown", () => {
        const theirs = Object.keys(proxy)
            .filter((k) => /^unknown[A-Z]\w*Value$/.test(k))
            .map((k) => proxy[k]);
        assert.deepEqual([...UNKNOWN_SENTINELS].sort(), [...(theirs as string[])].sort());
        assert.ok(isUnknownValue(UNKNOWN.string));
        assert.ok(!isUnknownValue("ap-guangzhou"));
    });

    it("reads through the analyzer's unknown-checking proxy without tripping it", () => {
        const args = createResourceValidationArgs("t", { region: UNKNOWN.string, vpcId: "vpc-1", nested: { deep: UNKNOWN.number } });
        assert.throws(() => args.props.region, /can't be known during preview/);
        assert.deepEqual(readOne(args.props, "region"), { status: "unknown", path: "region" });
        assert.deepEqual(readOne(args.props, "vpcId"), { status: "known", path: "vpcId", value: "vpc-1", secret: false });
        assert.deepEqual(readOne(args.props, "nested.deep"), { status: "unknown", path: "nested.deep" });
        assert.deepEqual(readOne(args.props, "missing.deep"), { status: "absent", path: "missing.deep" });
    });

    it("sees secrets (and secrets inside secrets) behind the remediation proxy", () => {
        const args = createResourceValidationArgs("t", { env: { A: secret("x"), B: "y" }, all: secret({ inner: "z" }) }, { keepSecrets: true });
        assert.deepEqual(readOne(args.props, "env.A"), { status: "known", path: "env.A", value: "x", secret: true });
        assert.deepEqual(readOne(args.props, "env.B"), { status: "known", path: "env.B", value: "y", secret: false });
        assert.deepEqual(readOne(args.props, "all.inner"), { status: "known", path: "all.inner", value: "z", secret: true });
        const raw = unwrapProxies(args.props) as Record<string, Record<string, unknown>>;
        assert.ok(raw.env.A instanceof Secret);
    });

    it("recognises serialized secrets too", () => {
        const props = { token: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "t" } };
        assert.deepEqual(readOne(props, "token"), { status: "known", path: "token", value: "t", secret: true });
    });

    it("fans out over arrays with [] and names each element", () => {
        const props = { rc: [{ gpu: 100 }, { gpu: UNKNOWN.number }, {}] };
        assert.deepEqual(readAll(props, "rc[].gpu"), [
            { status: "known", path: "rc[0].gpu", value: 100, secret: false },
            { status: "unknown", path: "rc[1].gpu" },
            { status: "absent", path: "rc[2].gpu" },
        ]);
        assert.deepEqual(readAll({}, "rc[].gpu"), []);
        assert.deepEqual(readAll({ rc: UNKNOWN.array }, "rc[].gpu"), [{ status: "unknown", path: "rc" }]);
        assert.deepEqual(readAll({ rc: { gpu: 1 } }, "rc[].gpu"), [{ status: "known", path: "rc.gpu", value: 1, secret: false }]);
    });

    it("reads items of an array or a single object", () => {
        assert.deepEqual(readItems({ r: { a: 1 } }, "r").map((r) => r.path), ["r"]);
        assert.deepEqual(readItems({ r: [{ a: 1 }, { a: 2 }] }, "r").map((r) => r.path), ["r[0]", "r[1]"]);
        assert.deepEqual(readItems({}, "r"), []);
    });

    it("takes the first present of several candidate paths", () => {
        assert.equal(readFirst({ hp: { n_epochs: 4 } }, ["hp.nEpochs", "hp.n_epochs"]).path, "hp.n_epochs");
        assert.equal(readFirst({}, ["a", "b"]).status, "absent");
    });

    it("coerces numeric strings and boolean strings, and nothing else", () => {
        assert.equal(toNumber("12"), 12);
        assert.equal(toNumber(" 0.5 "), 0.5);
        assert.equal(toNumber("1e-4"), undefined);
        assert.equal(toNumber("0.0002B"), undefined);
        assert.equal(toNumber(Number.NaN), undefined);
        assert.equal(toBoolean("true"), true);
        assert.equal(toBoolean(1), undefined);
    });
});
