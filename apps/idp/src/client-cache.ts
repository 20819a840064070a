import { isClientIdUrl, type RegisteredClient } from '@idp/oidc';
import { LRUCache } from 'lru-cache';

/** How often a running server asks whether clients changed (one primary-key read each time). */
export const CLIENT_CHANGE_CHECK_INTERVAL_MS = 1_000;
/**
 * The longest a client stays cached with no change counted: only edits that bypass the CLI and
 * the seed import (SQL typed by hand) rely on it.
 */
export const CLIENT_CACHE_MAX_AGE_MS = 60_000;

/**
 * Registered clients as the hot paths (token, authorize, introspect) look them up: read from the
 * database once, then served from memory until a change is counted. Every client write (the
 * CLI, a seed import, on this instance or another) bumps a change counter in the write's transaction;
 * `checkForChanges`, polled every second, drops every cached client when that counter moves.
 * Unknown ids are not cached, so made-up client_ids cannot fill memory; the cache is also capped
 * (least recently used first out). The age is kept beside each client rather than as lru-cache's
 * TTL, so that the injected clock decides it exactly.
 */
export class ClientCache {
  static readonly MAX_ENTRIES = 10_000;
  readonly #entries = new LRUCache<string, { client: RegisteredClient; loadedAt: number }>({
    max: ClientCache.MAX_ENTRIES,
  });
  readonly #load: (clientId: string) => Promise<RegisteredClient | null>;
  readonly #urlClients: { findById(url: string): Promise<RegisteredClient> } | undefined;
  readonly #changeCount: () => Promise<number>;
  readonly #maxAgeMs: number;
  readonly #now: () => number;
  /** Moves on every invalidation, so that a read begun before one is not cached after it. */
  #generation = 0;
  /** The counter's value at the last check; undefined before the first. */
  #seenChangeCount: number | undefined;

  constructor(options: {
    load: (clientId: string) => Promise<RegisteredClient | null>;
    changeCount: () => Promise<number>;
    maxAgeMs?: number;
    now?: () => number;
    /**
     * Resolves client_ids that are URLs (Client ID Metadata Documents) when they are enabled;
     * without it such ids find no client. They never reach `load`: no registered id is a URL.
     */
    urlClients?: { findById(url: string): Promise<RegisteredClient> } | undefined;
  }) {
    this.#load = options.load;
    this.#urlClients = options.urlClients;
    this.#changeCount = options.changeCount;
    this.#maxAgeMs = options.maxAgeMs ?? CLIENT_CACHE_MAX_AGE_MS;
    this.#now = options.now ?? Date.now;
  }

  async findById(clientId: string): Promise<RegisteredClient | null> {
    if (isClientIdUrl(clientId)) return this.#urlClients?.findById(clientId) ?? null;
    const now = this.#now();
    const hit = this.#entries.get(clientId);
    if (hit && now - hit.loadedAt < this.#maxAgeMs) return hit.client;
    const generation = this.#generation;
    const client = await this.#load(clientId);
    // A change was counted while this row was being read: it may be the row from before it.
    if (generation !== this.#generation) return client;
    this.#entries.delete(clientId);
    if (client) this.#entries.set(clientId, { client, loadedAt: now });
    return client;
  }

  /**
   * Reads the change counter and drops every cached client if it moved since the last check (or
   * if this is the first check: what was cached before it cannot be placed). Returns whether it
   * dropped them.
   */
  async checkForChanges(): Promise<boolean> {
    const count = await this.#changeCount();
    if (count === this.#seenChangeCount) return false;
    this.#seenChangeCount = count;
    this.#generation += 1;
    this.#entries.clear();
    return true;
  }
}
