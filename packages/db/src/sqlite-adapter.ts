import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { SQLITE_CONNECTION_PRAGMAS } from './sqlite-pragmas.js';

/**
 * Prisma's better-sqlite3 adapter with our connection settings. The adapter has no option for
 * pragmas, and per-connection ones (foreign_keys, synchronous, busy_timeout) must be set on every
 * connection it opens, so they run right after it connects.
 */
export class ConfiguredSqliteAdapter extends PrismaBetterSQLite3 {
  constructor(filename: string) {
    super({ url: filename });
  }

  override async connect(): ReturnType<PrismaBetterSQLite3['connect']> {
    const connection = await super.connect();
    await connection.executeScript(SQLITE_CONNECTION_PRAGMAS);
    return connection;
  }
}
