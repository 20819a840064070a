import { createHash } from 'node:crypto';
import type { StoredSigningKey } from './signing-key.js';

/** A serialised JWKS and its entity tag, computed once per key-set change. */
export interface JwksDocument {
  readonly body: string;
  /** Strong validator (RFC 9110 8.8.3): a hash of the exact body. */
  readonly etag: string;
  readonly kids: readonly string[];
}

/** Builds the public JWKS (RFC 7517 5): public members only, `use` and `alg` set. */
export function buildJwksDocument(keys: readonly StoredSigningKey[]): JwksDocument {
  const jwks = {
    keys: keys.map((key) => ({
      kty: key.publicJwk.kty,
      use: 'sig',
      alg: key.alg,
      kid: key.kid,
      n: key.publicJwk.n,
      e: key.publicJwk.e,
    })),
  };
  const body = JSON.stringify(jwks);
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  return { body, etag, kids: keys.map((k) => k.kid) };
}
