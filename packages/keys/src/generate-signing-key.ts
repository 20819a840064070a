import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import { calculateJwkThumbprint, exportJWK } from 'jose';
import { encryptPrivateKey } from './key-encryption.js';
import type { StoredSigningKey } from './signing-key.js';

const generateRsaKeyPair = promisify(generateKeyPair);

/** Sizes allowed for new RSA keys; below 2048 bits is refused (RFC 7518 3.3). */
export type RsaKeySize = 2048 | 3072 | 4096;

/**
 * Creates a new RSA signing key, its kid the RFC 7638 thumbprint of the public JWK, its private
 * half encrypted under the key-encryption key. Times are left to the rotation that adopts it.
 */
export async function generateSigningKey(
  size: RsaKeySize,
  kek: Buffer,
): Promise<Omit<StoredSigningKey, 'createdAt' | 'activatesAt' | 'retiredAt' | 'revokedAt'>> {
  // node:crypto's async generator runs in the thread pool: a 4096-bit key takes seconds.
  const { publicKey, privateKey } = await generateRsaKeyPair('rsa', { modulusLength: size });
  const jwk = await exportJWK(publicKey);
  if (jwk.kty !== 'RSA' || !jwk.n || !jwk.e) throw new TypeError('expected an RSA public key');
  const publicJwk = { kty: 'RSA', n: jwk.n, e: jwk.e } as const;
  const kid = await calculateJwkThumbprint(publicJwk, 'sha256');
  const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
  return { kid, alg: 'RS256', size, publicJwk, privateKey: encryptPrivateKey(pkcs8, kek, kid) };
}
