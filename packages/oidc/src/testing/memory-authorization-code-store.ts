import type {
  AuthorizationCodeRecord,
  AuthorizationCodeStore,
  FoundAuthorizationCode,
} from '../ports/authorization-code-store.js';
import type { NewRefreshToken } from '../ports/refresh-token-store.js';
import type { TokenFamilyRecord } from '../ports/token-family-store.js';
import type { MemoryTables } from './memory-tables.js';

/** The reference `AuthorizationCodeStore`, on shared in-memory tables. */
export class MemoryAuthorizationCodeStore implements AuthorizationCodeStore {
  readonly #tables: MemoryTables;

  constructor(tables: MemoryTables) {
    this.#tables = tables;
  }

  async save(record: AuthorizationCodeRecord, _now: number): Promise<void> {
    this.#tables.codes.set(record.codeHash, {
      ...structuredClone(record),
      consumedAt: null,
      familyId: null,
    });
  }

  async find(codeHash: string): Promise<FoundAuthorizationCode | null> {
    const code = this.#tables.codes.get(codeHash);
    if (!code) return null;
    return { ...code, user: this.#tables.users.get(code.userId) ?? null };
  }

  async redeem(
    codeHash: string,
    now: number,
    family: TokenFamilyRecord,
    refreshToken: NewRefreshToken | null,
  ): Promise<boolean> {
    const tables = this.#tables;
    const code = tables.codes.get(codeHash);
    if (!code || code.consumedAt !== null) return false;
    tables.codes.set(codeHash, { ...code, consumedAt: now, familyId: family.id });
    tables.families.set(family.id, structuredClone(family));
    if (refreshToken)
      tables.refreshTokens.set(refreshToken.id, {
        ...refreshToken,
        createdAt: now,
        usedAt: null,
        replacedBy: null,
      });
    return true;
  }

  async revokeIssuedFrom(codeHash: string, now: number, _reason: string): Promise<void> {
    const familyId = this.#tables.codes.get(codeHash)?.familyId;
    if (familyId) this.#tables.revokeFamily(familyId, now);
  }
}
