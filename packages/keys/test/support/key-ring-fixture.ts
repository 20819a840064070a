import { randomBytes } from 'node:crypto';
import { KeyRing, SigningKeys, type SigningKeyPolicy } from '../../src/index.js';
import { ManualClock, MemorySigningKeyStore } from '../../src/testing/index.js';

const MINUTE = 60_000;

/** Keys sign at once; a retired key stays published for the hour the longest token lives. */
export const TEST_POLICY: SigningKeyPolicy = {
  keySize: 2048,
  prePublicationMs: 10 * MINUTE,
  rotationIntervalMs: 0,
  longestTokenTtlMs: 60 * MINUTE,
};

/** A key ring over an in-memory store holding one active key, on a manual clock. */
export async function ringWithActiveKey(policy: SigningKeyPolicy = TEST_POLICY) {
  const clock = new ManualClock();
  const store = new MemorySigningKeyStore();
  const kek = randomBytes(32);
  const keys = new SigningKeys({ store, kek, clock, policy });
  const ring = new KeyRing({ store, kek, clock, policy });
  const first = (await keys.ensureActiveKey('test'))!;
  await ring.refresh();
  return { clock, keys, ring, first };
}
