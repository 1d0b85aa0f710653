import type * as pulumi from "@pulumi/pulumi";

/**
 * The thin serialized provider every resource class hands to
 * `pulumi.dynamic.Resource`. Pulumi closure-serializes this object into the
 * `__provider` input; each method only `require`s the implementation module
 * from the package and forwards its arguments, so the text stays around 2 KB,
 * is identical for every resource of a kind, and captures no schema, client,
 * config or credential (reference/pulumi-dynamic.md §2.1). The only captured
 * value is the `lifecycle` subpath string.
 *
 * The require runs in the dynamic-provider host, whose cwd is the Pulumi
 * project, so `pulumi-training` must be a dependency of that project.
 */
export function lazyProvider(lifecycle: string): pulumi.dynamic.ResourceProvider {
    return {
        async configure(req) {
            return require("pulumi-training/provider/" + lifecycle).configure(req);
        },
        async check(olds, news) {
            return require("pulumi-training/provider/" + lifecycle).check(olds, news);
        },
        async diff(id, olds, news) {
            return require("pulumi-training/provider/" + lifecycle).diff(id, olds, news);
        },
        async create(inputs) {
            return require("pulumi-training/provider/" + lifecycle).create(inputs);
        },
        async read(id, props) {
            return require("pulumi-training/provider/" + lifecycle).read(id, props);
        },
        async update(id, olds, news) {
            return require("pulumi-training/provider/" + lifecycle).update(id, olds, news);
        },
        async delete(id, props) {
            return require("pulumi-training/provider/" + lifecycle).delete(id, props);
        },
    };
}
