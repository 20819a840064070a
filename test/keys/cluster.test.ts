import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { scratchDatabase } from '../support/databases.js';
import { isolatedEnvironment, keyEncryptionKey } from '../support/environment.js';
import { idp, spawnServer, type SpawnedServer } from '../support/processes.js';
import { waitFor } from '../support/wait-for.js';

describe('two instances on one PostgreSQL database', () => {
  let database: Awaited<ReturnType<typeof scratchDatabase>>;
  let env: Record<string, string>;
  let servers: SpawnedServer[] = [];

  before(async () => {
    database = await scratchDatabase('postgresql');
    env = await isolatedEnvironment({
      DATABASE_URL: database.url,
      IDP_KEY_ENCRYPTION_KEY: keyEncryptionKey(),
      IDP_KEY_REFRESH_INTERVAL: '1s',
    });
    // Started together: migrations run once under the advisory lock; one key and one console
    // client are created, whichever instance gets there first.
    const started = await Promise.allSettled([spawnServer(env), spawnServer(env)]);
    // Keep whichever started, so that `after` stops it even when its sibling failed.
    servers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    for (const s of started) if (s.status === 'rejected') throw s.reason;
  });
  after(async () => {
    const codes = await Promise.all(servers.map((s) => s.stop()));
    assert.deepEqual(
      codes,
      servers.map(() => 0),
    );
    await database?.drop();
  });

  const jwksKids = async (server: SpawnedServer) =>
    (
      (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as {
        keys: { kid: string }[];
      }
    ).keys.map((k) => k.kid);

  test('both start on the same single signing key', async () => {
    const [a, b] = await Promise.all(servers.map(jwksKids));
    assert.equal(a!.length, 1);
    assert.deepEqual(a, b);
  });

  test('a rotation made through the CLI reaches both within seconds, without a restart', async () => {
    const rotated = await idp(['keys', 'rotate', '--now'], env);
    assert.equal(rotated.code, 0, rotated.stderr);
    const kid = /new key (\S+) signs/.exec(rotated.stdout)?.[1];
    assert.ok(kid, rotated.stdout);

    let views: string[][] = [];
    await waitFor(async () => {
      views = await Promise.all(servers.map(jwksKids));
      return views.every((kids) => kids.includes(kid));
    }, 'both instances to publish the new key');
    assert.deepEqual(views[0], views[1], 'both instances publish the same JWKS');
  });
});
