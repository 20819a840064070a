import { OAuthError } from '../../errors/oauth-error.js';
import { sha256Matches } from '../../hash.js';
import { coversScopes, parseScope } from '../../scopes/scopes.js';
import { issueTokenSet } from '../../tokens/issue-token-set.js';
import { acceptedRefreshTokenAudiences, REFRESH_TOKEN_TYP } from '../../tokens/token-types.js';
import type { GrantHandler } from '../token-context.js';

const invalidGrant = (detail: string) =>
  new OAuthError('invalid_grant', 'The refresh token is invalid, expired or revoked.', { detail });

/**
 * The refresh token grant (RFC 6749 6, OIDC Core 12) with rotation: every use returns a new
 * refresh token of the same family and retires the old one. A retired token presented again
 * (after the grace period) means two parties hold the family's tokens, so the whole family is
 * revoked (RFC 9700 4.14.2).
 */
export const refreshTokenGrant: GrantHandler = {
  grantType: 'refresh_token',
  async handle(params, client, ctx) {
    const token = params.refresh_token;
    if (!token) throw new OAuthError('invalid_request', 'refresh_token is required');
    let payload: Record<string, unknown>;
    try {
      // `typ` keeps access and ID tokens from being presented as refresh tokens, and a revoked
      // key's tokens are refused here. No RSA check (6-7 % of a refresh's CPU): the stored hash
      // below covers every byte, signature included. A forged token costs one lookup by primary
      // key instead, as a guessed authorization code always has.
      payload = ctx.verifier.decodeUnverified(token, { typ: REFRESH_TOKEN_TYP, issuer: ctx.issuer, audience: acceptedRefreshTokenAudiences(ctx.issuer) });
    } catch {
      throw invalidGrant('not a refresh token issued under a current key');
    }
    if (payload.client_id !== client.clientId) throw invalidGrant('refresh token was issued to another client');
    const record = typeof payload.jti === 'string' ? await ctx.refreshTokens.find(payload.jti) : null;
    const now = ctx.clock.now();
    // The database is the authority: only the token whose hash it holds is ours (a forged or
    // altered one, signature included, hashes to something else). From here on, the claims are
    // the ones we signed.
    if (!record || !sha256Matches(token, record.tokenHash)) throw invalidGrant('unknown refresh token');
    const { family } = record;
    if (family.clientId !== client.clientId) throw invalidGrant('refresh token was issued to another client');
    if (family.revokedAt !== null) throw invalidGrant('token family is revoked');
    // `exp` is in whole seconds, the stored expiry in milliseconds: either one passed ends it.
    if (now >= family.expiresAt || now >= record.expiresAt || now >= Number(payload.exp) * 1000) throw invalidGrant('refresh token expired');

    const { user, session } = record;
    if (user.disabled) throw invalidGrant('user is disabled');
    if (!client.firstParty && !coversScopes(record.consentedScopes, family.scopes)) throw invalidGrant('consent was withdrawn');
    // Without offline_access the family lives only as long as the browser session (OIDC Core 11);
    // a session deleted by clean-up has ended too.
    const sessionLive = session !== null && session.endedAt === null && session.expiresAt > now;
    if (!family.offlineAccess && !sessionLive) {
      throw invalidGrant('the browser session ended and offline_access was not granted');
    }

    // RFC 6749 6: the scope may narrow, never widen; the new refresh token keeps the family's.
    const scopes = params.scope === undefined ? family.scopes : parseScope(params.scope);
    const widened = scopes.filter((scope) => !family.scopes.includes(scope));
    if (widened.length > 0) throw new OAuthError('invalid_scope', `scope exceeds what was granted: ${widened.join(' ')}`);

    // OIDC Core 12.2: same sub, original auth_time, no nonce.
    const { response, refreshToken } = await issueTokenSet({ ctx, client, user, family, scopes, resources: [], nonce: undefined, now });
    if (!refreshToken) throw new OAuthError('unauthorized_client', 'this client is not registered for refresh_token');
    const outcome = await ctx.refreshTokens.rotate(
      { id: record.id, tokenHash: record.tokenHash },
      refreshToken,
      now,
      ctx.lifetimes.refreshTokenReuseGrace * 1000,
    );
    if (outcome === 'reused') {
      ctx.emit('refresh_token.reused', { familyId: family.id, clientId: client.clientId, userId: user.id });
      throw invalidGrant('refresh token was already used: the token family is revoked');
    }
    if (outcome === 'invalid') throw invalidGrant('refresh token became invalid during rotation');
    ctx.emit('grant.success', { grantType: 'refresh_token', clientId: client.clientId, userId: user.id, familyId: family.id, grace: outcome === 'grace' });
    return response;
  },
};
