import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  GRANTS,
  OAuthError,
  sha256Hex,
  type RefreshTokenRecord,
  type TokenContext,
  type TokenFamilyRecord,
} from '../src/index.js';
import { signRefreshTokenClaims } from '../src/tokens/issue-token-set.js';
import { claimsOf, client, memoryRefreshTokens, tokenContext, user } from './protocol-fakes.js';
import { NOW, tokenFamily } from './token-family-fixture.js';

const grant = GRANTS.get('refresh_token')!;
const app = client({ clientId: 'api-client' });

async function setup(
  options: {
    family?: Partial<TokenFamilyRecord>;
    grace?: number;
    consentedScopes?: string[];
    session?: RefreshTokenRecord['session'];
    tokenExpiresAt?: number;
  } = {},
) {
  const tokens = memoryRefreshTokens(user(), {
    consentedScopes: options.consentedScopes,
    session: options.session,
  });
  const { ctx, time, events } = tokenContext({
    refreshTokens: tokens.store,
    lifetimes: { refreshTokenReuseGrace: options.grace ?? 0 } as TokenContext['lifetimes'],
  });
  const family = tokenFamily({ scopes: ['openid', 'email', 'offline_access'], ...options.family });
  const expiresAt = options.tokenExpiresAt ?? NOW + 3_600_000;
  const token = await signRefreshTokenClaims(ctx, {
    subject: 'user-1',
    clientId: family.clientId,
    jti: 'rt-1',
    issuedAt: NOW - 1_000,
    expiresAt,
  });
  tokens.add(
    family,
    { id: 'rt-1', familyId: family.id, tokenHash: sha256Hex(token), expiresAt },
    NOW - 1_000,
  );
  return { tokens, ctx, time, events, token, family };
}

const refresh = (ctx: TokenContext, token: string, extra: Record<string, string> = {}) =>
  grant.handle({ grant_type: 'refresh_token', refresh_token: token, ...extra }, app, ctx);

async function refused(promise: Promise<unknown>, error: string, detail?: RegExp) {
  await assert.rejects(promise, (thrown: unknown) => {
    assert.ok(thrown instanceof OAuthError, String(thrown));
    assert.equal(thrown.error, error);
    if (detail) assert.match(thrown.detail ?? thrown.description, detail);
    return true;
  });
}

test('a refresh rotates: a new refresh token of the same family, the old one marked used (RFC 9700 4.14.2)', async () => {
  const { tokens, ctx, token } = await setup();
  const response = await refresh(ctx, token);
  assert.ok(response.refresh_token && response.refresh_token !== token);
  const successor = claimsOf(response.refresh_token);
  assert.equal(tokens.rows.get('rt-1')!.usedAt, NOW);
  assert.equal(tokens.rows.get(String(successor.jti))!.familyId, 'family-1');
  const idToken = claimsOf(response.id_token);
  assert.equal(
    idToken.auth_time,
    Math.floor((NOW - 60_000) / 1000),
    'OIDC Core 12.2: the original auth_time',
  );
  assert.equal(idToken.nonce, undefined, 'OIDC Core 12.2: no nonce');
});

test('strict reuse: a used refresh token presented again revokes its family', async () => {
  const { tokens, ctx, time, token, events } = await setup();
  const first = await refresh(ctx, token);
  time.now += 1;
  await refused(refresh(ctx, token), 'invalid_grant', /already used/);
  assert.equal(tokens.families.get('family-1')!.revokedAt, NOW + 1);
  assert.deepEqual(tokens.reuses, ['rt-1']);
  assert.ok(events.some((e) => e.event === 'refresh_token.reused'));
  await refused(refresh(ctx, first.refresh_token!), 'invalid_grant', /revoked/);
});

