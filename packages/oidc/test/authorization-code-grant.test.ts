import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import {
  GRANTS,
  OAuthError,
  sha256Hex,
  type AuthorizationCodeRecord,
  type UserAccount,
} from '../src/index.js';
import { claimsOf, client, ISSUER, memoryCodes, tokenContext, user } from './protocol-fakes.js';
import { NOW } from './token-family-fixture.js';

const grant = GRANTS.get('authorization_code')!;
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const CHALLENGE = createHash('sha256').update(VERIFIER).digest('base64url');
const CODE = 'the-code';

function setup(record: Partial<AuthorizationCodeRecord> = {}, owner: UserAccount = user()) {
  const codes = memoryCodes(new Map([[owner.id, owner]]));
  void codes.store.save(
    {
      codeHash: sha256Hex(CODE),
      clientId: 'app',
      userId: owner.id,
      sessionId: 'session-1',
      redirectUri: 'https://app.example/cb',
      scopes: ['openid', 'email', 'offline_access'],
      nonce: 'n-1',
      codeChallenge: CHALLENGE,
      claims: null,
      resources: [],
      authTime: NOW - 5_000,
      amr: ['pwd'],
      acr: null,
      dpopJkt: null,
      expiresAt: NOW + 60_000,
      consumedAt: null,
      familyId: null,
      ...record,
    },
    NOW,
  );
  const { ctx, time, events } = tokenContext({ codes: codes.store });
  return { codes, ctx, time, events };
}

const params = (overrides: Record<string, string | undefined> = {}) => ({
  grant_type: 'authorization_code',
  code: CODE,
  redirect_uri: 'https://app.example/cb',
  code_verifier: VERIFIER,
  ...overrides,
});

async function refused(promise: Promise<unknown>, error: string, detail?: RegExp) {
  await assert.rejects(promise, (thrown: unknown) => {
    assert.ok(thrown instanceof OAuthError);
    assert.equal(thrown.error, error);
    if (detail) assert.match(thrown.detail ?? thrown.description, detail);
    return true;
  });
}

test('a code exchange starts a family, redeems the code and returns tokens bound to it (OIDC Core 3.1.3.3)', async () => {
  const { codes, ctx, events } = setup();
  const response = await grant.handle(params(), client(), ctx);
  assert.equal(response.token_type, 'Bearer');
  assert.equal(response.scope, 'openid email offline_access');
  const [family] = [...codes.families.values()];
  assert.ok(family);
  assert.deepEqual(
    {
      clientId: family.clientId,
      userId: family.userId,
      sessionId: family.sessionId,
      offlineAccess: family.offlineAccess,
      expiresAt: family.expiresAt,
    },
    {
      clientId: 'app',
      userId: 'user-1',
      sessionId: 'session-1',
      offlineAccess: true,
      expiresAt: NOW + 86_400_000,
    },
  );
  const stored = codes.codes.get(sha256Hex(CODE))!;
  assert.equal(stored.consumedAt, NOW);
  assert.equal(stored.familyId, family.id);
  const idToken = claimsOf(response.id_token);
  assert.equal(idToken.nonce, 'n-1');
  assert.equal(idToken.aud, 'app');
  assert.equal(idToken.sid, 'session-1');
  assert.equal(idToken.email, 'ada@example.com');
  assert.match(String(claimsOf(response.access_token).jti), new RegExp(`^${family.id}\\.`));
  assert.equal(codes.refreshTokens.length, 1, 'the refresh token is stored with the redemption');
  assert.equal(codes.refreshTokens[0]!.tokenHash, sha256Hex(response.refresh_token!));
  assert.deepEqual(
    events.map((e) => e.event),
    ['grant.success'],
  );
});

test('a replayed code is refused and revokes what its first exchange issued (RFC 6749 4.1.2)', async () => {
  const { codes, ctx, events } = setup();
  await grant.handle(params(), client(), ctx);
  await refused(grant.handle(params(), client(), ctx), 'invalid_grant', /already used/);
  const [family] = [...codes.families.values()];
  assert.equal(family!.revokedAt, NOW);
  assert.ok(events.some((e) => e.event === 'authorization_code.replayed'));
});

test('a code redeemed concurrently by another request counts as a replay', async () => {
  const { codes, ctx } = setup();
  const redeem = codes.store.redeem;
  codes.store.redeem = async () => false;
  await refused(grant.handle(params(), client(), ctx), 'invalid_grant', /concurrently/);
  codes.store.redeem = redeem;
});

test('each wrong code exchange is invalid_grant, the reason only in the detail', async () => {
  const cases: [string, ReturnType<typeof setup>, Record<string, string | undefined>, RegExp][] = [
    ['unknown code', setup(), { code: 'other' }, /unknown code/],
    ['expired', setup({ expiresAt: NOW }), {}, /expired/],
    ['another client', setup({ clientId: 'other-app' }), {}, /another client/],
    [
      'another redirect_uri',
      setup(),
      { redirect_uri: 'https://app.example/other' },
      /redirect_uri differs/,
    ],
    [
      'no verifier for a challenge (RFC 7636 4.6)',
      setup(),
      { code_verifier: undefined },
      /code_verifier is missing/,
    ],
    ['wrong verifier', setup(), { code_verifier: 'x'.repeat(43) }, /does not match/],
    [
      'verifier without challenge (downgrade)',
      setup({ codeChallenge: null }),
      {},
      /issued without code_challenge/,
    ],
    ['disabled user', setup({}, user({ disabled: true })), {}, /disabled/],
  ];
  for (const [name, { ctx }, overrides, detail] of cases) {
    await refused(grant.handle(params(overrides), client(), ctx), 'invalid_grant', detail).catch(
      (error: unknown) => {
        throw new Error(`${name}: ${String(error)}`);
      },
    );
  }
});

test('a public text for every invalid_grant, so the client learns nothing about why', async () => {
  const { ctx } = setup({ clientId: 'other-app' });
  await assert.rejects(
    grant.handle(params(), client(), ctx),
    (error: OAuthError) => !error.description.includes('other-app'),
  );
});

test('code and redirect_uri are required (invalid_request)', async () => {
  const { ctx } = setup();
  await refused(grant.handle(params({ code: undefined }), client(), ctx), 'invalid_request');
  await refused(
    grant.handle(params({ redirect_uri: undefined }), client(), ctx),
    'invalid_request',
  );
});

test('a code issued without challenge (require_pkce false) is exchanged without a verifier', async () => {
  const { ctx } = setup({ codeChallenge: null });
  const response = await grant.handle(
    params({ code_verifier: undefined }),
    client({ requirePkce: false }),
    ctx,
  );
  assert.equal(claimsOf(response.id_token).iss, ISSUER);
});

test('a client without the refresh_token grant gets no refresh token and no stored one', async () => {
  const { codes, ctx } = setup();
  const response = await grant.handle(
    params(),
    client({ grantTypes: ['authorization_code'] }),
    ctx,
  );
  assert.equal(response.refresh_token, undefined);
  assert.equal(codes.refreshTokens.length, 0);
});
