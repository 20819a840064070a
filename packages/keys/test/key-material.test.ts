import assert from 'node:assert/strict';
import { createPublicKey, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { calculateJwkThumbprint } from 'jose';
import { decryptPrivateKey, encryptPrivateKey, generateSigningKey } from '../src/index.js';

test('kid is the RFC 7638 SHA-256 thumbprint of the public key', async () => {
  const key = await generateSigningKey(2048, randomBytes(32));
  assert.equal(key.kid, await calculateJwkThumbprint(key.publicJwk, 'sha256'));
  assert.equal(createPublicKey({ key: { ...key.publicJwk }, format: 'jwk' }).asymmetricKeyDetails?.modulusLength, 2048);
});

test('3072-bit keys are supported', async () => {
  const key = await generateSigningKey(3072, randomBytes(32));
  assert.equal(key.size, 3072);
  assert.equal(Buffer.from(key.publicJwk.n, 'base64url').length, 384);
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
