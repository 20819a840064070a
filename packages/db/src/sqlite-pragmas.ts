/** How long a SQLite connection waits for another writer's lock before failing with SQLITE_BUSY (the server sets IDP_DATABASE_TIMEOUT's instead). */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

/**
 * Settings for a SQLite connection, one statement each. WAL lets readers run while one connection
 * writes (and is stored in the file); synchronous=NORMAL is durable in WAL mode except for the
 * last commits on power loss, at a fraction of FULL's fsyncs; foreign keys are off by default in
 * SQLite. WAL checkpoints are SQLite's own: the committing connection copies the log back once it
 * reaches 1000 pages.
 */
export function sqliteConnectionPragmas(busyTimeoutMs: number): readonly string[] {
  return [
    'PRAGMA journal_mode = WAL',
    'PRAGMA synchronous = NORMAL',
    'PRAGMA foreign_keys = ON',
    `PRAGMA busy_timeout = ${busyTimeoutMs}`,
  ];
}
