import { resourceWithinPolicy } from '../../clients/registration-policy.js';
import { OAuthError } from '../../errors/oauth-error.js';
import { sha256Matches } from '../../hash.js';
import { rotatesRefreshTokens } from '../../profiles/fapi2.js';
import { coversScopes, parseScope } from '../../scopes/scopes.js';
import type { StoredSuccessor } from '../../ports/index.js';
import { issueTokenSet, signRefreshTokenClaims } from '../../tokens/issue-token-set.js';
import { acceptedRefreshTokenAudiences, REFRESH_TOKEN_TYP } from '../../tokens/token-types.js';
import type { GrantHandler, TokenContext } from '../token-context.js';
import { judgeRefreshTokenReuse } from './refresh-token-reuse.js';

const invalidGrant = (detail: string) =>
  new OAuthError('invalid_grant', 'The refresh token is invalid, expired or revoked.', { detail });

/**
 * The refresh token grant (RFC 6749 6, OIDC Core 12) with rotation (except for FAPI 2.0 clients,
 * whose refresh token stays the same, FAPI 2.0 SP 5.3.2.1): every use returns a new
 * refresh token of the same family and retires the old one. A retired token presented again
 * means two parties hold the family's tokens, so the whole family is revoked (RFC 9700 4.14.2);
 * with a grace period configured, a retry within it gets the successor the first use got
 * (judgeRefreshTokenReuse decides which).
 */
