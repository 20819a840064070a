import { generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { calculateJwkThumbprint, exportJWK } from 'jose';
import { encryptPrivateKey } from './key-encryption.js';
import type { SigningAlgorithm } from './signing-algorithm.js';
import type { PublicSigningJwk, StoredSigningKey } from './signing-key.js';

const generateKeyPairAsync = promisify(generateKeyPair);

/** Sizes allowed for new RSA keys; below 2048 bits is refused (RFC 7518 3.3, 3.5). */
export type RsaKeySize = 2048 | 3072 | 4096;

async function keyPair(
  alg: SigningAlgorithm,
  rsaKeySize: RsaKeySize,
): Promise<{ publicKey: KeyObject; privateKey: KeyObject; size: number }> {
  // node:crypto's async generator runs in the thread pool: a 4096-bit RSA key takes seconds.
  switch (alg) {
    case 'RS256':
    case 'PS256':
      return {
        ...(await generateKeyPairAsync('rsa', { modulusLength: rsaKeySize })),
        size: rsaKeySize,
      };
    case 'ES256':
      return { ...(await generateKeyPairAsync('ec', { namedCurve: 'P-256' })), size: 256 };
    case 'EdDSA':
      return { ...(await generateKeyPairAsync('ed25519')), size: 256 };
  }
}

/** The public members only, in the order RFC 7638 names them. */
function publicMembers(jwk: Awaited<ReturnType<typeof exportJWK>>): PublicSigningJwk {
  if (jwk.kty === 'RSA' && jwk.n && jwk.e) return { kty: 'RSA', n: jwk.n, e: jwk.e };
  if (jwk.kty === 'EC' && jwk.crv === 'P-256' && jwk.x && jwk.y)
    return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y };
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519' && jwk.x)
    return { kty: 'OKP', crv: 'Ed25519', x: jwk.x };
  throw new TypeError(`unexpected public key type ${jwk.kty}`);
}

/**
 * Creates a new signing key for `alg`, its kid the RFC 7638 thumbprint of the public JWK, its
 * private half encrypted under the key-encryption key. Times are left to the rotation that adopts it.
 */
export async function generateSigningKey(
  alg: SigningAlgorithm,
  kek: Buffer,
  rsaKeySize: RsaKeySize = 2048,
): Promise<Omit<StoredSigningKey, 'createdAt' | 'activatesAt' | 'retiredAt' | 'revokedAt'>> {
  const { publicKey, privateKey, size } = await keyPair(alg, rsaKeySize);
  const publicJwk = publicMembers(await exportJWK(publicKey));
  const kid = await calculateJwkThumbprint(publicJwk, 'sha256');
  const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
  return { kid, alg, size, publicJwk, privateKey: encryptPrivateKey(pkcs8, kek, kid) };
}
