/**
 * What PostgreSQL spends on one per-request statement sent unnamed (parsed and planned on every
 * call, as Prisma's pg adapter sends it) against the same statement prepared once per connection
 * (postgres-statements.ts): the backend's CPU per call (from /proc), this process's, and the round
 * trip. The statement is the introspection lookup's shape, on a migrated scratch database:
 *
 *   taskset -c 1 node --import tsx scripts/pg-prepared.ts
 *
 * Not a test and not used by the server.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { openDatabase } from '../src/database.js';
import { createScratchDatabase } from '../src/testing/scratch-database.js';

const scratch = await createScratchDatabase('postgresql');
const db = await openDatabase(scratch.url);
await db.migrate();
await db.close();
const client = new pg.Client({ connectionString: scratch.url });
await client.connect();
const backend = (await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
// utime + stime of the backend serving this connection, in clock ticks (10 ms).
const ticks = () => {
  const f = readFileSync(`/proc/${backend}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(f[11]) + Number(f[12]);
};
const text = `SELECT EXISTS (SELECT 1 FROM "RevokedAccessToken" r WHERE r."jti" = $1) AS "revoked", f."id" AS "f_id", f."scope" AS "f_scope", u."id" AS "u_id", u."email" AS "u_email"
  FROM (SELECT 1 AS "one") AS "lookup" LEFT JOIN "TokenFamily" f ON f."id" = $2 LEFT JOIN "User" u ON u."id" = f."userId"`;
/** Sequential calls for 4 s after a warm-up, with the per-call costs printed. */
async function run(label: string, q: (i: number) => pg.QueryConfig) {
  for (let i = 0; i < 500; i++) await client.query(q(i));
  const t0 = ticks(); const c0 = process.cpuUsage(); const s = performance.now(); let n = 0;
  while (performance.now() - s < 4000) { await client.query(q(n)); n++; }
  const c = process.cpuUsage(c0); const wall = performance.now() - s;
  console.log(label, 'pg backend µs/query', (((ticks() - t0) * 10000) / n).toFixed(0), 'node µs/query', ((c.user + c.system) / n).toFixed(0), 'wall µs', ((wall * 1000) / n).toFixed(0));
}
for (let k = 0; k < 2; k++) {
  await run('unnamed', (i) => ({ text, values: [`j${i}`, `f${i}`], rowMode: 'array' }));
  await run('named  ', (i) => ({ name: 'ats', text, values: [`j${i}`, `f${i}`], rowMode: 'array' }));
}
await client.end();
await scratch.drop();
