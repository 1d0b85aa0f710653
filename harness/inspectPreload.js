// Preloaded (`node --require`) into the program and policy-pack processes.
// util.inspect(err, { colors: true }) on an Error whose stack has node_modules
// frames spins in GC for ~50 s on some Node versions (nodejs/node#64011), and
// @pulumi/pulumi calls exactly that for every uncaught program error
// (cmd/run/error.js). Dropping `colors` for Errors avoids it; everything else
// is delegated unchanged. reference/pulumi-dynamic.md §7.
"use strict";
const util = require("node:util");
const original = util.inspect;
function inspect(value, opts, ...rest) {
    if (value instanceof Error && opts && typeof opts === "object" && opts.colors) {
        opts = { ...opts, colors: false };
    }
    return original.call(this, value, opts, ...rest);
}
inspect.custom = original.custom;
inspect.colors = original.colors;
inspect.styles = original.styles;
Object.defineProperty(inspect, "defaultOptions", Object.getOwnPropertyDescriptor(original, "defaultOptions"));
util.inspect = inspect;
