import type { EndedSession, NewUser, UserAccount, UserChange, UserStore } from '@idp/oidc';
import type { Database } from '../database.js';
import { auditRow } from './audit.js';
import { canMatchStoredText } from './lookup-key.js';
import { Prisma } from '../generated/sqlite/client.js';
import { USER_ACCOUNT_COLUMNS } from './raw-rows.js';
import { toUserAccount, type UserAccountColumns } from './row-mappers.js';
import { endSessions } from './session-repository.js';
import { StoreError } from './store-error.js';

/** Users: lookups for login, and the admin operations of the CLI. Emails are lower-cased. */
export class UserRepository implements UserStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Raw SQL (see raw-rows.ts): every login looks the account up. */
  async findByEmail(email: string): Promise<UserAccount | null> {
    if (!canMatchStoredText(email)) return null;
    const rows = await this.#db.sql.query<UserAccountColumns>(
      Prisma.sql`SELECT ${USER_ACCOUNT_COLUMNS} FROM "User" WHERE "email" = ${email.toLowerCase()}`,
    );
    return rows[0] ? toUserAccount(rows[0]) : null;
  }

  /** Raw SQL (see raw-rows.ts): every authorization request with a session looks its user up. */
  async findById(id: string): Promise<UserAccount | null> {
    if (!canMatchStoredText(id)) return null;
    const rows = await this.#db.sql.query<UserAccountColumns>(
      Prisma.sql`SELECT ${USER_ACCOUNT_COLUMNS} FROM "User" WHERE "id" = ${id}`,
    );
    return rows[0] ? toUserAccount(rows[0]) : null;
  }

  async list(): Promise<UserAccount[]> {
    const rows = await this.#db.prisma.user.findMany({ orderBy: { email: 'asc' } });
    return rows.map(toUserAccount);
  }

  async create(user: NewUser, actor: string, now: number): Promise<UserAccount> {
    const email = user.email.toLowerCase();
    return this.#db.prisma.$transaction(async (tx) => {
      if (await tx.user.findUnique({ where: { email } })) {
        throw new StoreError('conflict', `a user with email ${email} already exists`);
      }
      const row = await tx.user.create({
        data: {
          id: user.id,
          email,
          passwordHash: user.passwordHash,
          claims: JSON.stringify(user.claims),
          createdAt: new Date(now),
        },
      });
      await tx.auditEvent.create({
        data: auditRow({ type: 'user.created', actor, userId: row.id }, now),
      });
      return toUserAccount(row);
    });
  }

  /**
   * Disabling a user, or changing their password, also ends their sessions and revokes every
   * token family: whoever held the old credentials must not keep a way in.
   */
  async setDisabled(
    email: string,
    disabled: boolean,
    actor: string,
    now: number,
  ): Promise<UserChange> {
    return this.#updateAndRevoke(
      email,
      { disabled },
      disabled,
      disabled ? 'user.disabled' : 'user.enabled',
      actor,
      now,
    );
  }

  /** Ends every session of the user and revokes all their token families (offline ones too). */
  async revokeAllSessions(email: string, actor: string, now: number): Promise<UserChange> {
    return this.#updateAndRevoke(email, {}, true, 'user.sessions_revoked', actor, now);
  }

  async setPasswordHash(
    email: string,
    passwordHash: string,
    actor: string,
    now: number,
  ): Promise<UserChange> {
    return this.#updateAndRevoke(
      email,
      { passwordHash, passwordChangedAt: new Date(now) },
      true,
      'user.password_changed',
      actor,
      now,
    );
  }

  async #updateAndRevoke(
    email: string,
    data: { disabled?: boolean; passwordHash?: string; passwordChangedAt?: Date },
    revoke: boolean,
    event: string,
    actor: string,
    nowMs: number,
  ): Promise<UserChange> {
    const normalized = email.toLowerCase();
    return this.#db.prisma.$transaction(async (tx) => {
      const existing = await tx.user.findUnique({ where: { email: normalized } });
      if (!existing) throw new StoreError('not_found', `no user with email ${normalized}`);
      const row = await tx.user.update({ where: { id: existing.id }, data });
      let revokedFamilies = 0;
      let endedSessions: EndedSession[] = [];
      if (revoke) {
        const now = new Date(nowMs);
        revokedFamilies = (
          await tx.tokenFamily.updateMany({
            where: { userId: row.id, revokedAt: null },
            data: { revokedAt: now, revokedReason: event },
          })
        ).count;
        endedSessions = await endSessions(tx, { userId: row.id }, now);
      }
      await tx.auditEvent.create({
        data: auditRow(
          { type: event, actor, userId: row.id, data: revoke ? { revokedFamilies } : {} },
          nowMs,
        ),
      });
      return { ...toUserAccount(row), endedSessions };
    });
  }
}
