import type {
  AccessTokenState,
  ClaimsRequest,
  TokenFamilyRecord,
  TokenFamilyStore,
} from '@idp/oidc';
import type { Database } from '../database.js';
import { Prisma, type TokenFamily } from '../generated/sqlite/client.js';
import { auditInsertSelect } from './audit.js';
import { claimThenInsert } from './claim-then-insert.js';
import { aliased, FAMILY_COLUMNS, rawBoolean, USER_COLUMNS, type RawRow } from './raw-rows.js';
import { toUserAccount, type UserAccountColumns } from './row-mappers.js';

/** Column values of a new family. */
export function familyColumns(family: TokenFamilyRecord) {
  return {
    id: family.id,
    clientId: family.clientId,
    userId: family.userId,
    sessionId: family.sessionId,
    scope: family.scopes.join(' '),
    claims: family.claims === null ? null : JSON.stringify(family.claims),
    authTime: new Date(family.authTime),
    amr: JSON.stringify(family.amr),
    acr: family.acr,
    offlineAccess: family.offlineAccess,
    resources: JSON.stringify(family.resources ?? []),
    createdAt: new Date(family.createdAt),
    expiresAt: new Date(family.expiresAt),
    revokedAt: family.revokedAt === null ? null : new Date(family.revokedAt),
  };
}

/** The TokenFamily columns a TokenFamilyRecord is made of (what raw-rows.ts's FAMILY_COLUMNS selects). */
export type FamilyColumns = Omit<TokenFamily, 'revokedReason'>;

export function toFamilyRecord(row: FamilyColumns): TokenFamilyRecord {
  return {
    id: row.id,
    clientId: row.clientId,
    userId: row.userId,
    sessionId: row.sessionId,
    scopes: row.scope.split(' ').filter(Boolean),
    claims: row.claims === null ? null : (JSON.parse(row.claims) as ClaimsRequest),
    authTime: row.authTime.getTime(),
    amr: JSON.parse(row.amr) as string[],
    acr: row.acr,
    offlineAccess: row.offlineAccess,
    createdAt: row.createdAt.getTime(),
    expiresAt: row.expiresAt.getTime(),
    revokedAt: row.revokedAt?.getTime() ?? null,
    ...(row.resources === '[]' ? {} : { resources: JSON.parse(row.resources) as string[] }),
  };
}

/** Token families and the access-token revocation list. */
export class TokenFamilyRepository implements TokenFamilyStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  async findFamily(familyId: string): Promise<TokenFamilyRecord | null> {
    const row = await this.#db.prisma.tokenFamily.findUnique({ where: { id: familyId } });
    return row ? toFamilyRecord(row) : null;
  }

  /** One raw statement (see raw-rows.ts): it runs on every userinfo and introspection request. */
  async accessTokenState(jti: string, familyId: string | null): Promise<AccessTokenState> {
    const rows = await this.#db.sql.query<RawRow>(Prisma.sql`
      SELECT EXISTS (SELECT 1 FROM "RevokedAccessToken" r WHERE r."jti" = ${jti}) AS "revoked", ${FAMILY_COLUMNS}, ${USER_COLUMNS}
      FROM (SELECT 1 AS "one") AS "lookup"
      LEFT JOIN "TokenFamily" f ON f."id" = ${familyId}
      LEFT JOIN "User" u ON u."id" = f."userId"`);
    const row = rows[0]!;
    const family = aliased<FamilyColumns>(row, 'f_');
    const user = aliased<UserAccountColumns>(row, 'u_');
    return {
      revoked: rawBoolean(row.revoked),
      family: family && toFamilyRecord(family),
      user: user && toUserAccount(user),
    };
  }

  async revokeFamily(
    familyId: string,
    now: number,
    reason: string,
    clientId: string,
  ): Promise<boolean> {
    return claimThenInsert(
      this.#db,
      Prisma.sql`
        UPDATE "TokenFamily" SET "revokedAt" = ${new Date(now)}, "revokedReason" = ${reason} WHERE "id" = ${familyId} AND "revokedAt" IS NULL`,
      [revocationAudit(clientId, { revoked: 'family', familyId }, now)],
      CLAIM_CHANGED_A_ROW,
    );
  }

  async revokeAccessToken(
    jti: string,
    expiresAt: number,
    clientId: string,
    now: number,
  ): Promise<boolean> {
    // Idempotent: revoking twice is not an error (RFC 7009 2.2), and records one event.
    return claimThenInsert(
      this.#db,
      Prisma.sql`
        INSERT INTO "RevokedAccessToken" ("jti", "expiresAt", "createdAt") VALUES (${jti}, ${new Date(expiresAt)}, ${new Date(now)})
        ON CONFLICT ("jti") DO NOTHING`,
      [revocationAudit(clientId, { revoked: 'access_token' }, now)],
      CLAIM_CHANGED_A_ROW,
    );
  }
}

/**
 * SQLite's test that the claim, the transaction's statement just before, changed its row:
 * `changes()` counts the rows the connection's last completed INSERT, UPDATE or DELETE changed,
 * and this process runs one transaction at a time on its connection. Only for a claim followed by
 * a single insert: a second insert's `changes()` would be the first insert's count.
 */
export const CLAIM_CHANGED_A_ROW = Prisma.sql`changes() = 1`;

/** The audit event of a client's revocation (RFC 7009), written with the revocation itself. */
function revocationAudit(clientId: string, data: Record<string, string>, at: number): Prisma.Sql {
  return auditInsertSelect({ type: 'token.revoked', actor: clientId, clientId, data }, at);
}
