import type { RegisteredClient } from '../clients/registered-client.js';
import { decodeProtectedHeader } from 'jose';
import { acceptedClientAlgs } from '../clients/registered-client.js';
import { clientSignatureAlgs } from '../profiles/fapi2.js';
import { sha256Hex } from '../hash.js';
import { ClientJwtRejected, type ClientJwtVerifier } from '../ports/client-jwt-verifier.js';
import type { SingleUseStore } from '../ports/single-use-store.js';

/** RFC 7523 2.2: the only client_assertion_type this server understands. */
export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * Longest lifetime (exp minus now) an assertion may have. RFC 7523 3 asks servers to limit it;
 * an assertion is made for one request, and its `jti` must be remembered until `exp`.
 */
export const MAX_ASSERTION_LIFETIME_S = 300;
/**
 * How far in the future `iat` and `nbf` may be: clocks drift. FAPI 2.0 SP 5.3.2.1 asks that 10 s
 * be accepted and more than 60 s refused; we refuse everything beyond 10 s, the narrower choice.
 */
export const MAX_FUTURE_SKEW_S = 10;

/** What checking an assertion needs: who we are, the time, the keys and the replay store. */
export interface ClientAssertionDeps {
  readonly issuer: string;
  readonly now: number;
  readonly clientJwts: ClientJwtVerifier;
  readonly singleUse: SingleUseStore;
}

/**
 * Checks a `private_key_jwt` client assertion (RFC 7523 3 as tightened by
 * draft-ietf-oauth-rfc7523bis, OIDC Core 9) for `client`. Resolves when it authenticates the
 * client; otherwise throws `ClientJwtRejected` with the reason for the log.
 */
export async function checkClientAssertion(
  assertion: string,
  client: RegisteredClient,
  deps: ClientAssertionDeps,
): Promise<void> {
  // Only asymmetric algorithms, and only the registered one when the client named one
  // (OIDC Registration token_endpoint_auth_signing_alg); never `none` or an HMAC; never RS256
  // for a FAPI 2.0 client (FAPI 2.0 SP 5.4.1).
  const algorithms = clientSignatureAlgs(client, client.tokenEndpointAuthSigningAlg);
  // An algorithm only the profile takes away (RS256 for a FAPI client) is the profile's refusal:
  // audited as such, so operators can tell a client still on RS256 from a forged assertion.
  const alg = headerAlg(assertion);
  if (
    alg !== undefined &&
    !algorithms.includes(alg) &&
    acceptedClientAlgs(client.tokenEndpointAuthSigningAlg).includes(alg)
  )
    throw new ClientJwtRejected(`${alg} is not allowed by the client's security profile`, {
      profileRule: 'signing_algorithm',
    });
  const { payload } = await deps.clientJwts.verify(assertion, client, algorithms);
  const nowS = Math.floor(deps.now / 1000);

  // RFC 7523 3 items 1-2: iss and sub are the client_id.
  if (payload.iss !== client.clientId) throw new ClientJwtRejected('iss is not the client_id');
  if (payload.sub !== client.clientId) throw new ClientJwtRejected('sub is not the client_id');
  // rfc7523bis 4 and FAPI 2.0 SP 5.3.2.1-8: aud is the issuer identifier, as a single string.
  // An endpoint URL or an array is refused: that ambiguity is what let assertions made for one
  // server be replayed at another.
  if (typeof payload.aud !== 'string')
    throw new ClientJwtRejected('aud must be the issuer identifier as a single string');
  if (payload.aud !== deps.issuer)
    throw new ClientJwtRejected(
      `aud is not the issuer identifier (got ${JSON.stringify(payload.aud).slice(0, 200)})`,
    );
  // RFC 7523 3 item 4: exp is required; we also bound it so a stolen assertion dies soon.
  if (typeof payload.exp !== 'number') throw new ClientJwtRejected('exp is required');
  if (payload.exp <= nowS) throw new ClientJwtRejected('the assertion has expired');
  if (payload.exp - nowS > MAX_ASSERTION_LIFETIME_S + MAX_FUTURE_SKEW_S) {
    throw new ClientJwtRejected(`exp is more than ${MAX_ASSERTION_LIFETIME_S} s away`);
  }
  for (const claim of ['iat', 'nbf'] as const) {
    const value = payload[claim];
    if (value === undefined) continue;
    if (typeof value !== 'number') throw new ClientJwtRejected(`${claim} must be a number`);
    if (value > nowS + MAX_FUTURE_SKEW_S)
      throw new ClientJwtRejected(`${claim} is more than ${MAX_FUTURE_SKEW_S} s in the future`);
  }
  // RFC 7523 3 item 7 (and rfc7523bis): jti once only, cluster-wide, until the assertion expires.
  if (typeof payload.jti !== 'string' || payload.jti === '')
    throw new ClientJwtRejected('jti is required');
  const fresh = await deps.singleUse.consume(
    `assertion:${client.clientId}:${sha256Hex(payload.jti)}`,
    payload.exp * 1000,
  );
  if (!fresh) throw new ClientJwtRejected('the assertion was used before (jti replayed)');
}

/** The `alg` of a compact JWS header, or undefined when it cannot be read (the verifier says why). */
function headerAlg(jwt: string): string | undefined {
  try {
    const { alg } = decodeProtectedHeader(jwt);
    return typeof alg === 'string' ? alg : undefined;
  } catch {
    return undefined;
  }
}
