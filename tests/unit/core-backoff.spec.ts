import * as assert from "node:assert/strict";
import { backoffDelayMs, retryAfterMs } from "../../sdk/core/backoff";
import { Redactor } from "../../sdk/core/redact";

describe("sdk/core backoff and redaction", () => {
    const policy = { maxAttempts: 6, baseDelayMs: 200, maxDelayMs: 10_000 };

    it("full jitter stays within base * 2^attempt", () => {
        assert.equal(backoffDelayMs(3, policy, () => 0.999999), 1599);
        assert.equal(backoffDelayMs(3, policy, () => 0), 0);
    });

    it("the backoff ceiling is capped at maxDelayMs", () => {
        assert.equal(backoffDelayMs(20, policy, () => 0.999999), 9999);
    });

    it("Retry-After in seconds, as an HTTP date, and Alibaba's x-acs-retry-after in ms are understood", () => {
        assert.equal(retryAfterMs({ "retry-after": "3" }), 3000);
        assert.equal(retryAfterMs({ "retry-after": new Date(10_000).toUTCString() }, 4_000), 6000);
        assert.equal(retryAfterMs({ "x-acs-retry-after": "250" }), 250);
        assert.equal(retryAfterMs({}), undefined);
    });

    it("the redactor masks registered secrets wherever they occur", () => {
        const r = new Redactor().add("AKIDsecretvalue", undefined, "ab");
        assert.equal(r.redact("id=AKIDsecretvalue and ab"), "id=*** and ab");
    });

    it("the redactor masks authorization headers, TC3/ACS3 credentials and signatures it was not told about", () => {
        const r = new Redactor();
        const out = r.redact('{"Authorization":"TC3-HMAC-SHA256 Credential=AKIDx/2026-01-01/tione/tc3_request, SignedHeaders=content-type;host, Signature=abcdef0123"}');
        assert.ok(!out.includes("AKIDx"));
        assert.ok(!out.includes("abcdef0123"));
    });
});
