import { withRate } from "../../sdk/core/rateLimiter";
import { TIONE_RATE_LIMIT, TioneClient } from "../../sdk/tione/client";
import { missingProfileCredentials, numberSetting, profiled, requestTimeoutMs, setting } from "../core/config";
import { clientCache } from "../core/clients";
import { accountFingerprint, placed } from "../core/placement";

/**
 * Region used when neither the resource, `tencentcloud:region` nor
 * `TENCENTCLOUD_REGION` names one: the Terraform provider's default
 * (reference/tione.md §12). The task actions require a region.
 */
export const DEFAULT_REGION = "ap-guangzhou";

/** The region a resource's calls go to: its own `region`, then `tencentcloud:region`, then `TENCENTCLOUD_REGION`, then {@link DEFAULT_REGION}. */
export function regionFor(region?: string, profile?: string): string {
    return region ?? setting(["tencentcloud:region"], ["TENCENTCLOUD_REGION"], profile) ?? DEFAULT_REGION;
}

const clients = clientCache<TioneClient>();

/**
 * The TI-ONE client for a resource, from stack config first (the
 * `tencentcloud:` namespace users already have: `secretId`, `secretKey`,
 * `securityToken`, `region`, plus our `tioneEndpoint`), then the environment
 * (`TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY`,
 * `TENCENTCLOUD_SESSION_TOKEN` or `TENCENTCLOUD_SECURITY_TOKEN`,
 * `TENCENTCLOUD_REGION`, `TENCENTCLOUD_TIONE_ENDPOINT`); under a credential
 * `profile`, the profile's own keys (core/config.ts `profiled`). Read inside the
 * provider process only; nothing here reaches state. Clients are shared per
 * configuration, and all of them share the process-wide rate budget: per
 * action, `pulumi-training:tioneRequestsPerSecond` or
 * `PULUMI_TRAINING_TIONE_REQUESTS_PER_SECOND`, default 19.5/s, 97.5% of the documented 20/s
 * ({@link TIONE_RATE_LIMIT}).
 */
export function tioneClientFor(region?: string, profile?: string): TioneClient {
    const secretId = setting(["tencentcloud:secretId"], ["TENCENTCLOUD_SECRET_ID"], profile);
    const secretKey = setting(["tencentcloud:secretKey"], ["TENCENTCLOUD_SECRET_KEY"], profile);
    if ((!secretId || !secretKey) && profile) {
        throw missingProfileCredentials("TI-ONE", profile, ["tencentcloud:secretId", "tencentcloud:secretKey"], ["TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY"]);
    }
    if (!secretId || !secretKey) {
        throw new Error(
            "TI-ONE credentials missing: set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY, " +
                "or `pulumi config set tencentcloud:secretId <id>` and `pulumi config set --secret tencentcloud:secretKey <key>`",
        );
    }
    const sessionToken = setting(["tencentcloud:securityToken"], ["TENCENTCLOUD_SESSION_TOKEN", "TENCENTCLOUD_SECURITY_TOKEN"], profile);
    const endpoint = setting(["tencentcloud:tioneEndpoint"], ["TENCENTCLOUD_TIONE_ENDPOINT"], profile);
    // An error about the endpoint names the setting this resource read it from (a profile's own, if any).
    const names = profiled(profile, ["tencentcloud:tioneEndpoint"], ["TENCENTCLOUD_TIONE_ENDPOINT"]);
    const endpointSetting = `\`${names.configKeys[0]}\` (or ${names.envNames[0]})`;
    const resolvedRegion = regionFor(region, profile);
    const timeoutMs = requestTimeoutMs();
    const rateLimit = withRate(TIONE_RATE_LIMIT, numberSetting(["pulumi-training:tioneRequestsPerSecond"], ["PULUMI_TRAINING_TIONE_REQUESTS_PER_SECOND"], TIONE_RATE_LIMIT.perSecond));
    return clients([secretId, secretKey, sessionToken, resolvedRegion, endpoint, timeoutMs, rateLimit], () =>
        placed(new TioneClient({ secretId, secretKey, sessionToken, region: resolvedRegion, endpoint, endpointSetting, timeoutMs, rateLimit }), { account: accountFingerprint(secretId), region: resolvedRegion, endpoint }),
    );
}
