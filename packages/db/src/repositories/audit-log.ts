import type { AuditEventView, AuditLog as AuditLogPort, AuditRecord } from '@idp/oidc';
import type { Database } from '../database.js';
import { insertAudit } from './rows.js';

export type { AuditEventView };

/** The audit trail: who did what, when. Append-only from the application's side. */
export class AuditLog implements AuditLogPort {
  constructor(private readonly db: Database) {}

  /** Raw SQL (raw-sql.ts): every login attempt writes one. */
  async record(record: AuditRecord, now: number): Promise<void> {
    await this.db.sql.execute(insertAudit(record, now));
  }

  /** When the newest event of this type about this user happened (the userId, at index answers it). */
  async latestAt(type: string, userId: string): Promise<number | undefined> {
    const row = await this.db.prisma.auditEvent.findFirst({
      where: { userId, type },
      orderBy: { at: 'desc' },
      select: { at: true },
    });
    return row?.at.getTime();
  }

  /** Newest first. */
  async recent(options: { type?: string; limit?: number } = {}): Promise<AuditEventView[]> {
    const rows = await this.db.prisma.auditEvent.findMany({
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
