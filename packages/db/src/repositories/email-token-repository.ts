import type {
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
  aliased,
  canMatchStoredText,
  insertAudit,
  toUserAccount,
  USER_COLUMNS,
  type RawRow,
  type UserAccountColumns,
} from './rows.js';

type Tx = Parameters<Parameters<Database['prisma']['$transaction']>[0]>[0];

/**
 * Tokens mailed to people (ports/email-token-store.ts), by the SHA-256 of the link's token.
 * A use is one conditional UPDATE (unused, unexpired, user enabled and still at the mailed
 * address) that only one of concurrent requests wins, followed in the same transaction by what
 * it entitles to.
 */
export class EmailTokenRepository implements EmailTokenStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  async create(record: EmailTokenRecord, now: number, use: EmailTokenUse = {}): Promise<void> {
    await this.#db.sql.transaction([
      Prisma.sql`
        INSERT INTO "EmailToken" ("id", "purpose", "userId", "email", "createdAt", "expiresAt")
        VALUES (${record.tokenHash}, ${record.purpose}, ${record.userId}, ${record.email}, ${new Date(now)}, ${new Date(record.expiresAt)})`,
      insertAudit(
        {
          type: `${record.purpose}.sent`,
          actor: use.actor ?? record.userId,
          userId: record.userId,
          ...(use.ip ? { ip: use.ip } : {}),
        },
        now,
      ),
    ]);
  }

  async findLive(
    tokenHash: string,
    purpose: EmailTokenPurpose,
    now: number,
  ): Promise<LiveEmailToken | null> {
    if (!canMatchStoredText(tokenHash)) return null;
    const rows = await this.#db.sql.query<RawRow>(Prisma.sql`
      SELECT t."id" AS "t_id", t."purpose" AS "t_purpose", t."email" AS "t_email", t."expiresAt" AS "t_expiresAt", ${USER_COLUMNS}
      FROM "EmailToken" t JOIN "User" u ON u."id" = t."userId"
      WHERE t."id" = ${tokenHash} AND t."purpose" = ${purpose} AND t."usedAt" IS NULL
        AND t."expiresAt" > ${new Date(now)} AND u."email" = t."email" AND NOT u."disabled"`);
    const row = rows[0];
    if (!row) return null;
    const user = toUserAccount(aliased<UserAccountColumns>(row, 'u')!);
    return {
      tokenHash,
      purpose,
      userId: user.id,
      email: row.t_email as string,
      expiresAt: (row.t_expiresAt as Date).getTime(),
      user,
    };
  }

  async resetPassword(
    tokenHash: string,
    passwordHash: string,
    now: number,
    use: EmailTokenUse = {},
  ): Promise<UserAccount | null> {
    return this.#use(tokenHash, 'password_reset', now, async (tx, userId) => {
      const at = new Date(now);
      await tx.$executeRaw(Prisma.sql`
        UPDATE "User" SET "passwordHash" = ${passwordHash}, "passwordChangedAt" = ${at}, "updatedAt" = ${at} WHERE "id" = ${userId}`);
      await tx.$executeRaw(Prisma.sql`
        UPDATE "EmailToken" SET "usedAt" = ${at} WHERE "userId" = ${userId} AND "purpose" = ${'password_reset'} AND "usedAt" IS NULL`);
      const revokedFamilies = await tx.$executeRaw(Prisma.sql`
        UPDATE "TokenFamily" SET "revokedAt" = ${at}, "revokedReason" = ${'user.password_reset'} WHERE "userId" = ${userId} AND "revokedAt" IS NULL`);
      await tx.$executeRaw(Prisma.sql`
        UPDATE "BrowserSession" SET "endedAt" = ${at} WHERE "userId" = ${userId} AND "endedAt" IS NULL`);
      await tx.$executeRaw(
        insertAudit(
          {
            type: 'user.password_reset',
            actor: userId,
            userId,
            ...(use.ip ? { ip: use.ip } : {}),
            data: { revokedFamilies },
          },
          now,
        ),
      );
    });
  }

  async verifyEmail(
    tokenHash: string,
    now: number,
    use: EmailTokenUse = {},
  ): Promise<UserAccount | null> {
    return this.#use(tokenHash, 'email_verification', now, async (tx, userId) => {
      const [row] = await tx.$queryRaw<{ claims: string; email: string }[]>(Prisma.sql`
        SELECT "claims", "email" FROM "User" WHERE "id" = ${userId}`);
      const claims = { ...(JSON.parse(row!.claims) as object), email_verified: true };
      await tx.$executeRaw(Prisma.sql`
        UPDATE "User" SET "claims" = ${JSON.stringify(claims)}, "updatedAt" = ${new Date(now)} WHERE "id" = ${userId}`);
      await tx.$executeRaw(
        insertAudit(
          {
            type: 'user.email_verified',
            actor: userId,
            userId,
            ...(use.ip ? { ip: use.ip } : {}),
            data: { email: row!.email },
          },
          now,
        ),
      );
    });
  }

  /**
   * Claims a live token of `purpose` (the conditional UPDATE only one concurrent caller wins),
   * then runs `entitled` in the same transaction; the user as written, or null having written
   * nothing.
   */
  async #use(
    tokenHash: string,
    purpose: EmailTokenPurpose,
    now: number,
    entitled: (tx: Tx, userId: string) => Promise<void>,
  ): Promise<UserAccount | null> {
    if (!canMatchStoredText(tokenHash)) return null;
    const at = new Date(now);
    return this.#db.prisma.$transaction(async (tx) => {
      const claimed = await tx.$executeRaw(Prisma.sql`
        UPDATE "EmailToken" SET "usedAt" = ${at}
        WHERE "id" = ${tokenHash} AND "purpose" = ${purpose} AND "usedAt" IS NULL AND "expiresAt" > ${at}
          AND EXISTS (SELECT 1 FROM "User" u WHERE u."id" = "EmailToken"."userId"
            AND u."email" = "EmailToken"."email" AND NOT u."disabled")`);
      if (claimed !== 1) return null;
      const [token] = await tx.$queryRaw<{ userId: string }[]>(Prisma.sql`
        SELECT "userId" FROM "EmailToken" WHERE "id" = ${tokenHash}`);
      await entitled(tx, token!.userId);
      return toUserAccount(await tx.user.findUniqueOrThrow({ where: { id: token!.userId } }));
    });
  }
}
