import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AuthorizationError,
  issueAuthorizationCode,
  OAuthError,
  pushAuthorizationRequest,
  REQUEST_URI_PREFIX,
  validateAuthorizationRequest,
  type RegisteredClient,
} from '../src/index.js';
import { createMemoryStores } from '../src/testing/index.js';
import { client } from './protocol-fakes.js';

const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const NOW = Date.UTC(2030, 0, 1);
const app = client({ resources: ['https://a.example', 'https://b.example'] });
const other = client({ clientId: 'other' });
const strict = client({ clientId: 'strict', requirePushedAuthorizationRequests: true });
const CLIENTS: Record<string, RegisteredClient> = { app, other, strict };
const findClient = async (id: string) => CLIENTS[id] ?? null;
const PUSHED = {
  redirect_uri: 'https://app.example/cb',
  response_type: 'code',
  scope: 'openid email',
  state: 'st-1',
  code_challenge: CHALLENGE,
  code_challenge_method: 'S256',
  resource: ['https://a.example', 'https://b.example'],
};

function setup() {
  const stores = createMemoryStores();
  const push = (params: Record<string, unknown> = PUSHED, by: RegisteredClient = app, now = NOW) =>
    pushAuthorizationRequest(params, by, {
      store: stores.pushedRequests,
      now,
      lifetimeSeconds: 60,
    });
  const authorize = (query: Record<string, string>, now = NOW, requirePushedRequests = false) =>
    validateAuthorizationRequest(
      query,
      findClient,
      {},
      { pushedRequests: stores.pushedRequests, now, requirePushedRequests },
    );
  return { stores, push, authorize };
}

async function refused(
  promise: Promise<unknown>,
  error: string,
  redirected: boolean,
): Promise<void> {
  await assert.rejects(promise, (thrown: unknown) => {
    assert.ok(thrown instanceof OAuthError, String(thrown));
    assert.equal(thrown.error, error, thrown.description);
    if (thrown instanceof AuthorizationError)
      assert.equal(thrown.target !== undefined, redirected, 'redirected or shown');
    return true;
  });
}

test('RFC 9126 2.2: a push answers a fresh urn:ietf:params:oauth:request_uri with expires_in; only its hash is stored', async () => {
  const { stores, push } = setup();
  const first = await push();
  const second = await push();
  assert.ok(first.request_uri.startsWith(REQUEST_URI_PREFIX));
  assert.notEqual(first.request_uri, second.request_uri);
  assert.equal(first.expires_in, 60);
  const { sha256Hex } = await import('../src/index.js');
  const stored = await stores.pushedRequests.find(sha256Hex(first.request_uri));
  assert.equal(stored?.clientId, 'app');
  assert.equal(stored?.expiresAt, NOW + 60_000);
  assert.equal(
    await stores.pushedRequests.find(first.request_uri),
    null,
    'stored under its hash, not the URI',
  );
});

test('RFC 9126 4: /authorize with the request_uri gets the pushed parameters, repeated ones included, bound to the client', async () => {
  const { push, authorize } = setup();
  const { request_uri } = await push();
  const { request } = await authorize({
    client_id: 'app',
    request_uri,
    scope: 'openid profile',
    state: 'ignored',
  });
  assert.deepEqual(
    request.scopes,
    ['openid', 'email'],
    'parameters outside the pushed request are ignored',
  );
  assert.equal(request.state, 'st-1');
  assert.deepEqual(request.resources, ['https://a.example', 'https://b.example']);
  assert.match(request.pushedRequestUriHash!, /^[0-9a-f]{64}$/);
  // A reload before the code is issued (the login page shown again) still resolves.
  assert.equal((await authorize({ client_id: 'app', request_uri })).request.state, 'st-1');
});

