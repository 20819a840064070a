import { OAuthError } from '../../errors/oauth-error.js';
import { sha256Hex } from '../../hash.js';
import { verifyS256 } from '../../pkce/pkce.js';
import { formatScope } from '../../scopes/scopes.js';
import { atHash } from '../../tokens/at-hash.js';
import { accessTokenClaims, familyTokenId, idTokenClaims, randomId, refreshTokenClaims } from '../../tokens/build-claims.js';
import { ACCESS_TOKEN_TYP, REFRESH_TOKEN_TYP } from '../../tokens/token-types.js';
import { releasedUserClaims } from '../../tokens/user-claims.js';
import { accessTokenAudience, type GrantHandler, type TokenResponse } from '../token-context.js';

/** Every failure is `invalid_grant` with one public text; the real reason goes to `detail`. */
const invalidGrant = (detail: string) =>
  new OAuthError('invalid_grant', 'The authorization code is invalid, expired, already used, or was issued to another client or redirect_uri.', { detail });

/**
 * The authorization code grant (RFC 6749 4.1.3, OIDC Core 3.1.3, RFC 7636 4.5). The code is
 * checked, tokens are signed, and only then is the code redeemed atomically together with the
 * new token family; a code presented twice revokes what its first use issued (RFC 6749 4.1.2).
 */
export const authorizationCodeGrant: GrantHandler = {
  grantType: 'authorization_code',
  async handle(params, client, ctx) {
    const { code, redirect_uri: redirectUri, code_verifier: verifier } = params;
    if (!code) throw new OAuthError('invalid_request', 'code is required');
    if (!redirectUri) throw new OAuthError('invalid_request', 'redirect_uri is required');
    if (!verifier) throw new OAuthError('invalid_request', 'code_verifier is required (PKCE)');

    const codeHash = sha256Hex(code);
    const record = await ctx.codes.find(codeHash);
    const now = ctx.clock.now();
    if (!record) throw invalidGrant('unknown code');
    if (record.consumedAt !== null) {
      await ctx.codes.revokeIssuedFrom(codeHash, now, 'authorization_code_replay');
      ctx.emit('authorization_code.replayed', { clientId: client.clientId, userId: record.userId, familyId: record.familyId });
      throw invalidGrant('code already used; tokens issued from it were revoked');
    }
    if (now >= record.expiresAt) throw invalidGrant('code expired');
    if (record.clientId !== client.clientId) throw invalidGrant('code was issued to another client');
    if (record.redirectUri !== redirectUri) throw invalidGrant('redirect_uri differs from the authorization request');
    if (!verifyS256(verifier, record.codeChallenge)) throw invalidGrant('PKCE code_verifier does not match the code_challenge');
    const user = await ctx.findUser(record.userId);
    if (!user || user.disabled) throw invalidGrant('user is disabled or gone');

    const familyId = randomId();
    const { lifetimes, issuer } = ctx;
    const scopes = record.scopes;
    const accessToken = await ctx.signer.sign(
      accessTokenClaims({
        issuer,
        subject: user.id,
        audience: accessTokenAudience(issuer, client, record.resources, scopes),
        clientId: client.clientId,
        scopes,
        jti: familyTokenId(familyId),
        now,
        ttlSeconds: lifetimes.accessToken,
        authTime: record.authTime,
      }),
      { typ: ACCESS_TOKEN_TYP },
    );
    const response: TokenResponse = {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: lifetimes.accessToken,
      scope: formatScope(scopes),
    };

    if (scopes.includes('openid')) {
      const requested = Object.keys(record.claims?.id_token ?? {});
      // Scope claims go in the ID token as well as userinfo (OIDC Core 5.4 allows both), so a
      // client gets the user's name and email without a second round trip.
      response.id_token = await ctx.signer.sign(
        idTokenClaims({
          issuer,
          subject: user.id,
          clientId: client.clientId,
          now,
          ttlSeconds: lifetimes.idToken,
          authTime: record.authTime,
          nonce: record.nonce ?? undefined,
          sid: record.sessionId ?? undefined,
          amr: record.amr,
          acr: record.acr ?? undefined,
          atHash: atHash(accessToken),
          extra: releasedUserClaims(user, scopes, requested),
        }),
      );
    }

    const absoluteExpiry = now + lifetimes.refreshTokenAbsolute * 1000;
    let refreshToken: { id: string; familyId: string; tokenHash: string; expiresAt: number } | null = null;
    if (client.grantTypes.includes('refresh_token')) {
      const jti = randomId();
      const expiresAt = Math.min(now + lifetimes.refreshTokenIdle * 1000, absoluteExpiry);
      const token = await ctx.signer.sign(
        refreshTokenClaims({ issuer, subject: user.id, clientId: client.clientId, jti, now, expiresAt }),
        { typ: REFRESH_TOKEN_TYP },
      );
      refreshToken = { id: jti, familyId, tokenHash: sha256Hex(token), expiresAt };
      response.refresh_token = token;
    }

    const redeemed = await ctx.codes.redeem(
      codeHash,
      now,
      {
        id: familyId,
        clientId: client.clientId,
        userId: user.id,
        sessionId: record.sessionId,
        scopes,
        claims: record.claims,
        authTime: record.authTime,
        amr: record.amr,
        acr: record.acr,
        offlineAccess: scopes.includes('offline_access'),
        createdAt: now,
        expiresAt: absoluteExpiry,
        revokedAt: null,
      },
      refreshToken,
    );
    if (!redeemed) {
      // Another request redeemed it between our read and our write: that is a replay too.
      await ctx.codes.revokeIssuedFrom(codeHash, now, 'authorization_code_replay');
      ctx.emit('authorization_code.replayed', { clientId: client.clientId, userId: user.id });
      throw invalidGrant('code already used (concurrently); tokens issued from it were revoked');
    }
    ctx.emit('grant.success', { grantType: 'authorization_code', clientId: client.clientId, userId: user.id, familyId });
    return response;
  },
};
