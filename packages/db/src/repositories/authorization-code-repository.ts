import type {
  AuthorizationCodeRecord,
  AuthorizationCodeStore,
  FoundAuthorizationCode,
  NewRefreshToken,
  TokenFamilyRecord,
} from '@idp/oidc';
import type { Database } from '../database.js';
import { Prisma } from '../generated/sqlite/client.js';
import { claimThenInsert } from './claim-then-insert.js';
import { startFamily, table, users } from './rows.js';
import { revokeFamilies } from './token-family-repository.js';

const codes = table<AuthorizationCodeRecord>('AuthorizationCode', {
  ...{ codeHash: ['value', 'id'], clientId: 'value', userId: 'value', sessionId: 'value' },
  ...{ redirectUri: 'value', scopes: ['words', 'scope'], nonce: 'value', codeChallenge: 'value' },
  ...{ claims: 'json', resources: 'list', authTime: 'time', amr: 'list', acr: 'value' },
  ...{ dpopJkt: 'value', expiresAt: 'time', consumedAt: 'time', familyId: 'value' },
});

/**
 * Authorization codes, stored by hash. Saving and finding one are raw SQL (database.ts: one of each
 * per login); redemption is a conditional update made atomic with the family's inserts.
 */
export class AuthorizationCodeRepository implements AuthorizationCodeStore {
  constructor(private readonly db: Database) {}

  async save(record: AuthorizationCodeRecord, now: number): Promise<void> {
    const codeChallengeMethod = record.codeChallenge === null ? null : 'S256';
    const unused = { consumedAt: null, familyId: null }; // whatever the record says
    const extra = { codeChallengeMethod, createdAt: new Date(now), ...unused };
    await this.db.sql.execute(codes.insert(record, extra));
  }

  /** The code and its user in one statement. */
  async find(codeHash: string): Promise<FoundAuthorizationCode | null> {
    const [row] = await this.db.sql.query(Prisma.sql`
      SELECT ${codes.select('a')}, ${users.select('u')} FROM "AuthorizationCode" a LEFT JOIN "User" u ON u."id" = a."userId" WHERE a."id" = ${codeHash}`);
    const code = codes.read(row, 'a');
    return code && { ...code, user: users.read(row, 'u') };
  }

  /** Only the first of concurrent redemptions finds consumedAt null and starts the family. */
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
    await revokeFamilies(this.db.prisma, { id: code.familyId }, new Date(now), reason);
  }
}
