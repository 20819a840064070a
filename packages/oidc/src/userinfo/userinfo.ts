import { OAuthError } from '../errors/oauth-error.js';
import type { TokenFamilyStore } from '../ports/index.js';
import { parseScope } from '../scopes/scopes.js';
import type { TokenVerifier } from '../token-endpoint/token-context.js';
import { familyOfTokenId } from '../tokens/build-claims.js';
import { ACCESS_TOKEN_TYP } from '../tokens/token-types.js';
import { releasedUserClaims } from '../tokens/user-claims.js';

/** What the UserInfo endpoint reads: our verifier and the token families. */
export interface UserinfoDeps {
  readonly issuer: string;
  readonly verifier: Pick<TokenVerifier, 'verify'>;
  readonly families: Pick<TokenFamilyStore, 'accessTokenState'>;
}

const invalidToken = (description: string) => new OAuthError('invalid_token', description);

/**
 * The UserInfo response (OIDC Core 5.3) for a presented access token: `sub` and the claims its
 * scopes and the family's `claims` request release. A token that is not ours, expired, revoked
 * (alone or with its family: reuse, logout, password change) or whose user is gone is
 * `invalid_token` (401); one without `openid` is `insufficient_scope` (403) (RFC 6750 3.1).
 */
export async function userinfoClaims(accessToken: string, deps: UserinfoDeps): Promise<Record<string, unknown>> {
  let payload: Record<string, unknown>;
  try {
    // UserInfo is the issuer's own API: the token must name it as an audience. Clients call it
    // with the same token again and again, so its verification is remembered.
    ({ payload } = await deps.verifier.verify(accessToken, { typ: ACCESS_TOKEN_TYP, issuer: deps.issuer, audience: deps.issuer, remember: true }));
  } catch {
    throw invalidToken('The access token is invalid or expired.');
  }
  const jti = typeof payload.jti === 'string' ? payload.jti : '';
  const familyId = familyOfTokenId(jti);
  // One lookup: the revocation list, the family and its user. No family: not a user's token.
  const { revoked, family, user } = familyId ? await deps.families.accessTokenState(jti, familyId) : { revoked: true, family: null, user: null };
  if (revoked || !family || family.revokedAt !== null) throw invalidToken('The access token has been revoked.');
  const scopes = parseScope(typeof payload.scope === 'string' ? payload.scope : '');
  if (!scopes.includes('openid')) throw new OAuthError('insufficient_scope', 'The access token does not carry the openid scope.');
  if (!user || user.disabled || user.id !== payload.sub) throw invalidToken('The user of this access token is no longer active.');
  const requested = Object.keys(family.claims?.userinfo ?? {});
  return { sub: user.id, ...releasedUserClaims(user, scopes, requested) };
}
