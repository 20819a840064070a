import { randomUUID } from 'node:crypto';
import { Prisma } from '../generated/sqlite/client.js';

/** An audit record; `data` must never hold secrets or token values. */
export interface AuditRecord {
  readonly type: string;
  readonly actor?: string;
  readonly userId?: string;
  readonly clientId?: string;
  readonly ip?: string;
  readonly data?: Record<string, unknown>;
}

/**
 * The audit row as an `INSERT … SELECT <values>` without FROM or WHERE, for a write that records
 * itself in the same statement or transaction (claimThenInsert).
 */
export function auditInsertSelect(record: AuditRecord): Prisma.Sql {
  const row = auditRow(record);
  return Prisma.sql`
    INSERT INTO "AuditEvent" ("id", "type", "at", "actor", "userId", "clientId", "ip", "data")
    SELECT ${row.id}, ${row.type}, ${new Date()}, ${row.actor}, ${row.userId}, ${row.clientId}, ${row.ip}, ${row.data}`;
}

/** Row values for an audit record. */
export function auditRow(record: AuditRecord) {
  return {
    id: randomUUID(),
    type: record.type,
    actor: record.actor ?? null,
    userId: record.userId ?? null,
    clientId: record.clientId ?? null,
    ip: record.ip ?? null,
    data: JSON.stringify(record.data ?? {}),
  };
}
