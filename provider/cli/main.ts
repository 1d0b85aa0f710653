#!/usr/bin/env node
/**
 * The `pulumi-training` command shipped with the package. One subcommand so
 * far: `logs` (./logs.ts).
 */
import { LOGS_USAGE, UsageError, logsCommand } from "./logs";

const USAGE = `Usage: pulumi-training <command>

Commands:
  logs <resource>   print or follow a training job's log from its cloud

${LOGS_USAGE}`;

async function main(argv: string[]): Promise<void> {
    const [command, ...rest] = argv;
    if (command === "logs") return logsCommand(rest);
    if (command === undefined || command === "help" || command === "--help" || command === "-h") return void process.stdout.write(`${USAGE}\n`);
    throw new UsageError(`unknown command ${command}.\n\n${USAGE}`);
}

main(process.argv.slice(2)).catch((e: unknown) => {
    // The message only: a usage problem says what to change, a cloud's answer is already redacted by its client.
    process.stderr.write(`pulumi-training: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(e instanceof UsageError ? 2 : 1);
});
