import type { AuditEventView, AuditLog, AuditQuery, AuditRecord } from '../ports/audit-log.js';
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

  async recent(query: AuditQuery = {}): Promise<AuditEventView[]> {
    const { before } = query;
    return (
      this.#tables.audit
        .filter(
          (e) =>
            (query.type === undefined || e.type === query.type) &&
            (query.actor === undefined || e.actor === query.actor) &&
            (query.userId === undefined || e.userId === query.userId) &&
            (query.clientId === undefined || e.clientId === query.clientId) &&
            (query.since === undefined || e.at >= query.since) &&
            (query.until === undefined || e.at < query.until) &&
            (before === undefined || e.at < before.at || (e.at === before.at && e.id < before.id)),
        )
        // Newest first; among events of one millisecond by id, descending (ids grow as recorded).
        .sort((a, b) => b.at - a.at || (b.id < a.id ? -1 : b.id > a.id ? 1 : 0))
        .slice(0, query.limit ?? 50)
        .map((e) => structuredClone(e))
    );
  }
}
