import { GarbageCollector } from '@idp/db';
import type { Command } from 'commander';
import type { CliContext } from '../context.js';

export function gcCommand(program: Command, ctx: CliContext): void {
  program
    .command('gc')
    .description(
      'delete expired codes, sessions, revocation entries, token families, device authorizations and initial access tokens now (the server also does it every IDP_CLEANUP_INTERVAL)',
    )
    .action(async () => {
      const services = await ctx.services();
      const result = await new GarbageCollector(services.database).collect(
        services.clock.now(),
        ctx.config.cleanupRetention * 1000,
        1_000_000,
      );
      ctx.out(
        Object.entries(result)
          .map(([table, count]) => `${table}: ${count} deleted`)
          .join('\n'),
      );
    });
}
