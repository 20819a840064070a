import assert from 'node:assert/strict';
import { test } from 'node:test';
import { introspectToken, revokeToken, type InspectionDeps, type RegisteredClient, type TokenFamilyStore } from '../src/index.js';

// A verifier that accepts one access token and records what each caller asked of it, and a
// revocation list in memory: enough to see what introspection and revocation ask to be kept.

const ISSUER = 'https://idp.example';
const TOKEN = 'header.payload.signature';
const payload = { iss: ISSUER, sub: 'service', client_id: 'api-client', aud: ISSUER, jti: 'jti-1', exp: 2_000_000_000, iat: 1_900_000_000, scope: 'read' };
const client = { clientId: 'api-client' } as RegisteredClient;

function setup() {
  const asked: { typ: string; remember?: boolean; decodeUnverified?: true }[] = [];
  const revoked = new Set<string>();
  const families: TokenFamilyStore = {
    findFamily: async () => null,
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
        asked.push({ typ: options.typ, ...(options.remember !== undefined ? { remember: options.remember } : {}) });
        if (token !== TOKEN || options.typ !== 'at+jwt') throw new Error('invalid');
        return { payload: { ...payload } };
      },
      decodeUnverified: (_token, options) => {
        asked.push({ typ: options.typ, decodeUnverified: true });
        throw new Error('not one of our refresh tokens');
      },
    },
    families,
    refreshTokens: { find: async () => null, rotate: async () => 'invalid' },
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
  assert.deepEqual(await revokeToken({ token: TOKEN, token_type_hint: 'access_token' }, client, deps), { revoked: 'access_token' });
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
