import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { KeyError } from './key-error.js';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encrypts a private key (PKCS#8 DER) with AES-256-GCM under the key-encryption key. The kid is
 * bound as additional authenticated data, so a ciphertext moved to another key's row fails to
 * decrypt instead of silently signing under the wrong kid.
 * Format: `v1.` + base64url(iv | ciphertext | tag).
 */
export function encryptPrivateKey(pkcs8: Buffer, kek: Buffer, kid: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(Buffer.from(kid, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(pkcs8), cipher.final()]);
  return `${VERSION}.${Buffer.concat([iv, ciphertext, cipher.getAuthTag()]).toString('base64url')}`;
}

/** Reverses `encryptPrivateKey`; a wrong key-encryption key or a tampered value is a KeyError. */
export function decryptPrivateKey(envelope: string, kek: Buffer, kid: string): Buffer {
  const [version, payload] = envelope.split('.');
  const bytes = payload === undefined ? Buffer.alloc(0) : Buffer.from(payload, 'base64url');
  if (version !== VERSION || bytes.length <= IV_BYTES + TAG_BYTES) {
    throw new KeyError(
      'key_encryption_key_mismatch',
      `signing key ${kid}: stored private key is not in a known format`,
    );
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(kid, 'utf8'));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch (cause) {
    throw new KeyError(
      'key_encryption_key_mismatch',
      `signing key ${kid} cannot be decrypted with the configured key-encryption key ` +
        '(IDP_KEY_ENCRYPTION_KEY, or the kek file under IDP_KEYS_DIR): was it changed or lost?',
      { cause },
    );
  }
}
