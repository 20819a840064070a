import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { errors, SignJWT } from 'jose';
import { VerifiedTokens } from '../src/verified-tokens.js';
import { ringWithActiveKey } from './support/key-ring-fixture.js';

// Access tokens verified with `remember` skip the RSA check when presented again. A remembered
// result must never outlive what made it true: the token's expiry, its key, the checks asked for.

const ISSUER = 'https://idp.example';

async function setup() {
  const { clock, keys, ring, first } = await ringWithActiveKey();
  const nowSeconds = () => Math.floor(clock.now() / 1000);
  const accessToken = (claims: Record<string, unknown> = {}) =>
    ring.sign(
      {
        iss: ISSUER,
        aud: 'api',
        sub: 'alice',
        iat: nowSeconds(),
        exp: nowSeconds() + 300,
        jti: 'jti-1',
        ...claims,
      },
      { typ: 'at+jwt' },
    );
  return { clock, keys, ring, first, accessToken };
}

const asAccessToken = { typ: 'at+jwt', issuer: ISSUER, audience: 'api', remember: true } as const;

test('a remembered token verifies again with the same payload, and each caller gets its own copy', async () => {
  const { ring, accessToken } = await setup();
  const token = await accessToken();
  const first = await ring.verify(token, asAccessToken);
  (first.payload as Record<string, unknown>).sub = 'mallory';
  const again = await ring.verify(token, asAccessToken);
  assert.equal(again.payload.sub, 'alice');
  assert.equal(again.protectedHeader.typ, 'at+jwt');
});

test('a remembered token is refused once expired (RFC 7519 4.1.4), exactly when jose would refuse it', async () => {
  const { clock, ring, accessToken } = await setup();
  const token = await accessToken();
  await ring.verify(token, asAccessToken);
  clock.advance(300_000 - 1);
  await ring.verify(token, asAccessToken);
  clock.advance(1);
  await assert.rejects(ring.verify(token, asAccessToken), errors.JWTExpired);
});

test('a remembered token is refused at once when its key is revoked', async () => {
  const { keys, ring, first, accessToken } = await setup();
  const token = await accessToken();
  await ring.verify(token, asAccessToken);
  await keys.revoke(first.kid, 'test');
  await ring.refresh();
  await assert.rejects(ring.verify(token, asAccessToken));
});

test('what was checked is part of what is remembered: another audience, typ or issuer is checked afresh', async () => {
  const { ring, accessToken } = await setup();
  const token = await accessToken();
  await ring.verify(token, asAccessToken);
  await assert.rejects(
    ring.verify(token, { ...asAccessToken, audience: 'other-api' }),
    errors.JWTClaimValidationFailed,
  );
  await assert.rejects(
    ring.verify(token, { ...asAccessToken, typ: 'rt+jwt' }),
    errors.JWTClaimValidationFailed,
  );
  await assert.rejects(
    ring.verify(token, { ...asAccessToken, issuer: 'https://elsewhere.example' }),
    errors.JWTClaimValidationFailed,
  );
});

test('a token that failed is not remembered, and a forged one never passes for a remembered one', async () => {
  const { ring, accessToken } = await setup();
  const token = await accessToken();
  await ring.verify(token, asAccessToken);
  // Same header and payload, signed by a key that is not ours.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const [header] = token.split('.');
  const kid = (JSON.parse(Buffer.from(header!, 'base64url').toString()) as { kid: string }).kid;
  const forged = await new SignJWT({
    iss: ISSUER,
    aud: 'api',
    sub: 'alice',
    exp: Math.floor(Date.now() / 1000) + 300,
  })
    .setProtectedHeader({ alg: 'RS256', kid, typ: 'at+jwt' })
    .sign(privateKey);
  for (let attempt = 0; attempt < 2; attempt += 1)
    await assert.rejects(ring.verify(forged, asAccessToken), errors.JWSSignatureVerificationFailed);
});

test('the memory is bounded: the oldest entry goes first', async () => {
  const { ring, accessToken } = await setup();
  const results = await Promise.all([
    accessToken({ jti: 'a' }),
    accessToken({ jti: 'b' }),
    accessToken({ jti: 'c' }),
  ]);
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const verified = new VerifiedTokens(2);
  const keys = new Map([['k', publicKey]]);
  for (const [index, token] of results.entries()) {
    const result = await ring.verify(token, asAccessToken);
    verified.remember(
      `t${index}`,
      { ...result, protectedHeader: { ...result.protectedHeader, kid: 'k' } },
      publicKey,
    );
  }
  assert.equal(verified.size, 2);
  assert.equal(verified.get('t0', keys, Date.now()), undefined);
  assert.equal(verified.get('t2', keys, Date.now())?.payload.jti, 'c');
});
