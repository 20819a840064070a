import {
  AMR_PASSWORD_AND_CODE,
  AMR_PASSWORD_AND_PASSKEY,
  type AuthenticatedSession,
} from '@idp/oidc';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { startSession } from '../http/browser-session.js';
import { sendHtml } from '../http/html-reply.js';
import { pageContext } from '../http/page-locale.js';
import { messages } from '../i18n/index.js';
import { checkSecondFactor, type TypedCodes } from '../one-time-codes/second-factor-check.js';
import { checkPasskeyAssertion } from '../passkeys/passkey-sign-in.js';
import { messagePage } from '../views/index.js';

type SecondFactorDeps = Pick<
  FastifyInstance,
  | 'config'
  | 'clock'
  | 'secrets'
  | 'singleUseIds'
  | 'passkeys'
  | 'oneTimeCodes'
  | 'users'
  | 'audit'
  | 'sessions'
  | 'metrics'
>;

/**
 * How a second factor ended: a session with two factors, refused with words for the page asked
 * again, or already answered (a locked factor's 429 page).
 */
export type SecondFactorSignIn =
  | { readonly outcome: 'signed_in'; readonly session: AuthenticatedSession }
  | { readonly outcome: 'wrong'; readonly message: string }
  | { readonly outcome: 'sent'; readonly reply: FastifyReply };

/** Who is giving the second factor, and for which application (if any). */
export interface PendingSignIn {
  readonly userId: string;
  readonly clientId?: string | undefined;
}

/**
 * The second factor as a one-time code (RFC 6238) or a recovery code, after the password: on
 * success a session whose amr is ["pwd","otp","mfa"] (RFC 8176: a recovery code is a one-time
 * password too). Wrong codes count towards the factor's lock; a locked factor gets the 429 page.
 */
export async function signInWithCode(
  http: { request: FastifyRequest; reply: FastifyReply },
  app: SecondFactorDeps,
  pending: PendingSignIn,
  typed: TypedCodes,
): Promise<SecondFactorSignIn> {
  const { request, reply } = http;
  const t = messages(request.locale).oneTimeCode;
  const result = await checkSecondFactor(app, pending.userId, typed, request.ip);
  if (result.kind === 'locked') {
    app.metrics.login('throttled');
    void reply.header('retry-after', String(result.retryAfterSeconds));
    const sent = sendHtml(
      reply,
      429,
      messagePage({
        title: t.lockedTitle,
        message: t.locked(Math.ceil(result.retryAfterSeconds / 60)),
        ...pageContext(request),
      }),
    );
    return { outcome: 'sent', reply: sent };
  }
  if (result.kind !== 'accepted') {
    app.metrics.login('wrong_one_time_code');
    await app.audit.record(
      {
        type: 'login.failed',
        userId: pending.userId,
        clientId: pending.clientId,
        ip: request.ip,
        data: { reason: result.kind === 'wrong' ? 'wrong_one_time_code' : 'no_second_factor' },
      },
      app.clock.now(),
    );
    return { outcome: 'wrong', message: t.wrongCode };
  }
  const session = await succeed(http, app, pending, AMR_PASSWORD_AND_CODE, {
    secondFactor: result.method,
  });
  return { outcome: 'signed_in', session };
}

/**
 * The second factor as a passkey (WebAuthn L3 7.2) after the password: the assertion must be by
 * one of the same user's passkeys, over a single-use challenge issued for this page
 * (`binding`). On success a session whose amr is ["pwd","hwk","user","mfa"] (RFC 8176 2).
 */
export async function signInWithPasskey(
  http: { request: FastifyRequest; reply: FastifyReply },
  app: SecondFactorDeps,
  pending: PendingSignIn,
  posted: { readonly state: unknown; readonly credential: unknown; readonly binding: string },
): Promise<SecondFactorSignIn> {
  const t = messages(http.request.locale).oneTimeCode;
  const checked = await checkPasskeyAssertion(http.request, app, {
    ...posted,
    clientId: pending.clientId,
    userId: pending.userId,
  });
  if (checked.outcome === 'refused') return { outcome: 'wrong', message: t.passkeyRefused };
  const session = await succeed(http, app, pending, AMR_PASSWORD_AND_PASSKEY, {
    secondFactor: 'passkey',
    credentialId: checked.credentialId,
  });
  return { outcome: 'signed_in', session };
}

/** Starts the two-factor session (replacing a one-factor one after a step-up), audited. */
async function succeed(
  http: { request: FastifyRequest; reply: FastifyReply },
  app: SecondFactorDeps,
  pending: PendingSignIn,
  amr: readonly string[],
  data: Record<string, string>,
): Promise<AuthenticatedSession> {
  app.metrics.login('success');
  const session = await startSession(http.request, http.reply, app, pending.userId, amr);
  await app.audit.record(
    {
      type: 'login.succeeded',
      userId: pending.userId,
      clientId: pending.clientId,
      ip: http.request.ip,
      data: { amr: session.amr, ...data },
    },
    app.clock.now(),
  );
  return session;
}
