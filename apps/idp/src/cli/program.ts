import { Command } from 'commander';
import { auditCommand } from './commands/audit.js';
import { clientsCommand } from './commands/clients.js';
import { importCommand } from './commands/import.js';
import { keysCommand } from './commands/keys.js';
import { migrateCommand } from './commands/migrate.js';
import { gcCommand } from './commands/gc.js';
import { usersCommand } from './commands/users.js';
import type { CliContext } from './context.js';

/** The `idp` command tree. Every level answers --help; a missing subcommand shows help. */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command('idp')
    .description(
      'Administer the identity provider: import seeds, manage users, clients and signing keys.',
    )
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  importCommand(program, ctx);
  usersCommand(program, ctx);
  clientsCommand(program, ctx);
  keysCommand(program, ctx);
  auditCommand(program, ctx);
  migrateCommand(program, ctx);
  gcCommand(program, ctx);
  // Commander applies these per command; set them on the whole tree so every level behaves alike.
  const configure = (command: Command) => {
    command.exitOverride().showHelpAfterError('(add --help for usage)');
    command.commands.forEach(configure);
  };
  configure(program);
  return program;
}
