/** Prisma's migration folder prefix: the UTC time as YYYYMMDDHHMMSS. */
export function migrationTimestamp(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/**
 * The folder name of a new migration: `<timestamp>_<name>`, the timestamp moved past the newest
 * existing folder if the clock says otherwise, so that name order stays the order of writing.
 * `existing` may hold other entries (migration_lock.toml); only migration folders count.
 */
export function nextMigrationFolder(name: string, now: Date, existing: readonly string[]): string {
  let timestamp = migrationTimestamp(now);
  const newest = existing
    .filter((entry) => /^\d{14}_/.test(entry))
    .sort()
    .at(-1)
    ?.slice(0, 14);
  if (newest !== undefined && timestamp <= newest) {
    timestamp = migrationTimestamp(new Date(timestampTime(newest) + 1000));
  }
  return `${timestamp}_${name}`;
}

/** The time of a YYYYMMDDHHMMSS timestamp, in milliseconds. */
function timestampTime(timestamp: string): number {
  const [, year, month, day, hour, minute, second] =
    /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)$/.exec(timestamp) ?? [];
  return Date.parse(`${year}-${month}-${day}T${hour}:${minute}:${second}Z`);
}
