#!/usr/bin/env node
/**
 * `pulumi-training-emulator`: the emulator as a user tool, to test a Pulumi
 * stack offline and in CI as LocalStack is used for AWS. `start` serves the
 * four clouds; the other commands drive a running emulator through its
 * uniform control API (`GET /_control` describes it; docs/emulator.md is the
 * reference). No dependency beyond Node: arguments are read with `util.parseArgs`.
 */
import { parseArgs } from "node:util";
import { emulatorEnv, startEmulator, type RunningEmulator } from "./index";

const BIN = "pulumi-training-emulator";
/** Where `start` listens unless told otherwise, and where the other commands look by default. */
const DEFAULT_PORT = 4010;

/** Where a command writes; tests pass their own. */
export interface CliIo {
    out(line: string): void;
    err(line: string): void;
    /** The environment defaults are read from (`PORT`, `EMULATOR_URL`, ...). */
    env: NodeJS.ProcessEnv;
}

/** How a command ended: its exit code and, for `start`, the emulator it left running. */
export interface CliResult {
    code: number;
    emulator?: RunningEmulator;
}

/** A mistake in the command line: exit code 2, with a pointer to `--help`. */
class UsageError extends Error {}

/** The emulator refused a call or could not be reached: exit code 1. */
class CallError extends Error {}

type OptionSpec = { type: "string" | "boolean"; short?: string };

interface Command {
    /** `force [--url URL] <cloud> <kind> <id> <status> [--reason TEXT]` */
    usage: string;
    summary: string;
    /** Lines after the usage in `--help`. */
    details: string[];
    options: Record<string, OptionSpec>;
    run(values: Record<string, string | boolean | undefined>, positionals: string[], io: CliIo): Promise<CliResult>;
}

const URL_OPTION: Record<string, OptionSpec> = { url: { type: "string" } };
const JSON_OPTION: Record<string, OptionSpec> = { json: { type: "boolean" } };
const URL_HELP = `--url URL      the emulator (default: $EMULATOR_URL, else http://127.0.0.1:${DEFAULT_PORT})`;
const JSON_HELP = "--json         print the emulator's JSON answer instead of a summary";

