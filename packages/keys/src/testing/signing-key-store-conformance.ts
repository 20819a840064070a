import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { generateSigningKey } from '../generate-signing-key.js';
import { SIGNING_ALGORITHMS } from '../signing-algorithm.js';
import type { SigningKeyStore } from '../signing-key-store.js';

/**
 * The contract every `SigningKeyStore` must keep, as node:test cases. Implementations call this
 * from their own tests with a factory for an empty store.
 */
export function signingKeyStoreConformance(
  name: string,
  makeStore: () => Promise<SigningKeyStore>,
): void {
  const kek = randomBytes(32);

  test(`${name}: a change inserts and updates keys, and list returns them whole`, async () => {
    const store = await makeStore();
    const key = await generateSigningKey('RS256', kek);
    await store.change(
      () => ({
        insert: { ...key, createdAt: 1000, activatesAt: 2000, retiredAt: null, revokedAt: null },
        updates: [],
        events: [{ type: 'key.created', data: { kid: key.kid } }],
        result: undefined,
      }),
      'test',
    );
    await store.change(
      () => ({
        updates: [{ kid: key.kid, retiredAt: 5000, revokedAt: 6000 }],
        events: [],
        result: undefined,
      }),
      'test',
    );
    const [stored] = await store.list();
    assert.deepEqual(stored, {
      ...key,
      createdAt: 1000,
      activatesAt: 2000,
      retiredAt: 5000,
      revokedAt: 6000,
    });
    // A cancelled rotation gives a key back its open end: null clears, absent leaves as is.
    await store.change(
      () => ({ updates: [{ kid: key.kid, retiredAt: null }], events: [], result: undefined }),
      'test',
    );
    const [reopened] = await store.list();
    assert.deepEqual([reopened!.retiredAt, reopened!.revokedAt], [null, 6000]);
  });

  test(`${name}: keys of every algorithm come back with their alg, size and public JWK (RS256, PS256, ES256, EdDSA)`, async () => {
    const store = await makeStore();
    const keys = await Promise.all(SIGNING_ALGORITHMS.map((alg) => generateSigningKey(alg, kek)));
    for (const [index, key] of keys.entries()) {
      await store.change(
        () => ({
          insert: {
            ...key,
            createdAt: 1000 + index,
            activatesAt: 2000 + index,
            retiredAt: null,
            revokedAt: null,
          },
          updates: [],
          events: [],
          result: undefined,
        }),
        'test',
      );
    }
    const stored = new Map((await store.list()).map((k) => [k.kid, k]));
    assert.equal(stored.size, keys.length);
    for (const [index, key] of keys.entries()) {
      assert.deepEqual(
        stored.get(key.kid),
        {
          ...key,
          createdAt: 1000 + index,
          activatesAt: 2000 + index,
          retiredAt: null,
          revokedAt: null,
        },
        key.alg,
      );
    }
    assert.deepEqual([...stored.values()].map((k) => k.publicJwk.kty).sort(), [
      'EC',
      'OKP',
      'RSA',
      'RSA',
    ]);
  });

  test(`${name}: a change updates keys of one algorithm and leaves the others alone`, async () => {
    const store = await makeStore();
    const [rs, es] = await Promise.all([
      generateSigningKey('RS256', kek),
      generateSigningKey('ES256', kek),
    ]);
    for (const key of [rs, es]) {
      await store.change(
        () => ({
          insert: { ...key, createdAt: 1, activatesAt: 1, retiredAt: null, revokedAt: null },
          updates: [],
          events: [],
          result: undefined,
        }),
        'test',
      );
    }
    await store.change(
      () => ({ updates: [{ kid: es.kid, retiredAt: 7000 }], events: [], result: undefined }),
      'test',
    );
    const byAlg = Object.fromEntries((await store.list()).map((k) => [k.alg, k.retiredAt]));
    assert.deepEqual(byAlg, { RS256: null, ES256: 7000 });
  });

  test(`${name}: a change whose decision throws writes nothing`, async () => {
    const store = await makeStore();
    const key = await generateSigningKey('RS256', kek);
    await assert.rejects(
      store.change(() => {
        throw new Error('refused');
      }, 'test'),
      /refused/,
    );
    await assert.rejects(
      store.change(
        () => ({
          insert: { ...key, createdAt: 1, activatesAt: 1, retiredAt: null, revokedAt: null },
          updates: [{ kid: 'no-such-key', retiredAt: 1 }],
          events: [],
          result: undefined,
        }),
        'test',
      ),
    );
    assert.deepEqual(await store.list(), []);
  });

  test(`${name}: concurrent changes are serialised (each decides on the other's result)`, async () => {
    const store = await makeStore();
    const [a, b] = await Promise.all([
      generateSigningKey('RS256', kek),
      generateSigningKey('RS256', kek),
    ]);
    // Both try to add "the first key"; serialised, the second sees the first and adds nothing.
    const addIfEmpty = (key: typeof a) =>
      store.change(
        (keys) =>
          keys.length > 0
            ? { updates: [], events: [], result: false }
            : {
                insert: { ...key, createdAt: 1, activatesAt: 1, retiredAt: null, revokedAt: null },
                updates: [],
                events: [],
                result: true,
              },
        'test',
      );
    const results = await Promise.all([addIfEmpty(a), addIfEmpty(b)]);
    assert.deepEqual(results.sort(), [false, true]);
    assert.equal((await store.list()).length, 1);
  });
}
