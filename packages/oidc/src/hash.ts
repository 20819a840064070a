import { createHash, timingSafeEqual } from 'node:crypto';

/** SHA-256 as lowercase hex: how codes, refresh tokens and session ids are stored. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Two SHA-256 hex digests compared in constant time (false when either is not one). */
export function sameSha256Hex(a: string, b: string): boolean {
  const left = Buffer.from(a, 'latin1');
  const right = Buffer.from(b, 'latin1');
  return left.length === 64 && right.length === 64 && timingSafeEqual(left, right);
}
