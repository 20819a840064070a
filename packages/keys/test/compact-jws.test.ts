import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { compactVerify, decodeProtectedHeader, jwtVerify, SignJWT } from 'jose';
import { signCompactRs256 } from '../src/compact-jws.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const claims = {
  iss: 'https://idp.example',
  sub: 'alice',
  aud: ['api', 'web'],
  iat: 1_764_580_000,
  exp: 1_764_583_600,
  jti: 'Zm9vYmFy',
  // Beyond ASCII: the payload is UTF-8 before base64url (RFC 7515 section 7.1).
  name: 'Zoë Ångström 名前',
  nested: { roles: ['admin'], empty: {} },
};

test('RFC 7515 7.1 / RFC 7518 3.3: the same compact JWS, byte for byte, as jose SignJWT (PKCS#1 v1.5 is deterministic)', async () => {
  for (const header of [{ alg: 'RS256', kid: 'k1' } as const, { alg: 'RS256', kid: 'k1', typ: 'at+jwt' } as const]) {
    const ours = await signCompactRs256(header, claims, privateKey);
    const theirs = await new SignJWT(claims).setProtectedHeader(header).sign(privateKey);
    assert.equal(ours, theirs);
  }
});

test('jose verifies it: header, claims and signature', async () => {
  const token = await signCompactRs256({ alg: 'RS256', kid: 'k1', typ: 'at+jwt' }, claims, privateKey);
  assert.deepEqual(decodeProtectedHeader(token), { alg: 'RS256', kid: 'k1', typ: 'at+jwt' });
  const { payload } = await jwtVerify(token, publicKey, { algorithms: ['RS256'], typ: 'at+jwt', currentDate: new Date(claims.iat * 1000) });
  assert.deepEqual(payload, claims);
});

test('a changed payload no longer verifies', async () => {
  const token = await signCompactRs256({ alg: 'RS256', kid: 'k1' }, claims, privateKey);
  const [header, , signature] = token.split('.');
  const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: 'mallory' })).toString('base64url')}.${signature}`;
  await assert.rejects(compactVerify(forged, publicKey), { code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
});

test('a key that cannot sign RS256 is refused, not turned into a token', async () => {
  await assert.rejects(signCompactRs256({ alg: 'RS256', kid: 'k1' }, claims, publicKey));
});
