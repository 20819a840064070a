import {
  isSigningAlgorithm,
  KeyError,
  SIGNING_ALGORITHMS,
  type SigningAlgorithm,
  type SigningKeyView,
  type SupersededKey,
} from '@idp/keys';
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

/** A key retired before its activation never signed: a cancelled pending key. */
const neverSigned = (key: SigningKeyView) =>
  key.retiresAt !== null && key.retiresAt < key.activatesAt;

/**
 * What a rotation did to a key it cut short, in one line; `until` is the new key's activation,
 * which `immediately` (`--now`) makes the present.
 */
function supersededLine(key: SupersededKey, until: number, immediately: boolean): string {
  const at = immediately ? 'now' : `at ${when(until)}`;
  switch (key.outcome) {
    case 'stops':
      return immediately
        ? `key ${key.kid} stopped signing and retired; it stays in the JWKS until the tokens it signed expire`
        : `key ${key.kid} signs until ${when(until)}, then retires; it stays in the JWKS until the tokens it signed expire`;
    case 'shortened':
      return `pending key ${key.kid} signs from ${when(key.activatesAt)} until ${when(until)}, then retires`;
    case 'cancelled':
      return `pending key ${key.kid} cancelled: it never signs, and leaves the JWKS ${at}`;
  }
}

export function keysCommand(program: Command, ctx: CliContext): void {
  const keys = program.command('keys').description('signing keys: list, rotate, retire, revoke');

  keys
    .command('list')
    .description('show every signing key with its state and lifecycle times')
    .option('--json', 'print JSON instead of a table')
    .action(async (options: { json?: boolean }) => {
      const { signingKeys } = await ctx.services({ keys: true });
      const list = await signingKeys.list();
      if (options.json) return ctx.out(JSON.stringify(list.map(signingKeyJson), null, 2));
      ctx.out(
        table(
          ['KID', 'ALG', 'STATE', 'BITS', 'CREATED', 'ACTIVATES', 'RETIRES', 'REMOVED FROM JWKS'],
          list.map((k) => [
            k.kid,
            k.alg,
            // The JSON keeps the lifecycle state; people are told a removed key never signed.
            k.state === 'removed' && neverSigned(k) ? 'cancelled' : k.state,
            String(k.size),
            when(k.createdAt),
            neverSigned(k) ? 'never' : when(k.activatesAt),
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
      const { signingKeys } = await ctx.services({ keys: true });
      const result = await signingKeys
        .rotate({ immediately: options.now === true, actor: ACTOR, alg: options.alg })
        .catch(rethrow);
      ctx.out(`new key ${result.kid} signs ${result.alg} from ${when(result.activatesAt)}`);
      for (const key of result.superseded)
        ctx.out(supersededLine(key, result.activatesAt, options.now === true));
    });

  keys
    .command('retire')
    .description('stop a key signing now (the active key needs a pending successor)')
    .argument('<kid>', 'the key id, as shown by keys list')
    // A kid is a base64url thumbprint and may start with "-": take it as the argument, not an option.
    .allowUnknownOption()
    .action(async (kid: string) => {
      const { signingKeys } = await ctx.services({ keys: true });
      const result = await signingKeys.retire(kid, ACTOR).catch(rethrow);
      const key = (await signingKeys.list()).find((k) => k.kid === result.kid);
      ctx.out(
        key && neverSigned(key)
          ? `pending key ${result.kid} cancelled: it never signed, and has left the JWKS`
          : `key ${result.kid} retired${result.successor ? `; key ${result.successor} signs now` : ''}`,
      );
    });

  keys
    .command('revoke')
    .description('remove a compromised key from the JWKS at once; its tokens stop verifying')
    .argument('<kid>', 'the key id, as shown by keys list')
    .allowUnknownOption()
    .action(async (kid: string) => {
      const { signingKeys } = await ctx.services({ keys: true });
      const result = await signingKeys.revoke(kid, ACTOR).catch(rethrow);
      ctx.out(
        `key ${result.kid} revoked${result.signingKid ? `; key ${result.signingKid} signs now` : ''}`,
      );
    });
}
