import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  bearerToken,
  hashRegistrationToken,
  OAuthError,
  registrationMetadata,
  registrationTokenMatches,
} from '../src/index.js';

const refusal = (error: string, description: RegExp) => (thrown: unknown) => {
  assert.ok(thrown instanceof OAuthError);
  assert.equal(thrown.error, error);
  assert.match(thrown.description, description);
  return true;
};

test('RFC 7591 2: defaults of a registered client: client_secret_basic, PKCE, authorization_code', () => {
  const metadata = registrationMetadata({ redirect_uris: ['https://rp.example/cb'] }, 'abc');
  assert.equal(metadata.client_id, 'abc');
  assert.equal(metadata.token_endpoint_auth_method, 'client_secret_basic');
  assert.equal(metadata.require_pkce, true);
  assert.equal(metadata.first_party, false);
  assert.deepEqual(metadata.grant_types, ['authorization_code']);
});

test('RFC 7591 3.2.1: the server issues client_id and client_secret; the request cannot choose them', () => {
  const metadata = registrationMetadata(
    { client_id: 'mine', client_secret: 'x'.repeat(40), redirect_uris: ['https://rp.example/cb'] },
    'issued',
  );
  assert.equal(metadata.client_id, 'issued');
  assert.equal(metadata.client_secret, undefined);
});

test('RFC 7591 3.2.2: redirect URI problems are invalid_redirect_uri, naming the URI', () => {
  assert.throws(
    () => registrationMetadata({ redirect_uris: ['https://rp.example/cb#f'] }, 'a'),
    refusal('invalid_redirect_uri', /^redirect_uris\[0\]: .*fragment/),
  );
  assert.throws(
    () =>
      registrationMetadata(
        { grant_types: ['password'], redirect_uris: ['http://rp.example/'] },
        'a',
      ),
    refusal('invalid_redirect_uri', /^redirect_uris\[0\]: must use https/),
    'a redirect URI problem wins over the others',
  );
});

test('RFC 7591 3.2.2: other problems are invalid_client_metadata, naming the member', () => {
  for (const [body, description] of [
    [{ redirect_uris: ['https://rp.example/cb'], scope: 'a  b' }, /^scope: /],
    [{ redirect_uris: ['https://rp.example/cb'], first_party: true }, /^first_party: /],
    [{ redirect_uris: [] }, /^redirect_uris: must list at least one/],
    [null, /JSON object/],
    ['text', /JSON object/],
  ] as const) {
    assert.throws(
      () => registrationMetadata(body, 'a'),
      refusal('invalid_client_metadata', description),
    );
  }
});

test('RFC 7591 2.1: left out, response_types follows grant_types (code only with authorization_code)', () => {
  const cases = [
    [{ redirect_uris: ['https://rp.example/cb'] }, ['code']],
    [{ grant_types: ['client_credentials'] }, []],
    [
      {
        grant_types: ['urn:ietf:params:oauth:grant-type:device_code'],
        token_endpoint_auth_method: 'none',
      },
      [],
    ],
    [
      {
        grant_types: ['authorization_code', 'refresh_token'],
        redirect_uris: ['https://rp.example/cb'],
      },
      ['code'],
    ],
  ] as const;
  for (const [body, responseTypes] of cases)
    assert.deepEqual(
      registrationMetadata(body, 'a').response_types,
      responseTypes,
      JSON.stringify(body),
    );
});

test('RFC 7591 2.1: response_types that contradict grant_types are invalid_client_metadata', () => {
  for (const [body, description] of [
    [
      { grant_types: ['client_credentials'], response_types: ['code'] },
      /^response_types: must not/,
    ],
    [
      { redirect_uris: ['https://rp.example/cb'], response_types: [] },
      /^response_types: must include/,
    ],
  ] as const) {
    assert.throws(
      () => registrationMetadata(body, 'a'),
      refusal('invalid_client_metadata', description),
    );
  }
  const consistent = { grant_types: ['client_credentials'], response_types: [] };
  assert.deepEqual(registrationMetadata(consistent, 'a').response_types, []);
});

test('RFC 7592 2.2: an update names its own client_id and none of the server-set members', () => {
  const body = { client_id: 'a', redirect_uris: ['https://rp.example/cb'] };
  assert.equal(registrationMetadata(body, 'a', { update: true }).client_id, 'a');
  assert.throws(
    () => registrationMetadata({ ...body, client_id: 'b' }, 'a', { update: true }),
    refusal('invalid_request', /^client_id: /),
  );
  assert.throws(
    () => registrationMetadata({ redirect_uris: body.redirect_uris }, 'a', { update: true }),
    refusal('invalid_request', /^client_id: /),
  );
  for (const member of [
    'registration_access_token',
    'registration_client_uri',
    'client_secret_expires_at',
    'client_id_issued_at',
  ]) {
    assert.throws(
      () => registrationMetadata({ ...body, [member]: 'x' }, 'a', { update: true }),
      refusal('invalid_request', new RegExp(`^${member}: `)),
    );
  }
});

test('registration tokens: Bearer header parsing and constant-time comparison with the hash', () => {
  assert.equal(bearerToken('Bearer abc-_.~+/='), 'abc-_.~+/=');
  assert.equal(bearerToken('bearer abc'), 'abc', 'RFC 6750 2.1: the scheme is case-insensitive');
  assert.equal(bearerToken('Basic abc'), undefined);
  assert.equal(bearerToken('Bearer '), undefined);
  assert.equal(bearerToken(undefined), undefined);
  const hash = hashRegistrationToken('token');
  assert.equal(registrationTokenMatches('token', hash), true);
  assert.equal(registrationTokenMatches('other', hash), false);
});

test('the admin scope is an operator grant: a self-registered client asking for it is refused', () => {
  for (const update of [false, true])
    assert.throws(
      () =>
        registrationMetadata(
          {
            client_id: 'a',
            grant_types: ['client_credentials'],
            scope: 'openid idp:admin',
            token_endpoint_auth_method: 'client_secret_basic',
          },
          'a',
          { update },
        ),
      refusal('invalid_client_metadata', /^scope: idp:admin /),
    );
});

test('OIDC Registration 2: userinfo_signed_response_alg is taken; encrypted UserInfo is refused naming the member', () => {
  const base = { redirect_uris: ['https://rp.example/cb'] };
  assert.equal(
    registrationMetadata({ ...base, userinfo_signed_response_alg: 'ES256' }, 'a')
      .userinfo_signed_response_alg,
    'ES256',
  );
  assert.equal(registrationMetadata(base, 'a').userinfo_signed_response_alg, undefined);
  assert.throws(
    () => registrationMetadata({ ...base, userinfo_signed_response_alg: 'none' }, 'a'),
    refusal('invalid_client_metadata', /^userinfo_signed_response_alg: must be one of/),
  );
  for (const member of ['userinfo_encrypted_response_alg', 'userinfo_encrypted_response_enc'])
    assert.throws(
      () => registrationMetadata({ ...base, [member]: 'RSA-OAEP-256' }, 'a'),
      refusal('invalid_client_metadata', new RegExp(`^${member}: .*not supported`)),
    );
});
