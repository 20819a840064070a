import type {
  NewRefreshToken,
  RefreshTokenRecord,
  RefreshTokenStore,
  RotationResult,
} from '@idp/oidc';
import type { Database } from '../database.js';
import { claimThenInsert } from './claim-then-insert.js';
import { Prisma, type RefreshToken } from '../generated/sqlite/client.js';
import {
  aliased,
  canMatchStoredText,
  FAMILY_COLUMNS,
  insertAudit,
  insertRefreshToken,
  toFamilyRecord,
  toUserAccount,
  USER_COLUMNS,
  words,
  type RawRow,
} from './rows.js';

/**
 * Refresh tokens, stored by hash; the per-request statements are raw SQL (raw-sql.ts). Rotation
 * is a conditional update (`WHERE usedAt IS NULL`, expect one row) made atomic with the insert of
 * the successor, so concurrent rotations of one token produce exactly one successor; used rows are
 * kept, with the id of their successor, so a replay or a retry is recognised.
 */
export class RefreshTokenRepository implements RefreshTokenStore {
  constructor(private readonly db: Database) {}

  /** One statement for everything the refresh grant checks: token, family, user, consent, session. */
  async find(id: string): Promise<RefreshTokenRecord | null> {
    if (!canMatchStoredText(id)) return null;
    const [row] = await this.db.sql.query<RawRow>(Prisma.sql`
      SELECT t."id" AS "t_id", t."tokenHash" AS "t_tokenHash", t."expiresAt" AS "t_expiresAt", t."usedAt" AS "t_usedAt",
        ${FAMILY_COLUMNS}, ${USER_COLUMNS}, c."scope" AS "c_scope", s."id" AS "s_id", s."endedAt" AS "s_endedAt", s."expiresAt" AS "s_expiresAt"
      FROM "RefreshToken" t
      JOIN "TokenFamily" f ON f."id" = t."familyId"
      JOIN "User" u ON u."id" = f."userId"
      LEFT JOIN "Consent" c ON c."userId" = f."userId" AND c."clientId" = f."clientId"
      LEFT JOIN "BrowserSession" s ON s."id" = f."sessionId"
      WHERE t."id" = ${id}`);
    if (!row) return null;
    // Inner joins: a token row always comes with its family and user.
    const token = aliased<RefreshToken>(row, 't')!;
    const session = aliased<{ endedAt: Date | null; expiresAt: Date }>(row, 's');
    return {
      id: token.id,
      tokenHash: token.tokenHash,
      expiresAt: token.expiresAt.getTime(),
      usedAt: token.usedAt?.getTime() ?? null,
      family: toFamilyRecord(aliased(row, 'f')!),
      user: toUserAccount(aliased(row, 'u')!),
      consentedScopes: words(row.c_scope as string | null),
      session: session && {
        endedAt: session.endedAt?.getTime() ?? null,
        expiresAt: session.expiresAt.getTime(),
      },
    };
  }

  async rotate(
    current: { id: string; tokenHash: string },
    next: NewRefreshToken,
    now: number,
  ): Promise<RotationResult> {
    // The common case: claim the token (only one of concurrent rotations finds usedAt still null)
    // and insert the successor only if this claim won (replacedBy then holds its random id).
    const rotated = await claimThenInsert(
      this.db,
      Prisma.sql`
        UPDATE "RefreshToken" SET "usedAt" = ${new Date(now)}, "replacedBy" = ${next.id}
        WHERE "id" = ${current.id} AND "tokenHash" = ${current.tokenHash} AND "usedAt" IS NULL
          AND EXISTS (SELECT 1 FROM "TokenFamily" f WHERE f."id" = "RefreshToken"."familyId" AND f."revokedAt" IS NULL)`,
      [insertRefreshToken(next, now)],
      Prisma.sql`EXISTS (SELECT 1 FROM "RefreshToken" WHERE "id" = ${current.id} AND "replacedBy" = ${next.id})`,
    );
    if (rotated) return { outcome: 'rotated' };
    // Not claimable: unknown, family revoked, or already used (by an earlier or a concurrent
    // request). A token's state only moves forward (used stays used, revoked stays revoked), so
    // what is read here, after the claim failed, decides the same as a read inside it would.
    const [row] = await this.db.sql.query<RawRow>(Prisma.sql`
      SELECT t."tokenHash" AS "t_tokenHash", t."usedAt" AS "t_usedAt", f."revokedAt" AS "f_revokedAt",
        n."id" AS "n_id", n."tokenHash" AS "n_tokenHash", n."createdAt" AS "n_createdAt", n."expiresAt" AS "n_expiresAt", n."usedAt" AS "n_usedAt"
      FROM "RefreshToken" t
      JOIN "TokenFamily" f ON f."id" = t."familyId"
      LEFT JOIN "RefreshToken" n ON n."id" = t."replacedBy"
      WHERE t."id" = ${current.id}`);
    const usedAt = row?.t_usedAt as Date | null | undefined;
    if (!row || row.t_tokenHash !== current.tokenHash || row.f_revokedAt !== null || !usedAt)
      return { outcome: 'invalid' };
    const successor = aliased<RefreshToken>(row, 'n');
    return {
      outcome: 'used',
      usedAt: usedAt.getTime(),
      successor: successor && {
        id: successor.id,
        tokenHash: successor.tokenHash,
        createdAt: successor.createdAt.getTime(),
        expiresAt: successor.expiresAt.getTime(),
        usedAt: successor.usedAt?.getTime() ?? null,
      },
    };
  }

  /** One conditional update: unused, its hash, its family not revoked; never moved earlier. */
  async extendIdle(
    current: { id: string; tokenHash: string },
    expiresAt: number,
  ): Promise<boolean> {
    if (!canMatchStoredText(current.id)) return false;
    const changed = await this.db.sql.execute(Prisma.sql`
      UPDATE "RefreshToken" SET "expiresAt" = CASE WHEN "expiresAt" < ${new Date(expiresAt)} THEN ${new Date(expiresAt)} ELSE "expiresAt" END
      WHERE "id" = ${current.id} AND "tokenHash" = ${current.tokenHash} AND "usedAt" IS NULL
        AND EXISTS (SELECT 1 FROM "TokenFamily" f WHERE f."id" = "RefreshToken"."familyId" AND f."revokedAt" IS NULL)`);
    return changed === 1;
  }

  /** Only the request that revoked the family records why, in the same transaction. */
  async revokeForReuse(
    reuse: {
      familyId: string;
      tokenId: string;
      rotatedAt: number;
      clientId: string;
      userId: string;
    },
    now: number,
  ): Promise<boolean> {
    const { familyId, tokenId, rotatedAt, clientId, userId } = reuse;
    const data = { familyId, reusedTokenId: tokenId, rotatedAt: new Date(rotatedAt).toISOString() };
    return claimThenInsert(
      this.db,
      Prisma.sql`
        UPDATE "TokenFamily" SET "revokedAt" = ${new Date(now)}, "revokedReason" = ${'refresh_token_reuse'} WHERE "id" = ${familyId} AND "revokedAt" IS NULL`,
      [insertAudit({ type: 'refresh_token.reused', actor: clientId, userId, clientId, data }, now)],
    );
  }
}