test('grace: a retry within the window gets the same successor, every time, and revokes nothing', async () => {
  const { tokens, ctx, time, token } = await setup({ grace: 10 });
  const first = await refresh(ctx, token);
  time.now += 5_000;
  const retry = await refresh(ctx, token);
  const again = await refresh(ctx, token);
  assert.equal(
    retry.refresh_token,
    first.refresh_token,
    'one successor: the family stays a single chain',
  );
  assert.equal(again.refresh_token, first.refresh_token);
  assert.equal(tokens.families.get('family-1')!.revokedAt, null);
  assert.equal(tokens.rows.size, 2);
});

test('grace: after the window, or once the successor was used, a retry is a replay', async () => {
  const late = await setup({ grace: 10 });
  await refresh(late.ctx, late.token);
  late.time.now += 10_001;
  await refused(refresh(late.ctx, late.token), 'invalid_grant', /already used/);
  assert.notEqual(late.tokens.families.get('family-1')!.revokedAt, null);

  const movedOn = await setup({ grace: 10 });
  const first = await refresh(movedOn.ctx, movedOn.token);
  await refresh(movedOn.ctx, first.refresh_token!);
  await refused(refresh(movedOn.ctx, movedOn.token), 'invalid_grant', /already used/);
  assert.notEqual(movedOn.tokens.families.get('family-1')!.revokedAt, null);
});

test('an expired refresh token, or one of an expired family, is refused', async () => {
  const token = await setup({ tokenExpiresAt: NOW });
  await refused(refresh(token.ctx, token.token), 'invalid_grant', /expired/);
  const family = await setup({ family: { expiresAt: NOW } });
  await refused(refresh(family.ctx, family.token), 'invalid_grant', /expired/);
});

test('a refresh token of a revoked family is refused', async () => {
  const { ctx, token } = await setup({ family: { revokedAt: NOW - 1 } });
  await refused(refresh(ctx, token), 'invalid_grant', /revoked/);
});

test('scope may narrow, never widen (RFC 6749 6); the family keeps its scopes', async () => {
  const { ctx, token, tokens } = await setup();
  const narrowed = await refresh(ctx, token, { scope: 'openid' });
  assert.equal(narrowed.scope, 'openid');
  assert.equal(claimsOf(narrowed.access_token).scope, 'openid');
  assert.deepEqual(tokens.families.get('family-1')!.scopes, ['openid', 'email', 'offline_access']);
  const wide = await setup();
  await refused(refresh(wide.ctx, wide.token, { scope: 'openid profile' }), 'invalid_scope');
});

test('another client, an altered token, withdrawn consent or an ended session (without offline_access) are refused', async () => {
  const other = await setup({ family: { clientId: 'other-app' } });
  await refused(refresh(other.ctx, other.token), 'invalid_grant', /another client/);

  const altered = await setup();
  const [typ, body] = altered.token.split('.');
  await refused(refresh(altered.ctx, `${typ}.${body}x`), 'invalid_grant');

  const withdrawn = await setup({ consentedScopes: ['openid'] });
  await refused(refresh(withdrawn.ctx, withdrawn.token), 'invalid_grant', /consent/);

  const ended = await setup({
    family: { offlineAccess: false },
    session: { endedAt: NOW - 1, expiresAt: NOW + 1_000 },
  });
  await refused(refresh(ended.ctx, ended.token), 'invalid_grant', /session ended/);
  const live = await setup({
    family: { offlineAccess: false },
    session: { endedAt: null, expiresAt: NOW + 1_000 },
  });
  assert.ok((await refresh(live.ctx, live.token)).refresh_token);
});

test('an access token is not a refresh token (typ)', async () => {
  const { ctx, token } = await setup();
  const { access_token: accessToken } = await refresh(ctx, token);
  await refused(refresh(ctx, accessToken), 'invalid_grant', /not a refresh token/);
  await refused(grant.handle({ grant_type: 'refresh_token' }, app, ctx), 'invalid_request');
});

