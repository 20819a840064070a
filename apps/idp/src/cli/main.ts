#!/usr/bin/env node
import { ConfigError } from '@idp/config';
import { CommanderError } from 'commander';
import { CliError, UsageError } from './cli-error.js';
import { CliContext } from './context.js';
import { buildProgram } from './program.js';

// Files this process creates (the SQLite database, its journal, the key-encryption key) hold
// secrets or their hashes: readable by the owner only.
process.umask(0o077);

/** Exit codes: 0 done, 1 the command failed, 2 the command line is wrong. */
async function main(argv: string[]): Promise<number> {
  const ctx = new CliContext();
  try {
    await buildProgram(ctx).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed the message or the help already.
      return ['commander.helpDisplayed', 'commander.version'].includes(error.code) ? 0 : 2;
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

process.exitCode = await main(process.argv.slice(2));
