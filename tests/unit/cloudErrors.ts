import * as assert from "node:assert/strict";
import { CloudApiError } from "../../sdk/core/errors";

/** Awaits `p` and asserts it rejected with a {@link CloudApiError} of `code`; returns the error for further checks. */
export async function expectCloudError(p: Promise<unknown>, code: string): Promise<CloudApiError> {
    try {
        await p;
    } catch (e) {
        assert.ok(e instanceof CloudApiError, `expected CloudApiError, got ${e}`);
        assert.equal(e.code, code, e.message);
        return e;
    }
    assert.fail(`expected ${code}, but the call succeeded`);
}
