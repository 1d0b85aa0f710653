/**
 * The implementation the serialized stub of `bailian.File` requires inside
 * the dynamic-provider host (`pulumi-training/provider/bailian/file.lifecycle`).
 *
 * The shared lifecycle with one addition: the kind's `derive` step (which
 * reads the file) reports what is wrong with it by throwing
 * {@link SourceProblems}; `check` returns those as check failures on
 * `source`, so preview shows them next to the resource and uploads nothing.
 */
import { Lifecycle, jobLifecycle } from "../core/job";
import { fileKind } from "./file.kind";
import { SourceProblems } from "./fileSource";

const shared = jobLifecycle(fileKind);

const lifecycle: Lifecycle = {
    ...shared,
    async check(olds, news) {
        try {
            return await shared.check(olds, news);
        } catch (e) {
            if (e instanceof SourceProblems) return { inputs: news, failures: e.failures };
            throw e;
        }
    },
};

export = lifecycle;
