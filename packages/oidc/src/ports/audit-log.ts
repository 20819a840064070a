/** An audit event to record; `data` must never hold secrets or token values. */
export interface AuditRecord {
  readonly type: string;
  readonly actor?: string;
  readonly userId?: string;
  readonly clientId?: string;
  readonly ip?: string;
  readonly data?: Record<string, unknown>;
}

/** A recorded audit event; absent fields read as empty strings. `at` in milliseconds. */
export interface AuditEventView extends Required<Omit<AuditRecord, 'data'>> {
  readonly id: string;
  readonly at: number;
  readonly data: Record<string, unknown>;
}

/** Which events `recent` returns; every member given must match. Times in ms. */
export interface AuditQuery {
  readonly type?: string;
  readonly actor?: string;
  readonly userId?: string;
  readonly clientId?: string;
  /** At or after. */
  readonly since?: number;
  /** Before. */
  readonly until?: number;
  /** Events older than this one (the last of the previous page): newest-first keyset paging. */
  readonly before?: { readonly at: number; readonly id: string };
  readonly limit?: number;
}

/**
 * The audit trail: who did what, when. Append-only from the application's side; stores that
 * write an event together with a change (clients, users, revocations) append to the same trail.
 *
 * Contract:
 * - `record` stores the event at `now`, with a fresh id; `recent` returns it at once after.
 * - `latestAt` is the time of the newest event of `type` about `userId`, undefined if none.
 * - `recent` is newest first (ties in time by id, descending), filtered by every member of the
 *   query given, at most `limit` (default 50) events.
 */
export interface AuditLog {
  record(event: AuditRecord, now: number): Promise<void>;
  latestAt(type: string, userId: string): Promise<number | undefined>;
  recent(options?: AuditQuery): Promise<AuditEventView[]>;
}
