import type { NewRefreshToken, RefreshTokenRecord, RefreshTokenStore, RotationOutcome } from '@idp/oidc';
import type { Database } from '../database.js';
import { auditRow } from './audit.js';
import { FAMILY_COLUMNS, familyFromRaw, rawString, rawStringOrNull, rawTime, rawTimeOrNull, USER_COLUMNS, userFromRaw, type RawRow } from './raw-rows.js';

/**
 * Refresh tokens, stored by hash; the per-request statements are raw SQL (see raw-rows.ts).
 * Rotation is a conditional update (`WHERE usedAt IS NULL`, expect one row) in a transaction
 * with the insert of the successor, so concurrent rotations of
 * one token produce exactly one successor; used rows are kept so a replay is recognised.
 */
export class RefreshTokenRepository implements RefreshTokenStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** One lookup (one raw statement) for everything the refresh grant checks: token, family, user, consent, session. */
  async find(id: string): Promise<RefreshTokenRecord | null> {
    const rows = await this.#db.prisma.$queryRaw<RawRow[]>`
      SELECT t."id" AS "t_id", t."tokenHash" AS "t_tokenHash", t."expiresAt" AS "t_expiresAt", t."usedAt" AS "t_usedAt",
        ${FAMILY_COLUMNS}, ${USER_COLUMNS}, c."scope" AS "c_scope", s."id" AS "s_id", s."endedAt" AS "s_endedAt", s."expiresAt" AS "s_expiresAt"
      FROM "RefreshToken" t
      JOIN "TokenFamily" f ON f."id" = t."familyId"
      JOIN "User" u ON u."id" = f."userId"
      LEFT JOIN "Consent" c ON c."userId" = f."userId" AND c."clientId" = f."clientId"
      LEFT JOIN "BrowserSession" s ON s."id" = f."sessionId"
      WHERE t."id" = ${id}`;
    const row = rows[0];
    if (!row) return null;
    const consent = rawStringOrNull(row.c_scope ?? null);
    return {
      id: rawString(row.t_id!),
      tokenHash: rawString(row.t_tokenHash!),
      expiresAt: rawTime(row.t_expiresAt!),
      usedAt: rawTimeOrNull(row.t_usedAt!),
      family: familyFromRaw(row)!,
      user: userFromRaw(row)!,
      consentedScopes: consent ? consent.split(' ').filter(Boolean) : [],
      session: row.s_id === null ? null : { endedAt: rawTimeOrNull(row.s_endedAt!), expiresAt: rawTime(row.s_expiresAt!) },
    };
  }

  async rotate(current: { id: string; tokenHash: string }, next: NewRefreshToken, now: number, graceMs: number): Promise<RotationOutcome> {
    const at = new Date(now);
    const expiresAt = new Date(next.expiresAt);
    const { prisma } = this.#db;
    // The common case in one batch transaction of two raw statements: claim the token (only one of
    // concurrent rotations finds usedAt still null) and insert the successor only if this claim
    // won (replacedBy holds our successor's random id).
    const [claimed] = await prisma.$transaction([
      prisma.$executeRaw`
        UPDATE "RefreshToken" SET "usedAt" = ${at}, "replacedBy" = ${next.id}
        WHERE "id" = ${current.id} AND "tokenHash" = ${current.tokenHash} AND "usedAt" IS NULL
          AND EXISTS (SELECT 1 FROM "TokenFamily" f WHERE f."id" = "RefreshToken"."familyId" AND f."revokedAt" IS NULL)`,
      prisma.$executeRaw`
        INSERT INTO "RefreshToken" ("id", "familyId", "tokenHash", "createdAt", "expiresAt")
        SELECT ${next.id}, ${next.familyId}, ${next.tokenHash}, ${at}, ${expiresAt}
        WHERE EXISTS (SELECT 1 FROM "RefreshToken" WHERE "id" = ${current.id} AND "replacedBy" = ${next.id})`,
    ]);
    if (claimed === 1) return 'rotated';
    // Not claimable: unknown, family revoked, or already used (by an earlier or a concurrent
    // request). A token's state only moves forward (used stays used, revoked stays revoked), so
    // what is read here, after the claim failed, decides the same as a read inside it would.
    const rows = await prisma.$queryRaw<RawRow[]>`
      SELECT t."tokenHash" AS "t_tokenHash", t."usedAt" AS "t_usedAt", t."familyId" AS "t_familyId",
        f."revokedAt" AS "f_revokedAt", f."clientId" AS "f_clientId", f."userId" AS "f_userId"
      FROM "RefreshToken" t JOIN "TokenFamily" f ON f."id" = t."familyId"
      WHERE t."id" = ${current.id}`;
    const row = rows[0];
    const usedAt = row ? rawTimeOrNull(row.t_usedAt!) : null;
    if (!row || row.t_tokenHash !== current.tokenHash || row.f_revokedAt !== null || usedAt === null) return 'invalid';
    // A concurrent request may have read its clock before the winner set usedAt, so the
    // difference can be negative: with no grace period configured it is never grace.
    if (graceMs > 0 && now - usedAt <= graceMs) {
      await prisma.$executeRaw`
        INSERT INTO "RefreshToken" ("id", "familyId", "tokenHash", "createdAt", "expiresAt")
        VALUES (${next.id}, ${next.familyId}, ${next.tokenHash}, ${at}, ${expiresAt})`;
      return 'grace';
    }
    const familyId = rawString(row.t_familyId!);
    const clientId = rawString(row.f_clientId!);
    // The revocation is the transaction's first statement, a write: on SQLite a transaction that
    // reads first and then writes fails at once (SQLITE_BUSY) when another process wrote meanwhile.
    await prisma.$transaction(async (tx) => {
      const revoked = await tx.$executeRaw`
        UPDATE "TokenFamily" SET "revokedAt" = ${at}, "revokedReason" = ${'refresh_token_reuse'} WHERE "id" = ${familyId} AND "revokedAt" IS NULL`;
      // Only the request that revoked the family records why.
      if (revoked === 1) {
        await tx.auditEvent.create({
          data: auditRow({
            type: 'refresh_token.reused',
            actor: clientId,
            userId: rawString(row.f_userId!),
            clientId,
            data: { familyId, reusedTokenId: current.id, rotatedAt: new Date(usedAt).toISOString() },
          }),
        });
      }
    });
    return 'reused';
  }
}
