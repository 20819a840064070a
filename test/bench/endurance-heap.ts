/**
 * The server's JavaScript heap after garbage collection, over a long refresh load: evidence that
 * caches and in-memory state stay bounded (resident memory, which `endurance.ts` reads from
 * outside, also moves with the allocator and GC timing). The server runs in this process on a
 * scratch SQLite database, driven by 10 refresh-token chains; not pinned, not a timing.
 *
 *   node --expose-gc --import tsx bench/endurance-heap.ts [10000,100000]
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@idp/config';
import { createLogger, startServer } from '@idp/server';
import { isolatedEnvironment, keyEncryptionKey } from '../support/environment.js';
import { freePort } from '../support/free-port.js';
import { idp } from '../support/processes.js';
import { webAuth } from './fixture.js';
import { readEndpoints, tokenRequest } from './http.js';
import { oursTarget, SEED } from './ours.js';

const gc = globalThis.gc;
if (!gc) throw new Error('run with node --expose-gc');
const checkpoints = (process.argv[2] ?? '10000,100000').split(',').map(Number);

const dir = await mkdtemp(join(tmpdir(), 'idp-heap-'));
const port = await freePort();
const issuer = `http://127.0.0.1:${port}`;
const env = await isolatedEnvironment({
  DATABASE_URL: `file:${join(dir, 'idp.db')}`,
  IDP_KEY_ENCRYPTION_KEY: keyEncryptionKey(),
  IDP_ISSUER: issuer,
  PORT: String(port),
  HOST: '127.0.0.1',
});
await writeFile(join(dir, 'seed.json'), JSON.stringify(SEED));
const imported = await idp(['import', join(dir, 'seed.json')], env);
if (imported.code !== 0) throw new Error(`seed import failed: ${imported.stderr}`);
const server = await startServer(loadConfig(env), { logger: createLogger('silent') });
try {
  const target = await oursTarget(
    issuer,
    process.pid,
    await readEndpoints(issuer, '/.well-known/openid-configuration'),
    async () => {},
  );
  const tokenUrl = new URL(target.endpoints.token, issuer).toString();
  let chains = await target.refreshTokens(10);
  let done = 0;
  const heapAfterGc = () => {
    gc();
    gc();
    return process.memoryUsage().heapUsed;
  };
  const samples: number[] = [];
  for (const goal of checkpoints) {
    while (done < goal) {
      chains = await Promise.all(
        chains.map(
          async (token) =>
            (
              await tokenRequest(
                tokenUrl,
                { grant_type: 'refresh_token', refresh_token: token },
                webAuth,
              )
            ).refresh_token!,
        ),
      );
      done += chains.length;
    }
    samples.push(heapAfterGc());
    process.stdout.write(
      `after ${done} refreshes: heap used after GC ${(samples.at(-1)! / 1048576).toFixed(1)} MiB\n`,
    );
  }
  process.stdout.write(
    `growth from the first checkpoint to the last: ${((samples.at(-1)! / samples[0]! - 1) * 100).toFixed(1)} %\n`,
  );
} finally {
  await server.app.close();
  await rm(dir, { recursive: true, force: true });
}
