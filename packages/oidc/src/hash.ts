import { createHash, timingSafeEqual } from 'node:crypto';

/** SHA-256 as lowercase hex: how codes, refresh tokens and session ids are stored. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Whether SHA-256 of `presented` is the stored hex digest, compared in constant time. */
export function sha256Matches(presented: string, storedHex: string): boolean {
  const expected = Buffer.from(storedHex, 'hex');
  const actual = createHash('sha256').update(presented, 'utf8').digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
