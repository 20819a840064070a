import { openDatabase, type Database } from '../../src/index.js';
import { createScratchDatabase } from './scratch-database.js';
import type { Provider } from '../../src/database.js';

/** A scratch database, migrated and open; `close` closes it and drops it. */
export interface MigratedScratch {
  readonly url: string;
  readonly db: Database;
  close(): Promise<void>;
}

/** A fresh `provider` database with the committed migrations applied, opened with a pool of three. */
export async function openMigratedScratch(provider: Provider): Promise<MigratedScratch> {
  const scratch = await createScratchDatabase(provider);
  let db: Database | undefined;
  const close = async () => {
    try {
      await db?.close();
    } finally {
      await scratch.drop();
    }
  };
  try {
    db = await openDatabase(scratch.url, { poolSize: 3 });
    await db.migrate();
  } catch (error) {
    await close();
    throw error;
  }
  return { url: scratch.url, db, close };
}
