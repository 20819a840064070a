import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { AuthenticatedSession, UserAccount } from '@idp/oidc';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { startSession } from '../http/browser-session.js';
import { messages } from '../i18n/index.js';
import { acceptChallenge } from './passkey-challenge.js';
import { parseCredential, verifyAssertion } from './passkey-ceremony.js';
import { relyingPartyOf } from './relying-party.js';

/** RFC 8176 2: a hardware-bound key, used with user verification (a PIN or biometric). */
export const PASSKEY_AMR: readonly string[] = ['hwk', 'user'];

type PasskeySignInDeps = Pick<
  FastifyInstance,
  | 'config'
  | 'clock'
  | 'secrets'
  | 'singleUseIds'
  | 'passkeys'
  | 'users'
  | 'audit'
  | 'sessions'
  | 'metrics'
>;

export interface PasskeySignInInput {
  /** The sealed challenge state (passkey-challenge.ts) and the credential JSON, as posted. */
  readonly state: unknown;
  readonly credential: unknown;
  /** What the challenge must have been issued for. */
  readonly binding: string;
  readonly clientId: string | undefined;
  /**
   * As a second factor: the user whose password was accepted. The passkey must be theirs, so
   * someone else's passkey never completes this person's sign-in.
   */
  readonly userId?: string | undefined;
}

/** How a passkey assertion ended: accepted for `user`, or refused (audited) with the words to show. */
export type PasskeyAssertion =
  | { readonly outcome: 'accepted'; readonly user: UserAccount; readonly credentialId: string }
  | { readonly outcome: 'refused'; readonly message: string };

/**
 * Checks a passkey assertion (WebAuthn L3 7.2): the challenge is one this server issued for this
 * very page and never accepted before (which consumes it), the credential is registered (and
 * belongs to `input.userId` when given), the authenticator's user handle names its owner, the
 * signature verifies with user verification, and the counter moves forward. Refusals are audited
 * as login.failed with their reason; the words shown are the same for all of them.
 */
export async function checkPasskeyAssertion(
  request: FastifyRequest,
  app: PasskeySignInDeps,
  input: PasskeySignInInput,
): Promise<PasskeyAssertion> {
  const { clientId } = input;
  const words = messages(request.locale).passkeyCeremony;
  const refuse = async (reason: string, userId?: string, detail?: string) => {
    await app.audit.record(
      {
        type: 'login.failed',
        userId,
        clientId,
        ip: request.ip,
        data: { reason, method: 'passkey' },
      },
      app.clock.now(),
    );
    request.log.info(
      {
        event: 'login.failed',
        method: 'passkey',
        reason,
        clientId,
        ip: request.ip,
        userId,
        detail,
      },
      'passkey sign-in refused',
    );
    return { outcome: 'refused', message: words.refused } as const;
  };

  const response = parseCredential<AuthenticationResponseJSON>(input.credential);
  if (!response) return refuse('malformed_credential', input.userId);
  const challenge = await acceptChallenge(app, input.state, 'authentication', input.binding);
  if (!challenge) return { outcome: 'refused', message: words.expired };

  const passkey = await app.passkeys.find(response.id);
  if (passkey && input.userId !== undefined && passkey.userId !== input.userId)
    return refuse('other_user', input.userId);
  const rp = relyingPartyOf(app.config.issuer);
  const verdict = await verifyAssertion(rp, challenge, response, passkey);
  if (!verdict.ok) return refuse(verdict.reason, passkey?.userId, verdict.detail);
  const user = await app.users.findById(passkey!.userId);
  if (!user || user.disabled) return refuse('disabled', passkey!.userId);
  const recorded = await app.passkeys.recordUse(
    passkey!.credentialId,
    { counter: verdict.counter, backedUp: verdict.backedUp },
    app.clock.now(),
    { ip: request.ip },
  );
  // WebAuthn L3 7.2 step 22: a counter that did not move forward may mean a cloned authenticator.
  if (!recorded) return refuse('counter_regressed', user.id);
  return { outcome: 'accepted', user, credentialId: passkey!.credentialId };
}

/**
 * Signs a person in with a passkey alone, no password (`checkPasskeyAssertion`): the new
 * session's amr is ["hwk","user"].
 */
export async function passkeySignIn(
  request: FastifyRequest,
  reply: FastifyReply,
  app: PasskeySignInDeps,
  input: Omit<PasskeySignInInput, 'userId'>,
  outcomes: {
    readonly retry: (message: string) => FastifyReply | Promise<FastifyReply>;
    readonly succeed: (session: AuthenticatedSession) => FastifyReply | Promise<FastifyReply>;
  },
): Promise<FastifyReply> {
  const checked = await checkPasskeyAssertion(request, app, input);
  if (checked.outcome === 'refused') return outcomes.retry(checked.message);
  const { user, credentialId } = checked;
  app.metrics.login('success');
  const session = await startSession(request, reply, app, user.id, PASSKEY_AMR);
  await app.audit.record(
    {
      type: 'login.succeeded',
      userId: user.id,
      clientId: input.clientId,
      ip: request.ip,
      data: { method: 'passkey', credentialId },
    },
    app.clock.now(),
  );
  return outcomes.succeed(session);
}
