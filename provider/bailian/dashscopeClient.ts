import { withRate } from "../../sdk/core/rateLimiter";
import { DASHSCOPE_RATE_LIMIT, DashScopeClient } from "../../sdk/dashscope/client";
import { missingProfileCredentials, numberSetting, requestTimeoutMs, setting } from "../core/config";
import { clientCache } from "../core/clients";
import { accountFingerprint, placed } from "../core/placement";
import { DASHSCOPE_REGION_URLS, type DashScopeRegion } from "./regions";

const clients = clientCache<DashScopeClient>();


/**
 * The DashScope client for a resource: the API key from `dashscope:apiKey`
 * config or `DASHSCOPE_API_KEY`, the endpoint from `dashscope:baseUrl` or
 * `DASHSCOPE_HTTP_BASE_URL`, else the resource's `region`'s host, the
 * workspace from the resource or `dashscope:workspaceId` (under a credential
 * `profile`, the profile's own keys: core/config.ts `profiled`), the request rate from
 * `pulumi-training:dashscopeRequestsPerSecond` or
 * `PULUMI_TRAINING_DASHSCOPE_REQUESTS_PER_SECOND` (default the assumed 10/s,
 * {@link DASHSCOPE_RATE_LIMIT}). Clients are shared per configuration so the
 * rate budget is shared too.
 */
export function dashScopeClientFor(workspaceId?: string, region?: DashScopeRegion, profile?: string): DashScopeClient {
    const apiKey = setting(["dashscope:apiKey"], ["DASHSCOPE_API_KEY"], profile);
    if (!apiKey && profile) throw missingProfileCredentials("DashScope", profile, ["dashscope:apiKey"], ["DASHSCOPE_API_KEY"]);
    if (!apiKey) throw new Error("DashScope credentials missing: set DASHSCOPE_API_KEY, or `pulumi config set --secret dashscope:apiKey <key>`");
    // An endpoint override (private endpoints, the emulator) wins over the region's public host.
    const baseUrl = setting(["dashscope:baseUrl"], ["DASHSCOPE_HTTP_BASE_URL"], profile) ?? (region ? DASHSCOPE_REGION_URLS[region] : undefined);
    const workspace = workspaceId ?? setting(["dashscope:workspaceId"], ["DASHSCOPE_WORKSPACE_ID"], profile);
    const timeoutMs = requestTimeoutMs();
    const rateLimit = withRate(DASHSCOPE_RATE_LIMIT, numberSetting(["pulumi-training:dashscopeRequestsPerSecond"], ["PULUMI_TRAINING_DASHSCOPE_REQUESTS_PER_SECOND"], DASHSCOPE_RATE_LIMIT.perSecond));
    return clients([apiKey, baseUrl, workspace, timeoutMs, rateLimit], () =>
        placed(new DashScopeClient({ apiKey, baseUrl, workspaceId: workspace, timeoutMs, rateLimit }), { account: accountFingerprint(apiKey), region: workspace, endpoint: baseUrl }),
    );
}
