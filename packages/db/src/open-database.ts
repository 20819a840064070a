import { isAbsolute, resolve } from 'node:path';
import type { Database } from './database.js';
import { openPostgresDatabase } from './postgres-database.js';
import { openSqliteDatabase } from './sqlite-database.js';

/** Options for `openDatabase`. */
export interface OpenDatabaseOptions {
  /** Most connections the PostgreSQL pool opens (default 10); SQLite uses one connection. */
  readonly poolSize?: number;
  /**
   * Longest wait for the database in one call, in milliseconds (default 5000): for a pooled
   * connection, a statement's answer, a transaction to commit; SQLite's wait for another
   * process's write lock. A call that takes longer throws DatabaseUnavailable, having changed
   * nothing (it is rolled back, or its connection closed before COMMIT was sent).
   */
  readonly timeoutMs?: number;
}

/**
 * Opens the database at `url` (SQLite connects at once to set its pragmas; PostgreSQL's pool
 * connects on the first query).
 *
 * @throws Error listing the accepted URL forms when `url` is none of them, or when `poolSize` or
 *   `timeoutMs` is not a positive integer.
 */
export async function openDatabase(
  url: string,
  options: OpenDatabaseOptions = {},
): Promise<Database> {
  const location = parseDatabaseUrl(url, process.cwd());
  const { poolSize = 10, timeoutMs = 5000 } = options;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1)
    throw new Error(
      `timeoutMs must be a whole number of milliseconds, at least 1 (got ${timeoutMs})`,
    );
  if (location.provider === 'sqlite') return openSqliteDatabase(location.filename, timeoutMs);
  if (!Number.isInteger(poolSize) || poolSize < 1)
    throw new Error(`poolSize must be a whole number of connections, at least 1 (got ${poolSize})`);
  return openPostgresDatabase(location.connectionString, poolSize, timeoutMs);
}

const ACCEPTED_FORMS =
  'file:./relative/path.db (relative to the working directory), file:/absolute/path.db, ' +
  'postgresql://user@host:5432/database or postgres://user@host:5432/database';

/**
 * Where the database of `url` lives. A SQLite path is resolved against `cwd`, so that the file
 * does not move when a library later changes directory.
 */
export function parseDatabaseUrl(url: string, cwd: string) {
  if (url.startsWith('postgresql://') || url.startsWith('postgres://'))
    return { provider: 'postgresql', connectionString: url } as const;
  const path = url.startsWith('file:') ? url.slice('file:'.length) : '';
  // "file://host/..." and query strings are URL features SQLite's own parser would need; a plain
  // path is all this project writes, so anything else is more likely a mistake.
  if (path.length > 0 && !path.startsWith('//') && !path.includes('?'))
    return { provider: 'sqlite', filename: isAbsolute(path) ? path : resolve(cwd, path) } as const;
  // The password is left out of the message.
  const shown = url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
  throw new Error(`Unsupported database URL "${shown}". Accepted forms: ${ACCEPTED_FORMS}.`);
}
