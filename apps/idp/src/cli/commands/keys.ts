import { isSigningAlgorithm, KeyError, SIGNING_ALGORITHMS, type SigningAlgorithm } from '@idp/keys';
import type { Command } from 'commander';
import { CliError, UsageError } from '../cli-error.js';
import type { CliContext } from '../context.js';
import { table, when } from '../output.js';
import { signingKeyJson } from '../../signing-key-json.js';

const ACTOR = 'cli';

function rethrow(error: unknown): never {
  if (error instanceof KeyError) throw new CliError(error.message);
  throw error;
}

/** `--alg` as JOSE spells it (RFC 7518 3.1, RFC 8037 3.1). */
function algorithm(value: string): SigningAlgorithm {
  if (!isSigningAlgorithm(value))
    throw new UsageError(
      `--alg must be one of ${SIGNING_ALGORITHMS.join(', ')} (got ${JSON.stringify(value)})`,
    );
  return value;
}

export function keysCommand(program: Command, ctx: CliContext): void {
  const keys = program.command('keys').description('signing keys: list, rotate, retire, revoke');

  keys
    .command('list')
    .description('show every signing key with its state and lifecycle times')
    .option('--json', 'print JSON instead of a table')
    .action(async (options: { json?: boolean }) => {
      const { signingKeys } = await ctx.services();
      const list = await signingKeys.list();
      if (options.json) return ctx.out(JSON.stringify(list.map(signingKeyJson), null, 2));
      ctx.out(
        table(
          ['KID', 'ALG', 'STATE', 'BITS', 'CREATED', 'ACTIVATES', 'RETIRES', 'REMOVED FROM JWKS'],
          list.map((k) => [
            k.kid,
            k.alg,
            k.state,
            String(k.size),
            when(k.createdAt),
            when(k.activatesAt),
            when(k.retiresAt),
            when(k.revokedAt ?? k.removesAt),
          ]),
        ),
      );
    });

  keys
    .command('rotate')
    .description(
      'add a new key for one algorithm; it signs once it has been published for IDP_JWKS_MAX_AGE',
    )
    .option(
      '--alg <alg>',
      `the algorithm whose key rotates: ${SIGNING_ALGORITHMS.join(', ')} (one of IDP_SIGNING_ALGORITHMS)`,
      algorithm,
      'RS256' as SigningAlgorithm,
    )
    .option(
      '--now',
      'sign with the new key at once (emergencies and tests: caches may not know it yet)',
    )
    .action(async (options: { now?: boolean; alg: SigningAlgorithm }) => {
      const { signingKeys } = await ctx.services();
      const result = await signingKeys
        .rotate({ immediately: options.now === true, actor: ACTOR, alg: options.alg })
        .catch(rethrow);
      ctx.out(`new key ${result.kid} signs ${result.alg} from ${when(result.activatesAt)}`);
      for (const kid of result.retiring)
        ctx.out(`key ${kid} retires at ${when(result.activatesAt)}`);
    });

  keys
    .command('retire')
    .description('stop a key signing now (the active key needs a pending successor)')
    .argument('<kid>', 'the key id, as shown by keys list')
    // A kid is a base64url thumbprint and may start with "-": take it as the argument, not an option.
    .allowUnknownOption()
    .action(async (kid: string) => {
      const { signingKeys } = await ctx.services();
      const result = await signingKeys.retire(kid, ACTOR).catch(rethrow);
      ctx.out(
        `key ${result.kid} retired${result.successor ? `; key ${result.successor} signs now` : ''}`,
      );
    });

  keys
    .command('revoke')
    .description('remove a compromised key from the JWKS at once; its tokens stop verifying')
    .argument('<kid>', 'the key id, as shown by keys list')
    .allowUnknownOption()
    .action(async (kid: string) => {
      const { signingKeys } = await ctx.services();
      const result = await signingKeys.revoke(kid, ACTOR).catch(rethrow);
      ctx.out(
        `key ${result.kid} revoked${result.signingKid ? `; key ${result.signingKid} signs now` : ''}`,
      );
    });
}
