import type { ConsentGrant } from '../authorize/requested-claims.js';
import type { ConsentStore } from '../ports/consent-store.js';
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
}
