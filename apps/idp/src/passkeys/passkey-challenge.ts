import { randomBytes } from 'node:crypto';
import { sha256Hex, type SingleUseStore } from '@idp/oidc';
import type { FastifyInstance } from 'fastify';
import { seal, unseal } from '../interaction/interaction-state.js';

/** Long enough for a person to touch their authenticator; WebAuthn L3 15.1 suggests minutes. */
export const CHALLENGE_TTL_MS = 5 * 60_000;

/**
 * A WebAuthn challenge (WebAuthn L3 13.4.3) as the browser carries it between the options and the
 * response: sealed (encrypted and authenticated) so it cannot be chosen or altered, bound to what
 * it was issued for (`purpose` and `binding`: the interaction id or the browser session), and
 * short-lived. It is single-use across the cluster: accepting it consumes its hash in the shared
 * single-use store, so a replayed response is refused by every instance.
 */
export interface PasskeyChallenge {
  /** base64url, 32 random bytes. */
  readonly challenge: string;
  readonly purpose: 'authentication' | 'registration';
  readonly binding: string;
  readonly expiresAt: number;
}

const KIND = 'idp-passkey-challenge';

type ChallengeDeps = Pick<FastifyInstance, 'clock' | 'secrets'>;

export async function issueChallenge(
  app: ChallengeDeps,
  purpose: PasskeyChallenge['purpose'],
  binding: string,
): Promise<{ challenge: string; sealed: string }> {
  const state: PasskeyChallenge = {
    challenge: randomBytes(32).toString('base64url'),
    purpose,
    binding,
    expiresAt: app.clock.now() + CHALLENGE_TTL_MS,
  };
  return {
    challenge: state.challenge,
    sealed: await seal(KIND, state, app.secrets.interactionKey),
  };
}

/**
 * The challenge of a sealed state, if it opens, is unexpired, was issued for this purpose and
 * binding, and was never accepted before (which this records). Undefined otherwise.
 */
export async function acceptChallenge(
  app: ChallengeDeps & { singleUseIds: SingleUseStore },
  sealed: unknown,
  purpose: PasskeyChallenge['purpose'],
  binding: string,
): Promise<string | undefined> {
  if (typeof sealed !== 'string' || sealed === '' || sealed.length > 4096) return undefined;
  const state = await unseal<PasskeyChallenge>(
    KIND,
    sealed,
    app.secrets.interactionKey,
    app.clock.now(),
  );
  if (!state || state.purpose !== purpose || state.binding !== binding) return undefined;
  const fresh = await app.singleUseIds.consume(
    `passkey-challenge:${sha256Hex(state.challenge)}`,
    state.expiresAt,
  );
  return fresh ? state.challenge : undefined;
}
