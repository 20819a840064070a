import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  issueAuthorizationCode,
  sha256Hex,
  type AuthenticatedSession,
  type AuthorizationCodeRecord,
  type AuthorizationRequest,
} from '../src/index.js';
import { ISSUER } from './protocol-fakes.js';
import { NOW } from './token-family-fixture.js';

const session: AuthenticatedSession = {
  sessionId: 'session-1',
  userId: 'user-1',
  authTime: NOW - 5_000,
  amr: ['pwd'],
};

function request(overrides: Partial<AuthorizationRequest> = {}): AuthorizationRequest {
  return {
    clientId: 'app',
    redirectUri: 'https://app.example/cb?x=1',
    responseMode: 'query',
    state: 'st-1',
    scopes: ['openid', 'email'],
    nonce: 'n-1',
    codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    prompt: [],
    maxAge: undefined,
    loginHint: undefined,
    idTokenHint: undefined,
    acrValues: [],
    claims: undefined,
    resources: ['https://api.example'],
    ...overrides,
  };
}

async function issue(req: AuthorizationRequest) {
  const saved: AuthorizationCodeRecord[] = [];
  const response = await issueAuthorizationCode(req, session, {
    codes: { save: async (record) => void saved.push(record) },
    now: NOW,
    codeTtlSeconds: 60,
    issuer: ISSUER,
  });
  assert.equal(saved.length, 1, 'one record is stored');
  return { response, record: saved[0]! };
}

test('a code is stored only as its hash, bound to client, redirect_uri, PKCE and session, for the TTL', async () => {
  const { response, record } = await issue(request());
  assert.equal(response.kind, 'redirect');
  const location = new URL(response.kind === 'redirect' ? response.location : '');
  const code = location.searchParams.get('code')!;
  assert.match(code, /^[A-Za-z0-9_-]{43}$/, '32 random bytes, base64url');
  assert.equal(
    location.searchParams.get('x'),
    '1',
    'the redirect_uri keeps its own query (RFC 6749 3.1.2)',
  );
  assert.equal(location.searchParams.get('state'), 'st-1');
  assert.equal(location.searchParams.get('iss'), ISSUER, 'RFC 9207');
  assert.deepEqual(record, {
    codeHash: sha256Hex(code),
    clientId: 'app',
    userId: 'user-1',
    sessionId: 'session-1',
    redirectUri: 'https://app.example/cb?x=1',
    scopes: ['openid', 'email'],
    nonce: 'n-1',
    codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    claims: null,
    resources: ['https://api.example'],
    authTime: NOW - 5_000,
    amr: ['pwd'],
    acr: 'urn:idp:acr:pwd',
    dpopJkt: null,
    expiresAt: NOW + 60_000,
    consumedAt: null,
    familyId: null,
  });
});

test('each code is new', async () => {
  const first = await issue(request());
  const second = await issue(request());
  assert.notEqual(first.record.codeHash, second.record.codeHash);
});

test('OIDC Core 2: acr is the class the session reached, asked for or not', async () => {
  assert.equal((await issue(request())).record.acr, 'urn:idp:acr:pwd');
  assert.equal(
    (await issue(request({ acrValues: ['urn:mace:incommon:iap:silver'] }))).record.acr,
    'urn:idp:acr:pwd',
    'an unknown requested value does not change what happened',
  );
});

test('absent nonce and challenge are stored as null; form_post answers with a form', async () => {
  const { response, record } = await issue(
    request({
      nonce: undefined,
      codeChallenge: undefined,
      responseMode: 'form_post',
      state: undefined,
    }),
  );
  assert.equal(record.nonce, null);
  assert.equal(record.codeChallenge, null);
  assert.equal(response.kind, 'form_post');
  if (response.kind === 'form_post') {
    assert.equal(response.action, 'https://app.example/cb?x=1');
    assert.deepEqual(Object.keys(response.params), ['code', 'iss'], 'no state when none was sent');
  }
});
