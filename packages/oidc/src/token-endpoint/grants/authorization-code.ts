import { OAuthError } from '../../errors/oauth-error.js';
import { sha256Hex } from '../../hash.js';
import { verifyS256 } from '../../pkce/pkce.js';
import { familyFromGrant } from '../../tokens/family-from-grant.js';
import { issueTokenSet } from '../../tokens/issue-token-set.js';
import type { GrantHandler } from '../token-context.js';

/** Every failure is `invalid_grant` with one public text; the real reason goes to `detail`. */
const invalidGrant = (detail: string) =>
  new OAuthError(
    'invalid_grant',
    'The authorization code is invalid, expired, already used, or was issued to another client or redirect_uri.',
    { detail },
  );

/**
 * The authorization code grant (RFC 6749 4.1.3, OIDC Core 3.1.3, RFC 7636 4.5). The code is
 * checked, tokens are signed, and only then is the code redeemed atomically together with the
 * new token family; a code presented twice revokes what its first use issued (RFC 6749 4.1.2).
 */
export const authorizationCodeGrant: GrantHandler = {
  grantType: 'authorization_code',
  async handle(params, client, ctx, binding = {}) {
    const { code, redirect_uri: redirectUri, code_verifier: verifier } = params;
    if (!code) throw new OAuthError('invalid_request', 'code is required');
    if (!redirectUri) throw new OAuthError('invalid_request', 'redirect_uri is required');

    const codeHash = sha256Hex(code);
    const record = await ctx.codes.find(codeHash);
    const now = ctx.clock.now();
    if (!record) throw invalidGrant('unknown code');
    if (record.consumedAt !== null) {
      await ctx.codes.revokeIssuedFrom(codeHash, now, 'authorization_code_replay');
      ctx.emit('authorization_code.replayed', {
        clientId: client.clientId,
        userId: record.userId,
        familyId: record.familyId,
      });
      throw invalidGrant('code already used; tokens issued from it were revoked');
    }
    if (now >= record.expiresAt) throw invalidGrant('code expired');
    if (record.clientId !== client.clientId)
      throw invalidGrant('code was issued to another client');
    if (record.redirectUri !== redirectUri)
      throw invalidGrant('redirect_uri differs from the authorization request');
    // RFC 7636 4.6: a code issued for a challenge needs its verifier, missing or not, else
    // invalid_grant. OAuth 2.1 4.1.3 / RFC 9700 2.1.1: a verifier for a code issued without a
    // challenge is refused too, so that a downgrade (challenge stripped) cannot go unnoticed.
    if (record.codeChallenge !== null) {
      if (verifier === undefined)
        throw invalidGrant(
          'code_verifier is missing; the code was issued for a code_challenge (PKCE)',
        );
      if (!verifyS256(verifier, record.codeChallenge))
        throw invalidGrant('PKCE code_verifier does not match the code_challenge');
    } else if (verifier !== undefined) {
      throw invalidGrant('code_verifier was sent for a code issued without code_challenge');
    }
    // RFC 9449 10: a code bound with dpop_jkt (at /authorize or /par) is redeemed with that key only.
    if (record.dpopJkt !== null && record.dpopJkt !== binding.jkt) {
      throw new OAuthError(
        'invalid_dpop_proof',
        'the authorization code is bound to another DPoP key (dpop_jkt)',
        { detail: binding.jkt ? 'other key' : 'no DPoP proof' },
      );
    }
    const { user } = record;
    if (!user || user.disabled) throw invalidGrant('user is disabled or gone');

    const lifetime = ctx.lifetimes.refreshTokenAbsolute;
    const family = familyFromGrant(record, client.clientId, user.id, now, lifetime);
    const { response, refreshToken } = await issueTokenSet({
      ctx,
      client,
      user,
      family,
      scopes: record.scopes,
      resources: record.resources,
      nonce: record.nonce ?? undefined,
      now,
      jkt: binding.jkt,
      // RFC 9449 5: only a public client's refresh token is bound; a confidential client's is
      // already bound to the client's own credentials.
      refreshJkt: client.tokenEndpointAuthMethod === 'none' ? binding.jkt : undefined,
    });
    if (!(await ctx.codes.redeem(codeHash, now, family, refreshToken))) {
      // Another request redeemed it between our read and our write: that is a replay too.
      await ctx.codes.revokeIssuedFrom(codeHash, now, 'authorization_code_replay');
      ctx.emit('authorization_code.replayed', { clientId: client.clientId, userId: user.id });
      throw invalidGrant('code already used (concurrently); tokens issued from it were revoked');
    }
    ctx.emit('grant.success', {
      grantType: 'authorization_code',
      clientId: client.clientId,
      userId: user.id,
      familyId: family.id,
    });
    return response;
  },
};
