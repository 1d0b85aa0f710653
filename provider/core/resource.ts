import * as pulumi from "@pulumi/pulumi";
import type { KindEntry } from "../registry";
import { lazyProvider } from "./stub";
import { RESOURCE_NAME_INPUT, RESOURCE_URN_INPUT } from "./hidden";

const providers = new Map<string, pulumi.dynamic.ResourceProvider>();

/**
 * One stub object per kind for the whole program: Pulumi caches serialization
 * by object identity, so 200 resources of a kind serialize once.
 */
export function providerFor(lifecycle: string): pulumi.dynamic.ResourceProvider {
    let p = providers.get(lifecycle);
    if (!p) {
        p = lazyProvider(lifecycle);
        providers.set(lifecycle, p);
    }
    return p;
}

/**
 * The props a resource class registers: its args, the hidden inputs (the
 * resource name, the idempotency marker's seed, and its URN, for progress
 * lines logged on the resource), and every output name set to `undefined`
 * so the engine returns it. `token` is the kind's `<module>:<Type>`.
 */
export function registrationProps(
    name: string,
    args: object | undefined,
    outputNames: readonly string[],
    token: string,
    opts: pulumi.CustomResourceOptions | undefined,
): Record<string, unknown> {
    const bad = nonFiniteNumbers(args);
    if (bad.length) {
        // The SDK serializes NaN and ±Infinity as null, so check would only ever see null: say what was written, here.
        throw new pulumi.RunError(
            `${token} "${name}": ${bad.map((b) => `${b.path} is ${b.value}`).join(", ")}, which cannot be sent (JSON has no such number; it would arrive as null). Use a finite number.`,
        );
    }
    const props: Record<string, unknown> = {
        ...(args ?? {}),
        [RESOURCE_NAME_INPUT]: name,
        // The URN the engine will give it (the dynamic type is `pulumi-nodejs:dynamic/<token>`).
        [RESOURCE_URN_INPUT]: opts?.urn ? undefined : pulumi.createUrn(name, `pulumi-nodejs:dynamic/${token}`, opts?.parent),
    };
    for (const o of outputNames) if (!(o in props)) props[o] = undefined;
    return props;
}

/** Every NaN or ±Infinity among the plain values of `args` (values inside Outputs are checked when known, as null). */
export function nonFiniteNumbers(args: unknown, at = ""): Array<{ path: string; value: number }> {
    if (typeof args === "number") return Number.isFinite(args) ? [] : [{ path: at, value: args }];
    if (Array.isArray(args)) return args.flatMap((v, i) => nonFiniteNumbers(v, `${at}[${i}]`));
    if (args && typeof args === "object" && !pulumi.Output.isInstance(args) && !(args instanceof Promise)) {
        return Object.entries(args).flatMap(([k, v]) => nonFiniteNumbers(v, at ? `${at}.${k}` : k));
    }
    return [];
}

/**
 * The arguments of `pulumi.dynamic.Resource`'s constructor for one resource
 * of a registered kind: its provider stub, registration props and type, all
 * from the kind's registry row, and `secretOutputs` added to the options.
 */
export function dynamicResourceArgs(
    kind: KindEntry,
    name: string,
    args: object | undefined,
    outputNames: readonly string[],
    secretOutputs: readonly string[],
    opts: pulumi.CustomResourceOptions | undefined,
): [pulumi.dynamic.ResourceProvider, string, Record<string, unknown>, pulumi.CustomResourceOptions, string, string] {
    return [providerFor(kind.lifecycle), name, registrationProps(name, args, outputNames, kind.token, opts), withSecretOutputs(opts, secretOutputs), kind.module, kind.className];
}

/**
 * `opts` with `secretOutputs` added to `additionalSecretOutputs`. The
 * dynamic-provider host sees every input as a plain value, so an output is
 * secret in state only where it shares its name with an input the program
 * made secret; these outputs (the echoes of sensitive inputs, cloud failure
 * text that may repeat them) are secret always, also after `get()` or a
 * refresh that reads them from the cloud.
 */
export function withSecretOutputs(opts: pulumi.CustomResourceOptions | undefined, secretOutputs: readonly string[]): pulumi.CustomResourceOptions {
    return { ...opts, additionalSecretOutputs: [...new Set([...(opts?.additionalSecretOutputs ?? []), ...secretOutputs])] };
}

let waitingJobs = 0;
let warnedAboutParallel = false;

/**
 * The engine runs at most `--parallel` steps at once (default 4 × CPUs), and a
 * create that waits for its job holds a step until the job ends: in a stack of
 * more waiting jobs than that, the rest are not even submitted until earlier
 * ones finish (BENCHMARKS.md, "Waiting jobs under the real CLI"). Job classes
 * call this once per resource; the first job beyond the limit logs one warning
 * that says what to do, at preview, before anything is submitted.
 */
export function noteWaitingJob(args: { waitForCompletion?: pulumi.Input<boolean> } | undefined): void {
    if (args?.waitForCompletion === false) return;
    waitingJobs++;
    const parallel = engineParallel();
    if (warnedAboutParallel || parallel === undefined || waitingJobs <= parallel) return;
    warnedAboutParallel = true;
    void pulumi.log.warn(
        `more than ${parallel} training jobs in this stack wait for completion, and the engine runs at most ${parallel} steps at once ` +
            `(--parallel): the jobs beyond ${parallel} are submitted only as earlier ones finish. To start every job at once, declare them ` +
            'with waitForCompletion: false and wait for them in one step: `new Completion("all", { jobs: [...] })` (import { Completion } from "pulumi-training"); ' +
            "or run `pulumi up --parallel <at least the number of jobs>` (or set PULUMI_PARALLEL).",
    );
}

/** The engine's `--parallel` as the language host passed it to the program, if known. */
function engineParallel(): number | undefined {
    try {
        // Not a public API: @pulumi/pulumi keeps it in its runtime store (runtime/state.ts, `options.parallel`).
        const value = Number(require("@pulumi/pulumi/runtime/state").getStore().settings.options.parallel ?? process.env.PULUMI_NODEJS_PARALLEL);
        return Number.isInteger(value) && value > 0 ? value : undefined;
    } catch {
        return undefined;
    }
}
