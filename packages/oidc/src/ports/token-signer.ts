import type { JwsSigningAlgorithm } from '../tokens/signing-algorithms.js';

/**
 * Signs JWTs with the active key (`kid` header) of `alg`; without `alg`, of the server's token
 * algorithm (access and refresh tokens). Implemented by the keys package's key ring.
 */
export interface TokenSigner {
  sign(
    payload: Record<string, unknown>,
    options?: { typ?: string; alg?: JwsSigningAlgorithm },
  ): Promise<string>;
  /** The algorithms `sign` can use now (each has an active key). */
  signingAlgorithms(): readonly JwsSigningAlgorithm[];
}
