import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ignoredSeedMembers, jsonPath, seedSchema } from '../src/cli/seed-schema.js';

test('seed errors are reported as JSON paths', () => {
  assert.equal(jsonPath(['clients', 2, 'redirect_uris', 0]), 'clients[2].redirect_uris[0]');
  const result = seedSchema.safeParse({
    users: [
      { email: 'a@example.com', password: 'x' },
      { email: 'A@example.com', password: 'y' },
    ],
  });
  assert.equal(result.success, false);
  assert.deepEqual(
    result.error!.issues.map((i) => `${jsonPath(i.path)}: ${i.message}`),
    ['users[1].email: appears more than once in the seed'],
  );
});

test('unknown members are listed so typos do not pass silently', () => {
  assert.deepEqual(
    ignoredSeedMembers({
      clients: [{ client_id: 'a', redirect_uri: 'https://x' }],
      users: [{ email: 'a@b.c', passwrd: 'x' }],
      extra: 1,
    }),
    ['extra', 'clients[0].redirect_uri', 'users[0].passwrd'],
  );
});

test('client keys: public keys only, jwks or jwks_uri, and the methods that need them (RFC 7591 2, RFC 7517)', () => {
  const ec = {
    kty: 'EC',
    crv: 'P-256',
    kid: 'k1',
    x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
    y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
  };
  const issues = (client: Record<string, unknown>) => {
    const result = seedSchema.safeParse({
      clients: [{ client_id: 'rp', grant_types: ['client_credentials'], ...client }],
    });
    return result.success
      ? []
      : result.error.issues.map((i) => `${jsonPath(i.path)}: ${i.message}`);
  };
  assert.deepEqual(
    issues({
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: [ec] },
      token_endpoint_auth_signing_alg: 'ES256',
    }),
    [],
  );
  assert.deepEqual(
    issues({
      token_endpoint_auth_method: 'private_key_jwt',
      jwks_uri: 'https://rp.example/jwks.json',
    }),
    [],
  );
  assert.deepEqual(
    issues({
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: [{ ...ec, d: 'secret' }] },
    }),
    ['clients[0].jwks.keys[0].d: is private key material: register public keys only'],
  );
  assert.deepEqual(
    issues({
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] },
    }).map((line) => line.split(':')[0]),
    ['clients[0].jwks.keys[0].kty'],
  );
  assert.deepEqual(issues({ token_endpoint_auth_method: 'private_key_jwt' }), [
    'clients[0].jwks: jwks or jwks_uri is required for private_key_jwt',
  ]);
  assert.deepEqual(
    issues({
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: [ec] },
      jwks_uri: 'https://rp.example/jwks.json',
    }),
    ['clients[0].jwks_uri: must not be given together with jwks (RFC 7591 2)'],
  );
  assert.deepEqual(
    issues({
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: [ec] },
      token_endpoint_auth_signing_alg: 'HS256',
    }).map((line) => line.split(':')[0]),
    ['clients[0].token_endpoint_auth_signing_alg'],
  );
  assert.deepEqual(
    issues({ request_object_signing_alg: 'none' }).map((line) => line.split(':')[0]),
    ['clients[0].request_object_signing_alg'],
  );
  assert.deepEqual(issues({ request_object_signing_alg: 'ES256' }), [
    'clients[0].jwks: jwks or jwks_uri is required to verify signed request objects',
  ]);
  assert.match(
    issues({ token_endpoint_auth_method: 'client_secret_jwt' }).join('\n'),
    /^clients\[0\]\.token_endpoint_auth_method: client_secret_jwt is not supported: the server stores client secrets only as hashes/,
  );
  assert.deepEqual(
    issues({ jwks_uri: 'file:///etc/passwd', token_endpoint_auth_method: 'private_key_jwt' }),
    ['clients[0].jwks_uri: must be an absolute https URL without credentials or fragment'],
  );
});
