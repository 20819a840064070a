import type { Command } from 'commander';
import type { CliContext } from '../context.js';

export function migrateCommand(program: Command, ctx: CliContext): void {
  program
    .command('migrate')
    .description('apply pending database migrations (the server also does this at start)')
    .action(async () => {
      const { openDatabase } = await import('@idp/db');
      const database = await openDatabase(ctx.config.databaseUrl, { poolSize: 2 });
      try {
        const { applied } = await database.migrate();
        ctx.out(
          applied.length === 0
            ? 'database is up to date'
            : applied.map((name) => `applied ${name}`).join('\n'),
        );
      } finally {
        await database.close();
      }
    });
}
