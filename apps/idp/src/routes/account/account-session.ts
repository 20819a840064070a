import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { currentSession } from '../../http/browser-session.js';
import type { AccountActor } from '../../operations/account-operations.js';
import { csrfAccepted } from '../account-email/email-forms.js';

export const ACCOUNT_PATH = '/account';
export const ACCOUNT_SIGN_IN_PATH = '/account/sign-in';

type AccountDeps = Pick<FastifyInstance, 'config' | 'clock' | 'sessions' | 'users'>;

/**
 * Where the sign-in page may send the person back to: a page of the account area only, so the
 * parameter can never become an open redirect.
 */
export function accountReturnPath(value: unknown): string {
  return typeof value === 'string' && /^\/account(?:\/[a-z0-9-]+)*$/.test(value)
    ? value
    : ACCOUNT_PATH;
}

/** The sign-in page that comes back to `path`. */
export function signInHref(path: string): string {
  return path === ACCOUNT_PATH
    ? ACCOUNT_SIGN_IN_PATH
    : `${ACCOUNT_SIGN_IN_PATH}?return_to=${encodeURIComponent(path)}`;
}

/** The signed-in person and their session, or undefined (no live session, or the user is disabled). */
export async function signedInActor(
  request: FastifyRequest,
  app: AccountDeps,
): Promise<AccountActor | undefined> {
  const session = await currentSession(request, app);
  if (!session) return undefined;
  const user = await app.users.findById(session.userId);
  return user && !user.disabled ? { user, sessionId: session.sessionId } : undefined;
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
