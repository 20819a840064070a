import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';

const require = createRequire(import.meta.url);

/** SQLite's own default: the committing connection checkpoints once the log reaches this many pages. */
const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;

/**
 * With the checkpointer running, the server's connection checkpoints only if the log ever reaches
 * this size (160 MB at 4 KiB pages): a safety net should the thread fall behind or fail. It is
 * far above what one interval of writes makes (revocations at 2,400 a second write about 24,000
 * pages a second), so the server's own checkpoint, which blocks the event loop, stays the
 * exception.
 */
export const BACKGROUND_AUTOCHECKPOINT_PAGES = 40_000;

/**
 * How often the thread checkpoints. Each checkpoint fsyncs the log and the database, so more
 * often costs more: at 250 ms, revocation ran 0.87x (five pairs of bench windows).
 */
export const CHECKPOINT_INTERVAL_MS = 1000;

/**
 * Once the log holds this many pages (8 MB at 4 KiB), the thread's checkpoint also restarts it,
 * so that it never reaches the server connection's BACKGROUND_AUTOCHECKPOINT_PAGES.
 */
const RESTART_LOG_PAGES = 2000;

/**
 * How long the thread's connection waits for the write lock, or, holding it, for readers of the
 * old log to finish, before giving a restart up until the next tick: the server's writers wait
 * (asynchronously) while the thread holds the lock.
 */
const CHECKPOINT_BUSY_TIMEOUT_MS = 100;

/**
 * The thread: its own connection to the database file, which copies the write-ahead log into the
 * database every `intervalMs` with a PASSIVE checkpoint (it never waits for, or blocks, the
 * server's readers and writers). A PASSIVE checkpoint cannot restart the log while commits keep
 * coming, though: the log starts over only when a writer finds every frame copied, which under
 * load never happens, so the log grew until the server's own connection checkpointed on the
 * event loop (below). Once the log is `restartPages` long, a RESTART checkpoint follows, which
 * takes the write lock for the few frames committed since the PASSIVE one and the two fsyncs,
 * and makes the next commit write from the start of the log. SQLITE_BUSY (the lock not had
 * within `busyTimeoutMs`) or an I/O error waits for the next tick; anything else is a bug and
 * ends the thread. Source text rather than a module file, so that it runs alike from dist and
 * from source under tsx (whose loader a worker thread does not get); better-sqlite3 is passed by
 * path.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const BetterSqlite3 = require(workerData.betterSqlite3);
const db = new BetterSqlite3(workerData.filename, { timeout: workerData.busyTimeoutMs });
const passive = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const restart = db.prepare('PRAGMA wal_checkpoint(RESTART)');
const timer = setInterval(() => {
  try {
    if (passive.get().log >= workerData.restartPages) restart.get();
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
 * Before the thread restarted the log too, the server's connection still checkpointed every
 * 10,000 pages under a steady write load: 17-31 ms on the event loop each time, every 0.5-1 s of
 * revocations (perf, main thread), which was their p99.
 *
 * The thread is unref'd: it never keeps a process alive by itself.
 */
export function checkpointInBackground(connection: BetterSqlite3.Database, filename: string): { stop(): Promise<void> } {
  const workerData = {
    filename,
    intervalMs: CHECKPOINT_INTERVAL_MS,
    restartPages: RESTART_LOG_PAGES,
    busyTimeoutMs: CHECKPOINT_BUSY_TIMEOUT_MS,
    betterSqlite3: require.resolve('better-sqlite3'),
  };
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
