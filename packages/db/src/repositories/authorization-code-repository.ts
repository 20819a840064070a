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
import { aliased, CODE_COLUMNS, USER_COLUMNS, type RawRow } from './raw-rows.js';
import { toUserAccount, type UserAccountColumns } from './row-mappers.js';
import { familyColumns } from './token-family-repository.js';

function toRecord(row: AuthorizationCode): AuthorizationCodeRecord {
  return {
    codeHash: row.id,
    clientId: row.clientId,
    userId: row.userId,
    sessionId: row.sessionId,
    redirectUri: row.redirectUri,
    scopes: row.scope.split(' ').filter(Boolean),
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

/** Authorization codes, stored by hash; redemption is a conditional update made atomic with the family's inserts. */
export class AuthorizationCodeRepository implements AuthorizationCodeStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Raw SQL (see raw-rows.ts): one per authorization response. */
  async save(record: AuthorizationCodeRecord, now: number): Promise<void> {
    await this.#db.sql.execute(Prisma.sql`
      INSERT INTO "AuthorizationCode" ("id", "clientId", "userId", "sessionId", "redirectUri", "scope", "nonce", "codeChallenge",
        "codeChallengeMethod", "claims", "resources", "authTime", "amr", "acr", "dpopJkt", "createdAt", "expiresAt")
      VALUES (${record.codeHash}, ${record.clientId}, ${record.userId}, ${record.sessionId}, ${record.redirectUri}, ${record.scopes.join(' ')},
        ${record.nonce}, ${record.codeChallenge}, ${record.codeChallenge === null ? null : 'S256'}, ${record.claims === null ? null : JSON.stringify(record.claims)},
        ${JSON.stringify(record.resources)}, ${new Date(record.authTime)}, ${JSON.stringify(record.amr)}, ${record.acr}, ${record.dpopJkt}, ${new Date(now)},
        ${new Date(record.expiresAt)})`);
  }

  /** The code and its user in one raw statement (see raw-rows.ts). */
  async find(codeHash: string): Promise<FoundAuthorizationCode | null> {
    const rows = await this.#db.sql.query<AuthorizationCode & RawRow>(Prisma.sql`
      SELECT ${CODE_COLUMNS}, ${USER_COLUMNS} FROM "AuthorizationCode" a LEFT JOIN "User" u ON u."id" = a."userId" WHERE a."id" = ${codeHash}`);
    const row = rows[0];
    if (!row) return null;
    const user = aliased<UserAccountColumns>(row, 'u_');
    return { ...toRecord(row), user: user && toUserAccount(user) };
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
    const at = new Date(now);
    const f = familyColumns(family);
    const insertFamily = Prisma.sql`
      INSERT INTO "TokenFamily" ("id", "clientId", "userId", "sessionId", "scope", "claims", "authTime", "amr", "acr", "offlineAccess", "resources", "createdAt", "expiresAt", "revokedAt")
      SELECT ${f.id}, ${f.clientId}, ${f.userId}, ${f.sessionId}, ${f.scope}, ${f.claims}, ${f.authTime}, ${f.amr}, ${f.acr}, ${f.offlineAccess}, ${f.resources}, ${f.createdAt}, ${f.expiresAt}, ${f.revokedAt}`;
    return claimThenInsert(
      this.#db,
      Prisma.sql`UPDATE "AuthorizationCode" SET "consumedAt" = ${at}, "familyId" = ${family.id} WHERE "id" = ${codeHash} AND "consumedAt" IS NULL`,
      refreshToken
        ? [
            insertFamily,
            Prisma.sql`
              INSERT INTO "RefreshToken" ("id", "familyId", "tokenHash", "createdAt", "expiresAt")
              SELECT ${refreshToken.id}, ${refreshToken.familyId}, ${refreshToken.tokenHash}, ${at}, ${new Date(refreshToken.expiresAt)}`,
          ]
        : [insertFamily],
      Prisma.sql`EXISTS (SELECT 1 FROM "AuthorizationCode" WHERE "id" = ${codeHash} AND "familyId" = ${family.id})`,
    );
  }

  async revokeIssuedFrom(codeHash: string, now: number, reason: string): Promise<void> {
    const row = await this.#db.prisma.authorizationCode.findUnique({
      where: { id: codeHash },
      select: { familyId: true },
    });
    if (!row?.familyId) return;
    await this.#db.prisma.tokenFamily.updateMany({
      where: { id: row.familyId, revokedAt: null },
      data: { revokedAt: new Date(now), revokedReason: reason },
    });
  }
}
