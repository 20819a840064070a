import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { table, when } from '../output.js';
import { CliError } from '../cli-error.js';

export function auditCommand(program: Command, ctx: CliContext): void {
  const audit = program.command('audit').description('the audit trail: list');
  audit
    .command('list')
    .description('show recent audit events, newest first')
    .option('--type <type>', 'only events of this type, e.g. key.rotated')
    .option('--limit <n>', 'how many events', '50')
    .option('--json', 'print JSON instead of a table')
    .action(async (options: { type?: string; limit: string; json?: boolean }) => {
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
        throw new CliError('--limit: must be a whole number from 1 to 10000');
      const { audit: log } = await ctx.services();
      const events = await log.recent({ limit, ...(options.type ? { type: options.type } : {}) });
      if (options.json) return ctx.out(JSON.stringify(events, null, 2));
      ctx.out(
        table(
          ['AT', 'TYPE', 'ACTOR', 'USER', 'CLIENT', 'DATA'],
          events.map((e) => [
            when(e.at),
            e.type,
            e.actor,
            e.userId,
            e.clientId,
            JSON.stringify(e.data),
          ]),
        ),
      );
    });
}
