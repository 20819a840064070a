import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { checkDpopProof, DpopNonces, OAuthError, type DpopProofCheck } from '../src/index.js';
import { createMemoryStores } from '../src/testing/index.js';

const NOW = Date.UTC(2030, 0, 1, 12);
const URL_ = 'https://op.example/token';

async function keyOf(alg: string) {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { alg, privateKey, jwk: await exportJWK(publicKey) };
}
type Key = Awaited<ReturnType<typeof keyOf>>;

function proof(
  key: Key,
  claims: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
): Promise<string> {
  return new SignJWT({
    htm: 'POST',
    htu: URL_,
    iat: Math.floor(NOW / 1000),
    jti: randomUUID(),
    ...claims,
  })
    .setProtectedHeader({ alg: key.alg, typ: 'dpop+jwt', jwk: key.jwk, ...header })
    .sign(key.privateKey);
}

function checker() {
  const replay = createMemoryStores().singleUseIds;
  return (jwt: string, extra: Partial<DpopProofCheck> = {}) =>
    checkDpopProof({ proof: jwt, method: 'POST', url: URL_, now: NOW, replay, ...extra });
}

async function refused(promise: Promise<unknown>, pattern: RegExp, error = 'invalid_dpop_proof') {
  await assert.rejects(promise, (thrown: unknown) => {
    assert.ok(thrown instanceof OAuthError);
    assert.equal(thrown.error, error);
    assert.match(thrown.description, pattern);
    return true;
  });
}

test("RFC 9449 4.3: a proof by an ES256, PS256, EdDSA (Ed25519) or RS256 key gives that key's SHA-256 thumbprint", async () => {
  const check = checker();
  for (const alg of ['ES256', 'PS256', 'EdDSA', 'Ed25519', 'RS256']) {
    const key = await keyOf(alg);
    assert.deepEqual(
      await check(await proof(key)),
      { jkt: await calculateJwkThumbprint(key.jwk, 'sha256') },
      alg,
    );
  }
});

test('RFC 9449 11.1: a replayed proof is refused (conformance: fapi2-security-profile-final-dpop-proof-replay)', async () => {
  const check = checker();
  const key = await keyOf('ES256');
  const jwt = await proof(key);
  await check(jwt);
  await refused(check(jwt), /used before/);
});

test('RFC 9449 4.3: htm and htu must match the request; htu ignores query and fragment (dpop proof for another URI or method)', async () => {
  const check = checker();
  const key = await keyOf('ES256');
  await refused(check(await proof(key, { htm: 'GET' })), /another method/);
  await refused(check(await proof(key, { htu: 'https://op.example/userinfo' })), /another URI/);
  await refused(check(await proof(key, { htu: 'https://evil.example/token' })), /another URI/);
  assert.ok(await check(await proof(key, { htu: `${URL_}?x=1#frag` })));
});

test('RFC 9449 4.3: typ, an asymmetric allowed alg, a public jwk, jti and a signature by that jwk are required', async () => {
  const check = checker();
  const key = await keyOf('ES256');
  const other = await keyOf('ES256');
  await refused(check(await proof(key, {}, { typ: 'JWT' })), /typ dpop\+jwt/);
  await refused(check(await proof(key, {}, { jwk: other.jwk })), /signature/);
  await refused(check(await proof(key, {}, { jwk: undefined })), /jwk/);
  const privateJwk: JWK = await exportJWK(key.privateKey);
  // jose refuses to put a private key in a header; the proof is assembled by hand.
  const [, body, signature] = (await proof(key)).split('.');
  const privateHeader = Buffer.from(
    JSON.stringify({ alg: 'ES256', typ: 'dpop+jwt', jwk: privateJwk }),
  ).toString('base64url');
  await refused(check(`${privateHeader}.${body}.${signature}`), /public key/);
  await refused(check(await proof(key, { jti: undefined })), /jti/);
  const hmac = await new SignJWT({ htm: 'POST', htu: URL_, iat: NOW / 1000, jti: 'x' })
    .setProtectedHeader({ alg: 'HS256', typ: 'dpop+jwt', jwk: { kty: 'oct' } })
    .sign(new Uint8Array(32));
  await refused(check(hmac), /signed with one of/);
  await refused(check('not-a-jwt'), /not a JWS/);
});

test('RFC 9449 11.1: iat far in the future or too old is refused (conformance: dpop iat in the future)', async () => {
  const check = checker();
  const key = await keyOf('ES256');
  await refused(check(await proof(key, { iat: Math.floor(NOW / 1000) + 70 })), /iat/);
  await refused(check(await proof(key, { iat: Math.floor(NOW / 1000) - 120 })), /iat/);
  assert.ok(await check(await proof(key, { iat: Math.floor(NOW / 1000) + 5 })));
});

test('RFC 9449 4.3 / 7: at a resource endpoint the proof must carry ath, the hash of the access token (missing ath)', async () => {
  const check = checker();
  const key = await keyOf('ES256');
  const token = 'the.access.token';
  const ath = createHash('sha256').update(token).digest('base64url');
  await refused(check(await proof(key), { accessToken: token }), /ath/);
  await refused(check(await proof(key, { ath: 'wrong' }), { accessToken: token }), /ath/);
  assert.ok(await check(await proof(key, { ath }), { accessToken: token }));
});

test('RFC 9449 8: with server nonces, a proof without one gets use_dpop_nonce and a DPoP-Nonce header; with it, it passes', async () => {
  const check = checker();
  const nonces = new DpopNonces(new Uint8Array(32).fill(7));
  const key = await keyOf('ES256');
  await assert.rejects(check(await proof(key), { nonces }), (thrown: OAuthError) => {
    assert.equal(thrown.error, 'use_dpop_nonce');
    assert.equal(thrown.headers?.['dpop-nonce'], nonces.current(NOW));
    return true;
  });
  await refused(
    check(await proof(key, { nonce: 'made-up' }), { nonces }),
    /nonce/,
    'use_dpop_nonce',
  );
  assert.ok(await check(await proof(key, { nonce: nonces.current(NOW) }), { nonces }));
  // A nonce stays good through the next window, not beyond (every instance derives the same).
  const later = new DpopNonces(new Uint8Array(32).fill(7));
  assert.equal(later.isValid(nonces.current(NOW), NOW + 5 * 60_000), true);
  assert.equal(later.isValid(nonces.current(NOW), NOW + 10 * 60_000 + 1), false);
});

test("RFC 9449 4.3 item 6: a key seen before still has to verify the proof: another key's signature under its jwk is refused", async () => {
  const check = checker();
  const known = await keyOf('ES256');
  const other = await keyOf('ES256');
  await check(await proof(known));
  // Signed by `other`, claiming `known`'s public key: the remembered key must not vouch for it.
  const forged = await new SignJWT({
    htm: 'POST',
    htu: URL_,
    iat: Math.floor(NOW / 1000),
    jti: randomUUID(),
  })
    .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: known.jwk })
    .sign(other.privateKey);
  await refused(check(forged), /signature does not verify/);
  assert.deepEqual(await check(await proof(known)), {
    jkt: await calculateJwkThumbprint(known.jwk, 'sha256'),
  });
});
