import { clientResourceProblem } from '../../clients/registration-policy.js';
import { OAuthError } from '../../errors/oauth-error.js';
import { formatScope, parseScope } from '../../scopes/scopes.js';
import { accessTokenClaims, randomId } from '../../tokens/build-claims.js';
import { ACCESS_TOKEN_TYP } from '../../tokens/token-types.js';
import { accessTokenAudience } from '../../tokens/access-token-audience.js';
import type { GrantHandler } from '../token-context.js';

/** Scopes that only make sense with a person behind them. */
const USER_SCOPES = new Set(['openid', 'profile', 'email', 'address', 'phone', 'offline_access']);

/**
 * The client credentials grant (RFC 6749 4.4): a confidential client acting for itself. No ID
 * token and no refresh token (4.4.3); the access token's subject is the client.
 */
export const clientCredentialsGrant: GrantHandler = {
  grantType: 'client_credentials',
  async handle(params, client, ctx, binding = {}) {
    if (client.tokenEndpointAuthMethod === 'none') {
      throw new OAuthError('unauthorized_client', 'public clients cannot use client_credentials');
    }
    const allowed = client.scopes.filter((scope) => !USER_SCOPES.has(scope));
    const requested = params.scope === undefined ? allowed : parseScope(params.scope);
    const refused = requested.filter((scope) => !allowed.includes(scope));
    if (refused.length > 0)
      throw new OAuthError(
        'invalid_scope',
        `scope not allowed for this client: ${refused.join(' ')}`,
      );
    const resources = params.resource === undefined ? [] : [params.resource];
    for (const resource of resources) {
      const problem = clientResourceProblem(client, resource);
      if (problem) throw new OAuthError('invalid_target', problem);
    }
    const now = ctx.clock.now();
    const accessToken = await ctx.signer.sign(
      accessTokenClaims({
        issuer: ctx.issuer,
        subject: client.clientId,
        audience: accessTokenAudience(ctx.issuer, client, resources, requested),
        clientId: client.clientId,
        scopes: requested,
        jti: randomId(),
        now,
        ttlSeconds: ctx.lifetimes.accessToken,
        ...(binding.jkt === undefined ? {} : { jkt: binding.jkt }),
      }),
      { typ: ACCESS_TOKEN_TYP },
    );
    ctx.emit('grant.success', { grantType: 'client_credentials', clientId: client.clientId });
    return {
      access_token: accessToken,
      token_type: binding.jkt === undefined ? 'Bearer' : 'DPoP',
      expires_in: ctx.lifetimes.accessToken,
      scope: formatScope(requested),
    };
  },
};
