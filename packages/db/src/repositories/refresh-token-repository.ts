import type { NewRefreshToken, RefreshTokenRecord, RefreshTokenStore, RotationOutcome } from '@idp/oidc';
import type { Database } from '../database.js';
import { auditRow } from './audit.js';
import { claimThenInsert } from './claim-then-insert.js';
import { Prisma, type BrowserSession, type Consent, type RefreshToken } from '../generated/sqlite/client.js';
import { aliased, FAMILY_COLUMNS, USER_COLUMNS, type RawRow } from './raw-rows.js';
import { toUserAccount, type UserAccountColumns } from './row-mappers.js';
import { toFamilyRecord, type FamilyColumns } from './token-family-repository.js';
import { canMatchStoredText } from './lookup-key.js';

/**
 * Refresh tokens, stored by hash; the per-request statements are raw SQL (see raw-rows.ts).
 * Rotation is a conditional update (`WHERE usedAt IS NULL`, expect one row) made atomic with the
 * insert of the successor, so concurrent rotations of one token produce exactly one successor;
 * used rows are kept so a replay is recognised.
 */
export class RefreshTokenRepository implements RefreshTokenStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** One lookup (one raw statement) for everything the refresh grant checks: token, family, user, consent, session. */
  async find(id: string): Promise<RefreshTokenRecord | null> {
    if (!canMatchStoredText(id)) return null;
    const rows = await this.#db.sql.query<RawRow>(Prisma.sql`
      SELECT t."id" AS "t_id", t."tokenHash" AS "t_tokenHash", t."expiresAt" AS "t_expiresAt", t."usedAt" AS "t_usedAt",
        ${FAMILY_COLUMNS}, ${USER_COLUMNS}, c."scope" AS "c_scope", s."id" AS "s_id", s."endedAt" AS "s_endedAt", s."expiresAt" AS "s_expiresAt"
      FROM "RefreshToken" t
      JOIN "TokenFamily" f ON f."id" = t."familyId"
      JOIN "User" u ON u."id" = f."userId"
      LEFT JOIN "Consent" c ON c."userId" = f."userId" AND c."clientId" = f."clientId"
      LEFT JOIN "BrowserSession" s ON s."id" = f."sessionId"
      WHERE t."id" = ${id}`);
    const row = rows[0];
    if (!row) return null;
    // Inner joins: a token row always comes with its family and user.
    const token = aliased<Pick<RefreshToken, 'id' | 'tokenHash' | 'expiresAt' | 'usedAt'>>(row, 't_')!;
    const consentedScope = row.c_scope as Consent['scope'] | null;
    const session = aliased<Pick<BrowserSession, 'id' | 'endedAt' | 'expiresAt'>>(row, 's_');
    return {
      id: token.id,
      tokenHash: token.tokenHash,
      expiresAt: token.expiresAt.getTime(),
      usedAt: token.usedAt?.getTime() ?? null,
      family: toFamilyRecord(aliased<FamilyColumns>(row, 'f_')!),
      user: toUserAccount(aliased<UserAccountColumns>(row, 'u_')!),
      consentedScopes: consentedScope ? consentedScope.split(' ').filter(Boolean) : [],
      session: session && { endedAt: session.endedAt?.getTime() ?? null, expiresAt: session.expiresAt.getTime() },
    };
  }

  async rotate(current: { id: string; tokenHash: string }, next: NewRefreshToken, now: number, graceMs: number): Promise<RotationOutcome> {
    const at = new Date(now);
    const expiresAt = new Date(next.expiresAt);
    const { prisma } = this.#db;
    // The common case: claim the token (only one of concurrent rotations finds usedAt still null)
    // and insert the successor only if this claim won (replacedBy then holds its random id).
    const rotated = await claimThenInsert(
      this.#db,
      Prisma.sql`
        UPDATE "RefreshToken" SET "usedAt" = ${at}, "replacedBy" = ${next.id}
        WHERE "id" = ${current.id} AND "tokenHash" = ${current.tokenHash} AND "usedAt" IS NULL
          AND EXISTS (SELECT 1 FROM "TokenFamily" f WHERE f."id" = "RefreshToken"."familyId" AND f."revokedAt" IS NULL)`,
      [
        Prisma.sql`
          INSERT INTO "RefreshToken" ("id", "familyId", "tokenHash", "createdAt", "expiresAt")
          SELECT ${next.id}, ${next.familyId}, ${next.tokenHash}, ${at}, ${expiresAt}`,
      ],
      Prisma.sql`EXISTS (SELECT 1 FROM "RefreshToken" WHERE "id" = ${current.id} AND "replacedBy" = ${next.id})`,
    );
    if (rotated) return 'rotated';
    // Not claimable: unknown, family revoked, or already used (by an earlier or a concurrent
    // request). A token's state only moves forward (used stays used, revoked stays revoked), so
    // what is read here, after the claim failed, decides the same as a read inside it would.
    const row = await prisma.refreshToken.findUnique({ where: { id: current.id }, include: { family: true } });
    if (!row || row.tokenHash !== current.tokenHash || row.family.revokedAt !== null || row.usedAt === null) return 'invalid';
    const { family, usedAt } = row;
    // A concurrent request may have read its clock before the winner set usedAt, so the
    // difference can be negative: with no grace period configured it is never grace.
    if (graceMs > 0 && now - usedAt.getTime() <= graceMs) {
      await prisma.refreshToken.create({ data: { id: next.id, familyId: next.familyId, tokenHash: next.tokenHash, createdAt: at, expiresAt } });
      return 'grace';
    }
    // The revocation is the transaction's first statement, a write: on SQLite a transaction that
    // reads first and then writes fails at once (SQLITE_BUSY) when another process wrote meanwhile.
    await prisma.$transaction(async (tx) => {
      const revoked = await tx.tokenFamily.updateMany({
        where: { id: family.id, revokedAt: null },
        data: { revokedAt: at, revokedReason: 'refresh_token_reuse' },
      });
      // Only the request that revoked the family records why.
      if (revoked.count === 1) {
        await tx.auditEvent.create({
          data: auditRow({
            type: 'refresh_token.reused',
            actor: family.clientId,
            userId: family.userId,
            clientId: family.clientId,
            data: { familyId: family.id, reusedTokenId: row.id, rotatedAt: usedAt.toISOString() },
          }),
        });
      }
    });
    return 'reused';
  }
}
