import { randomUUID } from 'node:crypto';

/** An audit record; `data` must never hold secrets or token values. */
export interface AuditRecord {
  readonly type: string;
  readonly actor?: string;
  readonly userId?: string;
  readonly clientId?: string;
  readonly ip?: string;
  readonly data?: Record<string, unknown>;
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
