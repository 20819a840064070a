import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  clientMetadataSchema,
  clientSecretMatches,
  generateClientSecret,
  hashClientSecret,
  redirectUriProblem,
} from '../src/index.js';

test('RFC 6749 3.1.2: a redirect URI must be absolute and must not include a fragment', () => {
  assert.equal(redirectUriProblem('/callback'), 'must be an absolute URL without a fragment');
  assert.equal(
    redirectUriProblem('https://app.example.com/cb#x'),
    'must be an absolute URL without a fragment',
  );
  assert.equal(redirectUriProblem('https://app.example.com/cb'), undefined);
});

test('RFC 8252 7: loopback http and private-use schemes are allowed for native apps; others are not', () => {
  assert.equal(redirectUriProblem('http://127.0.0.1/cb'), undefined);
  assert.equal(redirectUriProblem('http://localhost:8080/cb'), undefined);
  assert.equal(redirectUriProblem('com.example.app:/oauth2redirect'), undefined);
  assert.match(redirectUriProblem('http://app.example.com/cb')!, /https/);
  assert.match(redirectUriProblem('javascript:alert(1)')!, /javascript/);
});

test('client metadata takes RFC 7591 defaults', () => {
  const client = clientMetadataSchema.parse({
    client_id: 'app',
    redirect_uris: ['https://app.example.com/cb'],
  });
  assert.deepEqual(client.grant_types, ['authorization_code']);
  assert.deepEqual(client.response_types, ['code']);
  assert.equal(client.token_endpoint_auth_method, 'client_secret_basic');
});

test('RFC 7591 2.1: seed and CLI metadata without response_types gets what its grant_types use', () => {
  const service = clientMetadataSchema.parse({
    client_id: 'svc',
    grant_types: ['client_credentials'],
  });
  assert.deepEqual(service.response_types, []);
  const device = clientMetadataSchema.parse({
    client_id: 'tv',
    token_endpoint_auth_method: 'none',
    grant_types: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
  });
  assert.deepEqual(device.response_types, []);
  const web = clientMetadataSchema.parse({
    client_id: 'web',
    redirect_uris: ['https://app.example.com/cb'],
    grant_types: ['authorization_code', 'client_credentials'],
  });
  assert.deepEqual(web.response_types, ['code']);
});

test('RFC 7591 2.1: an authorization_code client without the code response type is refused by name', () => {
  const result = clientMetadataSchema.safeParse({
    client_id: 'app',
    redirect_uris: ['https://app.example.com/cb'],
    response_types: [],
  });
  assert.equal(result.success, false);
  const issue = result.error!.issues.find((i) => i.path[0] === 'response_types');
  assert.match(issue?.message ?? '(no response_types issue)', /^must include code/);
  // A stray `code` beside other grants cannot reach /authorize, so an operator's is kept as given.
  const stray = clientMetadataSchema.parse({
    client_id: 'svc',
    grant_types: ['client_credentials'],
    response_types: ['code'],
  });
  assert.deepEqual(stray.response_types, ['code']);
  const consistent = clientMetadataSchema.parse({
    client_id: 'svc',
    grant_types: ['client_credentials'],
    response_types: [],
  });
  assert.deepEqual(consistent.response_types, []);
});

test('client metadata errors carry the path of the bad member', () => {
  const result = clientMetadataSchema.safeParse({
    client_id: 'spa',
    token_endpoint_auth_method: 'none',
    client_secret: 'x'.repeat(40),
    redirect_uris: ['https://ok.example.com/cb', 'relative/cb'],
  });
  assert.equal(result.success, false);
  const paths = result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  assert.ok(
    paths.includes('redirect_uris.1: must be an absolute URL without a fragment'),
    paths.join('\n'),
  );
  assert.ok(
    paths.some((p) => p.startsWith('client_secret: must be absent for a public client')),
    paths.join('\n'),
  );
});

test('an imported client secret must be at least 32 characters', () => {
  const result = clientMetadataSchema.safeParse({
    client_id: 'svc',
    grant_types: ['client_credentials'],
    client_secret: 'short',
  });
  assert.match(result.error!.issues[0]!.message, /at least 32 characters/);
});

test('client secrets: 256-bit, stored as SHA-256, compared whole', () => {
  const secret = generateClientSecret();
  assert.equal(Buffer.from(secret, 'base64url').length, 32);
  const hash = hashClientSecret(secret);
  assert.match(hash, /^[0-9a-f]{64}$/);
  assert.equal(clientSecretMatches(secret, hash), true);
  assert.equal(clientSecretMatches(`${secret}x`, hash), false);
  assert.equal(clientSecretMatches('', hash), false);
});

test('issue 29 item 14: require_pkce defaults to true and may be false only for a confidential client (RFC 9700 2.1.1)', () => {
  const confidential = clientMetadataSchema.parse({
    client_id: 'app',
    redirect_uris: ['https://app.example.com/cb'],
    require_pkce: false,
  });
  assert.equal(confidential.require_pkce, false);
  assert.equal(
    clientMetadataSchema.parse({ client_id: 'app', redirect_uris: ['https://app.example.com/cb'] })
      .require_pkce,
    true,
  );
  const result = clientMetadataSchema.safeParse({
    client_id: 'spa',
    token_endpoint_auth_method: 'none',
    redirect_uris: ['https://app.example.com/cb'],
    require_pkce: false,
  });
  assert.equal(result.success, false);
  assert.deepEqual(
    result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    ['require_pkce: may be false only for a confidential client (a public client must use PKCE)'],
  );
});

test('issue 31 item 5 / OIDC Registration 2: id_token_signed_response_alg defaults to RS256 and takes PS256, ES256 or EdDSA; anything else names the field', () => {
  const base = { client_id: 'app', redirect_uris: ['https://app.example.com/cb'] };
  assert.equal(clientMetadataSchema.parse(base).id_token_signed_response_alg, 'RS256');
  for (const alg of ['PS256', 'ES256', 'EdDSA'])
    assert.equal(
      clientMetadataSchema.parse({ ...base, id_token_signed_response_alg: alg })
        .id_token_signed_response_alg,
      alg,
    );
  for (const bad of ['none', 'HS256', 'es256', 'Ed25519']) {
    const result = clientMetadataSchema.safeParse({ ...base, id_token_signed_response_alg: bad });
    assert.equal(result.success, false, bad);
    assert.deepEqual(
      result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
      ['id_token_signed_response_alg: must be one of RS256, PS256, ES256, EdDSA'],
    );
  }
});
