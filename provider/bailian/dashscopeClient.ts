import { DashScopeClient, dashScopeOptionsFromEnv } from "../../sdk/dashscope/client";
import { requestTimeoutMs, setting } from "../core/config";
import { accountFingerprint, placed } from "../core/placement";

const clients = new Map<string, DashScopeClient>();

/**
 * The DashScope client for a resource: the API key from `dashscope:apiKey`
 * config or `DASHSCOPE_API_KEY`, the endpoint from `dashscope:baseUrl` or
 * `DASHSCOPE_HTTP_BASE_URL`, the workspace from the resource or
 * `dashscope:workspaceId`. Clients are shared per configuration so the rate
 * budget is shared too.
 */
export function dashScopeClientFor(workspaceId?: string): DashScopeClient {
    const env = dashScopeOptionsFromEnv();
    const apiKey = setting(["dashscope:apiKey"], ["DASHSCOPE_API_KEY"]) ?? env.apiKey;
    if (!apiKey) throw new Error("DashScope credentials missing: set DASHSCOPE_API_KEY, or `pulumi config set --secret dashscope:apiKey <key>`");
    const baseUrl = setting(["dashscope:baseUrl"], ["DASHSCOPE_HTTP_BASE_URL"]);
    const workspace = workspaceId ?? setting(["dashscope:workspaceId"], ["DASHSCOPE_WORKSPACE_ID"]);
    const timeoutMs = requestTimeoutMs();
    const key = JSON.stringify([apiKey, baseUrl, workspace, timeoutMs]);
    let c = clients.get(key);
    if (!c) {
        c = placed(new DashScopeClient({ apiKey, baseUrl, workspaceId: workspace, timeoutMs }), { account: accountFingerprint(apiKey), region: workspace, endpoint: baseUrl });
        clients.set(key, c);
    }
    return c;
}
