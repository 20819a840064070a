import { randomUUID } from 'node:crypto';
import {
  standardClaimsSchema,
  type AuditLog,
  type BrowserSessionStore,
  type Clock,
  type ConsentStore,
  type EndedSession,
  type OneTimeCodeStore,
  type PasskeyStore,
  type StandardClaims,
  type UserAccount,
  type UserChange,
  type UserStore,
} from '@idp/oidc';
import { z } from 'zod';
import { hashPassword, MIN_PASSWORD_LENGTH } from '../passwords.js';
import { jsonPath } from '../cli/seed-schema.js';
import { fromStoreError, OperationError } from './operation-error.js';

/**
 * Tells the clients of the sessions an operation ended (Back-Channel Logout 1.0 2.5). The CLI
 * waits for the deliveries and prints each; the server sends them off the request path.
 */
export type NotifyEndedSessions = (ended: readonly EndedSession[]) => Promise<void>;

/**
 * Tells a person what an administrator changed of their account (a security notice by e-mail,
 * when SMTP is configured): a factor reset or a password set for them is a classic way to take
 * an account over by asking support in someone's name, so the owner hears of it.
 */
export type TellOwner = (
  user: UserAccount,
  kind: 'passwordSetByOperator' | 'factorsResetByOperator',
) => Promise<void>;

/** What the user operations need. */
export interface UserOperationDeps {
  readonly users: UserStore;
  readonly sessions: BrowserSessionStore;
  readonly consents: ConsentStore;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly notifyEndedSessions: NotifyEndedSessions;
  readonly tellOwner: TellOwner;
}

/** A login name: an email address, stored lower-cased. */
export function checkEmail(email: string): string {
  if (!z.email().safeParse(email).success)
    throw OperationError.invalid([
      { path: 'email', message: `"${email}" is not an email address` },
    ]);
  return email.toLowerCase();
}

/** Standard claims (OIDC Core 5.1) as a user record holds them; unknown names are refused. */
const claimsSchema = standardClaimsSchema.strict();

function validClaims(input: unknown, path: readonly PropertyKey[]): StandardClaims {
  const parsed = claimsSchema.safeParse(input);
  if (parsed.success) return parsed.data as StandardClaims;
  throw OperationError.invalid(
    parsed.error.issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => ({
            path: jsonPath([...path, ...issue.path, key]),
            message: 'not a standard claim this server stores',
          }))
        : [{ path: jsonPath([...path, ...issue.path]) || '(body)', message: issue.message }],
    ),
  );
}

/** The user with this `sub`, or not_found. */
export async function findUserById(
  deps: Pick<UserOperationDeps, 'users'>,
  sub: string,
): Promise<UserAccount> {
  const user = await deps.users.findById(sub);
  if (!user) throw new OperationError('not_found', `no user with sub ${sub}`);
  return user;
}

/** The user with this email, or not_found. */
export async function findUserByEmail(
  deps: Pick<UserOperationDeps, 'users'>,
  email: string,
): Promise<UserAccount> {
  const address = checkEmail(email);
  const user = await deps.users.findByEmail(address);
  if (!user) throw new OperationError('not_found', `no user with email ${address}`);
  return user;
}

/** Adds a user with a password (hashed with argon2id) and standard claims. */
export async function createUser(
  deps: UserOperationDeps,
  input: { email: string; password: string; claims: unknown },
  actor: string,
): Promise<UserAccount> {
  const email = checkEmail(input.email);
  if (input.password.length < MIN_PASSWORD_LENGTH)
    throw OperationError.invalid([
      { path: 'password', message: `must be at least ${MIN_PASSWORD_LENGTH} characters` },
    ]);
  const claims = validClaims(input.claims, ['claims']);
  return deps.users
    .create(
      { id: randomUUID(), email, passwordHash: await hashPassword(input.password), claims },
      actor,
      deps.clock.now(),
    )
    .catch(fromStoreError);
}

