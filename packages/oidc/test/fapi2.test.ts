import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  clientMetadataSchema,
  clientSignatureAlgs,
  fapi2MetadataProblems,
  idTokenAlgProblem,
  withSecurityProfile,
} from '../src/index.js';
import { client } from './protocol-fakes.js';

const FAPI_CLIENT = {
  client_id: 'bank',
  security_profile: 'fapi2',
  token_endpoint_auth_method: 'private_key_jwt',
  jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: 'k' }] },
  id_token_signed_response_alg: 'ES256',
  redirect_uris: ['https://bank.example/cb'],
};

test('FAPI 2.0 SP: a consistent fapi2 client registers; each inconsistency is refused naming its field', () => {
  assert.equal(clientMetadataSchema.safeParse(FAPI_CLIENT).success, true);
  const paths = (input: Record<string, unknown>) => {
    const parsed = clientMetadataSchema.safeParse({ ...FAPI_CLIENT, ...input });
    return parsed.success ? [] : parsed.error.issues.map((issue) => issue.path.join('.'));
  };
  assert.ok(
    paths({ token_endpoint_auth_method: 'client_secret_basic', jwks: undefined }).includes(
      'token_endpoint_auth_method',
    ),
  );
  assert.deepEqual(paths({ id_token_signed_response_alg: undefined }), [
    'id_token_signed_response_alg',
  ]);
  assert.deepEqual(paths({ token_endpoint_auth_signing_alg: 'RS256' }), [
    'token_endpoint_auth_signing_alg',
  ]);
  assert.deepEqual(paths({ request_object_signing_alg: 'RS256' }), ['request_object_signing_alg']);
  assert.deepEqual(paths({ require_pkce: false }), ['require_pkce']);
  // Outside the profile the same metadata is fine.
  assert.deepEqual(
    paths({ security_profile: 'none', token_endpoint_auth_signing_alg: 'RS256' }),
    [],
  );
  assert.deepEqual(paths({ security_profile: 'fapi1' }), ['security_profile']);
});

test('FAPI 2.0 SP 5.4.1: RS256 is never accepted from a fapi2 client, EdDSA in both spellings is', () => {
  const fapi = client({ securityProfile: 'fapi2' });
  assert.deepEqual(clientSignatureAlgs(fapi, undefined), ['PS256', 'ES256', 'EdDSA', 'Ed25519']);
  assert.deepEqual(clientSignatureAlgs(fapi, 'RS256'), []);
  assert.deepEqual(clientSignatureAlgs(client(), 'RS256'), ['RS256']);
  assert.equal(
    fapi2MetadataProblems({ ...FAPI_CLIENT, require_pkce: true, response_types: ['code'] }).length,
    0,
  );
});

test('the server default applies to clients without a profile of their own', () => {
  assert.equal(withSecurityProfile(client(), 'fapi2').securityProfile, 'fapi2');
  assert.equal(
    withSecurityProfile(client({ securityProfile: 'none' }), 'fapi2').securityProfile,
    'none',
  );
  assert.equal(
    withSecurityProfile(client({ securityProfile: 'fapi2' }), 'none').securityProfile,
    'fapi2',
  );
});

test('an ID token algorithm without a key, or RS256 for a fapi2 client, is unauthorized_client', () => {
  assert.equal(
    idTokenAlgProblem(client({ idTokenSignedResponseAlg: 'ES256' }), ['RS256', 'ES256']),
    undefined,
  );
  assert.equal(
    idTokenAlgProblem(client({ idTokenSignedResponseAlg: 'EdDSA' }), ['RS256'])?.error,
    'unauthorized_client',
  );
  assert.equal(
    idTokenAlgProblem(client({ idTokenSignedResponseAlg: 'RS256', securityProfile: 'fapi2' }), [
      'RS256',
    ])?.error,
    'unauthorized_client',
  );
});
