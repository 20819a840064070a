#!/usr/bin/env node
import { ConfigError } from '@idp/config';
import { CommanderError } from 'commander';
import { CliError, UsageError } from './cli-error.js';
import { CLOSED_PIPE_EXIT_CODE, watchForClosedPipe } from './closed-pipe.js';
import { CliContext } from './context.js';
import { buildProgram } from './program.js';

// Files this process creates (the SQLite database, its journal, the key-encryption key) hold
// secrets or their hashes: readable by the owner only.
process.umask(0o077);

const stdoutClosed = watchForClosedPipe(process.stdout);
watchForClosedPipe(process.stderr);

/**
 * Exit codes: 0 done, 1 the command failed, 2 the command line is wrong; 141 done, but the reader
 * of the output closed the pipe before the end.
 */
async function main(argv: string[]): Promise<number> {
  const ctx = new CliContext();
  try {
    await buildProgram(ctx).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed the message or the help already. Help that was asked for (`--help`,
      // `idp help`, `idp help users`) exits 0; help shown for a missing subcommand does not.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${error.message}\n`);
      return 2;
    }
    if (error instanceof CliError || error instanceof ConfigError) {
      process.stderr.write(`error: ${error.message}\n`);
      return 1;
    }
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await ctx.close();
  }
}

const code = await main(process.argv.slice(2));
// A failed write reports its EPIPE on a later tick, before the next turn of the event loop.
await new Promise((resolve) => setImmediate(resolve));
process.exitCode = code === 0 && stdoutClosed() ? CLOSED_PIPE_EXIT_CODE : code;
