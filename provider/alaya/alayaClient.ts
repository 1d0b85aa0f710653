import { ALAYA_CONTRACT_KEYS, contractOverridesFromStrings } from "../../sdk/alaya/assumptions";
import { AlayaClient, alayaOptionsFromEnv } from "../../sdk/alaya/client";
import { requestTimeoutMs, setting } from "../core/config";
import { accountFingerprint, placed } from "../core/placement";

const clients = new Map<string, AlayaClient>();

/**
 * The Alaya client for the provider process: the Open API key from
 * `alaya:apiKey` config or `ALAYA_API_KEY`, the base URL from `alaya:endpoint`
 * or `ALAYA_BASE_URL`, and overrides of the assumed list/detail contract from
 * `alaya:<contract key>` config (e.g. `alaya:templateListPath`; keys in
 * `sdk/alaya/assumptions.ts`). Clients are shared per configuration so the
 * rate budget is shared too.
 */
export function alayaClientFor(): AlayaClient {
    const env = alayaOptionsFromEnv();
    const apiKey = setting(["alaya:apiKey"], ["ALAYA_API_KEY"]) ?? env.apiKey;
    if (!apiKey) throw new Error("Alaya credentials missing: set ALAYA_API_KEY, or `pulumi config set --secret alaya:apiKey <Open API key>`");
    const baseUrl = setting(["alaya:endpoint"], ["ALAYA_BASE_URL"]);
    const contract = contractOverridesFromStrings((key) => setting([`alaya:${key}`], []));
    const timeoutMs = requestTimeoutMs();
    const cacheKey = JSON.stringify([apiKey, baseUrl, ALAYA_CONTRACT_KEYS.map((k) => contract[k]), timeoutMs]);
    let c = clients.get(cacheKey);
    if (!c) {
        c = placed(new AlayaClient({ apiKey, baseUrl, contract, timeoutMs }), { account: accountFingerprint(apiKey), endpoint: baseUrl });
        clients.set(cacheKey, c);
    }
    return c;
}
