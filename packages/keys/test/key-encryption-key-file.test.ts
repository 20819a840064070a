import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  KeyError,
  loadOrCreateKeyEncryptionKey,
  SigningKeys,
  type SigningKeyPolicy,
} from '../src/index.js';
import { ManualClock, MemorySigningKeyStore } from '../src/testing/index.js';

const empty = () => new MemorySigningKeyStore();

/** A store holding one signing key, encrypted under a key-encryption key no file holds. */
async function storeWithAKey() {
  const store = new MemorySigningKeyStore();
  const policy: SigningKeyPolicy = {
    keySize: 2048,
    prePublicationMs: 0,
    rotationIntervalMs: 0,
    longestTokenTtlMs: 0,
  };
  const keys = new SigningKeys({ store, kek: randomBytes(32), clock: new ManualClock(), policy });
  await keys.ensureActiveKey('test', 'ES256');
  return store;
}

test('the embedded key-encryption key is generated once, mode 0600, and reused', async () => {
  const dir = join(await mkdtemp(join(tmpdir(), 'kek-')), 'keys');
  const first = await loadOrCreateKeyEncryptionKey(dir, empty());
  assert.equal(first.created, true);
  assert.equal(first.key.length, 32);
  assert.equal((await stat(first.path)).mode & 0o777, 0o600);
  const again = await loadOrCreateKeyEncryptionKey(dir, await storeWithAKey());
  assert.equal(again.created, false);
  assert.deepEqual(again.key, first.key);
});

test('two processes starting together agree on one key', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kek-'));
  const [a, b] = await Promise.all([
    loadOrCreateKeyEncryptionKey(dir, empty()),
    loadOrCreateKeyEncryptionKey(dir, empty()),
  ]);
  assert.deepEqual(a.key, b.key);
  assert.equal([a.created, b.created].filter(Boolean).length, 1);
});

test('with signing keys stored and no kek file, it refuses, names the settings and the path, and creates nothing', async () => {
  const parent = await mkdtemp(join(tmpdir(), 'kek-'));
  const dir = join(parent, 'keys');
  await assert.rejects(loadOrCreateKeyEncryptionKey(dir, await storeWithAKey()), (error) => {
    assert.ok(error instanceof KeyError);
    assert.equal(error.code, 'key_encryption_key_missing');
    assert.match(error.message, /IDP_KEY_ENCRYPTION_KEY/);
    assert.match(error.message, new RegExp(`IDP_KEYS_DIR=${dir}`));
    assert.ok(error.message.includes(join(dir, 'kek')), error.message);
    assert.match(error.message, /holds 1 signing key, which cannot be decrypted without/);
    return true;
  });
  assert.deepEqual(await readdir(parent), [], 'neither the folder nor a kek file');
});
