import type { RegisteredClient } from '../clients/registered-client.js';
import { OAuthError } from '../errors/oauth-error.js';
import { GRANTS } from './grants/index.js';
import {
  authenticateClient,
  type ClientAuthenticationDeps,
  type PresentedClientCredentials,
} from './client-authentication.js';
import { checkDpopProof } from '../dpop/dpop-proof.js';
import { fapi2TokenRequestProblem } from '../profiles/fapi2.js';
import type { TokenBinding, TokenContext, TokenResponse } from './token-context.js';

/** A DPoP proof as the token request carried it (RFC 9449 4.1), with the endpoint's URL. */
export interface PresentedDpopProof {
  /** The single `DPoP` header; undefined when absent. */
  readonly proof: string | undefined;
  readonly url: string;
}

/**
 * The token endpoint (RFC 6749 3.2): authenticate the client, check that it may use the grant,
 * then run the grant. `params` are the form fields, each sent at most once.
 */
export async function handleTokenRequest(
  params: Readonly<Record<string, string | undefined>>,
  credentials: PresentedClientCredentials,
  authentication: ClientAuthenticationDeps,
  ctx: TokenContext,
  dpop?: PresentedDpopProof,
): Promise<TokenResponse> {
  const grantType = params.grant_type;
  if (!grantType) throw new OAuthError('invalid_request', 'grant_type is required');
  const grant = GRANTS.get(grantType);
  const client = await authenticateClient(credentials, authentication);
  if (!grant)
    throw new OAuthError('unsupported_grant_type', `grant_type ${grantType} is not supported`);
  if (!client.grantTypes.includes(grantType as RegisteredClient['grantTypes'][number])) {
    throw new OAuthError('unauthorized_client', `this client is not registered for ${grantType}`);
  }
  // RFC 9449 5: a valid proof binds what this request issues to its key.
  const binding: TokenBinding =
    dpop?.proof === undefined
      ? {}
      : await checkDpopProof({
          proof: dpop.proof,
          method: 'POST',
          url: dpop.url,
          now: ctx.clock.now(),
          replay: ctx.dpop.replay,
          nonces: ctx.dpop.nonces,
        });
  // FAPI 2.0 SP 5.3.2.1: a FAPI client's access tokens are sender-constrained.
  const profileProblem = fapi2TokenRequestProblem(client, binding);
  if (profileProblem) throw profileProblem;
  // RFC 9449 5.2: dpop_bound_access_tokens makes the proof mandatory.
  if (binding.jkt === undefined && client.dpopBoundAccessTokens) {
    throw new OAuthError(
      'invalid_dpop_proof',
      'this client must send a DPoP proof with every token request (dpop_bound_access_tokens)',
    );
  }
  return grant.handle(params, client, ctx, binding);
}