test("RFC 9126 2.1: the request is validated at push time with the authorization endpoint's error codes, as JSON", async () => {
  const { push } = setup();
  await refused(push({ ...PUSHED, code_challenge_method: 'plain' }), 'invalid_request', false);
  await refused(push({ ...PUSHED, scope: 'openid admin' }), 'invalid_scope', false);
  await refused(
    push({ ...PUSHED, redirect_uri: 'https://evil.example/cb' }),
    'invalid_request',
    false,
  );
  await refused(push({ ...PUSHED, response_type: 'token' }), 'unsupported_response_type', false);
  await refused(push({ ...PUSHED, client_id: 'other' }), 'invalid_request', false);
  await assert.rejects(
    push({ ...PUSHED, scope: 'openid admin' }),
    (e: OAuthError) => e.status === 400 && !(e instanceof AuthorizationError),
  );
});

test('RFC 9126 2.1: request_uri at /par is refused (conformance: fapi2-security-profile-final-par-attempt-to-use-request_uri-at-par)', async () => {
  const { push } = setup();
  await refused(
    push({ ...PUSHED, request_uri: `${REQUEST_URI_PREFIX}abc` }),
    'invalid_request',
    false,
  );
});

test('RFC 9101: a request object at /par is request_not_supported until request objects are wired in', async () => {
  const { push } = setup();
  await refused(
    push({ ...PUSHED, request: 'eyJhbGciOiJub25lIn0.e30.' }),
    'request_not_supported',
    false,
  );
});

test("RFC 9126 4: another client's request_uri is refused, shown not redirected (fapi2-...-par-attempt-to-use-request_uri-for-different-client)", async () => {
  const { push, authorize } = setup();
  const { request_uri } = await push();
  await refused(authorize({ client_id: 'other', request_uri }), 'invalid_request_uri', false);
  await refused(
    authorize({ client_id: 'app', request_uri: `${REQUEST_URI_PREFIX}unknown` }),
    'invalid_request_uri',
    false,
  );
  await refused(
    authorize({ client_id: 'app', request_uri: 'https://rp.example/request.jwt' }),
    'request_uri_not_supported',
    false,
  );
  await refused(authorize({ client_id: '', request_uri }), 'invalid_request', false);
});

test('RFC 9126 2.2: an expired request_uri is refused (fapi2-security-profile-final-par-attempt-to-use-expired-request_uri)', async () => {
  const { push, authorize } = setup();
  const { request_uri } = await push();
  assert.ok(await authorize({ client_id: 'app', request_uri }, NOW + 59_999));
  await refused(
    authorize({ client_id: 'app', request_uri }, NOW + 60_000),
    'invalid_request_uri',
    false,
  );
});

test('RFC 9126 4: issuing the code uses the request_uri up; reuse is refused (fapi2-security-profile-final-par-attempt-reuse-request_uri)', async () => {
  const { stores, push, authorize } = setup();
  const { request_uri } = await push();
  const { request } = await authorize({ client_id: 'app', request_uri });
  const session = { userId: 'u1', sessionId: 's1', authTime: NOW, amr: ['pwd'] } as const;
  const deps = {
    codes: stores.codes,
    now: NOW,
    codeTtlSeconds: 60,
    issuer: 'https://op.example',
    pushedRequests: stores.pushedRequests,
  };
  const response = await issueAuthorizationCode(request, session as never, deps);
  assert.ok(response);
  await refused(authorize({ client_id: 'app', request_uri }), 'invalid_request_uri', false);
  // A second tab that validated before the first finished cannot get a code either.
  await refused(
    issueAuthorizationCode(request, session as never, deps),
    'invalid_request_uri',
    true,
  );
});

test('RFC 9126 5: require_pushed_authorization_requests (client or server-wide) refuses a plain request, redirected', async () => {
  const { push, authorize } = setup();
  const withoutResource = Object.fromEntries(
    Object.entries(PUSHED).filter(([name]) => name !== 'resource'),
  ) as Record<string, string>;
  const plain = { client_id: 'strict', ...withoutResource };
  await refused(authorize(plain), 'invalid_request', true);
  await refused(authorize({ ...plain, client_id: 'app' }, NOW, true), 'invalid_request', true);
  assert.ok(await authorize({ ...plain, client_id: 'app' }, NOW, false));
  const { request_uri } = await push(withoutResource, strict);
  assert.equal((await authorize({ client_id: 'strict', request_uri })).request.clientId, 'strict');
});
