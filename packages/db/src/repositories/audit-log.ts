import type { Database } from '../database.js';
import { Prisma } from '../generated/sqlite/client.js';
import { auditRow, type AuditRecord } from './audit.js';

export interface AuditEventView extends Required<Omit<AuditRecord, 'data'>> {
  readonly id: string;
  readonly at: number;
  readonly data: Record<string, unknown>;
}

/** The audit trail: who did what, when. Append-only from the application's side. */
export class AuditLog {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Raw SQL (see raw-rows.ts): every login attempt writes one. */
  async record(record: AuditRecord): Promise<void> {
    const row = auditRow(record);
    await this.#db.sql.execute(Prisma.sql`
      INSERT INTO "AuditEvent" ("id", "type", "at", "actor", "userId", "clientId", "ip", "data")
      VALUES (${row.id}, ${row.type}, ${new Date()}, ${row.actor}, ${row.userId}, ${row.clientId}, ${row.ip}, ${row.data})`);
  }

  /** Newest first. */
  async recent(options: { type?: string; limit?: number } = {}): Promise<AuditEventView[]> {
    const rows = await this.#db.prisma.auditEvent.findMany({
      where: options.type ? { type: options.type } : {},
      orderBy: { at: 'desc' },
      take: options.limit ?? 50,
    });
    return rows.map((row) => ({
      id: row.id,
      type: row.type,
      at: row.at.getTime(),
      actor: row.actor ?? '',
      userId: row.userId ?? '',
      clientId: row.clientId ?? '',
      ip: row.ip ?? '',
      data: JSON.parse(row.data) as Record<string, unknown>,
    }));
  }
}
