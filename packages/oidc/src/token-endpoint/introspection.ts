import type { RegisteredClient } from '../clients/registered-client.js';
import { OAuthError } from '../errors/oauth-error.js';
import { formatScope } from '../scopes/scopes.js';
import { InvalidClient } from './client-authentication.js';
import { inspectToken, tokenBelongsTo, type InspectionDeps } from './token-inspection.js';

/**
 * Whether `client` may call the introspection endpoint: only clients that proved who they are
 * with a credential. RFC 7662 2.1 requires authorization there, and a public client's bare
 * client_id proves nothing, so anyone could otherwise read anyone's tokens.
 */
export function mayIntrospect(client: RegisteredClient): boolean {
  return client.tokenEndpointAuthMethod !== 'none';
}

/**
 * Token introspection (RFC 7662 2.2) for an authenticated `client`. `active: false` and nothing
 * else for any token that is not live or not the caller's business, so the response leaks
 * nothing about it. A public client is refused with invalid_client (RFC 7662 2.1).
 */
export async function introspectToken(
  params: Readonly<Record<string, string | undefined>>,
  client: RegisteredClient,
  deps: InspectionDeps,
): Promise<Record<string, unknown>> {
  if (!mayIntrospect(client))
    throw new InvalidClient(
      'introspection requires client authentication (a secret or a key); public clients may not introspect',
      `public client ${client.clientId} may not introspect`,
    );
  if (!params.token) throw new OAuthError('invalid_request', 'token is required');
  const live = await inspectToken(params.token, params.token_type_hint, deps, 'introspection');
  // Access tokens: any authenticated client (resource servers are clients); refresh tokens:
  // only the client they were issued to.
  if (!live || (live.kind === 'refresh_token' && !tokenBelongsTo(live, client)))
    return { active: false };
  const { payload } = live;
  return {
    active: true,
    scope: live.kind === 'refresh_token' ? formatScope(live.family.scopes) : payload.scope,
    client_id: payload.client_id,
    sub: payload.sub,
    aud: payload.aud,
    iss: payload.iss,
    exp: payload.exp,
    iat: payload.iat,
    token_type: live.kind === 'refresh_token' ? 'refresh_token' : payload.cnf ? 'DPoP' : 'Bearer',
    ...(payload.jti ? { jti: payload.jti } : {}),
    // RFC 9449 6.2: a resource server learns which key a bound token needs.
    ...(payload.cnf ? { cnf: payload.cnf } : {}),
  };
}
