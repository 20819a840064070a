import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { generateSigningKey } from '../generate-signing-key.js';
import type { SigningKeyStore } from '../signing-key-store.js';

/**
 * The contract every `SigningKeyStore` must keep, as node:test cases. Implementations call this
 * from their own tests with a factory for an empty store.
 */
export function signingKeyStoreConformance(name: string, makeStore: () => Promise<SigningKeyStore>): void {
  const kek = randomBytes(32);

  test(`${name}: a change inserts and updates keys, and list returns them whole`, async () => {
    const store = await makeStore();
    const key = await generateSigningKey(2048, kek);
    await store.change(() => ({
      insert: { ...key, createdAt: 1000, activatesAt: 2000, retiredAt: null, revokedAt: null },
      updates: [],
      events: [{ type: 'key.created', data: { kid: key.kid } }],
      result: undefined,
    }), 'test');
    await store.change(() => ({ updates: [{ kid: key.kid, retiredAt: 5000, revokedAt: 6000 }], events: [], result: undefined }), 'test');
    const [stored] = await store.list();
    assert.deepEqual(stored, { ...key, createdAt: 1000, activatesAt: 2000, retiredAt: 5000, revokedAt: 6000 });
  });

  test(`${name}: a change whose decision throws writes nothing`, async () => {
    const store = await makeStore();
    const key = await generateSigningKey(2048, kek);
    await assert.rejects(
      store.change(() => {
        throw new Error('refused');
      }, 'test'),
      /refused/,
    );
    await assert.rejects(
      store.change(() => ({
        insert: { ...key, createdAt: 1, activatesAt: 1, retiredAt: null, revokedAt: null },
        updates: [{ kid: 'no-such-key', retiredAt: 1 }],
        events: [],
        result: undefined,
      }), 'test'),
    );
    assert.deepEqual(await store.list(), []);
  });

  test(`${name}: concurrent changes are serialised (each decides on the other's result)`, async () => {
    const store = await makeStore();
    const [a, b] = await Promise.all([generateSigningKey(2048, kek), generateSigningKey(2048, kek)]);
    // Both try to add "the first key"; serialised, the second sees the first and adds nothing.
    const addIfEmpty = (key: typeof a) =>
      store.change((keys) => (keys.length > 0
        ? { updates: [], events: [], result: false }
        : { insert: { ...key, createdAt: 1, activatesAt: 1, retiredAt: null, revokedAt: null }, updates: [], events: [], result: true }), 'test');
    const results = await Promise.all([addIfEmpty(a), addIfEmpty(b)]);
    assert.deepEqual(results.sort(), [false, true]);
    assert.equal((await store.list()).length, 1);
  });
}