const COMMANDS: Record<string, Command> = {
    start: {
        usage: "start [--port N] [--state FILE] [--step-ms N]",
        summary: "serve the four emulated clouds until interrupted; print the URL and the env to export",
        details: [
            `--port N       port to listen on, 0 for a free one (default: $PORT, else ${DEFAULT_PORT})`,
            "--state FILE   keep state in FILE, so a restart loses no job (default: $EMULATOR_STATE_FILE)",
            "--step-ms N    time a job spends in each status, in ms (default: $EMULATOR_STEP_MS, else 1000)",
        ],
        options: { port: { type: "string" }, state: { type: "string" }, "step-ms": { type: "string" } },
        async run(v, positionals, io) {
            noPositionals(positionals);
            const port = wholeNumber("--port", (v.port as string | undefined) ?? io.env.PORT ?? String(DEFAULT_PORT), 0, 65535);
            const stepText = (v["step-ms"] as string | undefined) ?? io.env.EMULATOR_STEP_MS;
            const stepMs = stepText === undefined ? undefined : wholeNumber("--step-ms", stepText, 1);
            const stateFile = (v.state as string | undefined) ?? (io.env.EMULATOR_STATE_FILE || undefined);
            const emu = await startEmulator({ port, stateFile, stepMs }).catch((e: Error & { code?: string }) => {
                if (e.code === "EADDRINUSE") throw new CallError(`port ${port} is in use (another emulator?); pass --port, or --port 0 for a free one`);
                throw e;
            });
            io.out(`pulumi-training emulator listening on ${emu.url}`);
            io.out("Point the provider at it with:");
            for (const line of exportLines(emu.url, "shell")) io.out(`  ${line}`);
            return { code: 0, emulator: emu };
        },
    },
    env: {
        usage: "env [--url URL] [--format shell|dotenv]",
        summary: "print the environment that points the provider at the emulator, test credentials included",
        details: [URL_HELP, "--format F     shell: `export K=V` lines, for eval (default); dotenv: `K=V` lines, for $GITHUB_ENV or a .env file"],
        options: { ...URL_OPTION, format: { type: "string" } },
        async run(v, positionals, io) {
            noPositionals(positionals);
            const format = (v.format as string | undefined) ?? "shell";
            if (format !== "shell" && format !== "dotenv") throw new UsageError(`--format must be shell or dotenv, got ${JSON.stringify(format)}`);
            for (const line of exportLines(baseUrl(v, io), format)) io.out(line);
            return { code: 0 };
        },
    },
    objects: {
        usage: "objects [--url URL] [--cloud C] [--kind K] [--json]",
        summary: "list every object the emulator holds: cloud, kind, id, status, name",
        details: [URL_HELP, "--cloud C      only this cloud (dashscope, tione, polardb, alaya)", "--kind K       only this kind (fine-tune, file, task, cluster, template)", JSON_HELP],
        options: { ...URL_OPTION, ...JSON_OPTION, cloud: { type: "string" }, kind: { type: "string" } },
        async run(v, positionals, io) {
            noPositionals(positionals);
            const q = new URLSearchParams();
            if (v.cloud) q.set("cloud", v.cloud as string);
            if (v.kind) q.set("kind", v.kind as string);
            const answer = await call(baseUrl(v, io), "GET", `/_control/objects${q.size ? `?${q}` : ""}`);
            if (v.json) io.out(JSON.stringify(answer.objects, null, 2));
            else table(io, answer.objects as ObjectLine[]);
            return { code: 0 };
        },
    },
    force: {
        usage: "force [--url URL] <cloud> <kind> <id> <status> [--reason TEXT] [--json]",
        summary: "jump an object to one of its cloud's statuses now (e.g. a job to FAILED)",
        details: [URL_HELP, "--reason TEXT  the failure text the cloud shows (FailureReason, message, ...); failure statuses only", JSON_HELP],
        options: { ...URL_OPTION, ...JSON_OPTION, reason: { type: "string" } },
        async run(v, positionals, io) {
            const [cloud, kind, id, status] = exactly(positionals, ["<cloud>", "<kind>", "<id>", "<status>"]);
            const body: Record<string, string> = { status };
            if (v.reason !== undefined) body.reason = v.reason as string;
            const answer = await call(baseUrl(v, io), "POST", `${objectPath(cloud, kind, id)}/force`, body);
            printChange(io, v, answer);
            return { code: 0 };
        },
    },
    delete: {
        usage: "delete [--url URL] <cloud> <kind> <id> [--json]",
        summary: "delete an object out of band, whatever its status, as a person in the console would",
        details: [URL_HELP, JSON_HELP],
        options: { ...URL_OPTION, ...JSON_OPTION },
        async run(v, positionals, io) {
            const [cloud, kind, id] = exactly(positionals, ["<cloud>", "<kind>", "<id>"]);
            const answer = await call(baseUrl(v, io), "DELETE", objectPath(cloud, kind, id));
            if (v.json) io.out(JSON.stringify(answer, null, 2));
            else io.out(`deleted ${line(answer.object)}`);
            return { code: 0 };
        },
    },
    edit: {
        usage: "edit [--url URL] <cloud> <kind> <id> <field=value>... [--json]",
        summary: "change fields as a console edit would (drift); `describe` lists the editable fields",
        details: [URL_HELP, JSON_HELP, "A value is read as JSON when it parses (2, true, null, [...], {...}), else as a string; null clears the field."],
        options: { ...URL_OPTION, ...JSON_OPTION },
        async run(v, positionals, io) {
            if (positionals.length < 4) exactly(positionals, ["<cloud>", "<kind>", "<id>", "<field=value>"]);
            const [cloud, kind, id, ...assignments] = positionals;
            const fields: Record<string, unknown> = {};
            for (const a of assignments) {
                const eq = a.indexOf("=");
                if (eq <= 0) throw new UsageError(`${JSON.stringify(a)} is not field=value`);
                fields[a.slice(0, eq)] = jsonOrString(a.slice(eq + 1));
            }
            const answer = await call(baseUrl(v, io), "PATCH", objectPath(cloud, kind, id), fields);
            printChange(io, v, answer);
            return { code: 0 };
        },
    },
    advance: {
        usage: "advance [--url URL] <ms>",
        summary: "move the emulator clock forward: jobs progress as if that much time had passed",
        details: [URL_HELP, "<ms> is milliseconds, or a number with s, m or h (90s, 5m, 2h)."],
        options: { ...URL_OPTION },
        async run(v, positionals, io) {
            const [amount] = exactly(positionals, ["<ms>"]);
            const answer = await call(baseUrl(v, io), "POST", "/_control/clock/advance", { ms: duration(amount) });
            io.out(`emulator clock now ${new Date(answer.now as number).toISOString()}`);
            return { code: 0 };
        },
    },
    describe: {
        usage: "describe [--url URL] [--json]",
        summary: "what the control API offers: every route, each cloud's object kinds and variants",
        details: [URL_HELP, JSON_HELP],
        options: { ...URL_OPTION, ...JSON_OPTION },
        async run(v, positionals, io) {
            noPositionals(positionals);
            const d = await call(baseUrl(v, io), "GET", "/_control");
            if (v.json) {
                io.out(JSON.stringify(d, null, 2));
                return { code: 0 };
            }
            io.out("Routes:");
            for (const r of d.routes as Array<Record<string, string>>) io.out(`  ${r.method.padEnd(6)} ${r.path}${r.query ?? ""}${r.body ? ` ${r.body}` : ""}\n           ${r.meaning}`);
            for (const c of d.clouds as any[]) {
                io.out(`\n${c.name} (mounted at ${c.prefix}):`);
                for (const k of c.kinds) {
                    io.out(`  kind ${k.kind}: ${k.meaning}`);
                    if (k.forceStatuses.length) io.out(`    force to: ${k.forceStatuses.join(", ")}${k.reasonField ? `; reason (with ${k.reasonStatuses.join(", ")}) shows as ${k.reasonField}` : ""}`);
                    const editable = Object.keys(k.editable);
                    io.out(`    editable: ${editable.length ? editable.join(", ") : "nothing"}; deletable: ${k.deletable ? "yes" : "no"}`);
                }
                for (const [name, info] of Object.entries(c.variants as Record<string, any>)) {
                    const values = info.values ? (info.values as string[]).join(" | ") : `a number (${info.unit})`;
                    io.out(`  variant ${name}: ${values} (default ${info.default}, now ${info.current}): ${info.meaning}`);
                }
            }
            return { code: 0 };
        },
    },
};