export const refreshTokenGrant: GrantHandler = {
  grantType: 'refresh_token',
  async handle(params, client, ctx, binding = {}) {
    const token = params.refresh_token;
    if (!token) throw new OAuthError('invalid_request', 'refresh_token is required');
    let payload: Record<string, unknown>;
    try {
      // `typ` keeps access and ID tokens from being presented as refresh tokens, and a revoked
      // key's tokens are refused here. No RSA check (6-7 % of a refresh's CPU): the stored hash
      // below covers every byte, signature included. A forged token costs one lookup by primary
      // key instead, as a guessed authorization code always has.
      payload = ctx.verifier.decodeUnverified(token, {
        typ: REFRESH_TOKEN_TYP,
        issuer: ctx.issuer,
        audience: acceptedRefreshTokenAudiences(ctx.issuer),
      });
    } catch {
      throw invalidGrant('not a refresh token issued under a current key');
    }
    if (payload.client_id !== client.clientId)
      throw invalidGrant('refresh token was issued to another client');
    const record =
      typeof payload.jti === 'string' ? await ctx.refreshTokens.find(payload.jti) : null;
    const now = ctx.clock.now();
    // The database is the authority: only the token whose hash it holds is ours (a forged or
    // altered one, signature included, hashes to something else). From here on, the claims are
    // the ones we signed.
    if (!record || !sha256Matches(token, record.tokenHash))
      throw invalidGrant('unknown refresh token');
    const { family } = record;
    if (family.clientId !== client.clientId)
      throw invalidGrant('refresh token was issued to another client');
    if (family.revokedAt !== null) throw invalidGrant('token family is revoked');
    // `exp` is in whole seconds, the stored expiry in milliseconds: either one passed ends it.
    if (now >= family.expiresAt || now >= record.expiresAt || now >= Number(payload.exp) * 1000)
      throw invalidGrant('refresh token expired');

    const { user, session } = record;
    if (user.disabled) throw invalidGrant('user is disabled');
    if (!client.firstParty && !coversScopes(record.consentedScopes, family.scopes))
      throw invalidGrant('consent was withdrawn');
    // Without offline_access the family lives only as long as the browser session (OIDC Core 11);
    // a session deleted by clean-up has ended too.
    const sessionLive = session !== null && session.endedAt === null && session.expiresAt > now;
    if (!family.offlineAccess && !sessionLive) {
      throw invalidGrant('the browser session ended and offline_access was not granted');
    }

    // RFC 9449 5: a bound refresh token is used with a proof of its own key only.
    const boundTo = (payload.cnf as { jkt?: unknown } | undefined)?.jkt;
    const refreshJkt = typeof boundTo === 'string' ? boundTo : undefined;
    if (refreshJkt !== undefined && binding.jkt === undefined)
      throw new OAuthError(
        'invalid_dpop_proof',
        'this refresh token is DPoP-bound: send a DPoP proof made with its key',
      );
    if (refreshJkt !== undefined && binding.jkt !== refreshJkt)
      throw invalidGrant('refresh token is bound to another DPoP key');

    // RFC 6749 6: the scope may narrow, never widen; the new refresh token keeps the family's.
    const scopes = params.scope === undefined ? family.scopes : parseScope(params.scope);
    const widened = scopes.filter((scope) => !family.scopes.includes(scope));
    if (widened.length > 0)
      throw new OAuthError('invalid_scope', `scope exceeds what was granted: ${widened.join(' ')}`);

    // FAPI 2.0 SP 5.3.2.1: a FAPI client keeps its refresh token (no rotation); others rotate.
    const rotate = rotatesRefreshTokens(client);
    // RFC 8707 2.2: the access token is for the resources granted at login, or for one of them
    // when `resource` names it; a family without any keeps the client's registered ones.
    const granted = family.resources ?? [];
    const requested = params.resource;
    if (
      requested !== undefined &&
      !(granted.length > 0 ? granted : client.resources).includes(requested)
    )
      throw new OAuthError(
        'invalid_target',
        `resource was not granted to this refresh token: ${requested}`,
      );
    const resources = requested === undefined ? granted : [requested];
    // A policy narrowed since the login (IDP_REGISTRATION_RESOURCES) applies to its refreshes.
    const policy = client.resourcePolicy;
    const outside = policy && resources.find((r) => !resourceWithinPolicy(r, policy));
    if (outside !== undefined)
      throw new OAuthError(
        'invalid_target',
        `resource is not allowed for self-registered clients by this server's policy: ${outside}`,
      );

    // OIDC Core 12.2: same sub, original auth_time, no nonce.
    const { response, refreshToken } = await issueTokenSet({
      ctx,
      client,
      user,
      family,
      scopes,
      resources,
      nonce: undefined,
      now,
      jkt: binding.jkt,
      refreshJkt,
      newRefreshToken: rotate,
    });
    if (!refreshToken) {
      // Not rotated: the presented token stays the family's live one, and this use starts its
      // idle lifetime over (IDP_REFRESH_TOKEN_IDLE_TTL: "expires when unused this long"), as a
      // rotating client's successor would, within the family's absolute lifetime. Without this a
      // FAPI client in daily use would be signed out when its first token's idle time ran out.
      const extended = await ctx.refreshTokens.extendIdle(
        { id: record.id, tokenHash: record.tokenHash },
        Math.min(now + ctx.lifetimes.refreshTokenIdle * 1000, family.expiresAt),
      );
      if (!extended) throw invalidGrant('refresh token became invalid during its use');
      ctx.emit('grant.success', {
        grantType: 'refresh_token',
        clientId: client.clientId,
        userId: user.id,
        familyId: family.id,
        rotated: false,
      });
      return response;
    }
    const rotation = await ctx.refreshTokens.rotate(
      { id: record.id, tokenHash: record.tokenHash },
      refreshToken,
      now,
    );
    if (rotation.outcome === 'invalid')
      throw invalidGrant('refresh token became invalid during rotation');
    if (rotation.outcome === 'used') {
      const verdict = judgeRefreshTokenReuse(rotation, now, ctx.lifetimes.refreshTokenReuseGrace);
      if (verdict.kind === 'successor-expired')
        throw invalidGrant('the successor of this refresh token expired');
      if (verdict.kind === 'replay') {
        await ctx.refreshTokens.revokeForReuse(
          {
            familyId: family.id,
            tokenId: record.id,
            rotatedAt: rotation.usedAt,
            clientId: client.clientId,
            userId: user.id,
          },
          now,
        );
        ctx.emit('refresh_token.reused', {
          familyId: family.id,
          clientId: client.clientId,
          userId: user.id,
        });
        throw invalidGrant('refresh token was already used: the token family is revoked');
      }
      response.refresh_token = await signedAgain(ctx, verdict.successor, {
        subject: user.id,
        clientId: client.clientId,
        jkt: refreshJkt,
      });
    }
    ctx.emit('grant.success', {
      grantType: 'refresh_token',
      clientId: client.clientId,
      userId: user.id,
      familyId: family.id,
      grace: rotation.outcome === 'used',
    });
    return response;
  },
};

/**
 * The successor a grace retry gets, signed again. Only a hash of each refresh token is stored,
 * but the successor's claims are all in its row (jti, issue and expiry times) and its family
 * (subject, client), and RS256 and EdDSA signatures are deterministic (the configuration allows a
 * grace period with no other token algorithm), so signing them again gives the same
 * token, which the stored hash confirms. If it does not (the signing key changed in between), the
 * retry is refused without revoking.
 */
async function signedAgain(
  ctx: TokenContext,
  successor: StoredSuccessor,
  owner: { subject: string; clientId: string; jkt: string | undefined },
): Promise<string> {
  const token = await signRefreshTokenClaims(ctx, {
    ...owner,
    jti: successor.id,
    issuedAt: successor.createdAt,
    expiresAt: successor.expiresAt,
  });
  if (!sha256Matches(token, successor.tokenHash))
    throw invalidGrant(
      'the successor of this refresh token could not be issued again (the signing key changed)',
    );
  return token;
}
