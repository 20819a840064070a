import { hkdfSync, webcrypto } from 'node:crypto';

/** Secrets the HTTP layer needs, each derived for one purpose from the key-encryption key. */
export interface DerivedSecrets {
  /** Signs cookies (@fastify/cookie). */
  readonly cookieSecret: string;
  /**
   * Encrypts the interaction state carried through the login and consent forms (A256GCM).
   * Imported once: handed raw bytes, jose imports a new key on every seal and open (measured
   * 30-45 µs each on one core).
   */
  readonly interactionKey: webcrypto.CryptoKey;
  /** Keys the HMAC of stateless DPoP nonces (RFC 9449 8), the same on every instance. */
  readonly dpopNonceKey: Uint8Array;
  /** Encrypts the one-time-code (TOTP) secrets at rest (one-time-codes/factor-secret.ts). */
  readonly oneTimeCodeKey: Buffer;
}

/**
 * HKDF-SHA256 (RFC 5869) with a distinct `info` per use: every instance of a cluster derives the
 * same values from the shared key-encryption key, and no two uses share key material.
 */
export async function deriveSecrets(kek: Buffer): Promise<DerivedSecrets> {
  const derive = (info: string) =>
    new Uint8Array(hkdfSync('sha256', kek, Buffer.alloc(0), info, 32));
  return {
    cookieSecret: Buffer.from(derive('idp cookie signing v1')).toString('base64url'),
    dpopNonceKey: derive('idp dpop nonce v1'),
    oneTimeCodeKey: Buffer.from(derive('idp one-time-code secrets v1')),
    interactionKey: await webcrypto.subtle.importKey(
      'raw',
      derive('idp interaction encryption v1'),
      'AES-GCM',
      false,
      ['encrypt', 'decrypt'],
    ),
  };
}
