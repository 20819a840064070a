import type { RegisteredClient } from '../clients/registered-client.js';
import { clientSignatureAlgs } from '../profiles/fapi2.js';
import { OAuthError } from '../errors/oauth-error.js';
import { ClientJwtRejected, type ClientJwtVerifier } from '../ports/client-jwt-verifier.js';
import { MAX_FUTURE_SKEW_S } from '../token-endpoint/client-assertion.js';

/** RFC 9126 2.2: the prefix of the request_uri values our own PAR endpoint hands out. */
export { REQUEST_URI_PREFIX } from '../par/pushed-request-uri.js';

/**
 * Longest a request object may live (exp after nbf, or after now without nbf), and how old its
 * nbf may be: FAPI 2.0 Message Signing 5.3.1 and the conformance modules
 * fapi2-security-profile-final-ensure-request-object-with-exp-over-60-fails / -nbf-over-60-fails.
 */
export const MAX_REQUEST_OBJECT_LIFETIME_S = 3600;

/** JWT claims that describe the request object itself, not authorization request parameters. */
const JWT_CLAIMS = new Set(['iss', 'aud', 'exp', 'iat', 'nbf', 'jti', 'sub']);

export interface RequestObjectDeps {
  readonly issuer: string;
  readonly now: number;
  readonly clientJwts: ClientJwtVerifier;
}

function refuse(description: string, detail?: string): never {
  throw new OAuthError('invalid_request_object', description, { detail: detail ?? description });
}

/**
 * Verifies a request object passed by value (RFC 9101) for `client` and returns the
 * authorization request parameters it carries, as form-style strings. Only these parameters
 * count (RFC 9101 5; FAPI 2.0 Message Signing): the caller ignores the outer ones but client_id.
 * Throws `invalid_request_object`.
 */
export async function verifyRequestObject(
  jwt: string,
  client: RegisteredClient,
  deps: RequestObjectDeps,
): Promise<Record<string, string | string[]>> {
  // RFC 9101 10.2 / FAPI 2.0: signed with the registered algorithm, never `none` (nor RS256 for
  // a FAPI 2.0 client, FAPI 2.0 SP 5.4.1).
  const algorithms = clientSignatureAlgs(client, client.requestObjectSigningAlg);
  let payload: Readonly<Record<string, unknown>>;
  try {
    ({ payload } = await deps.clientJwts.verify(jwt, client, algorithms));
  } catch (error) {
    if (error instanceof ClientJwtRejected)
      refuse(
        'the request object is not signed with a key and algorithm registered for this client',
        error.message,
      );
    throw error;
  }
  const nowS = Math.floor(deps.now / 1000);
  // RFC 9101 4 and 6.1 (OIDC Core 6.1): iss is the client, aud includes the issuer. The
  // conformance suite's ensure-request-object-with-multiple-aud-succeeds admits an array.
  if (payload.iss !== client.clientId) refuse('iss of the request object must be the client_id');
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (!audiences.includes(deps.issuer))
    refuse('aud of the request object must be the issuer identifier');
  // RFC 9101 5: the client_id inside MUST equal the one outside.
  if (payload.client_id !== client.clientId)
    refuse('client_id in the request object must equal the client_id parameter');
  if (typeof payload.exp !== 'number') refuse('the request object must have an exp');
  if (payload.exp <= nowS) refuse('the request object has expired');
  for (const claim of ['iat', 'nbf'] as const) {
    const value = payload[claim];
    if (value === undefined) continue;
    if (typeof value !== 'number') refuse(`${claim} of the request object must be a number`);
    if (value > nowS + MAX_FUTURE_SKEW_S) refuse(`${claim} of the request object is in the future`);
  }
  const start = typeof payload.nbf === 'number' ? payload.nbf : nowS;
  if (nowS - start > MAX_REQUEST_OBJECT_LIFETIME_S)
    refuse('nbf of the request object is too far in the past');
  if (payload.exp - start > MAX_REQUEST_OBJECT_LIFETIME_S)
    refuse('the request object lives too long (exp more than 60 minutes after nbf)');
  // RFC 9101 4: request and request_uri MUST NOT appear inside.
  if ('request' in payload || 'request_uri' in payload)
    refuse('a request object must not contain request or request_uri');

  const parameters: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (JWT_CLAIMS.has(name) || value === null || value === undefined) continue;
    if (typeof value === 'string') parameters[name] = value;
    else if (typeof value === 'number' || typeof value === 'boolean')
      parameters[name] = String(value);
    else if (Array.isArray(value) && value.every((item) => typeof item === 'string'))
      parameters[name] = value as string[];
    // OIDC Core 6.1: `claims` travels as a JSON object inside, as JSON text outside.
    else parameters[name] = JSON.stringify(value);
  }
  return parameters;
}
