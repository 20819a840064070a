import type { SingleUseStore } from '../ports/single-use-store.js';
import type { MemoryTables } from './memory-tables.js';

/** The reference `SingleUseStore`, on shared in-memory tables. */
export class MemorySingleUseStore implements SingleUseStore {
  readonly #tables: MemoryTables;

  constructor(tables: MemoryTables) {
    this.#tables = tables;
  }

  async consume(id: string, expiresAt: number): Promise<boolean> {
    if (this.#tables.singleUseIds.has(id)) return false;
    this.#tables.singleUseIds.set(id, expiresAt);
    return true;
  }
}
