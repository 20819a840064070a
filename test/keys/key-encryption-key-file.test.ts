import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { providers, scratchDatabase } from '../support/databases.js';
import { isolatedEnvironment } from '../support/environment.js';
import { serverEntry } from '../support/paths.js';
import { idp, run } from '../support/processes.js';

/*
 * The embedded default: without IDP_KEY_ENCRYPTION_KEY the key-encryption key is the file
 * `<IDP_KEYS_DIR>/kek`. IDP_KEYS_DIR (default ./keys) and a relative SQLite DATABASE_URL both
 * resolve against the working directory, so `pnpm idp` and `pnpm start` (run in the workspace
 * root) agree; a process started elsewhere against the same database (an absolute SQLite path,
 * PostgreSQL) looks for another kek file, which it must not create.
 */
for (const provider of providers) {
  describe(`the key-encryption key file on ${provider}`, () => {
    let database: Awaited<ReturnType<typeof scratchDatabase>>;
    let env: Record<string, string>;
    let listed: string;

    before(async () => {
      database = await scratchDatabase(provider);
      env = await isolatedEnvironment({ DATABASE_URL: database.url });
      // First start: an empty database, so the kek file is generated.
      const first = await idp(['keys', 'rotate', '--now'], env);
      assert.equal(first.code, 0, first.stderr);
      assert.equal((await readdir(env.IDP_KEYS_DIR!)).join(), 'kek');
      listed = (await idp(['keys', 'list', '--json'], env)).stdout;
    });
    after(async () => database?.drop());

    /** An empty folder to run from, and the environment without IDP_KEYS_DIR (default ./keys). */
    async function elsewhere() {
      const cwd = await mkdtemp(join(tmpdir(), 'idp-elsewhere-'));
      const rest = { ...env };
      delete rest.IDP_KEYS_DIR;
      return { cwd, env: rest };
    }

    test('the CLI run from another directory refuses, names both settings and the path, and creates no kek', async () => {
      const other = await elsewhere();
      const result = await idp(['keys', 'list'], other.env, { cwd: other.cwd });
      assert.equal(result.code, 1, result.stdout);
      assert.match(result.stderr, /IDP_KEY_ENCRYPTION_KEY is unset/);
      assert.ok(result.stderr.includes(join(other.cwd, 'keys', 'kek')), result.stderr);
      assert.match(result.stderr, /IDP_KEYS_DIR=\.\/keys/);
      assert.match(result.stderr, /holds 1 signing key, which cannot be decrypted without/);
      assert.deepEqual(await readdir(other.cwd), [], 'no keys folder, no kek file');
    });

    test('from another directory, commands that never touch a signing key run and create no kek', async () => {
      const other = await elsewhere();
      const result = await idp(['clients', 'list', '--json'], other.env, { cwd: other.cwd });
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(JSON.parse(result.stdout), { clients: [] });
      const password = ['--password', 'a long enough password for tests'];
      const added = await idp(['users', 'add', 'eve@example.com', ...password], other.env, {
        cwd: other.cwd,
      });
      assert.equal(added.code, 0, added.stderr);
      assert.deepEqual(await readdir(other.cwd), [], 'no keys folder, no kek file');
    });

    test('a wrong IDP_KEYS_DIR is refused the same way, and the folder stays empty', async () => {
      const wrong = await mkdtemp(join(tmpdir(), 'idp-wrong-keys-'));
      const result = await idp(['keys', 'rotate'], { ...env, IDP_KEYS_DIR: wrong });
      assert.equal(result.code, 1, result.stdout);
      assert.match(result.stderr, new RegExp(`${join(wrong, 'kek')} \\(IDP_KEYS_DIR=${wrong}\\)`));
      assert.deepEqual(await readdir(wrong), []);
      assert.equal((await idp(['keys', 'list', '--json'], env)).stdout, listed, 'no key added');
    });

    test('the server started from another directory refuses to start and says why', async () => {
      const other = await elsewhere();
      const result = await run(
        [process.execPath, serverEntry],
        { ...other.env, PORT: '0', HOST: '127.0.0.1' },
        { cwd: other.cwd, timeoutMs: 30_000 },
      );
      assert.equal(result.code, 1, result.stdout);
      assert.match(result.stdout, /could not start: no key-encryption key: IDP_KEY_ENCRYPTION_KEY/);
      assert.deepEqual(await readdir(other.cwd), []);
    });

    test('from another directory, IDP_KEYS_DIR naming the right folder works', async () => {
      const other = await elsewhere();
      const result = await idp(['keys', 'list', '--json'], env, { cwd: other.cwd });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, listed);
      const kek = await readFile(join(env.IDP_KEYS_DIR!, 'kek'), 'utf8');
      assert.match(kek, /^[A-Za-z0-9+/]{43}=\n$/, 'the same file, untouched');
    });
  });
}