function usageText(): string {
    return [
        `Usage: ${BIN} <command> [options]`,
        "",
        "Serve a local emulator of DashScope, Tencent TI-ONE, Alibaba PolarDB AIDB and Alaya NeW, and drive it:",
        "test a Pulumi stack offline and in CI. docs/emulator.md is the reference.",
        "",
        "Commands:",
        ...Object.values(COMMANDS).map((c) => `  ${c.usage}\n      ${c.summary}`),
        "",
        `Run '${BIN} <command> --help' for a command's options.`,
    ].join("\n");
}

function commandHelp(name: string, c: Command): string {
    return [`Usage: ${BIN} ${c.usage}`, "", c.summary, "", ...c.details.map((d) => `  ${d}`)].join("\n");
}

/**
 * Runs one command line (`argv` without the node and script paths). Never
 * exits the process: a `start` answers with the emulator it left running, so
 * a caller (or a test) decides when to close it.
 */
export async function main(argv: string[], io: CliIo = processIo()): Promise<CliResult> {
    const [name, ...rest] = argv;
    if (name === undefined) {
        io.err(usageText());
        return { code: 2 };
    }
    if (name === "--help" || name === "-h" || name === "help") {
        io.out(usageText());
        return { code: 0 };
    }
    const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!command) {
        io.err(`${BIN}: unknown command ${JSON.stringify(name)}; commands: ${Object.keys(COMMANDS).join(", ")}. Run '${BIN} --help'.`);
        return { code: 2 };
    }
    try {
        const { values, positionals } = parseArgs({ args: rest, options: { ...command.options, help: { type: "boolean", short: "h" } }, allowPositionals: true, strict: true });
        if (values.help) {
            io.out(commandHelp(name, command));
            return { code: 0 };
        }
        return await command.run(values, positionals, io);
    } catch (e) {
        const err = e as Error & { code?: string };
        if (e instanceof UsageError || err.code?.startsWith("ERR_PARSE_ARGS")) {
            io.err(`${BIN} ${name}: ${err.message}\nUsage: ${BIN} ${command.usage} (see '${BIN} ${name} --help')`);
            return { code: 2 };
        }
        if (e instanceof CallError) {
            io.err(`${BIN} ${name}: ${err.message}`);
            return { code: 1 };
        }
        throw e;
    }
}

/**
 * The process entry (the `pulumi-training-emulator` bin, and `emulator/main.ts`):
 * runs `argv`, then exits with its code, except after `start`, which serves
 * until SIGINT or SIGTERM.
 */
