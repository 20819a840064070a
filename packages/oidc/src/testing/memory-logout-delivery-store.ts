import { randomUUID } from 'node:crypto';
import type { LogoutNotice } from '../logout/logout-token.js';
import type { LogoutDelivery, LogoutDeliveryStore } from '../ports/logout-delivery-store.js';
import type { MemoryTables } from './memory-tables.js';

/** The reference `LogoutDeliveryStore`, on shared in-memory tables. */
export class MemoryLogoutDeliveryStore implements LogoutDeliveryStore {
  readonly #tables: MemoryTables;

  constructor(tables: MemoryTables) {
    this.#tables = tables;
  }

  async enqueue(notices: readonly LogoutNotice[], now: number): Promise<void> {
    for (const notice of notices) {
      const id = randomUUID();
      this.#tables.logoutDeliveries.set(id, {
        id,
        notice: structuredClone(notice),
        attempts: 0,
        dueAt: now,
        createdAt: now,
      });
    }
  }

  async claim(now: number, leaseMs: number, limit: number): Promise<LogoutDelivery[]> {
    const due = [...this.#tables.logoutDeliveries.values()]
      .filter((delivery) => delivery.dueAt <= now)
      .sort((a, b) => a.dueAt - b.dueAt)
      .slice(0, limit);
    return due.map((delivery) => {
      const claimed = { ...delivery, attempts: delivery.attempts + 1, dueAt: now + leaseMs };
      this.#tables.logoutDeliveries.set(delivery.id, claimed);
      return structuredClone(claimed);
    });
  }

  async retryAt(id: string, at: number): Promise<void> {
    const delivery = this.#tables.logoutDeliveries.get(id);
    if (delivery) this.#tables.logoutDeliveries.set(id, { ...delivery, dueAt: at });
  }

  async remove(id: string): Promise<void> {
    this.#tables.logoutDeliveries.delete(id);
  }
}
