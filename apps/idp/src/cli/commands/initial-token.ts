import { formatDuration, parseDurationSeconds } from '@idp/config';
import { generateRegistrationToken, hashRegistrationToken } from '@idp/oidc';
import type { Command } from 'commander';
import { UsageError } from '../cli-error.js';
import type { CliContext } from '../context.js';

/** An initial access token lives an hour unless --expires says otherwise. */
export const DEFAULT_INITIAL_TOKEN_TTL = '1h';
const MAX_TTL_SECONDS = 30 * 86_400;
const MAX_USES = 1_000_000;

/**
 * `idp clients initial-token [--uses N] [--expires 1h]`: issues an RFC 7591 3 initial access
 * token for `POST /register` (with IDP_REGISTRATION=token). Only its hash is stored; the token
 * itself is printed once, alone on the last line, so that scripts can take `tail -n 1`.
 */
export function initialTokenCommand(clients: Command, ctx: CliContext): void {
  clients
    .command('initial-token')
    .description(
      'issue an initial access token for dynamic client registration (IDP_REGISTRATION=token); printed once, on the last line',
    )
    .option('--uses <n>', 'how many registrations it may authorize', '1')
    .option(
      '--expires <duration>',
      'how long it stays valid: 30m, 1h, 7d (at most 30d)',
      DEFAULT_INITIAL_TOKEN_TTL,
    )
    .action(async (options: { uses: string; expires: string }) => {
      const uses = /^\d+$/.test(options.uses) ? Number(options.uses) : Number.NaN;
      if (!Number.isSafeInteger(uses) || uses < 1 || uses > MAX_USES)
        throw new UsageError(`--uses: must be a whole number from 1 to ${MAX_USES}`);
      const ttl = parseDurationSeconds(options.expires);
      if (ttl === undefined || ttl < 1 || ttl > MAX_TTL_SECONDS)
        throw new UsageError('--expires: must be a duration such as 30m, 1h or 7d, at most 30d');
      if (ctx.config.registration !== 'token') {
        process.stderr.write(
          `warning: IDP_REGISTRATION is ${ctx.config.registration}; the server accepts initial access tokens only with IDP_REGISTRATION=token\n`,
        );
      }
      const { registrations, clock } = await ctx.services();
      const token = generateRegistrationToken();
      const now = clock.now();
      const expiresAt = now + ttl * 1000;
      await registrations.issueInitialAccessToken(
        { tokenHash: hashRegistrationToken(token), uses, expiresAt },
        'cli',
        now,
      );
      ctx.out(
        `initial access token for ${uses} registration${uses === 1 ? '' : 's'}, valid ${formatDuration(ttl)} (until ${new Date(expiresAt).toISOString()})`,
      );
      ctx.out('send it as "Authorization: Bearer <token>" to POST /register; shown once:');
      ctx.out(token);
    });
}
