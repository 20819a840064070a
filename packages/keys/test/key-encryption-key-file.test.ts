import assert from 'node:assert/strict';
import { mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadOrCreateKeyEncryptionKey } from '../src/index.js';

test('the embedded key-encryption key is generated once, mode 0600, and reused', async () => {
  const dir = join(await mkdtemp(join(tmpdir(), 'kek-')), 'keys');
  const first = await loadOrCreateKeyEncryptionKey(dir);
  assert.equal(first.created, true);
  assert.equal(first.key.length, 32);
  assert.equal((await stat(first.path)).mode & 0o777, 0o600);
  const again = await loadOrCreateKeyEncryptionKey(dir);
  assert.equal(again.created, false);
  assert.deepEqual(again.key, first.key);
});

test('two processes starting together agree on one key', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kek-'));
  const [a, b] = await Promise.all([
    loadOrCreateKeyEncryptionKey(dir),
    loadOrCreateKeyEncryptionKey(dir),
  ]);
  assert.deepEqual(a.key, b.key);
  assert.equal([a.created, b.created].filter(Boolean).length, 1);
});
