/**
 * DashScope's regions and their endpoints (reference/bailian-finetune.md §1):
 * China (Beijing) and international (Singapore). An API key works only on
 * its own region's endpoint. A resource's `region` picks the host; an
 * endpoint override (`dashscope:baseUrl`) wins over it.
 */
import { z } from "zod";

export const DASHSCOPE_REGION_URLS = {
    "cn-beijing": "https://dashscope.aliyuncs.com/api/v1",
    "ap-southeast-1": "https://dashscope-intl.aliyuncs.com/api/v1",
} as const;

/** A DashScope region a resource can name. */
export type DashScopeRegion = keyof typeof DASHSCOPE_REGION_URLS;

export const DASHSCOPE_REGIONS = Object.keys(DASHSCOPE_REGION_URLS) as [DashScopeRegion, ...DashScopeRegion[]];

/** The schema of a Bailian resource's `region`. */
export const dashScopeRegionSchema = z.enum(DASHSCOPE_REGIONS, { message: `must be one of ${DASHSCOPE_REGIONS.join(", ")}` }).optional();
