import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AuthorizationError,
  authorizationResponseTarget,
  validateAuthorizationRequest,
  type RegisteredClient,
} from '../src/index.js';
import { client } from './protocol-fakes.js';

const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const CLIENTS: Record<string, RegisteredClient> = {
  app: client({ resources: ['https://api.example'] }),
  confidential: client({
    clientId: 'confidential',
    tokenEndpointAuthMethod: 'client_secret_basic',
    requirePkce: false,
  }),
  machine: client({ clientId: 'machine', grantTypes: ['client_credentials'] }),
};
const findClient = async (id: string) => CLIENTS[id] ?? null;

const VALID = {
  client_id: 'app',
  redirect_uri: 'https://app.example/cb',
  response_type: 'code',
  scope: 'openid email',
  state: 'st-1',
  code_challenge: CHALLENGE,
  code_challenge_method: 'S256',
};

/** A query as Fastify parses it: a valid request with some parameters changed; undefined leaves one out. */
function query(
  changes: Record<string, string | string[] | undefined> = {},
): Record<string, string | string[]> {
  const all: Record<string, string | string[] | undefined> = { ...VALID, ...changes };
  return Object.fromEntries(
    Object.entries(all).filter(
      (entry): entry is [string, string | string[]] => entry[1] !== undefined,
    ),
  );
}

// [what is wrong, parameters, expected error, whether it goes back to the client's redirect_uri]
const INVALID: [string, unknown, string, boolean][] = [
  ['not form fields', { client_id: { nested: true } }, 'invalid_request', false],
  ['no client_id', query({ client_id: undefined }), 'invalid_request', false],
  ['client_id twice', query({ client_id: ['app', 'app'] }), 'invalid_request', false],
  ['unknown client', query({ client_id: 'nobody' }), 'invalid_client', false],
  ['no redirect_uri', query({ redirect_uri: undefined }), 'invalid_request', false],
  [
    'unregistered redirect_uri',
    query({ redirect_uri: 'https://evil.example/cb' }),
    'invalid_request',
    false,
  ],
  [
    'redirect_uri too long',
    query({ redirect_uri: `https://app.example/${'a'.repeat(4100)}` }),
    'invalid_request',
    false,
  ],
  ['scope twice', query({ scope: ['openid', 'email'] }), 'invalid_request', true],
  ['unknown response_mode', query({ response_mode: 'web_message' }), 'invalid_request', true],
  ['request object', query({ request: 'eyJ...' }), 'request_not_supported', true],
  ['request_uri', query({ request_uri: 'urn:x' }), 'request_uri_not_supported', true],
  ['no response_type', query({ response_type: undefined }), 'invalid_request', true],
  ['implicit flow', query({ response_type: 'id_token token' }), 'unsupported_response_type', true],
  ['client without the code flow', query({ client_id: 'machine' }), 'unauthorized_client', true],
  ['no scope', query({ scope: undefined }), 'invalid_scope', true],
  ['unknown scope', query({ scope: 'openid admin' }), 'invalid_scope', true],
  ['scope not registered for the client', query({ scope: 'openid phone' }), 'invalid_scope', true],
  [
    'no code_challenge',
    query({ code_challenge: undefined, code_challenge_method: undefined }),
    'invalid_request',
    true,
  ],
  ['plain PKCE', query({ code_challenge_method: 'plain' }), 'invalid_request', true],
  [
    'PKCE method missing (means plain)',
    query({ code_challenge_method: undefined }),
    'invalid_request',
    true,
  ],
  ['malformed code_challenge', query({ code_challenge: 'short' }), 'invalid_request', true],
  [
    'require_pkce false: no challenge and no nonce',
    query({
      client_id: 'confidential',
      code_challenge: undefined,
      code_challenge_method: undefined,
    }),
    'invalid_request',
    true,
  ],
  [
    'require_pkce false: a method without challenge',
    query({ client_id: 'confidential', code_challenge: undefined, nonce: 'n' }),
    'invalid_request',
    true,
  ],
  ['unknown prompt', query({ prompt: 'always' }), 'invalid_request', true],
  ['prompt=none with another value', query({ prompt: 'none login' }), 'invalid_request', true],
  ['negative max_age', query({ max_age: '-1' }), 'invalid_request', true],
  ['max_age not a number', query({ max_age: '1e3' }), 'invalid_request', true],
  ['claims not JSON', query({ claims: '{' }), 'invalid_request', true],
  ['claims of the wrong shape', query({ claims: '{"userinfo":[]}' }), 'invalid_request', true],
  ['unregistered resource', query({ resource: 'https://other.example' }), 'invalid_target', true],
];

