import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  introspectToken,
  revokeToken,
  sha256Hex,
  type InspectionDeps,
  type RefreshTokenRecord,
  type RegisteredClient,
  type TokenFamilyRecord,
  type TokenFamilyStore,
} from '../src/index.js';
import { NOW, tokenFamily } from './token-family-fixture.js';

// A verifier that accepts one access token and records what each caller asked of it, and a
// revocation list in memory: enough to see what introspection and revocation ask to be kept.

const ISSUER = 'https://idp.example';
const TOKEN = 'header.payload.signature';
const payload = {
  iss: ISSUER,
  sub: 'service',
  client_id: 'api-client',
  aud: ISSUER,
  jti: 'jti-1',
  exp: 2_000_000_000,
  iat: 1_900_000_000,
  scope: 'read',
};
const client = { clientId: 'api-client' } as RegisteredClient;

function setup() {
  const asked: { typ: string; remember?: boolean; decodeUnverified?: true }[] = [];
  const revoked = new Set<string>();
  const families: TokenFamilyStore = {
    accessTokenState: async (jti) => ({ revoked: revoked.has(jti), family: null, user: null }),
    revokeFamily: async () => true,
    revokeAccessToken: async (jti) => {
      revoked.add(jti);
      return true;
    },
  };
  const deps: InspectionDeps = {
    issuer: ISSUER,
    now: Date.now(),
    verifier: {
      verify: async (token, options) => {
        asked.push({
          typ: options.typ,
          ...(options.remember !== undefined ? { remember: options.remember } : {}),
        });
        if (token !== TOKEN || options.typ !== 'at+jwt') throw new Error('invalid');
        return { payload: { ...payload } };
      },
      decodeUnverified: (_token, options) => {
        asked.push({ typ: options.typ, decodeUnverified: true });
        throw new Error('not one of our refresh tokens');
      },
    },
    families,
    refreshTokens: {
      find: async () => null,
      rotate: async () => ({ outcome: 'invalid' }),
      extendIdle: async () => false,
      revokeForReuse: async () => false,
    },
  };
  return { asked, revoked, deps };
}

test('introspection asks for an access token to be remembered: a resource server presents it again on its next call', async () => {
  const { asked, deps } = setup();
  const response = await introspectToken({ token: TOKEN }, client, deps);
  assert.equal(response.active, true);
  assert.deepEqual(asked, [{ typ: 'at+jwt', remember: true }]);
});

test('revocation (RFC 7009 2.1) never asks for the token to be remembered: once revoked it is never live again', async () => {
  const { asked, revoked, deps } = setup();
  assert.deepEqual(
    await revokeToken({ token: TOKEN, token_type_hint: 'access_token' }, client, deps),
    { revoked: 'access_token' },
  );
  assert.deepEqual([...revoked], ['jti-1']);
  assert.deepEqual(asked, [{ typ: 'at+jwt', remember: false }]);
  // And the revoked token no longer introspects as active.
  assert.deepEqual(await introspectToken({ token: TOKEN }, client, deps), { active: false });
});

test('a refresh token is read, not RSA-verified nor remembered: its stored hash proves it', async () => {
  const { asked, deps } = setup();
  await introspectToken({ token: 'not-ours', token_type_hint: 'refresh_token' }, client, deps);
  await revokeToken({ token: 'not-ours', token_type_hint: 'refresh_token' }, client, deps);
  const refreshAsks = asked.filter((ask) => ask.typ !== 'at+jwt');
  assert.deepEqual(refreshAsks, [
    { typ: 'rt+jwt', decodeUnverified: true },
    { typ: 'rt+jwt', decodeUnverified: true },
  ]);
});

// Refresh tokens at introspection and revocation: the decoded claims name a row, and only a row
// whose hash matches the whole token, unused and unexpired, in a live family, makes it live. The
// store answers one row; each case changes one thing about it.

const REFRESH_TOKEN = 'refresh.token.as-we-signed-it';
const refreshPayload = {
  iss: ISSUER,
  aud: ISSUER,
  sub: 'user-1',
  client_id: 'api-client',
  jti: 'rt-1',
  exp: NOW / 1000 + 3600,
  iat: NOW / 1000 - 60,
};
const family: TokenFamilyRecord = tokenFamily();
const liveRow: RefreshTokenRecord = {
  id: 'rt-1',
  tokenHash: sha256Hex(REFRESH_TOKEN),
  expiresAt: NOW + 3_600_000,
  usedAt: null,
  family,
  user: {} as RefreshTokenRecord['user'],
  consentedScopes: ['openid', 'offline_access'],
  session: null,
};

