import { GarbageCollector, type CollectionResult } from '@idp/db';
import type { Command } from 'commander';
import type { CliContext } from '../context.js';

/**
 * What each count of the collector is, for the help text: a Record over the result's keys, so a
 * kind of row the collector learns to delete cannot be left out of `gc --help`.
 */
const DELETED: Record<keyof CollectionResult, string> = {
  authorizationCodes: 'authorization codes',
  sessions: 'sessions',
  revokedAccessTokens: 'revocation entries',
  refreshTokens: 'refresh tokens',
  tokenFamilies: 'token families',
  singleUseIds: 'single-use records',
  pushedRequests: 'pushed authorization requests',
  deviceAuthorizations: 'device authorizations',
  emailTokens: 'e-mailed links',
  metadataDocumentClients: 'metadata-document clients nothing refers to',
  initialAccessTokens: 'initial access tokens',
  oneTimeCodeEnrolments: 'unconfirmed one-time-code set-ups',
  recoveryCodes: 'used recovery codes',
  logoutDeliveries: 'back-channel logout deliveries',
};

export function gcCommand(program: Command, ctx: CliContext): void {
  program
    .command('gc')
    .description(
      `delete expired, revoked or used rows now: ${Object.values(DELETED).join(', ')} (the server also does it every IDP_CLEANUP_INTERVAL)`,
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
