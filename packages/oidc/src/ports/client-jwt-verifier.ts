import type { RegisteredClient } from '../clients/registered-client.js';

/** A JWT whose signature verified with one of the client's keys; its claims are not yet judged. */
export interface ClientSignedJwt {
  readonly payload: Readonly<Record<string, unknown>>;
  readonly header: { readonly alg: string; readonly kid?: string; readonly typ?: string };
}

/**
 * Why a client-signed JWT was refused, for the operator's log; callers turn it into the RFC
 * error of their endpoint (`invalid_client`, `invalid_request_object`).
 */
export class ClientJwtRejected extends Error {
  /** Set when the client's security profile, not the JWT itself, is what refused it. */
  readonly profileRule: 'signing_algorithm' | undefined;

  constructor(
    reason: string,
    options?: { cause?: unknown; profileRule?: 'signing_algorithm' | undefined },
  ) {
    super(reason, options);
    this.name = 'ClientJwtRejected';
    this.profileRule = options?.profileRule;
  }
}

/**
 * Verifies JWTs a client signed (client assertions, RFC 7523; request objects, RFC 9101) with
 * the client's registered keys: `jwks` by value or the document at `jwks_uri`. Implemented by the
 * keys package with jose; the core judges the claims itself.
 *
 * Contract:
 * - `verify` resolves only when the JWS is well formed, its `alg` is one of `algorithms` and its
 *   signature verifies with a public key of `client` (selected by `kid` when the header has one).
 *   It does not judge `exp`, `iat`, `nbf`, `aud` or `iss`. Otherwise it throws
 *   `ClientJwtRejected` (never anything else for a bad token; a key document that cannot be
 *   fetched is a `ClientJwtRejected` too).
 * - `jwks_uri` documents are cached; a `kid` not in the cached document leads to at most one
 *   refetch per short interval, so a client that rotated its keys is heard without letting
 *   requests with random `kid`s turn into a stream of fetches.
 * - `peek` reads the claims of a compact JWT without verifying anything (to learn which client
 *   it claims to be before its keys are looked up); undefined when it is not a JWT.
 */
export interface ClientJwtVerifier {
  verify(
    jwt: string,
    client: RegisteredClient,
    algorithms: readonly string[],
  ): Promise<ClientSignedJwt>;
  peek(jwt: string): Readonly<Record<string, unknown>> | undefined;
}
