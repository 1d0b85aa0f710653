import * as pulumi from "@pulumi/pulumi";
import { lazyProvider } from "./stub";
import { RESOURCE_NAME_INPUT } from "./job";

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
 * The props a resource class registers: its args, the hidden resource name
 * (the idempotency marker's seed), and every output name set to `undefined`
 * so the engine returns it.
 */
export function registrationProps(name: string, args: object | undefined, outputNames: readonly string[]): Record<string, unknown> {
    const props: Record<string, unknown> = { ...(args ?? {}), [RESOURCE_NAME_INPUT]: name };
    for (const o of outputNames) if (!(o in props)) props[o] = undefined;
    return props;
}
