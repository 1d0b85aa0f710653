/**
 * `pulumi-training logs <resource>`: prints (or follows) a job's log from
 * its cloud, the way `sky jobs logs` or `kubectl logs` do (issue 20).
 *
 * It finds the job the way the provider does: the resource's id and
 * recorded inputs from `pulumi stack export` (region, workspace, profile and
 * the placement recorded at create), credentials from the stack's config
 * (`pulumi config --json --show-secrets`, read into this process only) and
 * the environment, with the provider's own resolution (core/config.ts).
 * Lines are masked as the provider masks them: the client's credentials and
 * the resource's sensitive input values, where the stack holds them.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { parseArgs } from "node:util";
import { useStackConfig } from "../core/config";
import { pickInputs } from "../core/fields";
import { Inputs, ResourceKind } from "../core/kind";
import { KindContext } from "../core/lifecycle/context";
import { asPlacement, PLACEMENT_OUTPUT } from "../core/placement";
import { sensitiveRedactor } from "../core/sensitive";
import { KIND_ENTRIES, KindEntry, kindByToken } from "../registry";

const run = promisify(execFile);

/** Lines printed by default. */
export const DEFAULT_LINES = 50;

/** Seconds between reads with `--follow`. */
export const DEFAULT_FOLLOW_SECONDS = 5;

export const LOGS_USAGE = `Usage: pulumi-training logs <resource> [--stack <stack>] [--lines <n>] [--follow] [--interval <seconds>]

Prints the last lines of a training job's log from its cloud. <resource> is the
resource's name in the program (or its URN). Run it in the Pulumi project's directory.

  -s, --stack <stack>        the stack (default: the selected stack)
  -n, --lines <n>            how many lines (default ${DEFAULT_LINES}; each cloud caps a read)
  -f, --follow               keep printing new lines until the job ends
      --interval <seconds>   seconds between reads with --follow (default ${DEFAULT_FOLLOW_SECONDS})`;

/** Where the command writes, and how it runs `pulumi`: tests substitute both. */
export interface LogsIo {
    out(line: string): void;
    /** Runs `pulumi <args>` in the project directory and answers its stdout. */
    pulumi(args: string[]): Promise<string>;
    sleep(ms: number): Promise<void>;
}

/** The real thing: `pulumi` from PATH in the current directory. */
export const processIo: LogsIo = {
    out: (line) => void process.stdout.write(`${line}\n`),
    pulumi: async (args) => (await run("pulumi", [...args, "--non-interactive"], { maxBuffer: 256 * 1024 * 1024 })).stdout,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};

/** A problem the user fixes; printed without a stack trace. */
export class UsageError extends Error {}

interface StateResource {
    urn: string;
    type: string;
    id?: string;
    custom?: boolean;
    outputs?: Record<string, unknown>;
}

/** Runs the command; resolves when done (with `--follow`, when the job has ended). */
export async function logsCommand(argv: string[], io: LogsIo = processIo): Promise<void> {
    const { values, positionals } = parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
            stack: { type: "string", short: "s" },
            lines: { type: "string", short: "n" },
            follow: { type: "boolean", short: "f" },
            interval: { type: "string" },
            help: { type: "boolean", short: "h" },
        },
    });
    if (values.help) return io.out(LOGS_USAGE);
    if (positionals.length !== 1) throw new UsageError(`name one resource.\n\n${LOGS_USAGE}`);
    const lines = wholeNumber("--lines", values.lines, DEFAULT_LINES);
    const intervalMs = 1000 * wholeNumber("--interval", values.interval, DEFAULT_FOLLOW_SECONDS);
    const stackArgs = values.stack ? ["--stack", values.stack] : [];

    const resource = findResource(JSON.parse(await io.pulumi(["stack", "export", ...stackArgs])), positionals[0]);
    const entry = kindByToken(resource.type.replace(/^pulumi-nodejs:dynamic\//, ""))!;
    const kind = loadKind(entry);
    if (!entry.runs || !kind.run) throw new UsageError(`${positionals[0]} is a ${entry.module}.${entry.className}, which is not a job: it has no log.`);
    if (!kind.run.logTail) throw new UsageError(`${entry.module}.${entry.className}: the provider reads no log API of this cloud yet.`);
    useStackConfig(configSource(JSON.parse(await io.pulumi(["config", "--json", "--show-secrets", ...stackArgs]))));

    const cx = new KindContext(kind);
    const props = resource.outputs ?? {};
    const inputs: Inputs = pickInputs(cx.table, props);
    const client = cx.clientFor(inputs, asPlacement(props[PLACEMENT_OUTPUT]));
    const mask = sensitiveRedactor(inputs, kind.sensitiveInputs);
    const id = resource.id!;
    let printed: string[] = [];
    for (;;) {
        const remote = await cx.get(client, id, inputs);
        if (!remote) throw new UsageError(`${kind.token} ${id} is not found on the cloud (with the credentials and region this stack records).`);
        const tail = (await kind.run.logTail(client, remote, lines)).map((l) => mask(kind.redact(client, l)));
        const fresh = newLines(printed, tail);
        for (const line of fresh) io.out(line);
        printed = [...printed, ...fresh].slice(-10 * lines);
        if (!values.follow || cx.isTerminal(remote)) return;
        await io.sleep(intervalMs);
    }
}

/**
 * The lines of `tail` not printed yet: the longest end of `printed` that
 * starts `tail` is skipped. Logs are append-only, so a tail read later either
 * overlaps what was printed or has moved past it.
 */
export function newLines(printed: readonly string[], tail: readonly string[]): string[] {
    for (let overlap = Math.min(printed.length, tail.length); overlap > 0; overlap--) {
        const end = printed.slice(printed.length - overlap);
        if (end.every((l, i) => l === tail[i])) return tail.slice(overlap);
    }
    return [...tail];
}

/** The one job resource `name` (its name or URN) denotes in an exported deployment. */
export function findResource(exported: { deployment?: { resources?: StateResource[] } }, name: string): StateResource {
    const ours = (exported.deployment?.resources ?? []).filter((r) => r.custom !== false && r.id && kindByToken(r.type.replace(/^pulumi-nodejs:dynamic\//, "")));
    const matches = ours.filter((r) => r.urn === name || r.urn.split("::").pop() === name);
    if (matches.length === 1) return matches[0];
    const known = ours.map((r) => r.urn.split("::").pop()).join(", ") || "none";
    if (!matches.length) throw new UsageError(`no pulumi-training resource named ${name} in this stack (resources: ${known}).`);
    throw new UsageError(`${matches.length} resources are named ${name}; pass the URN of one:\n  ${matches.map((r) => r.urn).join("\n  ")}`);
}

function loadKind(entry: KindEntry): ResourceKind<unknown, unknown> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(`../${entry.kindModule}`)[entry.kindExport];
}

/** `pulumi config --json` as the provider's config source: each key's value (secrets decrypted). */
function configSource(config: Record<string, { value?: unknown; objectValue?: unknown }>): { get(key: string): string | undefined } {
    return {
        get: (key) => {
            const v = config[key];
            if (!v) return undefined;
            return typeof v.value === "string" ? v.value : v.objectValue !== undefined ? JSON.stringify(v.objectValue) : undefined;
        },
    };
}

function wholeNumber(flag: string, value: string | undefined, fallback: number): number {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a whole number of at least 1, got ${value}.`);
    return n;
}

/** The kinds whose jobs have a log this command can read, for the README and tests. */
export function kindsWithLogs(): string[] {
    return KIND_ENTRIES.filter((e) => e.runs && loadKind(e).run?.logTail).map((e) => `${e.module}.${e.className}`);
}
