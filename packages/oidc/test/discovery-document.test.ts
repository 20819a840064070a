import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildDiscoveryDocument, OAuthError, toOAuthError } from '../src/index.js';

test('OIDC Discovery 3: issuer is exact and endpoints are absolute URLs under it', () => {
  const doc = buildDiscoveryDocument('https://id.example.com/tenant', {
    jwks_uri: '/.well-known/jwks.json',
  });
  assert.equal(doc.issuer, 'https://id.example.com/tenant');
  assert.equal(doc.jwks_uri, 'https://id.example.com/tenant/.well-known/jwks.json');
});

test('only mounted endpoints are advertised; REQUIRED policy values always are', () => {
  const doc = buildDiscoveryDocument('http://localhost:3000', { jwks_uri: '/jwks' });
  assert.equal('authorization_endpoint' in doc, false);
  assert.equal('token_endpoint' in doc, false);
  assert.deepEqual(doc.code_challenge_methods_supported, ['S256']);
  assert.deepEqual(doc.id_token_signing_alg_values_supported, ['RS256']);
  assert.deepEqual(doc.subject_types_supported, ['public']);
});

test('unknown failures become server_error without their message', () => {
  const error = toOAuthError(new Error('database password is hunter2'));
  assert.equal(error.error, 'server_error');
  assert.equal(error.status, 500);
  assert.doesNotMatch(JSON.stringify(error.toJSON()), /hunter2/);
  assert.equal(new OAuthError('invalid_client', 'bad').status, 401);
});

test('issue 31 item 5: id_token_signing_alg_values_supported lists the algorithms the server has keys for', () => {
  const doc = buildDiscoveryDocument(
    'http://localhost:3000',
    { jwks_uri: '/jwks' },
    { idTokenSigningAlgs: ['RS256', 'ES256', 'EdDSA'] },
  );
  assert.deepEqual(doc.id_token_signing_alg_values_supported, ['RS256', 'ES256', 'EdDSA']);
});
