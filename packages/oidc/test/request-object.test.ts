import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AuthorizationError,
  OAuthError,
  validateAuthorizationRequest,
  verifyRequestObject,
  type RegisteredClient,
} from '../src/index.js';
import { client, fakeClientJwt, fakeClientJwts, ISSUER } from './protocol-fakes.js';
import { NOW } from './token-family-fixture.js';

// Signed request objects by value (RFC 9101), with a stand-in signature check (jose's is tested
// in the keys package). Test names follow the FAPI 2.0 conformance modules they mirror.

const JWKS = { keys: [{ kty: 'EC', kid: 'k1' }] };
const CLIENTS: Record<string, RegisteredClient> = {
  rp: client({ clientId: 'rp', jwks: JWKS, requestObjectSigningAlg: 'ES256' }),
  other: client({ clientId: 'other', jwks: { keys: [{ kty: 'EC', kid: 'k2' }] } }),
  keyless: client({ clientId: 'keyless' }),
};
const find = async (id: string) => CLIENTS[id] ?? null;
const nowS = Math.floor(NOW / 1000);
const deps = { issuer: ISSUER, now: NOW, clientJwts: fakeClientJwts };
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const inner = (changes: Record<string, unknown> = {}) => ({
  iss: 'rp',
  aud: ISSUER,
  exp: nowS + 60,
  nbf: nowS,
  client_id: 'rp',
  response_type: 'code',
  redirect_uri: 'https://app.example/cb',
  scope: 'openid profile',
  state: 'inner-state',
  code_challenge: CHALLENGE,
  code_challenge_method: 'S256',
  ...changes,
});

async function refusedObject(
  payload: Record<string, unknown>,
  pattern: RegExp,
  header?: { alg?: string; kid?: string },
  owner = CLIENTS.rp!,
) {
  await assert.rejects(
    verifyRequestObject(fakeClientJwt(payload, header), owner, deps),
    (thrown: unknown) => {
      assert.ok(
        thrown instanceof OAuthError && thrown.error === 'invalid_request_object',
        String(thrown),
      );
      assert.match(`${thrown.description} ${thrown.detail ?? ''}`, pattern);
      return true;
    },
  );
}

test('the parameters come from the request object only; the outer ones but client_id are ignored (RFC 9101 5)', async () => {
  const { request } = await validateAuthorizationRequest(
    {
      client_id: 'rp',
      request: fakeClientJwt(inner({ max_age: 300, claims: { id_token: { email: null } } })),
      scope: 'openid email',
      state: 'outer',
      redirect_uri: 'https://evil.example/cb',
    },
    find,
    { requestObjects: deps },
  );
  assert.equal(request.state, 'inner-state');
  assert.deepEqual(request.scopes, ['openid', 'profile']);
  assert.equal(request.redirectUri, 'https://app.example/cb');
  assert.equal(request.maxAge, 300);
  assert.deepEqual(request.claims, { id_token: { email: null } });
});

test('fapi2-security-profile-final-ensure-request-object-with-multiple-aud-succeeds: aud may be an array holding the issuer', async () => {
  const parameters = await verifyRequestObject(
    fakeClientJwt(inner({ aud: [ISSUER, 'https://other.example'] })),
    CLIENTS.rp!,
    deps,
  );
  assert.equal(parameters.client_id, 'rp');
});

test('fapi2-security-profile-final-ensure-request-object-with-bad-aud-fails, -expired-request-object-fails, -without-exp-fails', async () => {
  await refusedObject(inner({ aud: `${ISSUER}/authorize` }), /aud/);
  await refusedObject(inner({ exp: nowS - 1 }), /expired/);
  await refusedObject(inner({ exp: undefined }), /must have an exp/);
  await refusedObject(inner({ exp: nowS + 3700 }), /lives too long/);
  await refusedObject(inner({ nbf: nowS - 3700 }), /nbf .* too far in the past/);
  await refusedObject(inner({ nbf: nowS + 70 }), /nbf .* in the future/);
});

