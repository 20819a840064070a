import type { AuthorizationCodeRecord, AuthorizationCodeStore, ClaimsRequest, FoundAuthorizationCode, NewRefreshToken, TokenFamilyRecord } from '@idp/oidc';
import type { Database } from '../database.js';
import { Prisma } from '../generated/sqlite/client.js';
import { rawString, rawStringOrNull, rawTime, rawTimeOrNull, USER_COLUMNS, userFromRaw, type RawRow } from './raw-rows.js';
import { familyColumns } from './token-family-repository.js';

/** Authorization codes, stored by hash; redemption is one conditional update in a transaction with the family's inserts. */
export class AuthorizationCodeRepository implements AuthorizationCodeStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Raw SQL (see raw-rows.ts): one per authorization response. */
  async save(record: AuthorizationCodeRecord): Promise<void> {
    await this.#db.prisma.$executeRaw`
      INSERT INTO "AuthorizationCode" ("id", "clientId", "userId", "sessionId", "redirectUri", "scope", "nonce", "codeChallenge",
        "codeChallengeMethod", "claims", "resources", "authTime", "amr", "acr", "createdAt", "expiresAt")
      VALUES (${record.codeHash}, ${record.clientId}, ${record.userId}, ${record.sessionId}, ${record.redirectUri}, ${record.scopes.join(' ')},
        ${record.nonce}, ${record.codeChallenge}, ${'S256'}, ${record.claims === null ? null : JSON.stringify(record.claims)},
        ${JSON.stringify(record.resources)}, ${new Date(record.authTime)}, ${JSON.stringify(record.amr)}, ${record.acr}, ${new Date()},
        ${new Date(record.expiresAt)})`;
  }

  /** The code and its user in one raw statement (see raw-rows.ts). */
  async find(codeHash: string): Promise<FoundAuthorizationCode | null> {
    const rows = await this.#db.prisma.$queryRaw<RawRow[]>`
      SELECT a."id", a."clientId", a."userId", a."sessionId", a."redirectUri", a."scope", a."nonce", a."codeChallenge",
        a."claims", a."resources", a."authTime", a."amr", a."acr", a."expiresAt", a."consumedAt", a."familyId", ${USER_COLUMNS}
      FROM "AuthorizationCode" a LEFT JOIN "User" u ON u."id" = a."userId"
      WHERE a."id" = ${codeHash}`;
    const row = rows[0];
    if (!row) return null;
    const claims = rawStringOrNull(row.claims!);
    return {
      codeHash: rawString(row.id!),
      clientId: rawString(row.clientId!),
      userId: rawString(row.userId!),
      sessionId: rawStringOrNull(row.sessionId!),
      redirectUri: rawString(row.redirectUri!),
      scopes: rawString(row.scope!).split(' ').filter(Boolean),
      nonce: rawStringOrNull(row.nonce!),
      codeChallenge: rawString(row.codeChallenge!),
      claims: claims === null ? null : (JSON.parse(claims) as ClaimsRequest),
      resources: JSON.parse(rawString(row.resources!)) as string[],
      authTime: rawTime(row.authTime!),
      amr: JSON.parse(rawString(row.amr!)) as string[],
      acr: rawStringOrNull(row.acr!),
      expiresAt: rawTime(row.expiresAt!),
      consumedAt: rawTimeOrNull(row.consumedAt!),
      familyId: rawStringOrNull(row.familyId!),
      user: userFromRaw(row),
    };
  }

  /**
   * One batch transaction of raw statements: the conditional update (only the first of
   * concurrent redemptions finds consumedAt still null) and the inserts of the family and its
   * first refresh token, which happen only if that update won (the code then names our new,
   * random family id).
   */
  async redeem(codeHash: string, now: number, family: TokenFamilyRecord, refreshToken: NewRefreshToken | null): Promise<boolean> {
    const { prisma } = this.#db;
    const at = new Date(now);
    const f = familyColumns(family);
    const won = Prisma.sql`EXISTS (SELECT 1 FROM "AuthorizationCode" WHERE "id" = ${codeHash} AND "familyId" = ${family.id})`;
    const statements = [
      prisma.$executeRaw`UPDATE "AuthorizationCode" SET "consumedAt" = ${at}, "familyId" = ${family.id} WHERE "id" = ${codeHash} AND "consumedAt" IS NULL`,
      prisma.$executeRaw`
        INSERT INTO "TokenFamily" ("id", "clientId", "userId", "sessionId", "scope", "claims", "authTime", "amr", "acr", "offlineAccess", "createdAt", "expiresAt", "revokedAt")
        SELECT ${f.id}, ${f.clientId}, ${f.userId}, ${f.sessionId}, ${f.scope}, ${f.claims}, ${f.authTime}, ${f.amr}, ${f.acr}, ${f.offlineAccess}, ${f.createdAt}, ${f.expiresAt}, ${f.revokedAt}
        WHERE ${won}`,
    ];
    if (refreshToken) {
      statements.push(prisma.$executeRaw`
        INSERT INTO "RefreshToken" ("id", "familyId", "tokenHash", "createdAt", "expiresAt")
        SELECT ${refreshToken.id}, ${refreshToken.familyId}, ${refreshToken.tokenHash}, ${at}, ${new Date(refreshToken.expiresAt)}
        WHERE ${won}`);
    }
    const [claimed] = await prisma.$transaction(statements);
    return claimed === 1;
  }

  async revokeIssuedFrom(codeHash: string, now: number, reason: string): Promise<void> {
    const row = await this.#db.prisma.authorizationCode.findUnique({ where: { id: codeHash }, select: { familyId: true } });
    if (!row?.familyId) return;
    await this.#db.prisma.tokenFamily.updateMany({
      where: { id: row.familyId, revokedAt: null },
      data: { revokedAt: new Date(now), revokedReason: reason },
    });
  }
}
