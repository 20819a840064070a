import type {
  AuditRecord,
  EmailTokenPurpose,
  EmailTokenRecord,
  EmailTokenStore,
  EmailTokenUse,
  LiveEmailToken,
  UserAccount,
} from '@idp/oidc';
import type { Database } from '../database.js';
import { Prisma } from '../generated/sqlite/client.js';
import {
  audit,
  canMatchStoredText,
  insertAudit,
  isUniqueViolation,
  table,
  toUserAccount,
  userEvent,
  users,
} from './rows.js';
import { signOutUser } from './session-repository.js';

type Tx = Prisma.TransactionClient;

const columns = table<EmailTokenRecord>('EmailToken', {
  ...{ tokenHash: ['value', 'id'], purpose: 'value', userId: 'value', email: 'value' },
  ...{ newEmail: 'value', expiresAt: 'time' },
});
/** As `columns`, but a record without a new address has no `newEmail` (the port's shape). */
const tokens = {
  ...columns,
  read(row: object | null | undefined, alias?: string): EmailTokenRecord | null {
    const record = columns.read(row, alias);
    if (!record) return null;
    const { newEmail, ...rest } = record;
    return newEmail === null ? rest : record;
  },
};

/** Thrown inside a transaction to roll it back when the new address is taken. */
class AddressTaken extends Error {}

/** Tokens mailed to people (ports/email-token-store.ts), by the SHA-256 of the link's token. */
export class EmailTokenRepository implements EmailTokenStore {
  constructor(private readonly db: Database) {}

  async create(record: EmailTokenRecord, now: number, use: EmailTokenUse = {}): Promise<void> {
    await this.db.sql.transaction([
      tokens.insert(record, { createdAt: new Date(now) }),
      insertAudit(userEvent(`${record.purpose}.sent`, record.userId, use), now),
    ]);
  }

  async findLive(
    tokenHash: string,
    purpose: EmailTokenPurpose,
    now: number,
  ): Promise<LiveEmailToken | null> {
    if (!canMatchStoredText(tokenHash)) return null;
    const [row] = await this.db.sql.query(Prisma.sql`
      SELECT ${tokens.select('t')}, ${users.select('u')}
      FROM "EmailToken" t JOIN "User" u ON u."id" = t."userId"
      WHERE t."id" = ${tokenHash} AND t."purpose" = ${purpose} AND t."usedAt" IS NULL
        AND t."expiresAt" > ${new Date(now)} AND u."email" = t."email" AND NOT u."disabled"`);
    const token = tokens.read(row, 't');
    return token && { ...token, user: users.read(row, 'u')! };
  }

  async resetPassword(
    tokenHash: string,
    passwordHash: string,
    now: number,
    use: EmailTokenUse = {},
  ): Promise<UserAccount | null> {
    return this.#use(tokenHash, 'password_reset', now, async (tx, userId, at) => {
      const data = { passwordHash, passwordChangedAt: at, updatedAt: at };
      await tx.user.update({ where: { id: userId }, data });
      const unused = { userId, purpose: 'password_reset', usedAt: null };
      await tx.emailToken.updateMany({ where: unused, data: { usedAt: at } });
      const { revokedFamilies } = await signOutUser(tx, userId, at, 'user.password_reset');
      return userEvent('user.password_reset', userId, { ip: use.ip }, { revokedFamilies });
    });
  }

  async verifyEmail(
    tokenHash: string,
    now: number,
    use: EmailTokenUse = {},
  ): Promise<UserAccount | null> {
    return this.#use(tokenHash, 'email_verification', now, async (tx, userId, at) => {
      const { claims, email } = await tx.user.findUniqueOrThrow({ where: { id: userId } });
      const verified = JSON.stringify({ ...(JSON.parse(claims) as object), email_verified: true });
      await tx.user.update({ where: { id: userId }, data: { claims: verified, updatedAt: at } });
      return userEvent('user.email_verified', userId, { ip: use.ip }, { email });
    });
  }

  async changeEmail(
    tokenHash: string,
    now: number,
    use: EmailTokenUse = {},
  ): Promise<{ readonly user: UserAccount } | 'taken' | null> {
    try {
      const user = await this.#use(tokenHash, 'email_change', now, async (tx, userId, at) => {
        const token = await tx.emailToken.findUniqueOrThrow({ where: { id: tokenHash } });
        const { claims, email: from } = await tx.user.findUniqueOrThrow({ where: { id: userId } });
        const to = token.newEmail;
        if (!to) throw new AddressTaken('an email_change token without a new address');
        const taken = await tx.user.findUnique({ where: { email: to }, select: { id: true } });
        if (taken && taken.id !== userId) throw new AddressTaken(to);
        const verified = { ...(JSON.parse(claims) as object), email_verified: true };
        // A concurrent change to the same address loses on the unique index (P2002, below).
        await tx.user.update({
          where: { id: userId },
          data: { email: to, claims: JSON.stringify(verified), updatedAt: at },
        });
        const unused = { userId, usedAt: null };
        await tx.emailToken.updateMany({ where: unused, data: { usedAt: at } });
        return userEvent('user.email_changed', userId, { ip: use.ip }, { from, to });
      });
      return user && { user };
    } catch (error) {
      if (error instanceof AddressTaken || isUniqueViolation(error)) return 'taken';
      throw error;
    }
  }

  /**
   * Claims a live token of `purpose` (a conditional UPDATE only one concurrent caller wins), then
   * runs `entitled` and records its event in the same transaction; the user as written, or null.
   */
  async #use(
    tokenHash: string,
    purpose: EmailTokenPurpose,
    now: number,
    entitled: (tx: Tx, userId: string, at: Date) => Promise<AuditRecord>,
  ): Promise<UserAccount | null> {
    if (!canMatchStoredText(tokenHash)) return null;
    const at = new Date(now);
    return this.db.prisma.$transaction(async (tx) => {
      const claimed = await tx.$executeRaw(Prisma.sql`
        UPDATE "EmailToken" SET "usedAt" = ${at}
        WHERE "id" = ${tokenHash} AND "purpose" = ${purpose} AND "usedAt" IS NULL AND "expiresAt" > ${at}
          AND EXISTS (SELECT 1 FROM "User" u WHERE u."id" = "EmailToken"."userId"
            AND u."email" = "EmailToken"."email" AND NOT u."disabled")`);
      if (claimed !== 1) return null;
      const { userId } = await tx.emailToken.findUniqueOrThrow({ where: { id: tokenHash } });
      await audit(tx, await entitled(tx, userId, at), now);
      return toUserAccount(await tx.user.findUniqueOrThrow({ where: { id: userId } }));
    });
  }
}
