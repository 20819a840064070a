import type { AuditEventView, AuditLog, AuditRecord } from '../ports/audit-log.js';
import type { MemoryTables } from './memory-tables.js';

/** The reference `AuditLog`, on shared in-memory tables. */
export class MemoryAuditLog implements AuditLog {
  readonly #tables: MemoryTables;

  constructor(tables: MemoryTables) {
    this.#tables = tables;
  }

  async record(event: AuditRecord, now: number): Promise<void> {
    this.#tables.recordAudit(event, now);
  }

  async latestAt(type: string, userId: string): Promise<number | undefined> {
    const times = this.#tables.audit
      .filter((e) => e.type === type && e.userId === userId)
      .map((e) => e.at);
    return times.length > 0 ? Math.max(...times) : undefined;
  }

  async recent(options: { type?: string; limit?: number } = {}): Promise<AuditEventView[]> {
    return (
      this.#tables.audit
        .filter((e) => options.type === undefined || e.type === options.type)
        .map((e, index) => ({ e, index }))
        // Newest first; among events of one millisecond, the later recorded first.
        .sort((a, b) => b.e.at - a.e.at || b.index - a.index)
        .slice(0, options.limit ?? 50)
        .map(({ e }) => structuredClone(e))
    );
  }
}
