import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "../harness";

/** Where and with what a benchmark ran: printed at the top of BENCHMARKS.md. */
export interface BenchEnvironment {
    date: string;
    host: string;
    cpus: string;
    cpuCount: number;
    memory: string;
    os: string;
    node: string;
    packages: Record<string, string>;
    commit: string;
    /** 1-minute load averages before and after the run: a busy machine makes every timing slower. */
    loadBefore: number[];
    loadAfter?: number[];
}

/** The installed version of a dependency, read from its package.json. */
function installed(name: string): string {
    try {
        return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "node_modules", name, "package.json"), "utf8")).version;
    } catch {
        return "not installed";
    }
}

function gitCommit(): string {
    try {
        const sha = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: REPO_ROOT, encoding: "utf8" }).trim();
        const dirty = execFileSync("git", ["status", "--porcelain"], { cwd: REPO_ROOT, encoding: "utf8" }).trim() !== "";
        return dirty ? `${sha} + uncommitted changes` : sha;
    } catch {
        return "unknown";
    }
}

export function describeEnvironment(): BenchEnvironment {
    const cpus = os.cpus();
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
    return {
        date: new Date().toISOString(),
        host: os.hostname(),
        cpus: `${cpus.length} × ${cpus[0]?.model ?? "unknown CPU"}`,
        cpuCount: cpus.length,
        memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
        os: `${os.type()} ${os.release()} (${os.arch()})`,
        node: process.version,
        packages: {
            "pulumi-training": pkg.version,
            "@pulumi/pulumi": installed("@pulumi/pulumi"),
            "@grpc/grpc-js": installed("@grpc/grpc-js"),
            axios: installed("axios"),
            zod: installed("zod"),
            typescript: installed("typescript"),
            "ts-node": installed("ts-node"),
        },
        commit: gitCommit(),
        loadBefore: os.loadavg(),
    };
}
