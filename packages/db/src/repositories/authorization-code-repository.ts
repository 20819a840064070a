import type {
  AuthorizationCodeRecord,
  AuthorizationCodeStore,
  ClaimsRequest,
  FoundAuthorizationCode,
  NewRefreshToken,
  TokenFamilyRecord,
} from '@idp/oidc';
import type { Database } from '../database.js';
import { Prisma, type AuthorizationCode } from '../generated/sqlite/client.js';
import { claimThenInsert } from './claim-then-insert.js';
import {
  aliased,
  columns,
  startFamily,
  toUserAccount,
  USER_COLUMNS,
  words,
  type RawRow,
  type UserAccountColumns,
} from './rows.js';

const CODE_COLUMNS = columns('a', [
  ...['id', 'clientId', 'userId', 'sessionId', 'redirectUri', 'scope', 'nonce', 'codeChallenge'],
  ...['codeChallengeMethod', 'claims', 'resources', 'authTime', 'amr', 'acr', 'dpopJkt'],
  ...['createdAt', 'expiresAt', 'consumedAt', 'familyId'],
]);

function toRecord(row: AuthorizationCode): AuthorizationCodeRecord {
  return {
    codeHash: row.id,
    clientId: row.clientId,
    userId: row.userId,
    sessionId: row.sessionId,
    redirectUri: row.redirectUri,
    scopes: words(row.scope),
    nonce: row.nonce,
    codeChallenge: row.codeChallenge,
    claims: row.claims === null ? null : (JSON.parse(row.claims) as ClaimsRequest),
    resources: JSON.parse(row.resources) as string[],
    authTime: row.authTime.getTime(),
    amr: JSON.parse(row.amr) as string[],
    acr: row.acr,
    dpopJkt: row.dpopJkt,
    expiresAt: row.expiresAt.getTime(),
    consumedAt: row.consumedAt?.getTime() ?? null,
    familyId: row.familyId,
  };
}

/**
 * Authorization codes, stored by hash. Saving and finding one are raw SQL (raw-sql.ts: one of each
 * per login); redemption is a conditional update made atomic with the family's inserts.
 */
export class AuthorizationCodeRepository implements AuthorizationCodeStore {
  constructor(private readonly db: Database) {}

  async save(record: AuthorizationCodeRecord, now: number): Promise<void> {
    const r = record;
    await this.db.sql.execute(Prisma.sql`
      INSERT INTO "AuthorizationCode" ("id", "clientId", "userId", "sessionId", "redirectUri", "scope", "nonce", "codeChallenge",
        "codeChallengeMethod", "claims", "resources", "authTime", "amr", "acr", "dpopJkt", "createdAt", "expiresAt")
      VALUES (${r.codeHash}, ${r.clientId}, ${r.userId}, ${r.sessionId}, ${r.redirectUri}, ${r.scopes.join(' ')},
        ${r.nonce}, ${r.codeChallenge}, ${r.codeChallenge === null ? null : 'S256'}, ${r.claims === null ? null : JSON.stringify(r.claims)},
        ${JSON.stringify(r.resources)}, ${new Date(r.authTime)}, ${JSON.stringify(r.amr)}, ${r.acr}, ${r.dpopJkt}, ${new Date(now)},
        ${new Date(r.expiresAt)})`);
  }

  /** The code and its user in one statement. */
  async find(codeHash: string): Promise<FoundAuthorizationCode | null> {
    const [row] = await this.db.sql.query<RawRow>(Prisma.sql`
      SELECT ${CODE_COLUMNS}, ${USER_COLUMNS} FROM "AuthorizationCode" a LEFT JOIN "User" u ON u."id" = a."userId" WHERE a."id" = ${codeHash}`);
    if (!row) return null;
    const user = aliased<UserAccountColumns>(row, 'u');
    return {
      ...toRecord(aliased<AuthorizationCode>(row, 'a')!),
      user: user && toUserAccount(user),
    };
  }

  /**
   * The conditional update (only the first of concurrent redemptions finds consumedAt still
   * null) and the inserts of the family and its first refresh token, which happen only if that
   * update won (the code then names our new, random family id).
   */
  async redeem(
    codeHash: string,
    now: number,
    family: TokenFamilyRecord,
    refreshToken: NewRefreshToken | null,
  ): Promise<boolean> {
    return claimThenInsert(
      this.db,
      Prisma.sql`UPDATE "AuthorizationCode" SET "consumedAt" = ${new Date(now)}, "familyId" = ${family.id} WHERE "id" = ${codeHash} AND "consumedAt" IS NULL`,
      startFamily(family, refreshToken, now),
      Prisma.sql`EXISTS (SELECT 1 FROM "AuthorizationCode" WHERE "id" = ${codeHash} AND "familyId" = ${family.id})`,
    );
  }

  async revokeIssuedFrom(codeHash: string, now: number, reason: string): Promise<void> {
    const code = await this.db.prisma.authorizationCode.findUnique({ where: { id: codeHash } });
    if (!code?.familyId) return;
    await this.db.prisma.tokenFamily.updateMany({
      where: { id: code.familyId, revokedAt: null },
      data: { revokedAt: new Date(now), revokedReason: reason },
    });
  }
}
