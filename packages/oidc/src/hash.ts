import { hash, timingSafeEqual } from 'node:crypto';

// Node's one-shot hash() rather than createHash(): no Hash object (a stream) per call, for the
// short inputs hashed on every token request (scripts/sha256.ts measures both).

/** SHA-256 as lowercase hex: how codes, refresh tokens and session ids are stored. */
export function sha256Hex(value: string): string {
  return hash('sha256', value, 'hex');
}

/** Whether SHA-256 of `presented` is the stored hex digest, compared in constant time. */
export function sha256Matches(presented: string, storedHex: string): boolean {
  const expected = Buffer.from(storedHex, 'hex');
  const actual = hash('sha256', presented, 'buffer');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
