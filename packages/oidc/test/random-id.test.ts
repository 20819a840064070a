import assert from 'node:assert/strict';
import { test } from 'node:test';
import { randomId } from '../src/index.js';

// Identifiers come from a pool of CSPRNG bytes that is refilled when it runs out: each byte is
// handed out once, so no two identifiers share bytes, across refills too.

test('identifiers are URL-safe, as long as asked for, and never repeat across pool refills', () => {
  const seen = new Set<string>();
  // 600 x 32 bytes is more than four refills of the 4 KiB pool.
  for (let index = 0; index < 600; index++) {
    const id = randomId(32);
    assert.match(id, /^[A-Za-z0-9_-]{43}$/);
    seen.add(id);
  }
  assert.equal(seen.size, 600);
  assert.equal(Buffer.from(randomId(), 'base64url').length, 16);
  assert.equal(Buffer.from(randomId(12), 'base64url').length, 12);
});

test('a size the pool cannot serve whole is refused, not cut short', () => {
  assert.throws(() => randomId(4097), RangeError);
  assert.throws(() => randomId(0), RangeError);
  assert.equal(Buffer.from(randomId(4096), 'base64url').length, 4096);
});
