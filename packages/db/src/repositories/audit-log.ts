import type { AuditEventView, AuditLog as AuditLogPort, AuditQuery, AuditRecord } from '@idp/oidc';
import type { Database } from '../database.js';
import { insertAudit } from './rows.js';

const date = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms));

/** The audit trail: who did what, when. Append-only from the application's side. */
export class AuditLog implements AuditLogPort {
  constructor(private readonly db: Database) {}

  /** Raw SQL (database.ts): every login attempt writes one. */
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

  /** Newest first, ties by id. Prisma leaves out a filter whose value is undefined. */
  async recent(query: AuditQuery = {}): Promise<AuditEventView[]> {
    const { type, actor, userId, clientId, before } = query;
    const rows = await this.db.prisma.auditEvent.findMany({
      where: {
        ...{ type, actor, userId, clientId },
        at: { gte: date(query.since), lt: date(query.until) },
        OR: before && [
          { at: { lt: date(before.at) } },
          { at: date(before.at), id: { lt: before.id } },
        ],
      },
      orderBy: [{ at: 'desc' }, { id: 'desc' }],
      take: query.limit ?? 50,
    });
    return rows.map((row) => ({
      ...row,
      at: row.at.getTime(),
      ...{ actor: row.actor ?? '', userId: row.userId ?? '', clientId: row.clientId ?? '' },
      ip: row.ip ?? '',
      data: JSON.parse(row.data) as Record<string, unknown>,
    }));
  }
}
