#!/usr/bin/env node
/**
 * `ssekit`, the command line tool (the package's `bin`, built to dist/cli.js): reads the command
 * line, runs it, and exits with its code; a usage error prints a pointer to `--help` and exits 2.
 * docs/cli.md is its guide. The one Node-only part of the package: nothing imports it.
 */
import { parseCommandLine, UsageError } from "./args.js";
import { HELP } from "./help.js";
import { run } from "./run.js";

/** The package's version, written into the build by tsup.config.ts (`define`). */
declare const SSEKIT_VERSION: string;

/** The exit code of a mistake on the command line. */
const USAGE = 2;

async function main(args: readonly string[]): Promise<number> {
  try {
    const command = parseCommandLine(args);
    if (command.do === "help") process.stdout.write(HELP);
    else if (command.do === "version") process.stdout.write(`ssekit ${SSEKIT_VERSION}\n`);
    else return await run(command.options);
    return 0;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`ssekit: ${error.message}\nTry 'ssekit --help' for more.\n`);
    return USAGE;
  }
}

process.exitCode = await main(process.argv.slice(2));
