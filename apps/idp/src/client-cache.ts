import type { RegisteredClient } from '@idp/oidc';

/**
 * Registered clients as the hot paths (token, authorize, introspect) look them up: one database
 * read per client per `ttlMs` instead of one per request. Client changes (the CLI, another
 * instance) take effect within `ttlMs`, the same bound as signing-key changes. Unknown ids are not cached, so made-up client_ids cannot fill
 * memory; the cache is also capped.
 */
export class ClientCache {
  static readonly MAX_ENTRIES = 10_000;
  readonly #entries = new Map<string, { client: RegisteredClient; expiresAt: number }>();
  readonly #load: (clientId: string) => Promise<RegisteredClient | null>;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(load: (clientId: string) => Promise<RegisteredClient | null>, ttlMs: number, now: () => number = Date.now) {
    this.#load = load;
    this.#ttlMs = ttlMs;
    this.#now = now;
  }

  async findById(clientId: string): Promise<RegisteredClient | null> {
    const now = this.#now();
    const hit = this.#entries.get(clientId);
    if (hit && hit.expiresAt > now) return hit.client;
    const client = await this.#load(clientId);
    this.#entries.delete(clientId);
    if (client) {
      if (this.#entries.size >= ClientCache.MAX_ENTRIES) {
        const oldest = this.#entries.keys().next().value;
        if (oldest !== undefined) this.#entries.delete(oldest);
      }
      this.#entries.set(clientId, { client, expiresAt: now + this.#ttlMs });
    }
    return client;
  }
}
