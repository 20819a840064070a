import type { AuditEventView, AuditLog as AuditLogPort, AuditQuery, AuditRecord } from '@idp/oidc';
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

  /** Newest first, ties by id. */
  async recent(query: AuditQuery = {}): Promise<AuditEventView[]> {
    const { before } = query;
    const at =
      query.since === undefined && query.until === undefined
        ? {}
        : {
            at: {
              ...(query.since === undefined ? {} : { gte: new Date(query.since) }),
              ...(query.until === undefined ? {} : { lt: new Date(query.until) }),
            },
          };
    const rows = await this.db.prisma.auditEvent.findMany({
      where: {
        ...(query.type === undefined ? {} : { type: query.type }),
        ...(query.actor === undefined ? {} : { actor: query.actor }),
        ...(query.userId === undefined ? {} : { userId: query.userId }),
        ...(query.clientId === undefined ? {} : { clientId: query.clientId }),
        ...at,
        ...(before === undefined
          ? {}
          : {
              OR: [
                { at: { lt: new Date(before.at) } },
                { at: new Date(before.at), id: { lt: before.id } },
              ],
            }),
      },
      orderBy: [{ at: 'desc' }, { id: 'desc' }],
      take: query.limit ?? 50,
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
