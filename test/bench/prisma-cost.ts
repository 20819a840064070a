/**
 * What one database round trip costs the server in CPU, by the ways it can be made: a Prisma
 * model query (through Prisma 6's WebAssembly query compiler and the driver adapter), the same
 * query as raw SQL through Prisma, and a repository call as the server makes it. Run pinned to
 * the server core on a scratch database with one client row:
 *
 *   taskset -c 1 node --import tsx bench/prisma-cost.ts [sqlite|postgresql]
 */
import { performance } from 'node:perf_hooks';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientRepository, openDatabase, type Provider } from '@idp/db';
import { createScratchDatabase } from '@idp/db/testing';
import { isolatedEnvironment, keyEncryptionKey } from '../support/environment.js';
import { idp } from '../support/processes.js';
import { BENCH } from './fixture.js';

process.setSourceMapsEnabled(false);

const provider = (process.argv[2] ?? 'sqlite') as Provider;
const scratch = await createScratchDatabase(provider);
const database = await openDatabase(scratch.url);

/** Sequential calls for about `seconds`; CPU microseconds per call (this process does nothing else). */
async function cost(
  seconds: number,
  call: () => Promise<unknown>,
): Promise<{ cpuMicros: number; wallMicros: number }> {
  for (let i = 0; i < 200; i += 1) await call(); // JIT and statement caches
  const cpu = process.cpuUsage();
  const start = performance.now();
  let count = 0;
  while (performance.now() - start < seconds * 1000) {
    await call();
    count += 1;
  }
  const used = process.cpuUsage(cpu);
  return {
    cpuMicros: (used.user + used.system) / count,
    wallMicros: ((performance.now() - start) * 1000) / count,
  };
}

try {
  // One client row, imported through the CLI (which also migrates).
  const seedFile = join(tmpdir(), `prisma-cost-${process.pid}.json`);
  await writeFile(
    seedFile,
    JSON.stringify({
      clients: [
        {
          client_id: BENCH.web.id,
          client_secret: BENCH.web.secret,
          redirect_uris: [BENCH.callback],
        },
      ],
    }),
  );
  const env = await isolatedEnvironment({
    DATABASE_URL: scratch.url,
    IDP_KEY_ENCRYPTION_KEY: keyEncryptionKey(),
  });
  const imported = await idp(['import', seedFile], env);
  if (imported.code !== 0) throw new Error(`seed import failed: ${imported.stderr}`);
  const clients = new ClientRepository(database);
  const table = provider === 'sqlite' ? '`Client`' : '"Client"';
  const placeholder = provider === 'sqlite' ? '?' : '$1';
  let n = 0;
  const insert = (jti: string) =>
    database.prisma
      .$executeRaw`INSERT INTO "RevokedAccessToken" ("jti", "expiresAt", "createdAt") VALUES (${jti}, ${new Date()}, ${new Date()})`;
  const results = {
    'prisma findUnique (model query)': await cost(2, () =>
      database.prisma.client.findUnique({ where: { id: BENCH.web.id } }),
    ),
    'prisma $queryRawUnsafe (same SELECT)': await cost(2, () =>
      database.prisma.$queryRawUnsafe(
        `SELECT * FROM ${table} WHERE id = ${placeholder}`,
        BENCH.web.id,
      ),
    ),
    'prisma $queryRawUnsafe (SELECT 1)': await cost(2, () =>
      database.prisma.$queryRawUnsafe('SELECT 1'),
    ),
    'ClientRepository.findById': await cost(2, () => clients.findById(BENCH.web.id)),
    // What a write costs, and a batch transaction of two writes (the shape of a refresh rotation).
    'prisma model create': await cost(2, () =>
      database.prisma.revokedAccessToken.create({
        data: { jti: `m${(n += 1)}`, expiresAt: new Date() },
      }),
    ),
    'prisma $executeRaw INSERT': await cost(2, () => insert(`r${(n += 1)}`)),
    'prisma $transaction([2 x $executeRaw])': await cost(2, () =>
      database.prisma.$transaction([insert(`a${(n += 1)}`), insert(`b${n}`)]),
    ),
  };
  for (const [name, { cpuMicros, wallMicros }] of Object.entries(results)) {
    process.stdout.write(
      `${provider}  ${name.padEnd(40)} ${cpuMicros.toFixed(0).padStart(5)} µs CPU  ${wallMicros.toFixed(0).padStart(5)} µs wall\n`,
    );
  }
} finally {
  await database.close();
  await scratch.drop();
}
