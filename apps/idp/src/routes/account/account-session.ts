import type { AuthenticatedSession, UserAccount } from '@idp/oidc';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { csrfCookie, currentSession } from '../../http/browser-session.js';
import { sendErrorPage } from '../../http/html-reply.js';

export const ACCOUNT_PATH = '/account';
export const ACCOUNT_LOGIN_PATH = '/account/login';
/** How recent a sign-in must be to add a passkey (a sensitive change: a fresh sign-in). */
export const FRESH_SIGN_IN_MS = 5 * 60_000;

type AccountDeps = Pick<FastifyInstance, 'config' | 'clock' | 'sessions' | 'users'>;

export interface SignedIn {
  readonly session: AuthenticatedSession;
  readonly user: UserAccount;
}

/** The browser's live session and its (enabled) user, if signed in. */
export async function accountSession(
  request: FastifyRequest,
  app: AccountDeps,
): Promise<SignedIn | undefined> {
  const session = await currentSession(request, app);
  if (!session) return undefined;
  const user = await app.users.findById(session.userId);
  return user && !user.disabled ? { session, user } : undefined;
}

/** Whether the session's sign-in is recent enough for a sensitive change. */
export function isFreshSignIn(session: AuthenticatedSession, now: number): boolean {
  return now - session.authTime <= FRESH_SIGN_IN_MS;
}

/** The account sign-in page, coming back to `returnTo`; `reauth` asks even with a session. */
export function accountLoginHref(returnTo: string, reauth = false): string {
  return `${ACCOUNT_LOGIN_PATH}?return=${encodeURIComponent(returnTo)}${reauth ? '&reauth=1' : ''}`;
}

/** Sends the person to sign in (again) and back (303: the browser follows with a GET). */
export function signInFirst(reply: FastifyReply, returnTo: string, reauth = false): FastifyReply {
  return reply.redirect(accountLoginHref(returnTo, reauth), 303);
}

/** The double-submit CSRF check: the posted token equals the browser's signed CSRF cookie. */
export function sameCsrf(
  request: FastifyRequest,
  app: Pick<FastifyInstance, 'config'>,
  posted: unknown,
): boolean {
  const cookie = csrfCookie(request, app);
  return cookie !== undefined && typeof posted === 'string' && posted === cookie;
}

/**
 * The double-submit CSRF check of the account forms: the form's token must equal the browser's
 * signed CSRF cookie. Sends the plain-words page and answers false when it does not.
 */
export function checkAccountCsrf(
  request: FastifyRequest,
  reply: FastifyReply,
  app: Pick<FastifyInstance, 'config'>,
  posted: unknown,
): boolean {
  if (sameCsrf(request, app, posted)) return true;
  void sendErrorPage(
    reply,
    403,
    'This form could not be accepted',
    'It did not come from your account page in this browser. Open your account page and try again.',
  );
  return false;
}
