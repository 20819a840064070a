import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errors } from 'jose';
import { ringWithActiveKey } from './support/key-ring-fixture.js';

// verify({ allowExpired: true }) is for hints (id_token_hint), typically old tokens: expiry is
// the only check it lets pass.

const ISSUER = 'https://idp.example';

test('allowExpired: an expired token of ours verifies with its header and claims; nothing else is let pass', async () => {
  const { clock, ring } = await ringWithActiveKey();
  const exp = Math.floor(clock.now() / 1000) - 60;
  const token = await ring.sign({ iss: ISSUER, sub: 'alice', aud: 'web', exp });
  await assert.rejects(ring.verify(token, { issuer: ISSUER }), errors.JWTExpired);
  const { payload, protectedHeader } = await ring.verify(token, {
    issuer: ISSUER,
    allowExpired: true,
  });
  assert.equal(payload.sub, 'alice');
  assert.equal(protectedHeader.alg, 'RS256');
  assert.ok(protectedHeader.kid);

  await assert.rejects(
    ring.verify(token, { issuer: 'https://elsewhere.example', allowExpired: true }),
    errors.JWTClaimValidationFailed,
  );
  await assert.rejects(
    ring.verify(token, { issuer: ISSUER, typ: 'at+jwt', allowExpired: true }),
    errors.JWTClaimValidationFailed,
  );
  const [header, body] = token.split('.');
  await assert.rejects(
    ring.verify(`${header}.${body}.${'A'.repeat(342)}`, { issuer: ISSUER, allowExpired: true }),
    errors.JWSSignatureVerificationFailed,
  );
});
