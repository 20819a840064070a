import type { DpopNonces } from '../dpop/dpop-nonce.js';
import { checkDpopProof } from '../dpop/dpop-proof.js';
import { OAuthError } from '../errors/oauth-error.js';
import type { SingleUseStore, TokenFamilyStore } from '../ports/index.js';
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
  /** DPoP proofs' `jti`s and, when required, the server's nonces (RFC 9449 7). */
  readonly dpop?: {
    readonly replay: Pick<SingleUseStore, 'consume'>;
    readonly nonces?: DpopNonces | undefined;
    readonly now: number;
  };
}

/** How the token was presented: the Authorization scheme, and with `DPoP` the proof (RFC 9449 7.1). */
export interface TokenPresentation {
  readonly scheme: 'Bearer' | 'DPoP';
  readonly proof?: string | undefined;
  readonly method: string;
  /** The endpoint's URL, as `htu` must name it. */
  readonly url: string;
}

const invalidToken = (description: string) => new OAuthError('invalid_token', description);

/**
 * The UserInfo response (OIDC Core 5.3) for a presented access token: `sub` and the claims its
 * scopes and the family's `claims` request release. A token that is not ours, expired, revoked
 * (alone or with its family: reuse, logout, password change) or whose user is gone is
 * `invalid_token` (401); one without `openid` is `insufficient_scope` (403) (RFC 6750 3.1).
 */
export async function userinfoClaims(
  accessToken: string,
  deps: UserinfoDeps,
  presentation?: TokenPresentation,
): Promise<Record<string, unknown>> {
  return (await userinfoRelease(accessToken, deps, presentation)).claims;
}

/** What UserInfo releases for a presented access token, and to which client the token was issued. */
export interface UserinfoRelease {
  readonly claims: Record<string, unknown>;
  /** The client of the token's family: the audience of a signed UserInfo response. */
  readonly clientId: string;
}

/** `userinfoClaims` with the client the access token was issued to (its family's). */
export async function userinfoRelease(
  accessToken: string,
  deps: UserinfoDeps,
  presentation?: TokenPresentation,
): Promise<UserinfoRelease> {
  let payload: Record<string, unknown>;
  try {
    // UserInfo is the issuer's own API: the token must name it as an audience. Clients call it
    // with the same token again and again, so its verification is remembered.
    ({ payload } = await deps.verifier.verify(accessToken, {
      typ: ACCESS_TOKEN_TYP,
      issuer: deps.issuer,
      audience: deps.issuer,
      remember: true,
    }));
  } catch {
    throw invalidToken('The access token is invalid or expired.');
  }
  await checkPresentation(accessToken, payload, deps, presentation);
  const jti = typeof payload.jti === 'string' ? payload.jti : '';
  const familyId = familyOfTokenId(jti);
  // One lookup: the revocation list, the family and its user. No family: not a user's token.
  const { revoked, family, user } = familyId
    ? await deps.families.accessTokenState(jti, familyId)
    : { revoked: true, family: null, user: null };
  if (revoked || !family || family.revokedAt !== null)
    throw invalidToken('The access token has been revoked.');
  const scopes = parseScope(typeof payload.scope === 'string' ? payload.scope : '');
  if (!scopes.includes('openid'))
    throw new OAuthError('insufficient_scope', 'The access token does not carry the openid scope.');
  if (!user || user.disabled || user.id !== payload.sub)
    throw invalidToken('The user of this access token is no longer active.');
  const requested = Object.keys(family.claims?.userinfo ?? {});
  return {
    claims: { sub: user.id, ...releasedUserClaims(user, scopes, requested) },
    clientId: family.clientId,
  };
}

/**
 * RFC 9449 7: a DPoP-bound token (`cnf.jkt`) is accepted only with the DPoP scheme and a proof
 * by its key carrying `ath`; sent as Bearer it is refused (7.2), as is an unbound token sent
 * with the DPoP scheme. DPoP failures answer 401, as invalid_token does.
 */
async function checkPresentation(
  accessToken: string,
  payload: Record<string, unknown>,
  deps: UserinfoDeps,
  presentation: TokenPresentation | undefined,
): Promise<void> {
  const boundTo = (payload.cnf as { jkt?: unknown } | undefined)?.jkt;
  if (presentation?.scheme !== 'DPoP') {
    if (boundTo !== undefined)
      throw invalidToken(
        'This access token is DPoP-bound: send it with the DPoP scheme and a DPoP proof (RFC 9449 7.2).',
      );
    return;
  }
  if (typeof boundTo !== 'string')
    throw invalidToken('This access token is not DPoP-bound: send it with the Bearer scheme.');
  if (presentation.proof === undefined)
    throw new OAuthError('invalid_dpop_proof', 'The DPoP scheme needs a DPoP proof header.', {
      status: 401,
    });
  if (!deps.dpop)
    throw new OAuthError('invalid_dpop_proof', 'DPoP is not available here.', { status: 401 });
  try {
    const { jkt } = await checkDpopProof({
      proof: presentation.proof,
      method: presentation.method,
      url: presentation.url,
      accessToken,
      now: deps.dpop.now,
      replay: deps.dpop.replay,
      nonces: deps.dpop.nonces,
    });
    if (jkt !== boundTo)
      throw new OAuthError(
        'invalid_dpop_proof',
        'The DPoP proof is signed by another key than the one the access token is bound to.',
      );
  } catch (error) {
    // At a resource endpoint every DPoP failure is a 401 with a challenge (RFC 9449 7.1, 9).
    if (error instanceof OAuthError)
      throw new OAuthError(error.error, error.description, {
        status: 401,
        ...(error.headers ? { headers: { ...error.headers } } : {}),
      });
    throw error;
  }
}
