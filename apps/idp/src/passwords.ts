import { availableParallelism } from 'node:os';
import argon2 from 'argon2';
import pLimit from 'p-limit';

/**
 * argon2id at the OWASP Password Storage Cheat Sheet minimum (19 MiB, t=2, p=1): about 17-26 ms
 * per hash on one core here. argon2 hashes in libuv's thread pool, off the event loop.
 */
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** NIST SP 800-63B 5.1.1.2: at least 8 characters for a memorised secret a person chooses. */
export const MIN_PASSWORD_LENGTH = 8;

/**
 * At most one hash per core this process may run on (its CPU affinity, which
 * `availableParallelism` honours). More in flight only share the same cores: each takes longer,
 * 19 MiB apiece evict each other from the caches (measured: 57.5 hashes/s one at a time, 51.3
 * four at a time, on one core), and libuv's four pool threads are all taken by hashing.
 */
const hashing = pLimit(Math.max(1, availableParallelism()));

export function hashPassword(password: string): Promise<string> {
  return hashing(() => argon2.hash(password, OPTIONS));
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await hashing(() => argon2.verify(hash, password));
  } catch {
    return false;
  }
}
