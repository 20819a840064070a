import type { UserAccount } from '../users/user-account.js';

/** What a link mailed to a person lets them do, once. */
export type EmailTokenPurpose = 'password_reset' | 'email_verification' | 'email_change';

/**
 * A token mailed to a person, as stored: only the SHA-256 (hex) of the random value in the link.
 * `email` is the user's address when the token was made (the link went there, except for
 * `email_change`, whose link goes to `newEmail`, the lower-cased address to change to; other
 * purposes have no `newEmail`). Times in milliseconds.
 */
export interface EmailTokenRecord {
  readonly tokenHash: string;
  readonly purpose: EmailTokenPurpose;
  readonly userId: string;
  readonly email: string;
  readonly newEmail?: string;
  readonly expiresAt: number;
}

/** A token that can still be used, with its user. */
export interface LiveEmailToken extends EmailTokenRecord {
  readonly user: UserAccount;
}

/** Who asked (default: the user) and from where, for the audit trail. */
export interface EmailTokenUse {
  readonly ip?: string;
  readonly actor?: string;
}

/**
 * Single-use, short-lived tokens mailed to people: password reset and address verification.
 *
 * Contract:
 * - A token is *live* at `now` when it exists with that purpose, was never used, `now` is before
 *   its `expiresAt`, and its user exists, is enabled and still has the address it was mailed to
 *   (a link sent before an address change never acts on the new address).
 * - `create` stores an unused token and its audit event (`password_reset.sent`, `email_change.sent` or
 *   `email_verification.sent`, about the user, at `now`) in one transaction.
 * - `findLive` returns the live token with its user, or null (unknown, used, expired, wrong
 *   purpose, user gone, disabled or with another address). It changes nothing.
 * - `resetPassword` and `verifyEmail` use a live token of their purpose: of concurrent calls for
 *   one token exactly one returns the user, the others (and any call for a token not live) null,
 *   writing nothing. `resetPassword` sets the password hash, marks every other unused password
 *   reset token of the user used, ends every live browser session of the user and revokes every
 *   live token family (offline ones too), with the audit event `user.password_reset`;
 *   `verifyEmail` sets the user's `email_verified` claim to true (other claims unchanged), with
 *   `user.email_verified`. Each is one transaction, at `now`; the returned user is as written.
 */
export interface EmailTokenStore {
  create(record: EmailTokenRecord, now: number, use?: EmailTokenUse): Promise<void>;
  findLive(
    tokenHash: string,
    purpose: EmailTokenPurpose,
    now: number,
  ): Promise<LiveEmailToken | null>;
  resetPassword(
    tokenHash: string,
    passwordHash: string,
    now: number,
    use?: EmailTokenUse,
  ): Promise<UserAccount | null>;
  verifyEmail(tokenHash: string, now: number, use?: EmailTokenUse): Promise<UserAccount | null>;
  changeEmail(
    tokenHash: string,
    now: number,
    use?: EmailTokenUse,
  ): Promise<{ readonly user: UserAccount } | 'taken' | null>;
}
