import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import {
  atHash,
  clientSecretMatches,
  hashClientSecret,
  sha256Hex,
  verifyS256,
} from '../src/index.js';

// Known answers from the specifications, so that how a digest is computed can change without
// what is stored, compared or signed changing with it.

test('sha256Hex is lowercase hex SHA-256 (FIPS 180-2 example "abc")', () => {
  assert.equal(
    sha256Hex('abc'),
    'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  );
});

test('a stored secret hash matches its secret and nothing else, whatever the stored value looks like', () => {
  const stored = hashClientSecret('s3cret-value');
  assert.equal(clientSecretMatches('s3cret-value', stored), true);
  assert.equal(clientSecretMatches('s3cret-valuf', stored), false);
  assert.equal(clientSecretMatches('', stored), false);
  // A truncated or malformed stored value is a mismatch, not an exception.
  assert.equal(clientSecretMatches('s3cret-value', stored.slice(0, 40)), false);
  assert.equal(clientSecretMatches('s3cret-value', 'not hex'), false);
});

test('RFC 7636 Appendix B: the S256 challenge of the example verifier', () => {
  assert.equal(
    verifyS256(
      'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    ),
    true,
  );
  assert.equal(
    verifyS256(
      'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXl',
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    ),
    false,
  );
});

test("OIDC Core 3.1.3.6 at_hash: the access token and at_hash of Appendix A's examples", () => {
  assert.equal(atHash('jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y'), '77QmUPtjPfzWtF2AnpK9RQ');
});

test("issue 31 item 5 / OIDC Core 3.1.3.6: at_hash uses the hash of the ID token's alg: SHA-256 for RS256, PS256 and ES256, SHA-512 for EdDSA (Ed25519)", () => {
  const token = 'jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y';
  for (const alg of ['RS256', 'PS256', 'ES256'] as const)
    assert.equal(atHash(token, alg), '77QmUPtjPfzWtF2AnpK9RQ');
  const sha512 = createHash('sha512').update(token).digest();
  assert.equal(atHash(token, 'EdDSA'), sha512.subarray(0, 32).toString('base64url'));
  assert.equal(Buffer.from(atHash(token, 'EdDSA'), 'base64url').length, 32);
});
