import type { AuditRecord } from '@idp/oidc';
import { randomUUID } from 'node:crypto';
import { Prisma } from '../generated/sqlite/client.js';

export type { AuditRecord };

/**
 * The audit row as an `INSERT … SELECT <values>` without FROM or WHERE, for a write that records
 * itself in the same statement or transaction (claimThenInsert).
 */
export function auditInsertSelect(record: AuditRecord, at: number): Prisma.Sql {
  const row = auditRow(record, at);
  return Prisma.sql`
    INSERT INTO "AuditEvent" ("id", "type", "at", "actor", "userId", "clientId", "ip", "data")
    SELECT ${row.id}, ${row.type}, ${row.at}, ${row.actor}, ${row.userId}, ${row.clientId}, ${row.ip}, ${row.data}`;
}

/** Row values for an audit record made at `at` (ms). */
export function auditRow(record: AuditRecord, at: number) {
  return {
    id: randomUUID(),
    type: record.type,
    at: new Date(at),
    actor: record.actor ?? null,
    userId: record.userId ?? null,
    clientId: record.clientId ?? null,
    ip: record.ip ?? null,
    data: JSON.stringify(record.data ?? {}),
  };
}
