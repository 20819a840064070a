import type {
  FoundPushedRequest,
  PushedRequestRecord,
  PushedRequestStore,
} from '../ports/pushed-request-store.js';
import type { MemoryTables } from './memory-tables.js';

/** The reference `PushedRequestStore`, on shared in-memory tables. */
export class MemoryPushedRequestStore implements PushedRequestStore {
  readonly #tables: MemoryTables;

  constructor(tables: MemoryTables) {
    this.#tables = tables;
  }

  async save(record: PushedRequestRecord): Promise<void> {
    this.#tables.pushedRequests.set(record.requestUriHash, {
      ...structuredClone(record),
      consumedAt: null,
    });
  }

  async find(requestUriHash: string): Promise<FoundPushedRequest | null> {
    const found = this.#tables.pushedRequests.get(requestUriHash);
    return found ? structuredClone(found) : null;
  }

  async consume(requestUriHash: string, now: number): Promise<boolean> {
    const found = this.#tables.pushedRequests.get(requestUriHash);
    if (!found || found.consumedAt !== null) return false;
    this.#tables.pushedRequests.set(requestUriHash, { ...found, consumedAt: now });
    return true;
  }
}
