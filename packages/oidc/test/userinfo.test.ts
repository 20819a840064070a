import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  OAuthError,
  userinfoClaims,
  type AccessTokenState,
  type UserinfoDeps,
} from '../src/index.js';
import { fakeToken, fakeVerifier, ISSUER, user } from './protocol-fakes.js';
import { NOW, tokenFamily } from './token-family-fixture.js';

const JTI = 'family-1.abc';
const claims = (overrides: Record<string, unknown> = {}) => ({
  iss: ISSUER,
  aud: [ISSUER],
  sub: 'user-1',
  jti: JTI,
  scope: 'openid email',
  exp: NOW / 1000 + 600,
  ...overrides,
});
const accessToken = (overrides: Record<string, unknown> = {}) =>
  fakeToken(claims(overrides), 'at+jwt');

function deps(state: Partial<AccessTokenState> = {}) {
  const looked: (string | null)[][] = [];
  const value: UserinfoDeps = {
    issuer: ISSUER,
    verifier: fakeVerifier(() => NOW),
    families: {
      accessTokenState: async (jti, familyId) => {
        looked.push([jti, familyId]);
        return {
          revoked: false,
          family: tokenFamily(),
          user: user({ claims: { name: 'Ada', email_verified: true } }),
          ...state,
        };
      },
    },
  };
  return { value, looked };
}

async function refused(promise: Promise<unknown>, error: string, status: number) {
  await assert.rejects(
    promise,
    (thrown: unknown) =>
      thrown instanceof OAuthError && thrown.error === error && thrown.status === status,
  );
}

test('userinfo releases sub and the claims of the token scopes, in one lookup of the family', async () => {
  const { value, looked } = deps();
  assert.deepEqual(await userinfoClaims(accessToken(), value), {
    sub: 'user-1',
    email: 'ada@example.com',
    email_verified: true,
  });
  assert.deepEqual(looked, [[JTI, 'family-1']]);
});

test('claims requested for userinfo by the family are released too (OIDC Core 5.5)', async () => {
  const { value } = deps({ family: tokenFamily({ claims: { userinfo: { name: null } } }) });
  assert.deepEqual(await userinfoClaims(accessToken(), value), {
    sub: 'user-1',
    email: 'ada@example.com',
    email_verified: true,
    name: 'Ada',
  });
});

test('a token that is not ours, not for userinfo, expired, or not an access token is invalid_token (401)', async () => {
  const { value, looked } = deps();
  await refused(userinfoClaims('garbage', value), 'invalid_token', 401);
  await refused(
    userinfoClaims(accessToken({ aud: 'https://api.example' }), value),
    'invalid_token',
    401,
  );
  await refused(userinfoClaims(accessToken({ exp: NOW / 1000 }), value), 'invalid_token', 401);
  await refused(userinfoClaims(fakeToken(claims(), 'rt+jwt'), value), 'invalid_token', 401);
  assert.equal(looked.length, 0, 'nothing is looked up for them');
});

test('a revoked token, a revoked family, or a token of no family is invalid_token', async () => {
  await refused(userinfoClaims(accessToken(), deps({ revoked: true }).value), 'invalid_token', 401);
  await refused(
    userinfoClaims(accessToken(), deps({ family: tokenFamily({ revokedAt: NOW - 1 }) }).value),
    'invalid_token',
    401,
  );
  await refused(userinfoClaims(accessToken(), deps({ family: null }).value), 'invalid_token', 401);
  const noFamily = deps();
  await refused(
    userinfoClaims(accessToken({ jti: 'client-credentials-jti' }), noFamily.value),
    'invalid_token',
    401,
  );
  assert.equal(noFamily.looked.length, 0);
});

test('without openid: insufficient_scope (403, RFC 6750 3.1)', async () => {
  await refused(
    userinfoClaims(accessToken({ scope: 'email' }), deps().value),
    'insufficient_scope',
    403,
  );
});

test('a user disabled, gone, or not the subject of the token is invalid_token', async () => {
  await refused(
    userinfoClaims(accessToken(), deps({ user: user({ disabled: true }) }).value),
    'invalid_token',
    401,
  );
  await refused(userinfoClaims(accessToken(), deps({ user: null }).value), 'invalid_token', 401);
  await refused(userinfoClaims(accessToken({ sub: 'user-2' }), deps().value), 'invalid_token', 401);
});