export function runFromCommandLine(argv: string[]): void {
    main(argv).then(
        ({ code, emulator }) => {
            if (!emulator) return process.exit(code);
            const stop = () => emulator.close().then(() => process.exit(0));
            process.on("SIGINT", stop);
            process.on("SIGTERM", stop);
        },
        (e) => {
            console.error(e);
            process.exit(1);
        },
    );
}

function processIo(): CliIo {
    return { out: (l) => console.log(l), err: (l) => console.error(l), env: process.env };
}

/** `export K=V` (shell) or `K=V` (dotenv) lines of {@link emulatorEnv}; shell values are quoted when they need it. */
function exportLines(url: string, format: "shell" | "dotenv"): string[] {
    return Object.entries(emulatorEnv({ url })).map(([k, v]) => (format === "dotenv" ? `${k}=${v}` : `export ${k}=${/^[\w./:@%+,-]*$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`}`));
}

function baseUrl(v: Record<string, unknown>, io: CliIo): string {
    const raw = (v.url as string | undefined) ?? (io.env.EMULATOR_URL || `http://127.0.0.1:${DEFAULT_PORT}`);
    let u: URL;
    try {
        u = new URL(raw);
    } catch {
        throw new UsageError(`--url must be an http URL such as http://127.0.0.1:${DEFAULT_PORT}, got ${JSON.stringify(raw)}`);
    }
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new UsageError(`--url must be an http URL, got ${JSON.stringify(raw)}`);
    return raw.replace(/\/+$/, "");
}

function objectPath(cloud: string, kind: string, id: string): string {
    return `/_control/objects/${[cloud, kind, id].map(encodeURIComponent).join("/")}`;
}

/** One control call; the emulator's `{message}` becomes the error on a non-2xx answer. */
async function call(base: string, method: string, path: string, body?: unknown): Promise<any> {
    let res: Response;
    try {
        res = await fetch(`${base}${path}`, {
            method,
            headers: body === undefined ? undefined : { "content-type": "application/json" },
            body: body === undefined ? undefined : JSON.stringify(body),
            signal: AbortSignal.timeout(30_000),
        });
    } catch (e) {
        const cause = (e as { cause?: { code?: string; message?: string } }).cause;
        throw new CallError(`cannot reach the emulator at ${base} (${cause?.code ?? cause?.message ?? (e as Error).message}); is it running? Start it with '${BIN} start' or pass --url`);
    }
    const text = await res.text();
    let answer: any;
    try {
        answer = JSON.parse(text);
    } catch {
        throw new CallError(`${method} ${path} answered ${res.status} with something that is not JSON; is ${base} the emulator?`);
    }
    if (!res.ok) throw new CallError(`the emulator refused ${method} ${path} (${res.status}): ${answer?.message ?? text}`);
    return answer;
}

interface ObjectLine {
    cloud: string;
    kind: string;
    id: string;
    name: string;
    status: string;
}

function line(o: ObjectLine): string {
    return `${o.cloud} ${o.kind} ${o.id} ${o.status}${o.name ? ` ${JSON.stringify(o.name)}` : ""}`;
}

function table(io: CliIo, objects: ObjectLine[]): void {
    if (objects.length === 0) return io.out("(no objects)");
    const rows = [["CLOUD", "KIND", "ID", "STATUS", "NAME"], ...objects.map((o) => [o.cloud, o.kind, o.id, o.status, o.name])];
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    for (const r of rows) io.out(r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join("  ").trimEnd());
}

function printChange(io: CliIo, v: Record<string, unknown>, answer: any): void {
    io.out(v.json ? JSON.stringify(answer, null, 2) : line(answer.object));
}

function noPositionals(positionals: string[]): void {
    if (positionals.length) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
}

/** The positionals named by `names`, all required, no more. */
function exactly(positionals: string[], names: string[]): string[] {
    if (positionals.length < names.length) throw new UsageError(`missing ${names.slice(positionals.length).join(" ")}`);
    if (positionals.length > names.length) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[names.length])}`);
    return positionals;
}

function wholeNumber(name: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
    const n = Number(text);
    if (!/^\d+$/.test(text.trim()) || n < min || n > max) throw new UsageError(`${name} must be a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ""}, got ${JSON.stringify(text)}`);
    return n;
}

function duration(text: string): number {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
    if (!m) throw new UsageError(`<ms> must be a duration such as 60000, 90s, 5m or 2h, got ${JSON.stringify(text)}`);
    const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? "ms") as "ms" | "s" | "m" | "h"];
    return Math.round(Number(m[1]) * unit);
}

function jsonOrString(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

if (require.main === module) runFromCommandLine(process.argv.slice(2));
