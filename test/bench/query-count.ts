/**
 * How many SQL statements one request of each scenario sends to PostgreSQL (transactions'
 * BEGIN and COMMIT included): the server runs in this process on a scratch database, with the
 * pg driver's query method counted. Not a timing: run it to see where round trips can go.
 *
 *   node --import tsx bench/query-count.ts
 */
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '@idp/config';
import { createScratchDatabase } from '@idp/db/testing';
import { createLogger, startServer } from '@idp/server';
import { isolatedEnvironment, keyEncryptionKey } from '../support/environment.js';
import { freePort } from '../support/free-port.js';
import { idp } from '../support/processes.js';
import { readEndpoints } from './http.js';
import { send, type HttpRequest } from './load.js';
import { oursTarget, SEED } from './ours.js';
import { SCENARIOS } from './scenarios.js';

let statements = 0;
const query = pg.Client.prototype.query;
// Every statement Prisma's PostgreSQL adapter sends goes through a pooled pg.Client.
pg.Client.prototype.query = function counted(this: pg.Client, ...args: Parameters<typeof query>) {
  statements += 1;
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as typeof query;

const database = await createScratchDatabase('postgresql');
const port = await freePort();
const issuer = `http://127.0.0.1:${port}`;
const env = await isolatedEnvironment({
  DATABASE_URL: database.url,
  IDP_KEY_ENCRYPTION_KEY: keyEncryptionKey(),
  IDP_ISSUER: issuer,
  PORT: String(port),
  HOST: '127.0.0.1',
});
const seedFile = join(tmpdir(), `query-count-${process.pid}.json`);
await writeFile(seedFile, JSON.stringify(SEED));
const imported = await idp(['import', seedFile], env);
if (imported.code !== 0) throw new Error(`seed import failed: ${imported.stderr}`);
const server = await startServer(loadConfig(env), { logger: createLogger('silent') });
// Background reads (keys every 5 s, the client change counter every second, rotation, clean-up) would be counted.
await server.tasks.stop();
try {
  const target = await oursTarget(
    issuer,
    process.pid,
    await readEndpoints(issuer, '/.well-known/openid-configuration'),
    async () => {},
  );
  for (const scenario of SCENARIOS) {
    const load = await scenario.load(target);
    if (!load) continue;
    // Items are made first; only the scenario's own request is counted, twice (caches warm).
    const next = async (): Promise<HttpRequest> =>
      load.kind === 'fixed'
        ? load.request
        : load.request((load.kind === 'queue' ? await load.produce(1) : await load.seeds(1))[0]!);
    const counts: number[] = [];
    for (let i = 0; i < 2; i += 1) {
      const request = await next();
      statements = 0;
      const { status } = await send(request, issuer);
      counts.push(statements);
      if (Math.floor(status / 100) !== scenario.expect)
        throw new Error(`${scenario.name}: status ${status}`);
    }
    process.stdout.write(`${scenario.name.padEnd(20)} ${counts.join(', ')} statements\n`);
  }
} finally {
  await server.app.close();
  await database.drop();
}
