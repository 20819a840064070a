import type { RegisteredClient } from '../clients/registered-client.js';
import { OAuthError } from '../errors/oauth-error.js';
import { GRANTS } from './grants/index.js';
import { authenticateClient, type ClientAuthenticationDeps, type PresentedClientCredentials } from './client-authentication.js';
import type { TokenContext, TokenResponse } from './token-context.js';

/**
 * The token endpoint (RFC 6749 3.2): authenticate the client, check that it may use the grant,
 * then run the grant. `params` are the form fields, each sent at most once.
 */
export async function handleTokenRequest(
  params: Readonly<Record<string, string | undefined>>,
  credentials: PresentedClientCredentials,
  authentication: ClientAuthenticationDeps,
  ctx: TokenContext,
): Promise<TokenResponse> {
  const grantType = params.grant_type;
  if (!grantType) throw new OAuthError('invalid_request', 'grant_type is required');
  const grant = GRANTS.get(grantType);
  const client = await authenticateClient(credentials, authentication);
  if (!grant) throw new OAuthError('unsupported_grant_type', `grant_type ${grantType} is not supported`);
  if (!client.grantTypes.includes(grantType as RegisteredClient['grantTypes'][number])) {
    throw new OAuthError('unauthorized_client', `this client is not registered for ${grantType}`);
  }
  return grant.handle(params, client, ctx);
}