test('each invalid authorization request gets its error, redirected only once the redirect_uri is trusted (RFC 6749 4.1.2.1)', async () => {
  for (const [name, input, error, redirectable] of INVALID) {
    await assert.rejects(
      validateAuthorizationRequest(input, findClient),
      (thrown: unknown) => {
        assert.ok(thrown instanceof AuthorizationError, name);
        assert.equal(thrown.error, error, name);
        assert.equal(thrown.target !== undefined, redirectable, `${name}: redirectable`);
        if (thrown.target)
          assert.equal(thrown.target.state, 'st-1', `${name}: the state goes back`);
        return true;
      },
      name,
    );
  }
});

test('an error after the redirect_uri is trusted goes back the way the response_mode says', async () => {
  await assert.rejects(
    validateAuthorizationRequest(query({ response_mode: 'fragment', scope: 'admin' }), findClient),
    (thrown: AuthorizationError) => {
      assert.deepEqual(thrown.target, {
        redirectUri: 'https://app.example/cb',
        responseMode: 'fragment',
        state: 'st-1',
      });
      return true;
    },
  );
});

test('a valid request is read into its parts; empty parameters count as absent', async () => {
  const { request, client: found } = await validateAuthorizationRequest(
    query({
      nonce: 'n-1',
      prompt: 'login consent',
      max_age: '0',
      login_hint: '',
      acr_values: '0 1',
      resource: 'https://api.example',
    }),
    findClient,
  );
  assert.equal(found, CLIENTS.app);
  assert.deepEqual(request, {
    clientId: 'app',
    redirectUri: 'https://app.example/cb',
    responseMode: 'query',
    state: 'st-1',
    scopes: ['openid', 'email'],
    nonce: 'n-1',
    codeChallenge: CHALLENGE,
    prompt: ['login', 'consent'],
    maxAge: 0,
    loginHint: undefined,
    idTokenHint: undefined,
    acrValues: ['0', '1'],
    claims: undefined,
    resources: ['https://api.example'],
  });
});

test('require_pkce false admits a nonce instead of PKCE; claims beyond the registration are dropped (OIDC Core 5.5)', async () => {
  const { request } = await validateAuthorizationRequest(
    query({
      client_id: 'confidential',
      code_challenge: undefined,
      code_challenge_method: undefined,
      nonce: 'n-1',
      claims: JSON.stringify({
        userinfo: { email: null, phone_number: null },
        id_token: { acr: { essential: true } },
      }),
    }),
    findClient,
  );
  assert.equal(request.codeChallenge, undefined);
  assert.deepEqual(request.claims, {
    userinfo: { email: null },
    id_token: { acr: { essential: true } },
  });
});

test('authorizationResponseTarget trusts exactly what validation trusts before it redirects (RFC 6749 4.1.2.1)', async () => {
  // Whatever else is wrong (the server's schemas refuse it first), the target is the request's own.
  const trusted = await authorizationResponseTarget(
    query({ scope: ['openid', 'email'], response_mode: 'fragment' }),
    findClient,
  );
  assert.deepEqual(trusted.target, {
    redirectUri: 'https://app.example/cb',
    responseMode: 'fragment',
    state: 'st-1',
  });
  for (const [name, input, , redirectable] of INVALID) {
    if (redirectable) continue;
    await assert.rejects(authorizationResponseTarget(input, findClient), (thrown: unknown) => {
      assert.ok(thrown instanceof AuthorizationError, name);
      assert.equal(thrown.target, undefined, `${name}: shown, never redirected`);
      return true;
    });
  }
});

test('OIDC Core 3.1.2.1 ui_locales: space-separated tags kept in order for the pages, absent when not sent', async () => {
  const { request } = await validateAuthorizationRequest(
    query({ ui_locales: 'fr-CA  de en' }),
    findClient,
  );
  assert.deepEqual(request.uiLocales, ['fr-CA', 'de', 'en']);
  const plain = await validateAuthorizationRequest(query(), findClient);
  assert.equal('uiLocales' in plain.request, false);
  // Preferences only: nonsense is dropped, not refused, and at most eight tags ride along.
  const many = await validateAuthorizationRequest(
    query({
      ui_locales: `${'x'.repeat(60)} ${Array.from({ length: 12 }, (_, i) => `l${i}`).join(' ')}`,
    }),
    findClient,
  );
  assert.deepEqual(many.request.uiLocales, ['l0', 'l1', 'l2', 'l3', 'l4', 'l5', 'l6', 'l7']);
});
