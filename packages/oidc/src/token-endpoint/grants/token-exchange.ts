import type { RegisteredClient } from '../../clients/registered-client.js';
import { OAuthError } from '../../errors/oauth-error.js';
import { coversScopes, formatScope, parseScope } from '../../scopes/scopes.js';
import { accessTokenClaims, familyTokenId, randomId } from '../../tokens/build-claims.js';
import { ACCESS_TOKEN_TYP } from '../../tokens/token-types.js';
import type { TokenContext } from '../token-context.js';
import type { GrantHandler } from '../token-context.js';
import { inspectToken, tokenBelongsTo, type LiveToken } from '../token-inspection.js';

export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
/** RFC 8693 3: the one token type this server takes and issues. */
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

const seconds = (ms: number) => Math.floor(ms / 1000);

/** One of our live access tokens, or `invalid_request` (RFC 8693 2.2.2) naming the parameter. */
async function liveAccessToken(
  token: string,
  type: string | undefined,
  name: 'subject_token' | 'actor_token',
  ctx: TokenContext,
): Promise<LiveToken & { kind: 'access_token' }> {
  if (type === undefined) throw new OAuthError('invalid_request', `${name}_type is required`);
  if (type !== ACCESS_TOKEN_TYPE)
    throw new OAuthError('invalid_request', `${name}_type must be ${ACCESS_TOKEN_TYPE}`);
  const live = await inspectToken(
    token,
    'access_token',
    {
      issuer: ctx.issuer,
      now: ctx.clock.now(),
      verifier: ctx.verifier,
      families: ctx.families,
      refreshTokens: ctx.refreshTokens,
    },
    'revocation',
  );
  if (live?.kind !== 'access_token') {
    throw new OAuthError('invalid_request', `${name} is not a valid access token of this server`, {
      detail: `${name} invalid, expired, revoked or foreign`,
    });
  }
  return live;
}

const audiences = (payload: Record<string, unknown>): string[] =>
  ([] as unknown[]).concat(payload.aud ?? []).filter((a): a is string => typeof a === 'string');

/**
 * The audiences a client may ask an exchanged token for: its registered resources (RFC 8707,
 * the `resources` client metadata) and the subject token's own audiences (narrowing to one of
 * them gives nothing new). Anything else is `invalid_target`.
 */
function allowedTargets(client: RegisteredClient, subject: Record<string, unknown>): Set<string> {
  return new Set([...client.resources, ...audiences(subject)]);
}

/**
 * Token exchange (RFC 8693) for access tokens of this server: a client trades an access token
 * issued to it, or issued for it (its client_id in `aud`), for one with a narrower scope and/or
 * another permitted audience (`resource` or `audience`), still about the same subject. With an
 * `actor_token` the new token says who acts for the subject in `act` (4.1), earlier actors
 * nested inside. The new token lives no longer than the subject token, and belongs to the same
 * token family, so revoking that family (logout, reuse detection) revokes it too.
 */
export const tokenExchangeGrant: GrantHandler = {
  grantType: TOKEN_EXCHANGE_GRANT,
  async handle(params, client, ctx) {
    if (!params.subject_token) throw new OAuthError('invalid_request', 'subject_token is required');
    if (
      params.requested_token_type !== undefined &&
      params.requested_token_type !== ACCESS_TOKEN_TYPE
    ) {
      throw new OAuthError('invalid_request', `requested_token_type must be ${ACCESS_TOKEN_TYPE}`);
    }
    const subject = await liveAccessToken(
      params.subject_token,
      params.subject_token_type,
      'subject_token',
      ctx,
    );
    if (!tokenBelongsTo(subject, client)) {
      throw new OAuthError(
        'invalid_request',
        'subject_token was neither issued to nor issued for this client',
        { detail: 'subject token of another client' },
      );
    }
    let actor: Record<string, unknown> | undefined;
    if (params.actor_token !== undefined)
      actor = (
        await liveAccessToken(params.actor_token, params.actor_token_type, 'actor_token', ctx)
      ).payload;
    else if (params.actor_token_type !== undefined)
      throw new OAuthError('invalid_request', 'actor_token_type without actor_token');

    const held = parseScope(typeof subject.payload.scope === 'string' ? subject.payload.scope : '');
    const scopes = params.scope === undefined ? held : parseScope(params.scope);
    if (scopes.length === 0 || !coversScopes(held, scopes)) {
      throw new OAuthError(
        'invalid_scope',
        "scope must be a non-empty subset of the subject token's scope",
      );
    }
    const requested = [params.resource, params.audience].filter(
      (t): t is string => t !== undefined,
    );
    const allowed = allowedTargets(client, subject.payload);
    const refused = requested.filter((target) => !allowed.has(target));
    if (refused.length > 0)
      throw new OAuthError(
        'invalid_target',
        `not a permitted audience for this client: ${refused.join(' ')}`,
      );
    const audience = requested.length > 0 ? [...new Set(requested)] : audiences(subject.payload);

    const now = ctx.clock.now();
    const ttlSeconds = Math.min(
      ctx.lifetimes.accessToken,
      Number(subject.payload.exp) - seconds(now),
    );
    const priorActor = subject.payload.act;
    const act = actor
      ? {
          sub: actor.sub,
          ...(typeof actor.client_id === 'string' ? { client_id: actor.client_id } : {}),
          ...(priorActor ? { act: priorActor } : {}),
        }
      : priorActor;
    const authTime =
      typeof subject.payload.auth_time === 'number' ? subject.payload.auth_time * 1000 : undefined;
    const claims = accessTokenClaims({
      issuer: ctx.issuer,
      subject: String(subject.payload.sub),
      audience,
      clientId: client.clientId,
      scopes,
      jti: subject.family ? familyTokenId(subject.family.id) : randomId(),
      now,
      ttlSeconds,
      ...(authTime === undefined ? {} : { authTime }),
    });
    const accessToken = await ctx.signer.sign(act ? { ...claims, act } : claims, {
      typ: ACCESS_TOKEN_TYP,
    });
    await ctx.audit.record(
      {
        type: 'token.exchanged',
        userId: subject.family?.userId,
        clientId: client.clientId,
        data: {
          subjectClientId: subject.payload.client_id,
          scope: formatScope(scopes),
          audience,
          ...(act ? { actor: (act as { sub?: unknown }).sub } : {}),
        },
      },
      now,
    );
    ctx.emit('grant.success', {
      grantType: TOKEN_EXCHANGE_GRANT,
      clientId: client.clientId,
      subjectClientId: subject.payload.client_id,
    });
    return {
      access_token: accessToken,
      issued_token_type: ACCESS_TOKEN_TYPE,
      token_type: 'Bearer',
      expires_in: ttlSeconds,
      scope: formatScope(scopes),
    };
  },
};
