import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  authenticateClient,
  InvalidClient,
  JWT_BEARER_ASSERTION_TYPE,
  OAuthError,
  type PresentedClientCredentials,
  type RegisteredClient,
} from '../src/index.js';
import { authDeps, client, fakeClientJwt, ISSUER } from './protocol-fakes.js';
import { NOW } from './token-family-fixture.js';

// The rules of private_key_jwt (RFC 7523 3, draft-ietf-oauth-rfc7523bis, FAPI 2.0 SP 5.3.2.1),
// with a stand-in for the signature check: the keys package tests that with jose.

const JWKS = { keys: [{ kty: 'EC', kid: 'k1' }] };
const CLIENTS: Record<string, RegisteredClient> = {
  signer: client({ clientId: 'signer', tokenEndpointAuthMethod: 'private_key_jwt', jwks: JWKS }),
  pinned: client({
    clientId: 'pinned',
    tokenEndpointAuthMethod: 'private_key_jwt',
    jwks: JWKS,
    tokenEndpointAuthSigningAlg: 'EdDSA',
  }),
  secret: client({
    clientId: 'secret',
    tokenEndpointAuthMethod: 'client_secret_basic',
    secretHash: 'a'.repeat(64),
    jwks: JWKS,
  }),
};
const find = async (id: string) => CLIENTS[id] ?? null;
const nowS = Math.floor(NOW / 1000);
let counter = 0;
const claims = (changes: Record<string, unknown> = {}) => ({
  iss: 'signer',
  sub: 'signer',
  aud: ISSUER,
  exp: nowS + 60,
  iat: nowS,
  jti: `jti-${++counter}`,
  ...changes,
});
const presented = (
  assertion: string,
  changes: Partial<PresentedClientCredentials> = {},
): PresentedClientCredentials => ({
  authorization: undefined,
  clientId: undefined,
  clientSecret: undefined,
  clientAssertionType: JWT_BEARER_ASSERTION_TYPE,
  clientAssertion: assertion,
  ...changes,
});

async function refused(
  credentials: PresentedClientCredentials,
  detail: RegExp,
  deps = authDeps(find),
) {
  await assert.rejects(authenticateClient(credentials, deps), (thrown: unknown) => {
    assert.ok(thrown instanceof InvalidClient, String(thrown));
    assert.equal(thrown.status, 401);
    assert.match(thrown.detail ?? '', detail);
    return true;
  });
}

test('a private_key_jwt client authenticates with a signed assertion, client_id optional (RFC 7523 2.2, 3)', async () => {
  assert.equal(
    (await authenticateClient(presented(fakeClientJwt(claims())), authDeps(find))).clientId,
    'signer',
  );
  assert.equal(
    (
      await authenticateClient(
        presented(fakeClientJwt(claims()), { clientId: 'signer' }),
        authDeps(find),
      )
    ).clientId,
    'signer',
  );
  // iat and nbf up to 10 s ahead are accepted (FAPI 2.0 SP 5.3.2.1: clock skew).
  assert.equal(
    (
      await authenticateClient(
        presented(fakeClientJwt(claims({ iat: nowS + 10, nbf: nowS + 10 }))),
        authDeps(find),
      )
    ).clientId,
    'signer',
  );
});

test('fapi2-security-profile-final-ensure-client-assertion-with-wrong-aud-fails: aud is the issuer as one string (rfc7523bis, FAPI 2.0 SP 5.3.2.1-8)', async () => {
  await refused(
    presented(fakeClientJwt(claims({ aud: `${ISSUER}/token` }))),
    /aud is not the issuer/,
  );
  await refused(presented(fakeClientJwt(claims({ aud: [ISSUER] }))), /single string/);
  await refused(
    presented(fakeClientJwt(claims({ aud: [ISSUER, `${ISSUER}/token`] }))),
    /single string/,
  );
  await refused(presented(fakeClientJwt(claims({ aud: undefined }))), /single string/);
});

test('iss and sub are the client_id (RFC 7523 3 items 1-2): fapi2-security-profile-final-ensure-client-assertion-with-no-sub-fails', async () => {
  await refused(
    presented(fakeClientJwt(claims({ iss: 'someone-else' }))),
    /iss is not the client_id/,
  );
  await refused(presented(fakeClientJwt(claims({ sub: undefined }))), /not a JWT with a sub/);
  await refused(
    presented(fakeClientJwt(claims()), { clientId: 'pinned' }),
    /differs from the assertion/,
  );
});

test('fapi2-security-profile-final-ensure-client-assertion-with-exp-is-5-minutes-in-past-fails: exp required, in the future, short (RFC 7523 3 item 4)', async () => {
  await refused(presented(fakeClientJwt(claims({ exp: nowS - 300 }))), /expired/);
  await refused(presented(fakeClientJwt(claims({ exp: nowS }))), /expired/);
  await refused(presented(fakeClientJwt(claims({ exp: undefined }))), /exp is required/);
  await refused(presented(fakeClientJwt(claims({ exp: nowS + 3600 }))), /more than 300 s away/);
});

test('iat or nbf 70 s in the future is refused (FAPI 2.0 SP 5.3.2.1: more than 60 s)', async () => {
  await refused(
    presented(fakeClientJwt(claims({ iat: nowS + 70 }))),
    /iat is more than 10 s in the future/,
  );
  await refused(
    presented(fakeClientJwt(claims({ nbf: nowS + 70 }))),
    /nbf is more than 10 s in the future/,
  );
  await refused(presented(fakeClientJwt(claims({ iat: 'yesterday' }))), /iat must be a number/);
});

test('jti is required and single-use for the client (RFC 7523 3 item 7)', async () => {
  const deps = authDeps(find);
  const assertion = fakeClientJwt(claims({ jti: 'once' }));
  await authenticateClient(presented(assertion), deps);
  await refused(presented(assertion), /jti replayed/, deps);
  await refused(presented(fakeClientJwt(claims({ jti: undefined }))), /jti is required/);
});

test('fapi2-security-profile-final-ensure-signed-client-assertion-with-RS256-fails: only the registered alg, never none or HS256', async () => {
  const pinned = (alg: string) => fakeClientJwt(claims({ iss: 'pinned', sub: 'pinned' }), { alg });
  assert.equal(
    (await authenticateClient(presented(pinned('EdDSA')), authDeps(find))).clientId,
    'pinned',
  );
  await refused(presented(pinned('ES256')), /alg ES256 not allowed/);
  await refused(presented(fakeClientJwt(claims(), { alg: 'none' })), /alg none not allowed/);
  await refused(presented(fakeClientJwt(claims(), { alg: 'HS256' })), /alg HS256 not allowed/);
  await refused(presented(fakeClientJwt(claims(), { kid: 'not-registered' })), /no key/);
});

test('a client uses only the method it registered (RFC 7591 2); the assertion type is checked (RFC 7523 2.2)', async () => {
  const forSecretClient = fakeClientJwt(claims({ iss: 'secret', sub: 'secret' }));
  await refused(
    presented(forSecretClient),
    /registered for client_secret_basic but sent private_key_jwt/,
  );
  await refused(
    presented(fakeClientJwt(claims()), {
      clientAssertionType: 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer',
    }),
    /unsupported client_assertion_type/,
  );
  await refused(presented('', {}), /client_assertion missing/);
  await refused(presented('not a jwt'), /not a JWT/);
  await assert.rejects(
    authenticateClient(presented(fakeClientJwt(claims()), { clientSecret: 'x' }), authDeps(find)),
    (thrown: unknown) => thrown instanceof OAuthError && thrown.error === 'invalid_request',
  );
});