test('RFC 8707 2.2: refreshed access tokens keep the resources granted at login, or narrow to one; others are invalid_target', async () => {
  const resources = ['https://mcp.example/mcp', 'https://other.example/api'];
  const first = await setup({ family: { resources } });
  const kept = claimsOf((await refresh(first.ctx, first.token)).access_token);
  assert.deepEqual(kept.aud, [...resources, 'https://idp.example']);

  const second = await setup({ family: { resources } });
  const narrowed = claimsOf(
    (await refresh(second.ctx, second.token, { resource: 'https://mcp.example/mcp' })).access_token,
  );
  assert.deepEqual(narrowed.aud, ['https://mcp.example/mcp', 'https://idp.example']);

  const third = await setup({ family: { resources } });
  await refused(
    refresh(third.ctx, third.token, { resource: 'https://elsewhere.example/' }),
    'invalid_target',
  );
});

test('FAPI 2.0 SP 5.3.2.1: without rotation the same token is used again, each use starting its idle lifetime over (IDP_REFRESH_TOKEN_IDLE_TTL), never past the family', async () => {
  const fapi = client({
    clientId: 'api-client',
    securityProfile: 'fapi2',
    tokenEndpointAuthMethod: 'private_key_jwt',
  });
  const tokens = memoryRefreshTokens(user());
  const { ctx, time } = tokenContext({ refreshTokens: tokens.store });
  const idleMs = ctx.lifetimes.refreshTokenIdle * 1000;
  // No openid: no ID token, whose algorithm the profile would judge; the rule is the refresh's.
  const family = tokenFamily({ scopes: ['email', 'offline_access'], expiresAt: NOW + 3 * idleMs });
  // As issued to a client that does not rotate: the row holds the idle expiry, `exp` the family's.
  const token = await signRefreshTokenClaims(ctx, {
    subject: 'user-1',
    clientId: family.clientId,
    jti: 'rt-1',
    issuedAt: NOW,
    expiresAt: family.expiresAt,
  });
  const expiresAt = NOW + idleMs;
  tokens.add(
    family,
    { id: 'rt-1', familyId: family.id, tokenHash: sha256Hex(token), expiresAt },
    NOW,
  );
  const use = () => grant.handle({ grant_type: 'refresh_token', refresh_token: token }, fapi, ctx);

  // Used within its idle time, again and again: each use moves its expiry to a full idle time on.
  for (const at of [NOW + idleMs / 2, NOW + idleMs, NOW + (3 * idleMs) / 2]) {
    // (each within a full idle time of the previous use)
    time.now = at;
    const response = await use();
    assert.equal(response.refresh_token, undefined, 'not rotated');
    assert.equal(tokens.rows.get('rt-1')!.expiresAt, at + idleMs);
    assert.equal(tokens.rows.get('rt-1')!.usedAt, null);
  }
  // Near the family's end the idle expiry stops there (RFC 9700 4.14.2: an absolute lifetime).
  time.now = NOW + (9 * idleMs) / 4;
  await use();
  assert.equal(tokens.rows.get('rt-1')!.expiresAt, family.expiresAt);
  time.now = family.expiresAt - idleMs / 4;
  await use();
  assert.equal(tokens.rows.get('rt-1')!.expiresAt, family.expiresAt);
  time.now = family.expiresAt;
  await refused(use(), 'invalid_grant', /expired/);

  // Left unused for longer than the idle time, it expires.
  const idleFamily = tokenFamily({ id: 'family-2', scopes: ['email', 'offline_access'] });
  const idleToken = await signRefreshTokenClaims(ctx, {
    subject: 'user-1',
    clientId: idleFamily.clientId,
    jti: 'rt-2',
    issuedAt: NOW,
    expiresAt: idleFamily.expiresAt,
  });
  tokens.add(
    idleFamily,
    {
      id: 'rt-2',
      familyId: idleFamily.id,
      tokenHash: sha256Hex(idleToken),
      expiresAt: NOW + idleMs,
    },
    NOW,
  );
  time.now = NOW + idleMs;
  await refused(
    grant.handle({ grant_type: 'refresh_token', refresh_token: idleToken }, fapi, ctx),
    'invalid_grant',
    /expired/,
  );
});
