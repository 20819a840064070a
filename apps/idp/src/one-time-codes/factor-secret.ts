import { decryptPrivateKey, encryptPrivateKey } from '@idp/keys';

/**
 * The TOTP shared secret at rest: AES-256-GCM under a key derived from the key-encryption key
 * (derived-secrets.ts), with the user id as additional authenticated data, so a secret copied
 * to another user's row does not open. The same envelope as signing keys (packages/keys).
 */
export function sealFactorSecret(secret: string, key: Buffer, userId: string): string {
  return encryptPrivateKey(Buffer.from(secret, 'utf8'), key, `one-time-code:${userId}`);
}

/** Opens a sealed secret; throws when the key changed or the value was tampered with. */
export function openFactorSecret(sealed: string, key: Buffer, userId: string): string {
  return decryptPrivateKey(sealed, key, `one-time-code:${userId}`).toString('utf8');
}
