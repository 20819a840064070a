import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';

const require = createRequire(import.meta.url);

/** SQLite's own default: the committing connection checkpoints once the log reaches this many pages. */
const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;

/**
 * With the checkpointer running, the server's connection checkpoints only if the log ever reaches
 * this size (40 MB at 4 KiB pages): a safety net should the thread fall behind or fail.
 */
export const BACKGROUND_AUTOCHECKPOINT_PAGES = 10_000;

/** How often the thread checkpoints; at 3,000 written pages a second the log stays near 12 MB. */
export const CHECKPOINT_INTERVAL_MS = 1000;

/**
 * The thread: its own connection to the database file, which copies the write-ahead log into the
 * database every `intervalMs` (a PASSIVE checkpoint never waits for, or blocks, the server's
 * readers and writers); told 'stop', it closes and ends. SQLITE_BUSY (another connection is
 * checkpointing) or an I/O error waits for the next tick; anything else is a bug and ends the
 * thread. Source text rather than a module file, so that it runs alike from dist and from source
 * under tsx (whose loader a worker thread does not get); better-sqlite3 is passed by path.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const BetterSqlite3 = require(workerData.betterSqlite3);
const db = new BetterSqlite3(workerData.filename);
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const timer = setInterval(() => {
  try {
    checkpoint.get();
  } catch (error) {
    if (!(error instanceof BetterSqlite3.SqliteError)) throw error;
  }
}, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * Takes SQLite's WAL checkpoints off the event loop. In WAL mode with synchronous=NORMAL a commit
 * does not wait for the disk, but the checkpoint that every 1,000 pages of log triggers does: the
 * committing connection copies the log into the database and fsyncs both, synchronously, on the
 * server's only thread, and every request in flight waits for it. A worker thread with its own
 * connection does the checkpoints instead, and the server's connection keeps auto-checkpointing
 * only as a safety net at a larger size (restored to SQLite's default if the thread fails).
 *
 * The thread is unref'd: it never keeps a process alive by itself.
 */
export function checkpointInBackground(connection: BetterSqlite3.Database, filename: string): { stop(): Promise<void> } {
  const workerData = { filename, intervalMs: CHECKPOINT_INTERVAL_MS, betterSqlite3: require.resolve('better-sqlite3') };
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData });
  worker.unref();
  connection.pragma(`wal_autocheckpoint = ${BACKGROUND_AUTOCHECKPOINT_PAGES}`);
  let stopped = false;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  // An error in the thread (it could not open the file, say) ends it: from then on the server's
  // connection checkpoints as SQLite does by default.
  worker.once('exit', () => {
    if (!stopped && connection.open) connection.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
  });
  worker.on('error', () => undefined);
  return {
    stop: async () => {
      if (stopped) return exited;
      stopped = true;
      // Referenced again, so that the process waits for the thread to close its connection.
      worker.ref();
      worker.postMessage('stop');
      return exited;
    },
  };
}
