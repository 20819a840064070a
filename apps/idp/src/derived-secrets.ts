import { hkdfSync } from 'node:crypto';

/** Secrets the HTTP layer needs, each derived for one purpose from the key-encryption key. */
export interface DerivedSecrets {
  /** Signs cookies (@fastify/cookie). */
  readonly cookieSecret: string;
  /** Encrypts the interaction state carried through the login and consent forms (A256GCM). */
  readonly interactionKey: Uint8Array;
}

/**
 * HKDF-SHA256 (RFC 5869) with a distinct `info` per use: every instance of a cluster derives the
 * same values from the shared key-encryption key, and no two uses share key material.
 */
export function deriveSecrets(kek: Buffer): DerivedSecrets {
  const derive = (info: string) => new Uint8Array(hkdfSync('sha256', kek, Buffer.alloc(0), info, 32));
  return {
    cookieSecret: Buffer.from(derive('idp cookie signing v1')).toString('base64url'),
    interactionKey: derive('idp interaction encryption v1'),
  };
}
