import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { errors, SignJWT, UnsecuredJWT } from 'jose';
import { KeyError } from '../src/index.js';
import { ringWithActiveKey, TEST_POLICY } from './support/key-ring-fixture.js';

// decodeUnverified() reads a token without the RSA check, for a caller that proves the token's
// bytes by the hash it stored (refresh tokens). What a key's state decides must still hold: a
// revoked, removed or not-yet-signing key's tokens are refused, and so is any other algorithm.

const ISSUER = 'https://idp.example';
const asRefreshToken = { typ: 'rt+jwt', issuer: ISSUER, audience: ISSUER } as const;

async function setup() {
  const { clock, keys, ring, first } = await ringWithActiveKey();
  const claims = {
    iss: ISSUER,
    aud: ISSUER,
    sub: 'alice',
    client_id: 'app',
    jti: 'rt-1',
    exp: Math.floor(clock.now() / 1000) + 600,
  };
  const refreshToken = (extra: Record<string, unknown> = {}) =>
    ring.sign({ ...claims, ...extra }, { typ: 'rt+jwt' });
  return { clock, keys, ring, first, claims, refreshToken };
}

const refusedByKey = (error: unknown) => error instanceof KeyError;
// jose's decoders: JWTInvalid for a payload that is not a JWT's, a TypeError naming the header.
const malformed = (error: unknown) =>
  error instanceof errors.JWTInvalid ||
  (error instanceof TypeError && /Invalid Token|Protected Header/i.test(error.message));

test('a token we signed reads back with its claims', async () => {
  const { ring, claims, refreshToken } = await setup();
  assert.deepEqual(ring.decodeUnverified(await refreshToken(), asRefreshToken), claims);
});

test('another typ is refused, so an access or ID token is never read as a refresh token (RFC 8725 3.11)', async () => {
  const { ring, claims } = await setup();
  const accessToken = await ring.sign(claims, { typ: 'at+jwt' });
  const idToken = await ring.sign(claims);
  assert.throws(() => ring.decodeUnverified(accessToken, asRefreshToken), refusedByKey);
  assert.throws(() => ring.decodeUnverified(idToken, asRefreshToken), refusedByKey);
});

test('another issuer or audience is refused', async () => {
  const { ring, refreshToken } = await setup();
  const otherIssuer = await refreshToken({ iss: 'https://elsewhere.example' });
  const otherAudience = await refreshToken({ aud: 'https://elsewhere.example' });
  assert.throws(() => ring.decodeUnverified(otherIssuer, asRefreshToken), refusedByKey);
  assert.throws(() => ring.decodeUnverified(otherAudience, asRefreshToken), refusedByKey);
  assert.deepEqual(
    ring.decodeUnverified(await refreshToken({ aud: ['x', ISSUER] }), asRefreshToken).aud,
    ['x', ISSUER],
  );
});

test("a revoked key's tokens are refused at once, as verify() refuses them (emergency revoke)", async () => {
  const { keys, ring, first, refreshToken } = await setup();
  const token = await refreshToken();
  await keys.revoke(first.kid, 'test');
  await ring.refresh();
  assert.throws(() => ring.decodeUnverified(token, asRefreshToken), refusedByKey);
});

test("a removed key's tokens are refused: retired, then past the longest token lifetime", async () => {
  const { clock, keys, ring, refreshToken } = await setup();
  const token = await refreshToken();
  await keys.rotate({ immediately: true, actor: 'test' });
  await ring.refresh();
  assert.ok(ring.decodeUnverified(token, asRefreshToken), 'a retired key still verifies');
  clock.advance(TEST_POLICY.longestTokenTtlMs + 1);
  assert.throws(() => ring.decodeUnverified(token, asRefreshToken), refusedByKey);
});

test('a kid that is not ours, none at all, or a pending key is refused', async () => {
  const { keys, ring, claims, first, refreshToken } = await setup();
  const token = await refreshToken();
  const [, payload, signature] = token.split('.');
  const withHeader = (header: object) =>
    `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${payload}.${signature}`;
  assert.throws(
    () =>
      ring.decodeUnverified(
        withHeader({ alg: 'RS256', typ: 'rt+jwt', kid: 'not-ours' }),
        asRefreshToken,
      ),
    refusedByKey,
  );
  assert.throws(
    () => ring.decodeUnverified(withHeader({ alg: 'RS256', typ: 'rt+jwt' }), asRefreshToken),
    refusedByKey,
  );
  const pending = await keys.rotate({ actor: 'test' });
  await ring.refresh();
  assert.notEqual(pending.kid, first.kid);
  assert.throws(
    () =>
      ring.decodeUnverified(
        withHeader({ alg: 'RS256', typ: 'rt+jwt', kid: pending.kid }),
        asRefreshToken,
      ),
    refusedByKey,
  );
  // The same claims under the key that signs still read.
  assert.deepEqual(ring.decodeUnverified(token, asRefreshToken), claims);
});

test('only RS256: an HS256 token naming our kid and an unsecured one are refused (RFC 8725 3.1)', async () => {
  const { ring, first, claims } = await setup();
  const hs256 = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'rt+jwt', kid: first.kid })
    .sign(randomBytes(32));
  assert.throws(() => ring.decodeUnverified(hs256, asRefreshToken), refusedByKey);
  const unsecured = new UnsecuredJWT(claims).encode();
  assert.throws(() => ring.decodeUnverified(unsecured, asRefreshToken), refusedByKey);
});

test('text that is not a JWT is refused', async () => {
  const { ring } = await setup();
  for (const garbage of ['', 'abc', 'a.b.c', '..', 'eyJhbGciOiJSUzI1NiJ9..']) {
    assert.throws(
      () => ring.decodeUnverified(garbage, asRefreshToken),
      (e: unknown) => malformed(e) || refusedByKey(e),
      `${JSON.stringify(garbage)} was read`,
    );
  }
});

test('of several accepted audiences, any one will do (refresh tokens from before an audience change)', async () => {
  const { ring, refreshToken } = await setup();
  const options = { ...asRefreshToken, audience: [`${ISSUER}/token`, ISSUER] };
  assert.equal(
    ring.decodeUnverified(await refreshToken({ aud: `${ISSUER}/token` }), options).aud,
    `${ISSUER}/token`,
  );
  assert.equal(ring.decodeUnverified(await refreshToken(), options).aud, ISSUER);
  const forAnApi = await refreshToken({ aud: 'https://api.example' });
  assert.throws(() => ring.decodeUnverified(forAnApi, options), refusedByKey);
});
