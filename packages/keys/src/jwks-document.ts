import { createHash } from 'node:crypto';
import type { PublicSigningJwk, StoredSigningKey } from './signing-key.js';

/** A serialised JWKS and its entity tag, computed once per key-set change. */
export interface JwksDocument {
  readonly body: string;
  /** Strong validator (RFC 9110 8.8.3): a hash of the exact body. */
  readonly etag: string;
  readonly kids: readonly string[];
}

/** The public members of each key type, whatever else a stored JWK might carry. */
function publicMembers(jwk: PublicSigningJwk) {
  switch (jwk.kty) {
    case 'RSA':
      return { n: jwk.n, e: jwk.e };
    case 'EC':
      return { crv: jwk.crv, x: jwk.x, y: jwk.y };
    case 'OKP':
      return { crv: jwk.crv, x: jwk.x };
  }
}

/** Builds the public JWKS (RFC 7517 5): public members only, `use`, `alg` and `kid` set. */
export function buildJwksDocument(keys: readonly StoredSigningKey[]): JwksDocument {
  const jwks = {
    keys: keys.map((key) => ({
      kty: key.publicJwk.kty,
      use: 'sig',
      alg: key.alg,
      kid: key.kid,
      ...publicMembers(key.publicJwk),
    })),
  };
  const body = JSON.stringify(jwks);
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  return { body, etag, kids: keys.map((k) => k.kid) };
}
