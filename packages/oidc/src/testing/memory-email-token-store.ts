import type {
  EmailTokenPurpose,
  EmailTokenRecord,
  EmailTokenStore,
  EmailTokenUse,
  LiveEmailToken,
} from '../ports/email-token-store.js';
import type { UserAccount } from '../users/user-account.js';
import type { MemoryTables } from './memory-tables.js';

/** The reference `EmailTokenStore`, on shared in-memory tables. */
export class MemoryEmailTokenStore implements EmailTokenStore {
  readonly #tables: MemoryTables;

  constructor(tables: MemoryTables) {
    this.#tables = tables;
  }

  async create(record: EmailTokenRecord, now: number, use: EmailTokenUse = {}): Promise<void> {
    this.#tables.emailTokens.set(record.tokenHash, { ...record, usedAt: null });
    this.#tables.recordAudit(
      {
        type: `${record.purpose}.sent`,
        actor: use.actor ?? record.userId,
        userId: record.userId,
        ...(use.ip ? { ip: use.ip } : {}),
      },
      now,
    );
  }

  async findLive(
    tokenHash: string,
    purpose: EmailTokenPurpose,
    now: number,
  ): Promise<LiveEmailToken | null> {
    return this.#live(tokenHash, purpose, now);
  }

  async resetPassword(
    tokenHash: string,
    passwordHash: string,
    now: number,
    use: EmailTokenUse = {},
  ): Promise<UserAccount | null> {
    const tables = this.#tables;
    const live = this.#claim(tokenHash, 'password_reset', now);
    if (!live) return null;
    const user = { ...live.user, passwordHash };
    tables.users.set(user.id, user);
    for (const [hash, token] of tables.emailTokens)
      if (token.userId === user.id && token.purpose === 'password_reset' && token.usedAt === null)
        tables.emailTokens.set(hash, { ...token, usedAt: now });
    let revokedFamilies = 0;
    for (const family of tables.families.values())
      if (family.userId === user.id && tables.revokeFamily(family.id, now)) revokedFamilies += 1;
    for (const session of tables.sessions.values())
      if (session.userId === user.id && session.endedAt === null)
        tables.sessions.set(session.id, { ...session, endedAt: now });
    tables.recordAudit(
      {
        type: 'user.password_reset',
        actor: user.id,
        userId: user.id,
        ...(use.ip ? { ip: use.ip } : {}),
        data: { revokedFamilies },
      },
      now,
    );
    return user;
  }

  async verifyEmail(
    tokenHash: string,
    now: number,
    use: EmailTokenUse = {},
  ): Promise<UserAccount | null> {
    const live = this.#claim(tokenHash, 'email_verification', now);
    if (!live) return null;
    const user = { ...live.user, claims: { ...live.user.claims, email_verified: true } };
    this.#tables.users.set(user.id, user);
    this.#tables.recordAudit(
      {
        type: 'user.email_verified',
        actor: user.id,
        userId: user.id,
        ...(use.ip ? { ip: use.ip } : {}),
        data: { email: user.email },
      },
      now,
    );
    return user;
  }

  async changeEmail(
    tokenHash: string,
    now: number,
    use: EmailTokenUse = {},
  ): Promise<{ readonly user: UserAccount } | 'taken' | null> {
    const tables = this.#tables;
    const to = this.#live(tokenHash, 'email_change', now)?.newEmail;
    if (!to) return null;
    const userId = tables.emailTokens.get(tokenHash)!.userId;
    for (const other of tables.users.values())
      if (other.email === to && other.id !== userId) return 'taken';
    const live = this.#claim(tokenHash, 'email_change', now)!;
    const user = {
      ...live.user,
      email: to,
      claims: { ...live.user.claims, email_verified: true },
    };
    tables.users.set(user.id, user);
    for (const [hash, other] of tables.emailTokens)
      if (other.userId === user.id && other.usedAt === null)
        tables.emailTokens.set(hash, { ...other, usedAt: now });
    tables.recordAudit(
      {
        type: 'user.email_changed',
        actor: user.id,
        userId: user.id,
        ...(use.ip ? { ip: use.ip } : {}),
        data: { from: live.user.email, to },
      },
      now,
    );
    return { user };
  }

  #live(tokenHash: string, purpose: EmailTokenPurpose, now: number): LiveEmailToken | null {
    const token = this.#tables.emailTokens.get(tokenHash);
    if (!token || token.purpose !== purpose || token.usedAt !== null || token.expiresAt <= now)
      return null;
    const user = this.#tables.users.get(token.userId);
    if (!user || user.disabled || user.email !== token.email) return null;
    return { ...recordOf(token), user };
  }

  /** Marks a live token used; no await between the check and the write, so one caller wins. */
  #claim(tokenHash: string, purpose: EmailTokenPurpose, now: number): LiveEmailToken | null {
    const live = this.#live(tokenHash, purpose, now);
    if (live)
      this.#tables.emailTokens.set(tokenHash, {
        ...this.#tables.emailTokens.get(tokenHash)!,
        usedAt: now,
      });
    return live;
  }
}

/** The port's record of a stored token (without its use time). */
function recordOf(token: EmailTokenRecord): EmailTokenRecord {
  return {
    tokenHash: token.tokenHash,
    purpose: token.purpose,
    userId: token.userId,
    email: token.email,
    ...(token.newEmail === undefined ? {} : { newEmail: token.newEmail }),
    expiresAt: token.expiresAt,
  };
}
