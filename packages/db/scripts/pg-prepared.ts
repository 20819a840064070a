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
  const fields = readFileSync(`/proc/${backend}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]);
};
const text = `SELECT EXISTS (SELECT 1 FROM "RevokedAccessToken" r WHERE r."jti" = $1) AS "revoked", f."id" AS "f_id", f."scope" AS "f_scope", u."id" AS "u_id", u."email" AS "u_email"
  FROM (SELECT 1 AS "one") AS "lookup" LEFT JOIN "TokenFamily" f ON f."id" = $2 LEFT JOIN "User" u ON u."id" = f."userId"`;
/** Sequential calls for 4 s after a warm-up, with the per-call costs printed. */
async function run(label: string, q: (i: number) => pg.QueryConfig) {
  for (let i = 0; i < 500; i += 1) await client.query(q(i));
  const backendBefore = ticks();
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  let calls = 0;
  while (performance.now() - start < 4000) {
    await client.query(q(calls));
    calls += 1;
  }
  const cpu = process.cpuUsage(cpuBefore);
  const wall = performance.now() - start;
  const perCall = (micros: number) => (micros / calls).toFixed(0);
  console.log(label, 'backend µs/call', perCall((ticks() - backendBefore) * 10_000), 'node µs/call', perCall(cpu.user + cpu.system), 'round trip µs', perCall(wall * 1000));
}
for (let round = 0; round < 2; round += 1) {
  await run('unnamed', (i) => ({ text, values: [`j${i}`, `f${i}`], rowMode: 'array' }));
  await run('named  ', (i) => ({ name: 'ats', text, values: [`j${i}`, `f${i}`], rowMode: 'array' }));
}
await client.end();
await scratch.drop();
