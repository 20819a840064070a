import type { ConsentGrant } from '../authorize/requested-claims.js';
import type { ConsentRecord, ConsentStore } from '../ports/consent-store.js';
import type { MemoryTables } from './memory-tables.js';

/** The reference `ConsentStore`, on shared in-memory tables. */
export class MemoryConsentStore implements ConsentStore {
  readonly #tables: MemoryTables;

  constructor(tables: MemoryTables) {
    this.#tables = tables;
  }

  async granted(userId: string, clientId: string): Promise<ConsentGrant> {
    const consent = this.#tables.consents.get(`${userId} ${clientId}`);
    return { scopes: [...(consent?.scopes ?? [])], claims: [...(consent?.claims ?? [])] };
  }

  async grant(
    userId: string,
    clientId: string,
    scopes: readonly string[],
    claims: readonly string[] = [],
  ): Promise<void> {
    const key = `${userId} ${clientId}`;
    const existing = this.#tables.consents.get(key) ?? { scopes: [], claims: [] };
    this.#tables.consents.set(key, {
      scopes: [...new Set([...existing.scopes, ...scopes])],
      claims: [...new Set([...existing.claims, ...claims])],
    });
  }

  async listForUser(userId: string): Promise<ConsentRecord[]> {
    return [...this.#tables.consents.entries()]
      .filter(([key]) => key.startsWith(`${userId} `))
      .map(([key, consent]) => ({
        clientId: key.slice(userId.length + 1),
        scopes: [...consent.scopes],
        claims: [...consent.claims],
      }))
      .sort((a, b) => (a.clientId < b.clientId ? -1 : a.clientId > b.clientId ? 1 : 0));
  }

  async revoke(
    userId: string,
    clientId: string,
    actor: string,
    now: number,
  ): Promise<{ revoked: boolean; revokedFamilies: number }> {
    const tables = this.#tables;
    if (!tables.consents.delete(`${userId} ${clientId}`))
      return { revoked: false, revokedFamilies: 0 };
    let revokedFamilies = 0;
    for (const family of tables.families.values()) {
      if (family.userId === userId && family.clientId === clientId)
        if (tables.revokeFamily(family.id, now)) revokedFamilies += 1;
    }
    tables.recordAudit(
      { type: 'consent.revoked', actor, userId, clientId, data: { revokedFamilies } },
      now,
    );
    return { revoked: true, revokedFamilies };
  }
}