test('fapi2-security-profile-final-ensure-request-object-signature-algorithm-is-not-none: unsigned and other algorithms are refused (RFC 9101 10.2)', async () => {
  await refusedObject(inner(), /alg none not allowed/, { alg: 'none' });
  await refusedObject(inner(), /alg PS256 not allowed/, { alg: 'PS256' });
  await refusedObject(inner(), /no key/, { kid: 'k2' });
  await refusedObject(
    inner({ iss: 'keyless', client_id: 'keyless' }),
    /no key/,
    undefined,
    CLIENTS.keyless!,
  );
});

test("a request object of another client is refused: iss and client_id must be the outer client's (RFC 9101 5, 6.1)", async () => {
  await refusedObject(inner({ iss: 'other' }), /iss/);
  await refusedObject(inner({ client_id: 'other' }), /client_id/);
  await refusedObject(inner({ client_id: undefined }), /client_id/);
  await refusedObject(inner({ request_uri: 'urn:x' }), /must not contain/);
  // Signed with the other client's key, presented for rp.
  await refusedObject(inner(), /no key/, { kid: 'k2' });
});

test('errors before the object is trusted go to the registered outer redirect_uri, or to the page', async () => {
  const withOuter = {
    client_id: 'rp',
    redirect_uri: 'https://app.example/cb',
    state: 's',
    request: fakeClientJwt(inner({ aud: 'https://x' })),
  };
  await assert.rejects(
    validateAuthorizationRequest(withOuter, find, { requestObjects: deps }),
    (thrown: unknown) => {
      assert.ok(thrown instanceof AuthorizationError);
      assert.equal(thrown.error, 'invalid_request_object');
      assert.equal(thrown.target?.redirectUri, 'https://app.example/cb');
      return true;
    },
  );
  await assert.rejects(
    validateAuthorizationRequest({ ...withOuter, redirect_uri: 'https://evil.example/cb' }, find, {
      requestObjects: deps,
    }),
    (thrown: unknown) => {
      assert.ok(thrown instanceof AuthorizationError && thrown.target === undefined);
      return true;
    },
  );
  // Without request object support (no deps), request is refused with the dedicated code.
  await assert.rejects(
    validateAuthorizationRequest(withOuter, find),
    (thrown: unknown) =>
      thrown instanceof AuthorizationError && thrown.error === 'request_not_supported',
  );
});

test('fapi2-security-profile-final-par-authorization-request-containing-request_uri: a request_uri not from our PAR endpoint is request_uri_not_supported (RFC 9101 10.4.1)', async () => {
  for (const uri of [
    'https://app.example/request.jwt',
    'urn:ietf:params:oauth:request_uri:unknown',
  ]) {
    await assert.rejects(
      validateAuthorizationRequest({ client_id: 'rp', request_uri: uri }, find, {
        requestObjects: deps,
      }),
      (thrown: unknown) =>
        thrown instanceof AuthorizationError && thrown.error === 'request_uri_not_supported',
    );
  }
  await assert.rejects(
    validateAuthorizationRequest(
      { client_id: 'rp', request_uri: 'https://a.example/r', request: fakeClientJwt(inner()) },
      find,
      { requestObjects: deps },
    ),
    (thrown: unknown) => thrown instanceof AuthorizationError && thrown.error === 'invalid_request',
  );
});

test('a request object may be longer than other parameters, within a bound', async () => {
  // An extension parameter (ignored, RFC 6749 3.1) pads the object.
  const padded = fakeClientJwt(inner({ x_padding: 'x'.repeat(6000) }));
  const { request } = await validateAuthorizationRequest(
    { client_id: 'rp', request: padded },
    find,
    { requestObjects: deps },
  );
  assert.equal(request.clientId, 'rp');
  await assert.rejects(
    validateAuthorizationRequest(
      { client_id: 'rp', request: fakeClientJwt(inner({ x_padding: 'x'.repeat(20_000) })) },
      find,
      { requestObjects: deps },
    ),
    (thrown: unknown) =>
      thrown instanceof AuthorizationError &&
      thrown.error === 'invalid_request' &&
      /too long/.test(thrown.description),
  );
});
