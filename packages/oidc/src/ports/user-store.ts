import type { StandardClaims, UserAccount } from '../users/user-account.js';
import type { EndedSession } from './browser-session-store.js';
import type { PageQuery } from './page-query.js';

/** A user to create; the password is already hashed. */
export interface NewUser {
  readonly id: string;
  readonly email: string;
  readonly passwordHash: string;
  readonly claims: StandardClaims;
}

/** A user after a write, with the sessions the write ended (see `BrowserSessionStore.end`). */
export interface UserChange extends UserAccount {
  readonly endedSessions: readonly EndedSession[];
}

/**
 * Users: the lookups of login and of every request that names a user, and the CLI's admin writes.
 *
 * Contract:
 * - Emails are stored lower-cased and looked up case-insensitively; ids are the stable `sub`.
 * - Every write is one transaction together with its audit event (`actor`, at `now`); a write
 *   that throws leaves nothing behind. A find after a write returns the written state.
 * - `create` throws `StoreError('conflict')` for a taken email and sets `createdAt` to `now`;
 *   the other writes throw `StoreError('not_found')` for an unknown email.
 * - Disabling a user, changing their password and `revokeAllSessions` also end every live
 *   browser session of the user and revoke every live token family (offline ones too), at `now`,
 *   in the same transaction: whoever held the old credentials must not keep a way in. Enabling
 *   revokes nothing. These writes answer the sessions they ended, each with its clients
 *   (`endedSessions`, as `BrowserSessionStore.end` would), so the clients can be told.
 * - `setPasswordHash` with `keepSessionId` (a password change by the signed-in person, who just
 *   proved the current password) leaves that one session of the user live; every other session
 *   still ends and every token family is still revoked.
 * - `list` is ordered by email. `page` is `list` in slices: users whose email sorts after
 *   `after`, whose email contains `search` (case-insensitively) or whose id is `search`, at most
 *   `limit`.
 * - `setAdmin` grants or takes back the admin role (records `user.admin_granted` or
 *   `user.admin_revoked`, also when nothing changed, so the trail shows every decision); sessions
 *   and tokens stay: whoever checks the role reads it per request, so taking it back acts at once.
 * - `setClaims` replaces the user's standard claims as given (records `user.updated` naming the
 *   claims that changed); sessions and tokens stay.
 */
export interface UserStore {
  findByEmail(email: string): Promise<UserAccount | null>;
  findById(id: string): Promise<UserAccount | null>;
  list(): Promise<UserAccount[]>;
  page(query: PageQuery): Promise<UserAccount[]>;
  setClaims(
    email: string,
    claims: StandardClaims,
    actor: string,
    now: number,
  ): Promise<UserAccount>;
  create(user: NewUser, actor: string, now: number): Promise<UserAccount>;
  setAdmin(email: string, admin: boolean, actor: string, now: number): Promise<UserAccount>;
  setDisabled(email: string, disabled: boolean, actor: string, now: number): Promise<UserChange>;
  revokeAllSessions(email: string, actor: string, now: number): Promise<UserChange>;
  setPasswordHash(
    email: string,
    passwordHash: string,
    actor: string,
    now: number,
    options?: { keepSessionId?: string },
  ): Promise<UserChange>;
}
