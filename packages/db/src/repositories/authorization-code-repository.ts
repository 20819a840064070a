import type { AuthorizationCodeRecord, AuthorizationCodeStore, ClaimsRequest, NewRefreshToken, TokenFamilyRecord } from '@idp/oidc';
import type { Database } from '../database.js';
import type { AuthorizationCode } from '../generated/sqlite/client.js';
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
    expiresAt: row.expiresAt.getTime(),
    consumedAt: row.consumedAt?.getTime() ?? null,
    familyId: row.familyId,
  };
}

/** Authorization codes, stored by hash; redemption is one conditional update in a transaction. */
export class AuthorizationCodeRepository implements AuthorizationCodeStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  async save(record: AuthorizationCodeRecord): Promise<void> {
    await this.#db.prisma.authorizationCode.create({
      data: {
        id: record.codeHash,
        clientId: record.clientId,
        userId: record.userId,
        sessionId: record.sessionId,
        redirectUri: record.redirectUri,
        scope: record.scopes.join(' '),
        nonce: record.nonce,
        codeChallenge: record.codeChallenge,
        codeChallengeMethod: 'S256',
        claims: record.claims === null ? null : JSON.stringify(record.claims),
        resources: JSON.stringify(record.resources),
        authTime: new Date(record.authTime),
        amr: JSON.stringify(record.amr),
        acr: record.acr,
        expiresAt: new Date(record.expiresAt),
      },
    });
  }

  async find(codeHash: string): Promise<AuthorizationCodeRecord | null> {
    const row = await this.#db.prisma.authorizationCode.findUnique({ where: { id: codeHash } });
    return row ? toRecord(row) : null;
  }

  async redeem(codeHash: string, now: number, family: TokenFamilyRecord, refreshToken: NewRefreshToken | null): Promise<boolean> {
    return this.#db.prisma.$transaction(async (tx) => {
      // Only the first of concurrent redemptions finds consumedAt still null.
      const { count } = await tx.authorizationCode.updateMany({
        where: { id: codeHash, consumedAt: null },
        data: { consumedAt: new Date(now), familyId: family.id },
      });
      if (count !== 1) return false;
      await tx.tokenFamily.create({ data: familyColumns(family) });
      if (refreshToken) {
        await tx.refreshToken.create({
          data: {
            id: refreshToken.id,
            familyId: refreshToken.familyId,
            tokenHash: refreshToken.tokenHash,
            createdAt: new Date(now),
            expiresAt: new Date(refreshToken.expiresAt),
          },
        });
      }
      return true;
    });
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
