import { ALAYA_CONTRACT_KEYS, ALAYA_RATE_LIMIT, contractOverridesFromStrings } from "../../sdk/alaya/assumptions";
import { AlayaClient } from "../../sdk/alaya/client";
import { withRate } from "../../sdk/core/rateLimiter";
import { missingProfileCredentials, numberSetting, requestTimeoutMs, setting } from "../core/config";
import { clientCache } from "../core/clients";
import { accountFingerprint, placed } from "../core/placement";

const clients = clientCache<AlayaClient>();

/**
 * The Alaya client for a resource: the Open API key from `alaya:apiKey`
 * config or `ALAYA_API_KEY` (under a credential `profile`, the profile's own
 * keys: core/config.ts `profiled`), the base URL from `alaya:endpoint`
 * or `ALAYA_BASE_URL`, and overrides of the assumed list/detail contract from
 * `alaya:<contract key>` config (e.g. `alaya:templateListPath`; keys in
 * `sdk/alaya/assumptions.ts`), and the request rate from
 * `pulumi-training:alayaRequestsPerSecond` or
 * `PULUMI_TRAINING_ALAYA_REQUESTS_PER_SECOND` (default the assumed 5/s,
 * {@link ALAYA_RATE_LIMIT}). Clients are shared per configuration so the
 * rate budget is shared too.
 */
export function alayaClientFor(profile?: string): AlayaClient {
    const apiKey = setting(["alaya:apiKey"], ["ALAYA_API_KEY"], profile);
    if (!apiKey && profile) throw missingProfileCredentials("Alaya", profile, ["alaya:apiKey"], ["ALAYA_API_KEY"]);
    if (!apiKey) throw new Error("Alaya credentials missing: set ALAYA_API_KEY, or `pulumi config set --secret alaya:apiKey <Open API key>`");
    const baseUrl = setting(["alaya:endpoint"], ["ALAYA_BASE_URL"], profile);
    const contract = contractOverridesFromStrings((key) => setting([`alaya:${key}`], [], profile));
    const timeoutMs = requestTimeoutMs();
    const rateLimit = withRate(ALAYA_RATE_LIMIT, numberSetting(["pulumi-training:alayaRequestsPerSecond"], ["PULUMI_TRAINING_ALAYA_REQUESTS_PER_SECOND"], ALAYA_RATE_LIMIT.perSecond));
    return clients([apiKey, baseUrl, ALAYA_CONTRACT_KEYS.map((k) => contract[k]), timeoutMs, rateLimit], () =>
        placed(new AlayaClient({ apiKey, baseUrl, contract, timeoutMs, rateLimit }), { account: accountFingerprint(apiKey), endpoint: baseUrl }),
    );
}
