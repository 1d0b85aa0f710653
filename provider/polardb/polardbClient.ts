import { withRate } from "../../sdk/core/rateLimiter";
import { POLARDB_RATE_LIMIT, PolarDbClient } from "../../sdk/polardb/client";
import { missingProfileCredentials, numberSetting, requestTimeoutMs, setting } from "../core/config";
import { clientCache } from "../core/clients";
import { accountFingerprint, placed } from "../core/placement";

const clients = clientCache<PolarDbClient>();

/**
 * The PolarDB client for a resource, read inside the provider process only
 * (design.md §3 rule 3). Stack config (the `alicloud` namespace users of the
 * alicloud provider already have) wins over the environment:
 * - AccessKey: `alicloud:accessKey` / `alicloud:secretKey`, else
 *   `ALIBABA_CLOUD_ACCESS_KEY_ID` / `ALIBABA_CLOUD_ACCESS_KEY_SECRET`
 *   (or `ALICLOUD_ACCESS_KEY` / `ALICLOUD_SECRET_KEY`);
 * - STS token: `alicloud:securityToken`, else `ALIBABA_CLOUD_SECURITY_TOKEN` (or `ALICLOUD_SECURITY_TOKEN`);
 * - region: the resource's `regionId`, else `alicloud:region`, else
 *   `ALIBABA_CLOUD_REGION_ID` (or `ALICLOUD_REGION`);
 * - endpoint: `alicloud:polardbEndpoint`, else `ALIBABA_CLOUD_POLARDB_ENDPOINT`;
 * - request rate: `pulumi-training:polardbRequestsPerSecond`, else
 *   `PULUMI_TRAINING_POLARDB_REQUESTS_PER_SECOND`, default the assumed 10/s ({@link POLARDB_RATE_LIMIT}).
 * Under a credential `profile`, the profile's own keys (core/config.ts `profiled`).
 * Clients are shared per configuration so the rate budget is shared too.
 */
export function polardbClientFor(regionId?: string, profile?: string): PolarDbClient {
    const accessKeyId = setting(["alicloud:accessKey"], ["ALIBABA_CLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY"], profile);
    const accessKeySecret = setting(["alicloud:secretKey"], ["ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALICLOUD_SECRET_KEY"], profile);
    if ((!accessKeyId || !accessKeySecret) && profile) {
        throw missingProfileCredentials("Alibaba Cloud", profile, ["alicloud:accessKey", "alicloud:secretKey"], ["ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET"]);
    }
    if (!accessKeyId || !accessKeySecret) {
        throw new Error(
            "Alibaba Cloud credentials missing: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, " +
                "or `pulumi config set alicloud:accessKey <id>` and `pulumi config set --secret alicloud:secretKey <secret>`",
        );
    }
    const securityToken = setting(["alicloud:securityToken"], ["ALIBABA_CLOUD_SECURITY_TOKEN", "ALICLOUD_SECURITY_TOKEN"], profile);
    const region = regionId ?? setting(["alicloud:region"], ["ALIBABA_CLOUD_REGION_ID", "ALICLOUD_REGION"], profile);
    const endpoint = setting(["alicloud:polardbEndpoint"], ["ALIBABA_CLOUD_POLARDB_ENDPOINT"], profile);
    const timeoutMs = requestTimeoutMs();
    const rateLimit = withRate(POLARDB_RATE_LIMIT, numberSetting(["pulumi-training:polardbRequestsPerSecond"], ["PULUMI_TRAINING_POLARDB_REQUESTS_PER_SECOND"], POLARDB_RATE_LIMIT.perSecond));
    return clients([accessKeyId, accessKeySecret, securityToken, region, endpoint, timeoutMs, rateLimit], () =>
        placed(new PolarDbClient({ credentials: { accessKeyId, accessKeySecret, securityToken }, regionId: region, endpoint, timeoutMs, rateLimit }), {
            account: accountFingerprint(accessKeyId),
            region,
            endpoint,
        }),
    );
}
