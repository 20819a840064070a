import {
  changedClaims,
  StoreError,
  type NewUser,
  type PageQuery,
  type StandardClaims,
  type UserAccount,
  type UserChange,
  type UserStore,
} from '@idp/oidc';
import type { Database } from '../database.js';
import { pageWhere } from './page-filter.js';
import { Prisma } from '../generated/sqlite/client.js';
import { audit, canMatchStoredText, isUniqueViolation, toUserAccount, users } from './rows.js';
import { signOutUser } from './session-repository.js';

/** The user at `email` (lower-cased), in the transaction that changes it; not_found when none. */
async function existingUser(tx: Prisma.TransactionClient, email: string) {
  const normalized = email.toLowerCase();
  const user = await tx.user.findUnique({ where: { email: normalized } });
  if (!user) throw new StoreError('not_found', `no user with email ${normalized}`);
  return user;
}

/** Users: lookups for login, and the admin operations of the CLI. Emails are lower-cased. */
export class UserRepository implements UserStore {
  constructor(private readonly db: Database) {}

  /** Raw SQL (database.ts): every login looks the account up. */
  async findByEmail(email: string): Promise<UserAccount | null> {
    return this.#find(Prisma.sql`u."email" = ${email.toLowerCase()}`, email);
  }

  /** Raw SQL (database.ts): every authorization request with a session looks its user up. */
  async findById(id: string): Promise<UserAccount | null> {
    return this.#find(Prisma.sql`u."id" = ${id}`, id);
  }

  async #find(where: Prisma.Sql, key: string): Promise<UserAccount | null> {
    if (!canMatchStoredText(key)) return null;
    const [row] = await this.db.sql.query(
      Prisma.sql`SELECT ${users.select('u')} FROM "User" u WHERE ${where}`,
    );
    return users.read(row, 'u');
  }

  async list(): Promise<UserAccount[]> {
    const rows = await this.db.prisma.user.findMany({ orderBy: { email: 'asc' } });
    return rows.map(toUserAccount);
  }

  async page(query: PageQuery): Promise<UserAccount[]> {
    if (!canMatchStoredText(`${query.after ?? ''}${query.search ?? ''}`)) return [];
    const rows = await this.db.sql.query(
      Prisma.sql`SELECT ${users.select('u')} FROM "User" u ${pageWhere(query, 'email', ['email'], ['id'])} ORDER BY u."email" LIMIT ${query.limit}`,
    );
    return rows.map((row) => users.read(row, 'u')!);
  }

  /** Replaces the claims; sessions and tokens stay (nothing about the credentials changed). */
  async setClaims(
    email: string,
    claims: StandardClaims,
    actor: string,
    now: number,
  ): Promise<UserAccount> {
    return this.db.prisma.$transaction(async (tx) => {
      const existing = await existingUser(tx, email);
      const data = { claims: JSON.stringify(claims) };
      const row = await tx.user.update({ where: { id: existing.id }, data });
      const changed = changedClaims(toUserAccount(existing).claims, claims);
      await audit(tx, { type: 'user.updated', actor, userId: row.id, data: { changed } }, now);
      return toUserAccount(row);
    });
  }

  async create(user: NewUser, actor: string, now: number): Promise<UserAccount> {
    const email = user.email.toLowerCase();
    const taken = () => new StoreError('conflict', `a user with email ${email} already exists`);
    return this.db.prisma
      .$transaction(async (tx) => {
        if (await tx.user.findUnique({ where: { email } })) throw taken();
        const { id, passwordHash } = user;
        const data = { id, email, passwordHash, claims: JSON.stringify(user.claims) };
        const row = await tx.user.create({ data: { ...data, createdAt: new Date(now) } });
        await audit(tx, { type: 'user.created', actor, userId: row.id }, now);
        return toUserAccount(row);
      })
      .catch((error: unknown) => {
        throw isUniqueViolation(error) ? taken() : error;
      });
  }

  /** The role only: sessions and tokens stay, since the admin API reads the role per call. */
  async setAdmin(email: string, admin: boolean, actor: string, now: number): Promise<UserAccount> {
    return this.db.prisma.$transaction(async (tx) => {
      const existing = await existingUser(tx, email);
      const row = await tx.user.update({ where: { id: existing.id }, data: { admin } });
      const type = admin ? 'user.admin_granted' : 'user.admin_revoked';
      await audit(tx, { type, actor, userId: row.id }, now);
      return toUserAccount(row);
    });
  }

  /**
   * Disabling a user, or changing their password, also ends their sessions and revokes every
   * token family: whoever held the old credentials must not keep a way in.
   */
  async setDisabled(email: string, disabled: boolean, actor: string, now: number) {
    const event = disabled ? 'user.disabled' : 'user.enabled';
    return this.#change(email, { disabled }, event, actor, now, disabled && {});
  }

  /** Ends every session of the user and revokes all their token families (offline ones too). */
  async revokeAllSessions(email: string, actor: string, now: number): Promise<UserChange> {
    return this.#change(email, {}, 'user.sessions_revoked', actor, now, {});
  }

  /** With `keepSessionId`, the session the person changed it from stays (they proved the old one). */
  async setPasswordHash(
    email: string,
    passwordHash: string,
    actor: string,
    now: number,
    options: { keepSessionId?: string } = {},
  ) {
    const data = { passwordHash, passwordChangedAt: new Date(now) };
    return this.#change(email, data, 'user.password_changed', actor, now, options);
  }

  /** Updates the user and, unless `revoke` is false, revokes their access but the kept session. */
  async #change(
    email: string,
    data: Prisma.UserUpdateInput,
    event: string,
    actor: string,
    now: number,
    revoke: false | { keepSessionId?: string },
  ): Promise<UserChange> {
    const at = new Date(now);
    return this.db.prisma.$transaction(async (tx) => {
      const { id: userId } = await existingUser(tx, email);
      const row = await tx.user.update({ where: { id: userId }, data });
      if (!revoke) {
        await audit(tx, { type: event, actor, userId, data: {} }, now);
        return { ...toUserAccount(row), endedSessions: [] };
      }
      const signedOut = await signOutUser(tx, userId, at, event, revoke.keepSessionId);
      const { revokedFamilies, endedSessions } = signedOut;
      await audit(tx, { type: event, actor, userId, data: { revokedFamilies } }, now);
      return { ...toUserAccount(row), endedSessions };
    });
  }
}
