import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { test } from 'node:test';
import { compactVerify, decodeProtectedHeader, jwtVerify, SignJWT } from 'jose';
import { signCompactJws } from '../src/compact-jws.js';
import type { SigningAlgorithm } from '../src/signing-algorithm.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const keyPairs: Record<SigningAlgorithm, { privateKey: KeyObject; publicKey: KeyObject }> = {
  RS256: rsa,
  PS256: generateKeyPairSync('rsa', { modulusLength: 2048 }),
  ES256: generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  EdDSA: generateKeyPairSync('ed25519'),
};
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

test('RFC 7515 7.1 / RFC 7518 3.3 / RFC 8037 3.1: the same compact JWS, byte for byte, as jose SignJWT for the deterministic RS256 and EdDSA', async () => {
  for (const alg of ['RS256', 'EdDSA'] as const) {
    for (const header of [
      { alg, kid: 'k1' },
      { alg, kid: 'k1', typ: 'at+jwt' },
    ]) {
      const ours = await signCompactJws(header, claims, keyPairs[alg].privateKey);
      const theirs = await new SignJWT(claims)
        .setProtectedHeader(header)
        .sign(keyPairs[alg].privateKey);
      assert.equal(ours, theirs, alg);
    }
  }
});

for (const alg of Object.keys(keyPairs) as SigningAlgorithm[]) {
  test(`${alg}: jose verifies it: header, claims and signature`, async () => {
    const { privateKey, publicKey } = keyPairs[alg];
    const token = await signCompactJws({ alg, kid: 'k1', typ: 'at+jwt' }, claims, privateKey);
    assert.deepEqual(decodeProtectedHeader(token), { alg, kid: 'k1', typ: 'at+jwt' });
    const { payload } = await jwtVerify(token, publicKey, {
      algorithms: [alg],
      typ: 'at+jwt',
      currentDate: new Date(claims.iat * 1000),
    });
    assert.deepEqual(payload, claims);
  });

  test(`${alg}: a changed payload no longer verifies`, async () => {
    const { privateKey, publicKey } = keyPairs[alg];
    const token = await signCompactJws({ alg, kid: 'k1' }, claims, privateKey);
    const [header, , signature] = token.split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: 'mallory' })).toString('base64url')}.${signature}`;
    await assert.rejects(compactVerify(forged, publicKey), {
      code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    });
  });
}

test('RFC 7518 3.4: ES256 signatures are the 64-byte R || S pair, not DER', async () => {
  const token = await signCompactJws(
    { alg: 'ES256', kid: 'k1' },
    claims,
    keyPairs.ES256.privateKey,
  );
  assert.equal(Buffer.from(token.split('.')[2]!, 'base64url').length, 64);
});

test('RFC 7518 3.5: PS256 is not RS256: an RS256 verifier refuses it and vice versa', async () => {
  const pss = await signCompactJws({ alg: 'PS256', kid: 'k1' }, claims, rsa.privateKey);
  const relabelled = `${Buffer.from(JSON.stringify({ alg: 'RS256', kid: 'k1' })).toString('base64url')}.${pss.split('.').slice(1).join('.')}`;
  await assert.rejects(compactVerify(relabelled, rsa.publicKey, { algorithms: ['RS256'] }));
});

test('a key that cannot sign is refused, not turned into a token', async () => {
  await assert.rejects(signCompactJws({ alg: 'RS256', kid: 'k1' }, claims, rsa.publicKey));
  await assert.rejects(signCompactJws({ alg: 'ES256', kid: 'k1' }, claims, rsa.privateKey));
});
