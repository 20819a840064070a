import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { parseDatabaseUrl } from '../../src/open-database.js';

/** Runs a multi-statement SQL script with the raw driver, outside any migration bookkeeping. */
export async function runScript(url: string, script: string): Promise<void> {
  const location = parseDatabaseUrl(url, process.cwd());
  if (location.provider === 'sqlite') {
    const db = new BetterSqlite3(location.filename);
    try {
      db.exec(script);
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: location.connectionString });
  await client.connect();
  try {
    await client.query(script);
  } finally {
    await client.end();
  }
}