/**
 * Changes the given claims (a JSON merge patch, RFC 7396: null removes a claim); the others, and
 * the user's sessions and tokens, stay.
 */
export async function updateUserClaims(
  deps: Pick<UserOperationDeps, 'users' | 'clock'>,
  user: UserAccount,
  patch: Record<string, unknown>,
  actor: string,
): Promise<UserAccount> {
  const merged: Record<string, unknown> = { ...user.claims };
  for (const [name, value] of Object.entries(patch)) {
    if (value === null) delete merged[name];
    else merged[name] = value;
  }
  const claims = validClaims(merged, ['claims']);
  return deps.users.setClaims(user.email, claims, actor, deps.clock.now()).catch(fromStoreError);
}

/** Tells the clients of the sessions a user write ended, then answers the write. */
async function notified(deps: UserOperationDeps, change: UserChange): Promise<UserChange> {
  await deps.notifyEndedSessions(change.endedSessions);
  return change;
}

/**
 * Disabling blocks logins and revokes the user's sessions and tokens, and the clients of the
 * ended sessions are told (Back-Channel Logout 1.0 2.5); enabling allows logins.
 */
export async function setUserDisabled(
  deps: UserOperationDeps,
  user: UserAccount,
  disabled: boolean,
  actor: string,
): Promise<UserChange> {
  const change = await deps.users
    .setDisabled(user.email, disabled, actor, deps.clock.now())
    .catch(fromStoreError);
  return notified(deps, change);
}

/**
 * Sets a new password (hashed with argon2id); like disabling, it ends the user's sessions and
 * revokes their tokens, and the clients of the ended sessions are told.
 */
export async function setUserPassword(
  deps: UserOperationDeps,
  user: UserAccount,
  password: string,
  actor: string,
): Promise<UserChange> {
  if (password.length < MIN_PASSWORD_LENGTH)
    throw OperationError.invalid([
      { path: 'password', message: `must be at least ${MIN_PASSWORD_LENGTH} characters` },
    ]);
  const passwordHash = await hashPassword(password);
  const change = await deps.users
    .setPasswordHash(user.email, passwordHash, actor, deps.clock.now())
    .catch(fromStoreError);
  const notifiedChange = await notified(deps, change);
  await deps.tellOwner(change, 'passwordSetByOperator');
  return notifiedChange;
}

/**
 * Ends every browser session of the user and revokes every token family, offline ones too; the
 * clients of the ended sessions are told.
 */
export async function revokeUserSessions(
  deps: UserOperationDeps,
  user: UserAccount,
  actor: string,
): Promise<UserChange> {
  const change = await deps.users
    .revokeAllSessions(user.email, actor, deps.clock.now())
    .catch(fromStoreError);
  return notified(deps, change);
}

/**
 * Ends one browser session of the user and the token families born in it (not offline ones);
 * the session's clients are told.
 */
export async function revokeUserSession(
  deps: Pick<UserOperationDeps, 'sessions' | 'clock' | 'notifyEndedSessions'>,
  user: UserAccount,
  sessionId: string,
  actor: string,
  reason: 'admin' | 'user' = 'admin',
): Promise<{ revokedFamilies: number }> {
  const now = deps.clock.now();
  const session = await deps.sessions.find(sessionId);
  if (
    !session ||
    session.userId !== user.id ||
    session.endedAt !== null ||
    session.expiresAt <= now
  )
    throw new OperationError('not_found', `no live session ${sessionId} of user ${user.id}`);
  const { revokedFamilies, ended } = await deps.sessions.end(sessionId, now, {
    revokeFamilies: true,
    reason,
    actor,
  });
  await deps.notifyEndedSessions(ended ? [ended] : []);
  return { revokedFamilies };
}

/**
 * Ends a live session named by its id alone (the server-wide session list), as
 * `revokeUserSession` does for its owner.
 */
