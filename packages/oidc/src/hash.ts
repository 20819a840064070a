import { createHash, timingSafeEqual } from 'node:crypto';

/** SHA-256 as lowercase hex: how codes, refresh tokens and session ids are stored. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Two SHA-256 digests in lowercase hex compared in constant time (false when either is not one). */
export function sameSha256Hex(a: string, b: string): boolean {
  return SHA256_HEX.test(a) && SHA256_HEX.test(b) && timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
