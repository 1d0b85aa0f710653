/**
 * GPU cards per instance of TI-ONE's postpaid specs (`instanceType`), for the
 * policy pack's GPU budgets: a postpaid task names a spec and no `gpu`, so
 * its cards come from here. Source: the spec list TI-ONE's API reference
 * gives for `InstanceType` ("使用DescribeBillingSpecs接口返回的规格列表中的值，
 * 或者参考实例列表"), as every vendor SDK carries it, e.g. tencentcloud-sdk-go
 * `tione/v20211111/models.go`, CreateModelServiceRequest.InstanceType:
 * `TI.GN7.8XLARGE128.POST 32C128G T4*1`, `TI.GN7.LARGE20.POST 4C20G T4*1/4`.
 * The `TI.S.*` specs have no GPU. A spec not listed here is unknown: the
 * pack says so instead of counting it as zero.
 */
export const TIONE_INSTANCE_TYPE_GPUS: Readonly<Record<string, number>> = {
    "TI.S.MEDIUM.POST": 0,
    "TI.S.LARGE.POST": 0,
    "TI.S.2XLARGE16.POST": 0,
    "TI.S.2XLARGE32.POST": 0,
    "TI.S.4XLARGE32.POST": 0,
    "TI.S.4XLARGE64.POST": 0,
    "TI.S.6XLARGE48.POST": 0,
    "TI.S.6XLARGE96.POST": 0,
    "TI.S.8XLARGE64.POST": 0,
    "TI.S.8XLARGE128.POST": 0,
    "TI.GN7.LARGE20.POST": 0.25,
    "TI.GN7.2XLARGE40.POST": 0.5,
    "TI.GN7.2XLARGE32.POST": 1,
    "TI.GN7.5XLARGE80.POST": 1,
    "TI.GN7.8XLARGE128.POST": 1,
    "TI.GN7.10XLARGE160.POST": 2,
    "TI.GN7.20XLARGE320.POST": 4,
};