function refreshSetup(
  row: RefreshTokenRecord | null,
  claims: Record<string, unknown> = refreshPayload,
) {
  const revokedFamilies: string[] = [];
  const deps: InspectionDeps = {
    issuer: ISSUER,
    now: NOW,
    verifier: {
      verify: async () => {
        throw new Error('not an access token');
      },
      decodeUnverified: (token, options) => {
        if (!token.startsWith('refresh.') || options.typ !== 'rt+jwt')
          throw new Error('not a refresh token');
        return { ...claims };
      },
    },
    families: {
      accessTokenState: async () => ({ revoked: false, family: null, user: null }),
      revokeFamily: async (id) => {
        revokedFamilies.push(id);
        return true;
      },
      revokeAccessToken: async () => true,
    },
    refreshTokens: {
      find: async (id) => (row && id === row.id ? row : null),
      rotate: async () => ({ outcome: 'invalid' }),
      extendIdle: async () => false,
      revokeForReuse: async () => false,
    },
  };
  return { deps, revokedFamilies };
}

test('RFC 7662 2.2: a live refresh token introspects as active, to the client it was issued to only', async () => {
  const { deps } = refreshSetup(liveRow);
  const response = await introspectToken(
    { token: REFRESH_TOKEN, token_type_hint: 'refresh_token' },
    client,
    deps,
  );
  assert.equal(response.active, true);
  assert.equal(response.token_type, 'refresh_token');
  assert.equal(response.scope, 'openid offline_access');
  assert.equal(response.jti, 'rt-1');
  const otherClient = { clientId: 'other-client' } as RegisteredClient;
  assert.deepEqual(await introspectToken({ token: REFRESH_TOKEN }, otherClient, deps), {
    active: false,
  });
});

const notLive: [string, RefreshTokenRecord | null, string, Record<string, unknown>?][] = [
  ['no row holds its jti', null, REFRESH_TOKEN],
  [
    'its bytes differ from the token whose hash is stored (altered claims or signature)',
    liveRow,
    'refresh.token.as-we-signed-iT',
  ],
  ['it was used (rotated)', { ...liveRow, usedAt: NOW - 1000 }, REFRESH_TOKEN],
  ['its row is past its idle expiry', { ...liveRow, expiresAt: NOW }, REFRESH_TOKEN],
  [
    'its family is past its absolute expiry',
    { ...liveRow, family: { ...family, expiresAt: NOW - 1 } },
    REFRESH_TOKEN,
  ],
  [
    'its family was revoked',
    { ...liveRow, family: { ...family, revokedAt: NOW - 1000 } },
    REFRESH_TOKEN,
  ],
  ['its exp claim has passed', liveRow, REFRESH_TOKEN, { ...refreshPayload, exp: NOW / 1000 }],
  ['it carries no jti', liveRow, REFRESH_TOKEN, { ...refreshPayload, jti: undefined }],
];

for (const [why, row, token, claims] of notLive) {
  test(`RFC 7662 2.2 / RFC 7009 2.2: a refresh token is inactive and revokes nothing when ${why}`, async () => {
    const { deps, revokedFamilies } = refreshSetup(row, claims);
    assert.deepEqual(
      await introspectToken({ token, token_type_hint: 'refresh_token' }, client, deps),
      { active: false },
    );
    assert.deepEqual(await revokeToken({ token, token_type_hint: 'refresh_token' }, client, deps), {
      revoked: 'nothing',
    });
    assert.deepEqual(revokedFamilies, []);
  });
}

test('RFC 7009 2.1: revoking a live refresh token revokes its family, and only for its own client', async () => {
  const { deps, revokedFamilies } = refreshSetup(liveRow);
  assert.deepEqual(
    await revokeToken(
      { token: REFRESH_TOKEN, token_type_hint: 'refresh_token' },
      { clientId: 'other-client' } as RegisteredClient,
      deps,
    ),
    { revoked: 'nothing' },
  );
  assert.deepEqual(revokedFamilies, []);
  assert.deepEqual(await revokeToken({ token: REFRESH_TOKEN }, client, deps), {
    revoked: 'family',
    familyId: 'family-1',
  });
  assert.deepEqual(revokedFamilies, ['family-1']);
});
