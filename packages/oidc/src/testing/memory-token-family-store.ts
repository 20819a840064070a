import type { AccessTokenState, TokenFamilyStore } from '../ports/token-family-store.js';
import type { MemoryTables } from './memory-tables.js';

/** The reference `TokenFamilyStore`, on shared in-memory tables. */
export class MemoryTokenFamilyStore implements TokenFamilyStore {
  readonly #tables: MemoryTables;

  constructor(tables: MemoryTables) {
    this.#tables = tables;
  }

  async accessTokenState(jti: string, familyId: string | null): Promise<AccessTokenState> {
    const family = familyId === null ? null : (this.#tables.families.get(familyId) ?? null);
    const user = family ? (this.#tables.users.get(family.userId) ?? null) : null;
    return { revoked: this.#tables.revokedAccessTokens.has(jti), family, user };
  }

  async revokeFamily(
    familyId: string,
    now: number,
    _reason: string,
    clientId: string,
  ): Promise<boolean> {
    if (!this.#tables.revokeFamily(familyId, now)) return false;
    this.#tables.recordAudit(
      { type: 'token.revoked', actor: clientId, clientId, data: { revoked: 'family', familyId } },
      now,
    );
    return true;
  }

  async revokeAccessToken(
    jti: string,
    expiresAt: number,
    clientId: string,
    now: number,
  ): Promise<boolean> {
    if (this.#tables.revokedAccessTokens.has(jti)) return false;
    this.#tables.revokedAccessTokens.set(jti, expiresAt);
    this.#tables.recordAudit(
      { type: 'token.revoked', actor: clientId, clientId, data: { revoked: 'access_token' } },
      now,
    );
    return true;
  }
}
