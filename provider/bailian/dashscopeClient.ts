import { withRate } from "../../sdk/core/rateLimiter";
import { DASHSCOPE_RATE_LIMIT, DashScopeClient } from "../../sdk/dashscope/client";
import { numberSetting, requestTimeoutMs, setting } from "../core/config";
import { clientCache } from "../core/clients";
import { accountFingerprint, placed } from "../core/placement";

const clients = clientCache<DashScopeClient>();

/**
 * The DashScope client for a resource: the API key from `dashscope:apiKey`
 * config or `DASHSCOPE_API_KEY`, the endpoint from `dashscope:baseUrl` or
 * `DASHSCOPE_HTTP_BASE_URL`, the workspace from the resource or
 * `dashscope:workspaceId`, the request rate from
 * `pulumi-training:dashscopeRequestsPerSecond` or
 * `PULUMI_TRAINING_DASHSCOPE_REQUESTS_PER_SECOND` (default the assumed 10/s,
 * {@link DASHSCOPE_RATE_LIMIT}). Clients are shared per configuration so the
 * rate budget is shared too.
 */
export function dashScopeClientFor(workspaceId?: string): DashScopeClient {
    const apiKey = setting(["dashscope:apiKey"], ["DASHSCOPE_API_KEY"]);
    if (!apiKey) throw new Error("DashScope credentials missing: set DASHSCOPE_API_KEY, or `pulumi config set --secret dashscope:apiKey <key>`");
    const baseUrl = setting(["dashscope:baseUrl"], ["DASHSCOPE_HTTP_BASE_URL"]);
    const workspace = workspaceId ?? setting(["dashscope:workspaceId"], ["DASHSCOPE_WORKSPACE_ID"]);
    const timeoutMs = requestTimeoutMs();
    const rateLimit = withRate(DASHSCOPE_RATE_LIMIT, numberSetting(["pulumi-training:dashscopeRequestsPerSecond"], ["PULUMI_TRAINING_DASHSCOPE_REQUESTS_PER_SECOND"], DASHSCOPE_RATE_LIMIT.perSecond));
    return clients([apiKey, baseUrl, workspace, timeoutMs, rateLimit], () =>
        placed(new DashScopeClient({ apiKey, baseUrl, workspaceId: workspace, timeoutMs, rateLimit }), { account: accountFingerprint(apiKey), region: workspace, endpoint: baseUrl }),
    );
}
