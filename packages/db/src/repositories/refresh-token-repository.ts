import type {
  NewRefreshToken,
  RefreshTokenRecord,
  RefreshTokenStore,
  RotationResult,
} from '@idp/oidc';
import type { Database } from '../database.js';
import { claimThenInsert } from './claim-then-insert.js';
import { Prisma } from '../generated/sqlite/client.js';
import {
  canMatchStoredText,
  families,
  insertRefreshToken,
  table,
  toFamilyRecord,
  users,
  words,
} from './rows.js';
import { revokeFamilyWithEvent } from './token-family-repository.js';

type Token = Omit<RefreshTokenRecord, 'family' | 'user' | 'consentedScopes' | 'session'>;
const tokens = table<Token & { createdAt: number }>('RefreshToken', {
  ...{ id: 'value', tokenHash: 'value', createdAt: 'time', expiresAt: 'time', usedAt: 'time' },
});
const sessions = table<{ id: string; endedAt: number | null; expiresAt: number }>(
  'BrowserSession',
  { id: 'value', endedAt: 'time', expiresAt: 'time' },
);

/**
 * Refresh tokens, stored by hash; the per-request statements are raw SQL (database.ts). Used rows
 * are kept with their successor's id, so that a replay or a retry is recognised.
 */
export class RefreshTokenRepository implements RefreshTokenStore {
  constructor(private readonly db: Database) {}

  /** One statement for everything the refresh grant checks: token, family, user, consent, session. */
  async find(id: string): Promise<RefreshTokenRecord | null> {
    if (!canMatchStoredText(id)) return null;
    const [row] = await this.db.sql.query<{ c_scope: string | null }>(Prisma.sql`
      SELECT ${tokens.select('t')}, ${families.select('f')}, ${users.select('u')}, c."scope" AS "c_scope", ${sessions.select('s')}
      FROM "RefreshToken" t
      JOIN "TokenFamily" f ON f."id" = t."familyId"
      JOIN "User" u ON u."id" = f."userId"
      LEFT JOIN "Consent" c ON c."userId" = f."userId" AND c."clientId" = f."clientId"
      LEFT JOIN "BrowserSession" s ON s."id" = f."sessionId"
      WHERE t."id" = ${id}`);
    const token = tokens.read(row, 't');
    if (!token) return null;
    const { tokenHash, expiresAt, usedAt } = token;
    const session = sessions.read(row, 's');
    // Inner joins: a token row always comes with its family and user.
    return {
      ...{ id, tokenHash, expiresAt, usedAt },
      family: toFamilyRecord(row, 'f')!,
      user: users.read(row, 'u')!,
      consentedScopes: words(row!.c_scope),
      session: session && { endedAt: session.endedAt, expiresAt: session.expiresAt },
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
    const [row] = await this.db.sql.query<{ f_revokedAt: Date | null }>(Prisma.sql`
      SELECT ${tokens.select('t')}, f."revokedAt" AS "f_revokedAt", ${tokens.select('n')}
      FROM "RefreshToken" t
      JOIN "TokenFamily" f ON f."id" = t."familyId"
      LEFT JOIN "RefreshToken" n ON n."id" = t."replacedBy"
      WHERE t."id" = ${current.id}`);
    const token = tokens.read(row, 't');
    if (token?.tokenHash !== current.tokenHash || row!.f_revokedAt !== null || !token.usedAt)
      return { outcome: 'invalid' };
    return { outcome: 'used', usedAt: token.usedAt, successor: tokens.read(row, 'n') };
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
    const event = { type: 'refresh_token.reused', actor: clientId, userId, clientId, data };
    return revokeFamilyWithEvent(this.db, familyId, 'refresh_token_reuse', event, now);
  }
}
