/**
 * The keys of the bench's key-holding clients and the single-use JWTs made with them, in the
 * driver process: one ES256 key pair for `private_key_jwt` client assertions (its public half
 * registered with both servers) and one for DPoP proofs. Generated per run, never stored.
 */
import { randomUUID } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';

/** ES256: what a FAPI 2.0 client would use (RS256 is refused for those), and cheap to verify. */
const ALG = 'ES256';

const assertionKeys = await generateKeyPair(ALG, { extractable: true });
/** The public key both servers register for the `private_key_jwt` client. */
export const ASSERTION_PUBLIC_JWK: JWK = {
  ...(await exportJWK(assertionKeys.publicKey)),
  kid: 'bench-assertion',
  alg: ALG,
  use: 'sig',
};

const dpopKeys = await generateKeyPair(ALG, { extractable: true });
const dpopPublicJwk = await exportJWK(dpopKeys.publicKey);
/** RFC 9449 6.1: the `cnf.jkt` a token bound to the DPoP key carries. */
export const DPOP_JKT = await calculateJwkThumbprint(dpopPublicJwk);

/** Assertions and proofs live this long at most; a window's pool is made just before it. */
const LIFETIME_S = 120;

/**
 * `count` client assertions (RFC 7523 3, rfc7523bis) for `clientId` at the server whose issuer
 * is `issuer`: `aud` the issuer identifier, `iss` = `sub` = client_id, a unique `jti` each.
 */
export async function clientAssertions(
  clientId: string,
  issuer: string,
  count: number,
): Promise<string[]> {
  const assertions: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const now = Math.floor(Date.now() / 1000);
    assertions.push(
      await new SignJWT({ jti: randomUUID() })
        .setProtectedHeader({ alg: ALG, kid: ASSERTION_PUBLIC_JWK.kid! })
        .setIssuer(clientId)
        .setSubject(clientId)
        .setAudience(issuer)
        .setIssuedAt(now)
        .setExpirationTime(now + LIFETIME_S)
        .sign(assertionKeys.privateKey),
    );
  }
  return assertions;
}

/** `count` DPoP proofs (RFC 9449 4.2) for `POST url`, no nonce: both servers run without. */
export async function dpopProofs(url: string, count: number): Promise<string[]> {
  const proofs: string[] = [];
  for (let index = 0; index < count; index += 1) {
    proofs.push(
      await new SignJWT({ htm: 'POST', htu: url, jti: randomUUID() })
        .setProtectedHeader({ alg: ALG, typ: 'dpop+jwt', jwk: dpopPublicJwk })
        .setIssuedAt()
        .sign(dpopKeys.privateKey),
    );
  }
  return proofs;
}
