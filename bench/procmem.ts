import * as fs from "node:fs";

/** Which process of a harness run a child is. */
export type ChildRole = "host" | "program" | "other";

/** Peak memory of one child process, as the kernel recorded it. */
export interface ChildPeak {
    pid: number;
    role: ChildRole;
    /** `VmHWM`: the peak resident set size, in bytes. */
    peakRss: number;
}

/** What a child process is, from its command line. */
export function roleOfPid(pid: number): ChildRole {
    try {
        return roleOf(fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " "));
    } catch {
        return "other";
    }
}

/** CPU time a process has used so far (user + system), in ms; NaN when unreadable. */
export function cpuMsOf(pid: number): number {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        // Fields 14 and 15 of stat (utime, stime), counted after the command name: indexes 11 and 12.
        return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
    } catch {
        return NaN;
    }
}

/** `getconf CLK_TCK`: 100 on every Linux build the benchmark targets. */
const CLOCK_TICKS = 100;

function roleOf(cmdline: string): ChildRole {
    if (cmdline.includes("cmd/dynamic-provider")) return "host";
    if (cmdline.includes("cmd/run")) return "program";
    return "other";
}

function readKb(status: string, field: string): number {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
    return m ? Number(m[1]) * 1024 : 0;
}

/** Direct children of this process (Linux `/proc/<pid>/task/<tid>/children`). */
export function childPids(): number[] {
    const pids: number[] = [];
    try {
        for (const tid of fs.readdirSync(`/proc/${process.pid}/task`)) {
            const text = fs.readFileSync(`/proc/${process.pid}/task/${tid}/children`, "utf8").trim();
            if (text) pids.push(...text.split(/\s+/).map(Number));
        }
    } catch {
        // Not Linux, or the kernel lacks CONFIG_PROC_CHILDREN: no samples, reported as n/a.
    }
    return pids;
}

/**
 * Samples the peak resident memory (`VmHWM` in `/proc/<pid>/status`) of every
 * child this process starts while it runs: the dynamic-provider host and the
 * Pulumi program of a harness run. Children are found through this process's
 * own `/proc` entry, so other benchmarks or test runs on the machine are never
 * mistaken for ours. `VmHWM` only grows, so the last sample before a child
 * exits is its peak up to one sampling interval before the end.
 */
export class ChildMemorySampler {
    private readonly peaks = new Map<number, ChildPeak>();
    private timer?: NodeJS.Timeout;

    constructor(private readonly intervalMs = 100) {}

    start(): this {
        this.sample();
        this.timer = setInterval(() => this.sample(), this.intervalMs);
        this.timer.unref();
        return this;
    }

    /** Stops sampling and returns the peak of each child seen. */
    stop(): ChildPeak[] {
        if (this.timer) clearInterval(this.timer);
        this.sample();
        return [...this.peaks.values()];
    }

    /** The largest peak among children of `role`; NaN when none was seen. */
    peakOf(role: ChildRole): number {
        const xs = [...this.peaks.values()].filter((p) => p.role === role).map((p) => p.peakRss);
        return xs.length ? Math.max(...xs) : NaN;
    }

    private sample(): void {
        for (const pid of childPids()) {
            try {
                const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
                const known = this.peaks.get(pid);
                const role = known?.role ?? roleOf(fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " "));
                const peakRss = Math.max(known?.peakRss ?? 0, readKb(status, "VmHWM"));
                this.peaks.set(pid, { pid, role, peakRss });
            } catch {
                // The child exited between the listing and the read.
            }
        }
    }
}
