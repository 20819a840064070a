import type {
  BrowserSessionStore,
  Clock,
  ConsentStore,
  EndedSession,
  UserAccount,
  UserStore,
} from '@idp/oidc';
import { hashPassword, verifyPassword } from '../passwords.js';
import { EDITABLE_CLAIMS, type EditableClaim } from './profile-form.js';
import {
  revokeUserConsent,
  revokeUserSession,
  updateUserClaims,
  type NotifyEndedSessions,
} from './user-operations.js';

/**
 * What people do to their own account from the account page. The same stores and rules as the
 * operators' operations (user-operations.ts), with the person as the audit trail's actor (their
 * `sub`) and the session they act from kept where an operator's action would end it.
 */
export interface AccountDeps {
  readonly users: UserStore;
  readonly sessions: BrowserSessionStore;
  readonly consents: ConsentStore;
  readonly clock: Clock;
  readonly notifyEndedSessions: NotifyEndedSessions;
}

/** Who is acting: the signed-in person and the browser session they act from. */
export interface AccountActor {
  readonly user: UserAccount;
  readonly sessionId: string;
}

/**
 * Sets the editable claims to the patch (null removes one); other claims stay, and nothing is
 * written (or audited) when nothing changed. Answers the claims that changed.
 */
export async function updateOwnProfile(
  deps: AccountDeps,
  { user }: AccountActor,
  patch: Readonly<Record<EditableClaim, string | null>>,
): Promise<readonly string[]> {
  const claims = user.claims as Readonly<Record<string, unknown>>;
  const changes: Record<string, string | null> = {};
  for (const claim of EDITABLE_CLAIMS) {
    const next = patch[claim];
    if ((claims[claim] ?? null) !== next) changes[claim] = next;
  }
  if (Object.keys(changes).length === 0) return [];
  await updateUserClaims(deps, user, changes, user.id);
  return Object.keys(changes);
}

/** Why a password change was refused. */
export type PasswordChangeRefusal = 'wrong_current';

/**
 * Changes the person's password after checking the current one (argon2id). Every other browser
 * session of theirs ends and every refresh-token family is revoked, offline ones too, in one
 * transaction with the `user.password_changed` event: whoever knew the old password keeps no
 * way in. The session the change was made from stays. The ended sessions' clients are told
 * (Back-Channel Logout 1.0 2.5). The new password's rules are checked by the caller.
 */
export async function changeOwnPassword(
  deps: AccountDeps,
  actor: AccountActor,
  current: string,
  next: string,
): Promise<{ refused: PasswordChangeRefusal } | { ended: readonly EndedSession[] }> {
  if (!(await verifyPassword(actor.user.passwordHash, current)))
    return { refused: 'wrong_current' };
  const change = await deps.users.setPasswordHash(
    actor.user.email,
    await hashPassword(next),
    actor.user.id,
    deps.clock.now(),
    { keepSessionId: actor.sessionId },
  );
  await deps.notifyEndedSessions(change.endedSessions);
  return { ended: change.endedSessions };
}

/**
 * Ends one of the person's own sessions and the token families born in it (offline ones stay);
 * not_found for a session that is not theirs, or not live.
 */
export async function endOwnSession(
  deps: AccountDeps,
  { user }: AccountActor,
  sessionId: string,
): Promise<void> {
  await revokeUserSession(deps, user, sessionId, user.id, 'user');
}

/** "Sign out everywhere else": every live session of the person but this one ends. */
export async function endOtherSessions(
  deps: AccountDeps,
  { user, sessionId }: AccountActor,
): Promise<{ ended: number }> {
  const { ended } = await deps.sessions.endOthers(user.id, sessionId, deps.clock.now(), {
    reason: 'user',
    actor: user.id,
  });
  await deps.notifyEndedSessions(ended);
  return { ended: ended.length };
}

/**
 * Takes back what the person granted an application: the consent goes, with every refresh-token
 * family of that application for them (offline ones too). not_found when there was none.
 */
export async function revokeOwnConsent(
  deps: AccountDeps,
  { user }: AccountActor,
  clientId: string,
): Promise<void> {
  await revokeUserConsent(deps, user, clientId, user.id);
}
