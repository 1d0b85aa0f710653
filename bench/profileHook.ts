/**
 * Preloaded into a dynamic-provider host (`NODE_OPTIONS=--require …`) when the
 * benchmark profiles it: SIGUSR2 starts the V8 CPU profiler, SIGTERM stops it,
 * writes the profile to `$PT_BENCH_PROFILE` and exits. A plain `--cpu-prof`
 * would profile start-up too and writes nothing when the host is stopped by a
 * signal, as the harness stops it.
 */
import * as fs from "node:fs";
import * as inspector from "node:inspector";

const out = process.env.PT_BENCH_PROFILE;
if (out) {
    const session = new inspector.Session();
    session.connect();
    let running = false;
    process.on("SIGUSR2", () => {
        session.post("Profiler.enable", () => session.post("Profiler.setSamplingInterval", { interval: 500 }, () => session.post("Profiler.start", () => (running = true))));
    });
    process.on("SIGTERM", () => {
        if (!running) process.exit(0);
        session.post("Profiler.stop", (err, res) => {
            if (!err) fs.writeFileSync(out, JSON.stringify(res.profile));
            process.exit(0);
        });
    });
}
