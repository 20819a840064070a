import { hash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import {
  calculateJwkThumbprint,
  decodeProtectedHeader,
  importJWK,
  jwtVerify,
  type CryptoKey,
  type JWK,
  type KeyObject,
} from 'jose';
import { OAuthError } from '../errors/oauth-error.js';
import { sha256Hex } from '../hash.js';
import type { SingleUseStore } from '../ports/single-use-store.js';
import type { DpopNonces } from './dpop-nonce.js';

/**
 * Asymmetric algorithms accepted for proofs (RFC 9449 4.2: never `none` nor a MAC); discovery
 * lists them. `Ed25519` is RFC 9864's fully-specified name for EdDSA with Ed25519, which
 * oauth4webapi signs with.
 */
export const DPOP_SIGNING_ALGORITHMS = ['ES256', 'PS256', 'EdDSA', 'Ed25519', 'RS256'] as const;

/** RFC 9449 11.1: proofs are short-lived; `iat` may be this old, or this far ahead (clock skew). */
const MAX_AGE_MS = 60_000;
const MAX_AHEAD_MS = 10_000;
/** Members that would make a JWK private (RFC 7518 6.2.2, 6.3.2, 6.4); a proof carries only a public key. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/**
 * Public keys of proofs that verified, by algorithm and RFC 7638 thumbprint. A client signs its
 * proofs with one key for as long as its tokens are bound to it (RFC 9449 1), and importing a
 * JWK costs more than verifying with it; the thumbprint's members fix the public key, so the same
 * thumbprint under the same algorithm is the same key.
 */
const proofKeys = new LRUCache<string, CryptoKey | KeyObject | Uint8Array>({ max: 1000 });

/** What checking one proof needs: where it was presented, when, and the stores. */
export interface DpopProofCheck {
  /** The `DPoP` request header; undefined when absent. Repeated headers must be refused by the caller. */
  readonly proof: string;
  readonly method: string;
  /** The endpoint's URL as the client addressed it, without query or fragment (RFC 9449 4.3). */
  readonly url: string;
  /** At a resource endpoint, the access token the proof must be bound to (`ath`). */
  readonly accessToken?: string;
  readonly now: number;
  /** `jti`s seen, cluster-wide (RFC 9449 11.1). */
  readonly replay: Pick<SingleUseStore, 'consume'>;
  /** Set when the server requires its own nonces (RFC 9449 8). */
  readonly nonces?: DpopNonces | undefined;
}

/** A proof that passed every check: the thumbprint (RFC 7638, SHA-256) of its key. */
export interface CheckedDpopProof {
  readonly jkt: string;
}

const invalidProof = (description: string) => new OAuthError('invalid_dpop_proof', description);

/** The URL without query and fragment, as `htu` compares (RFC 9449 4.3 item 9). */
function withoutQuery(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return undefined;
  }
}

/**
 * Checks a DPoP proof (RFC 9449 4.3): a JWT of `typ: dpop+jwt`, signed with an allowed
 * asymmetric algorithm by the public `jwk` in its header, for this method and URI, recent, never
 * seen before, with `ath` at a resource endpoint and the server's nonce when it asks for one.
 */
export async function checkDpopProof(check: DpopProofCheck): Promise<CheckedDpopProof> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(check.proof);
  } catch {
    throw invalidProof('the DPoP proof is not a JWS');
  }
  if (header.typ !== 'dpop+jwt') throw invalidProof('the DPoP proof must have typ dpop+jwt');
  if (
    typeof header.alg !== 'string' ||
    !(DPOP_SIGNING_ALGORITHMS as readonly string[]).includes(header.alg)
  ) {
    throw invalidProof(
      `the DPoP proof must be signed with one of ${DPOP_SIGNING_ALGORITHMS.join(', ')}`,
    );
  }
  const jwk = header.jwk as JWK | undefined;
  if (!jwk || typeof jwk !== 'object')
    throw invalidProof('the DPoP proof must carry its public key in jwk');
  if (PRIVATE_MEMBERS.some((member) => member in jwk))
    throw invalidProof("the DPoP proof's jwk must be a public key");

  let payload: Record<string, unknown>;
  let jkt: string;
  try {
    jkt = await calculateJwkThumbprint(jwk, 'sha256');
    const cacheKey = `${header.alg}:${jkt}`;
    const key = proofKeys.get(cacheKey) ?? (await importJWK(jwk, header.alg));
    ({ payload } = await jwtVerify(check.proof, key, {
      typ: 'dpop+jwt',
      algorithms: [header.alg],
      currentDate: new Date(check.now),
    }));
    proofKeys.set(cacheKey, key);
  } catch {
    throw invalidProof("the DPoP proof's signature does not verify with its jwk");
  }

  if (typeof payload.jti !== 'string' || payload.jti === '' || payload.jti.length > 256)
    throw invalidProof('the DPoP proof needs a jti');
  if (payload.htm !== check.method)
    throw invalidProof(`the DPoP proof is for another method (htm must be ${check.method})`);
  const expectedUri = withoutQuery(check.url);
  if (typeof payload.htu !== 'string' || withoutQuery(payload.htu) !== expectedUri)
    throw invalidProof(`the DPoP proof is for another URI (htu must be ${expectedUri})`);
  if (typeof payload.iat !== 'number') throw invalidProof('the DPoP proof needs iat');
  const iatMs = payload.iat * 1000;
  if (iatMs < check.now - MAX_AGE_MS || iatMs > check.now + MAX_AHEAD_MS)
    throw invalidProof("the DPoP proof's iat is too far from the server's time");
  if (
    check.accessToken !== undefined &&
    payload.ath !== hash('sha256', check.accessToken, 'base64url')
  ) {
    throw invalidProof(
      'the DPoP proof must carry ath, the hash of the access token it is sent with',
    );
  }
  if (
    check.nonces &&
    (typeof payload.nonce !== 'string' || !check.nonces.isValid(payload.nonce, check.now))
  ) {
    throw new OAuthError('use_dpop_nonce', 'Authorization server requires nonce in DPoP proof', {
      headers: { 'dpop-nonce': check.nonces.current(check.now) },
    });
  }

  // Replays are refused until the proof could no longer pass the iat check anyway.
  if (
    !(await check.replay.consume(
      `dpop:${jkt}:${sha256Hex(payload.jti)}`,
      iatMs + MAX_AGE_MS + MAX_AHEAD_MS,
    ))
  ) {
    throw invalidProof('the DPoP proof has been used before (jti replayed)');
  }
  return { jkt };
}

/** RFC 9449 10: a `dpop_jkt` value is a base64url SHA-256 thumbprint. */
export function isValidJkt(value: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(value);
}
