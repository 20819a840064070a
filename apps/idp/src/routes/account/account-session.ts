import { reachedMfa, type AuthenticatedSession, type UserAccount } from '@idp/oidc';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { csrfCookie, currentSession } from '../../http/browser-session.js';
import type { AccountActor } from '../../operations/account-operations.js';
import { csrfAccepted } from '../account-email/email-forms.js';

export const ACCOUNT_PATH = '/account';
export const ACCOUNT_SIGN_IN_PATH = '/account/sign-in';
/** How recent a sign-in must be to add a passkey (a sensitive change: a fresh sign-in). */
export const FRESH_SIGN_IN_MS = 5 * 60_000;

type AccountDeps = Pick<FastifyInstance, 'config' | 'clock' | 'sessions' | 'users' | 'passkeys'>;

/**
 * Where the sign-in page may send the person back to: a page of the account area only, so the
 * parameter can never become an open redirect.
 */
export function accountReturnPath(value: unknown): string {
  return typeof value === 'string' && /^\/account(?:\/[a-z0-9-]+)*$/.test(value)
    ? value
    : ACCOUNT_PATH;
}

/**
 * The sign-in page that comes back to `path`; `reauth` asks even when signed in (like
 * prompt=login, OIDC Core 3.1.2.1), for changes that want a fresh sign-in.
 */
export function signInHref(path: string, reauth = false): string {
  const query = [
    ...(path === ACCOUNT_PATH ? [] : [`return_to=${encodeURIComponent(path)}`]),
    ...(reauth ? ['reauth=1'] : []),
  ];
  return query.length === 0 ? ACCOUNT_SIGN_IN_PATH : `${ACCOUNT_SIGN_IN_PATH}?${query.join('&')}`;
}

export interface SignedIn {
  readonly session: AuthenticatedSession;
  readonly user: UserAccount;
}

/**
 * The browser's live session and its (enabled) user, whether or not it may open the account
 * area: for the sign-in page, which fills in the address of a session it asks to sign in again.
 */
export async function liveSession(
  request: FastifyRequest,
  app: Omit<AccountDeps, 'passkeys'>,
): Promise<SignedIn | undefined> {
  const session = await currentSession(request, app);
  if (!session) return undefined;
  const user = await app.users.findById(session.userId);
  return user && !user.disabled ? { session, user } : undefined;
}

/**
 * Whether a session may open the account area, from which passkeys, the password and the
 * e-mail address are changed: it reached two factors (a passkey counts), or its user had no
 * passkey when it signed in. An application's plain login lets a passkey user in with the
 * password alone; that session must not reach this page, or a stolen password would take the
 * account over. (One-time codes need no check: every sign-in asks for them once they are on.)
 */
export async function opensAccount(
  app: Pick<FastifyInstance, 'passkeys'>,
  session: AuthenticatedSession,
): Promise<boolean> {
  if (reachedMfa(session.amr)) return true;
  const passkeys = await app.passkeys.listForUser(session.userId);
  // A passkey added after this sign-in was added by a session that was allowed to.
  return passkeys.every((passkey) => passkey.createdAt >= session.authTime);
}

/** The browser's session and user when they may open the account area (see `opensAccount`). */
export async function accountSession(
  request: FastifyRequest,
  app: AccountDeps,
): Promise<SignedIn | undefined> {
  const signedIn = await liveSession(request, app);
  return signedIn && (await opensAccount(app, signedIn.session)) ? signedIn : undefined;
}

/** Whether a sign-in at `authTime` is recent enough for a sensitive change. */
export function isFreshSignIn(authTime: number, now: number): boolean {
  return now - authTime <= FRESH_SIGN_IN_MS;
}

/** The double-submit CSRF check without a reply: the posted token equals the signed cookie. */
export function sameCsrf(
  request: FastifyRequest,
  app: Pick<FastifyInstance, 'config'>,
  posted: unknown,
): boolean {
  const cookie = csrfCookie(request, app);
  return cookie !== undefined && typeof posted === 'string' && posted === cookie;
}

/**
 * The signed-in person and their session, or undefined (no live session, the user is disabled,
 * or the session may not open the account area).
 */
export async function signedInActor(
  request: FastifyRequest,
  app: AccountDeps,
): Promise<AccountActor | undefined> {
  const signedIn = await accountSession(request, app);
  return signedIn ? { user: signedIn.user, sessionId: signedIn.session.sessionId } : undefined;
}

/**
 * The checks every form of the account page starts with: a signed-in browser (else through the
 * sign-in page and back to the account page, 303 so the browser follows with a GET), then the
 * double-submit CSRF token (else a 403 page in plain words). Answers the actor, or undefined
 * after sending the reply.
 */
export async function acceptAccountForm(
  request: FastifyRequest,
  reply: FastifyReply,
  app: AccountDeps,
  form: { csrf?: unknown },
): Promise<AccountActor | undefined> {
  const actor = await signedInActor(request, app);
  if (!actor) {
    void reply.redirect(signInHref(ACCOUNT_PATH), 303);
    return undefined;
  }
  return csrfAccepted(request, reply, app, form) ? actor : undefined;
}

/** After an action: back to the page (POST-redirect-GET), saying what was done, at its section. */
export function backToAccount(reply: FastifyReply, done: string, sectionId: string): FastifyReply {
  return reply.redirect(`${ACCOUNT_PATH}?done=${done}#${sectionId}`, 303);
}

/** One form field as a string; anything else (missing, repeated) is empty. */
export function formField(value: unknown, max = 1024): string {
  return typeof value === 'string' ? value.slice(0, max) : '';
}