export async function revokeSessionById(
  deps: Pick<UserOperationDeps, 'users' | 'sessions' | 'clock' | 'notifyEndedSessions'>,
  sessionId: string,
  actor: string,
): Promise<{ revokedFamilies: number; user: UserAccount }> {
  // No stored id holds a NUL (PostgreSQL's text cannot): such an id names no session.
  const session = sessionId.includes('\u0000') ? null : await deps.sessions.find(sessionId);
  const user = session ? await deps.users.findById(session.userId) : null;
  if (!user) throw new OperationError('not_found', `no live session ${sessionId}`);
  const { revokedFamilies } = await revokeUserSession(deps, user, sessionId, actor);
  return { revokedFamilies, user };
}

/** Takes back what the user granted a client, and the tokens issued under it. */
export async function revokeUserConsent(
  deps: Pick<UserOperationDeps, 'consents' | 'clock'>,
  user: UserAccount,
  clientId: string,
  actor: string,
): Promise<{ revokedFamilies: number }> {
  // No stored client_id holds a NUL (PostgreSQL's text cannot): such an id has no consent.
  const result = clientId.includes('\u0000')
    ? { revoked: false, revokedFamilies: 0 }
    : await deps.consents.revoke(user.id, clientId, actor, deps.clock.now());
  if (!result.revoked)
    throw new OperationError('not_found', `user ${user.id} has no consent for client ${clientId}`);
  return { revokedFamilies: result.revokedFamilies };
}

/**
 * Grants or takes back the admin role. Only a user with it is given the idp:admin scope at
 * sign-in, and the admin API and console check it on every call, so taking it back stops the
 * person's tokens at once, without ending their sessions elsewhere.
 */
export async function setUserAdmin(
  deps: Pick<UserOperationDeps, 'users' | 'clock'>,
  user: UserAccount,
  admin: boolean,
  actor: string,
): Promise<UserAccount> {
  return deps.users.setAdmin(user.email, admin, actor, deps.clock.now()).catch(fromStoreError);
}

/**
 * Forgives the failed sign-ins counted so far against a user. The database is what every server
 * process shares (Redis may be absent or down, memory counters are per process): servers drop
 * counts older than this event.
 */
export async function unlockUser(
  deps: Pick<UserOperationDeps, 'audit' | 'clock'> & { readonly oneTimeCodes: OneTimeCodeStore },
  user: UserAccount,
  actor: string,
): Promise<void> {
  // The password throttle honours this event; the one-time-code lock is lifted in its store.
  await deps.oneTimeCodes.clearFailures(user.id);
  await deps.audit.record({ type: 'login.unlocked', actor, userId: user.id }, deps.clock.now());
}

/** What `resetFactors` removed, per kind of factor. */
export interface FactorsReset {
  /** One-time codes (TOTP) and their recovery codes. */
  readonly oneTimeCodes: boolean;
  /** How many passkeys. */
  readonly passkeys: number;
}

/**
 * Removes every second factor of a user (`pnpm idp users reset-factors`): for a person who lost
 * their phone and their recovery codes. Each store records its own audit event
 * (`one_time_code.removed`, reason `reset_by_operator`; `passkey.removed`) with the operator as
 * actor. The user signs in with the password alone afterwards, and may enrol again.
 */
export async function resetFactors(
  deps: {
    readonly oneTimeCodes: OneTimeCodeStore;
    readonly passkeys: PasskeyStore;
    readonly clock: Clock;
    readonly tellOwner: TellOwner;
  },
  user: UserAccount,
  actor: string,
): Promise<FactorsReset> {
  const change = { actor, reason: 'reset_by_operator' };
  const now = deps.clock.now();
  const removed = {
    oneTimeCodes: await deps.oneTimeCodes.remove(user.id, now, change),
    passkeys: await deps.passkeys.removeAllForUser(user.id, now, { actor }),
  };
  if (removed.oneTimeCodes || removed.passkeys > 0)
    await deps.tellOwner(user, 'factorsResetByOperator');
  return removed;
}
