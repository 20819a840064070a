import type { AccessTokenState, AuditRecord, TokenFamilyRecord, TokenFamilyStore } from '@idp/oidc';
import type { Database } from '../database.js';
import { Prisma } from '../generated/sqlite/client.js';
import { claimThenInsert } from './claim-then-insert.js';
import { families, insertAudit, toFamilyRecord, users } from './rows.js';

/** Revokes the live token families `where` selects, at `at`, for `reason`; how many it revoked. */
export async function revokeFamilies(
  tx: Pick<Prisma.TransactionClient, 'tokenFamily'>,
  where: Prisma.TokenFamilyWhereInput,
  at: Date,
  reason: string,
): Promise<number> {
  const data = { revokedAt: at, revokedReason: reason };
  return (await tx.tokenFamily.updateMany({ where: { ...where, revokedAt: null }, data })).count;
}

/**
 * Revokes one live family with the audit event that says why, on a request's path (revocation,
 * refresh token reuse): only the request that revoked it records the event, in the same transaction.
 */
export function revokeFamilyWithEvent(
  db: Database,
  familyId: string,
  reason: string,
  event: AuditRecord,
  now: number,
): Promise<boolean> {
  return claimThenInsert(
    db,
    Prisma.sql`
      UPDATE "TokenFamily" SET "revokedAt" = ${new Date(now)}, "revokedReason" = ${reason} WHERE "id" = ${familyId} AND "revokedAt" IS NULL`,
    [insertAudit(event, now)],
  );
}

/** Token families and the access-token revocation list. */
export class TokenFamilyRepository implements TokenFamilyStore {
  constructor(private readonly db: Database) {}

  async findFamily(familyId: string): Promise<TokenFamilyRecord | null> {
    return toFamilyRecord(await this.db.prisma.tokenFamily.findUnique({ where: { id: familyId } }));
  }

  /** One raw statement (database.ts): it runs on every userinfo and introspection request. */
  async accessTokenState(jti: string, familyId: string | null): Promise<AccessTokenState> {
    const [row] = await this.db.sql.query<{ revoked: unknown }>(Prisma.sql`
      SELECT EXISTS (SELECT 1 FROM "RevokedAccessToken" r WHERE r."jti" = ${jti}) AS "revoked", ${families.select('f')}, ${users.select('u')}
      FROM (SELECT 1 AS "one") AS "lookup"
      LEFT JOIN "TokenFamily" f ON f."id" = ${familyId}
      LEFT JOIN "User" u ON u."id" = f."userId"`);
    return {
      // An expression has no declared type: PostgreSQL answers a boolean, SQLite an INTEGER.
      revoked: ([true, 1, 1n] as unknown[]).includes(row!.revoked),
      family: toFamilyRecord(row, 'f'),
      user: users.read(row, 'u'),
    };
  }

  async revokeFamily(familyId: string, now: number, reason: string, clientId: string) {
    const event = revocationEvent(clientId, { revoked: 'family', familyId });
    return revokeFamilyWithEvent(this.db, familyId, reason, event, now);
  }

  /** Idempotent: revoking twice is not an error (RFC 7009 2.2), and records one event. */
  async revokeAccessToken(jti: string, expiresAt: number, clientId: string, now: number) {
    return claimThenInsert(
      this.db,
      Prisma.sql`
        INSERT INTO "RevokedAccessToken" ("jti", "expiresAt", "createdAt") VALUES (${jti}, ${new Date(expiresAt)}, ${new Date(now)})
        ON CONFLICT ("jti") DO NOTHING`,
      [insertAudit(revocationEvent(clientId, { revoked: 'access_token' }), now)],
    );
  }
}

/** The audit event of a client's revocation (RFC 7009), written with the revocation itself. */
function revocationEvent(clientId: string, data: Record<string, string>): AuditRecord {
  return { type: 'token.revoked', actor: clientId, clientId, data };
}
