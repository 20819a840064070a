import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { after, before, describe, test } from 'node:test';
import { scratchDatabase } from '../support/databases.js';
import { isolatedEnvironment, keyEncryptionKey } from '../support/environment.js';
import { spawnServer, type SpawnedServer } from '../support/processes.js';
import { waitFor } from '../support/wait-for.js';

describe('worker mode (IDP_WORKERS)', () => {
  let database: Awaited<ReturnType<typeof scratchDatabase>>;
  let server: SpawnedServer;

  before(async () => {
    database = await scratchDatabase('sqlite');
    server = await spawnServer(
      await isolatedEnvironment({
        DATABASE_URL: database.url,
        IDP_KEY_ENCRYPTION_KEY: keyEncryptionKey(),
        IDP_WORKERS: '2',
      }),
    );
  });
  after(async () => {
    await server?.stop();
    await database?.drop();
  });

  /** The processes that served requests so far, from their request logs. */
  const servingPids = () =>
    new Set(
      server
        .logLines()
        .filter((line) => line.includes('"incoming request"'))
        .map((line) => (JSON.parse(line) as { pid: number }).pid),
    );

  test('two worker processes share the port and publish the same single key', async () => {
    const bodies = await Promise.all(
      Array.from({ length: 40 }, async () =>
        (await fetch(`${server.url}/.well-known/jwks.json`)).text(),
      ),
    );
    assert.equal(new Set(bodies).size, 1, 'every worker serves the same JWKS');
    assert.equal(
      (JSON.parse(bodies[0]!) as { keys: unknown[] }).keys.length,
      1,
      'the primary created one key before forking',
    );
    // The log lines reach this process's pipe after the responses, not before: wait for them.
    await waitFor(() => servingPids().size === 2, 'request log lines from two worker processes');
  });

  test("each worker's libuv threadpool is this machine's cores shared out, at least 2 (UV_THREADPOOL_SIZE)", async () => {
    const expected = Math.max(2, Math.ceil(availableParallelism() / 2));
    const ready = server.logLines().find((line) => line.includes('"identity provider ready"'));
    assert.equal((JSON.parse(ready!) as { threadpoolSize: number }).threadpoolSize, expected);
    await Promise.all(
      Array.from({ length: 20 }, () => fetch(`${server.url}/.well-known/jwks.json`)),
    );
    // What libuv reads when each worker starts: the worker's own environment.
    for (const pid of servingPids()) {
      const environment = (await readFile(`/proc/${pid}/environ`, 'utf8')).split('\0');
      assert.ok(
        environment.includes(`UV_THREADPOOL_SIZE=${expected}`),
        `worker ${pid}: ${environment.filter((entry) => entry.startsWith('UV_')).join(' ')}`,
      );
    }
  });

  test('SIGTERM stops every worker and the primary exits 0', async () => {
    assert.equal(await server.stop(), 0);
  });
});
