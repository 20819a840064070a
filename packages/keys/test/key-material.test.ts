import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { calculateJwkThumbprint } from 'jose';
import {
  decryptPrivateKey,
  encryptPrivateKey,
  generateSigningKey,
  SIGNING_ALGORITHMS,
} from '../src/index.js';

test('kid is the RFC 7638 SHA-256 thumbprint of the public key', async () => {
  const key = await generateSigningKey('RS256', randomBytes(32));
  assert.equal(key.kid, await calculateJwkThumbprint(key.publicJwk, 'sha256'));
  assert.equal(
    createPublicKey({ key: { ...key.publicJwk }, format: 'jwk' }).asymmetricKeyDetails
      ?.modulusLength,
    2048,
  );
});

test('3072-bit keys are supported', async () => {
  const key = await generateSigningKey('RS256', randomBytes(32), 3072);
  assert.equal(key.size, 3072);
  assert.equal(key.publicJwk.kty, 'RSA');
  assert.equal(
    Buffer.from(key.publicJwk.kty === 'RSA' ? key.publicJwk.n : '', 'base64url').length,
    384,
  );
});

test('each algorithm gets its own key type: RSA for RS256 and PS256, P-256 for ES256, Ed25519 for EdDSA', async () => {
  const kek = randomBytes(32);
  const expected = {
    RS256: { kty: 'RSA', members: ['e', 'kty', 'n'], type: 'rsa', size: 2048 },
    PS256: { kty: 'RSA', members: ['e', 'kty', 'n'], type: 'rsa', size: 2048 },
    ES256: { kty: 'EC', members: ['crv', 'kty', 'x', 'y'], type: 'ec', size: 256 },
    EdDSA: { kty: 'OKP', members: ['crv', 'kty', 'x'], type: 'ed25519', size: 256 },
  } as const;
  for (const alg of SIGNING_ALGORITHMS) {
    const key = await generateSigningKey(alg, kek);
    assert.equal(key.alg, alg);
    assert.equal(key.size, expected[alg].size, alg);
    assert.deepEqual(
      Object.keys(key.publicJwk).sort(),
      expected[alg].members,
      `${alg}: public members only`,
    );
    assert.equal(key.kid, await calculateJwkThumbprint(key.publicJwk, 'sha256'));
    // The private half is stored encrypted and opens to a key of the same type.
    const privateKey = createPrivateKey({
      key: decryptPrivateKey(key.privateKey, kek, key.kid),
      format: 'der',
      type: 'pkcs8',
    });
    assert.equal(privateKey.asymmetricKeyType, expected[alg].type, alg);
    if (alg === 'ES256') assert.equal(privateKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
  }
});

test('the stored private key is AES-256-GCM ciphertext bound to its kid', () => {
  const kek = randomBytes(32);
  const secret = Buffer.from('pkcs8 bytes');
  const envelope = encryptPrivateKey(secret, kek, 'kid-1');
  assert.match(envelope, /^v1\.[A-Za-z0-9_-]+$/);
  assert.ok(!envelope.includes(secret.toString('base64url')));
  assert.deepEqual(decryptPrivateKey(envelope, kek, 'kid-1'), secret);
  assert.throws(() => decryptPrivateKey(envelope, kek, 'kid-2'), /cannot be decrypted/);
  assert.throws(() => decryptPrivateKey(envelope, randomBytes(32), 'kid-1'), /cannot be decrypted/);
  assert.notEqual(encryptPrivateKey(secret, kek, 'kid-1'), envelope, 'fresh IV each time');
});
