import type { ConsumedInteractionStore } from '../ports/consumed-interaction-store.js';
import type { MemoryTables } from './memory-tables.js';

/** The reference `ConsumedInteractionStore`, on shared in-memory tables. */
export class MemoryConsumedInteractionStore implements ConsumedInteractionStore {
  readonly #tables: MemoryTables;

  constructor(tables: MemoryTables) {
    this.#tables = tables;
  }

  async consume(id: string, expiresAt: number): Promise<boolean> {
    if (this.#tables.consumedInteractions.has(id)) return false;
    this.#tables.consumedInteractions.set(id, expiresAt);
    return true;
  }
}
