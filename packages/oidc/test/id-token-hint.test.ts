import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readIdTokenHint, type IdTokenHintVerifier } from '../src/index.js';

const ISSUER = 'https://idp.example';

/** A verifier that "verifies" one token per header and payload given; anything else fails. */
function verifierFor(
  protectedHeader: { typ?: string },
  payload: Record<string, unknown>,
): IdTokenHintVerifier {
  return {
    verify: async (token, options) => {
      assert.equal(options.allowExpired, true, 'hints are usually expired');
      assert.equal(options.issuer, ISSUER);
      if (token !== 'signed') throw new Error('bad signature');
      return { payload, protectedHeader };
    },
  };
}
const read = (header: { typ?: string }, payload: Record<string, unknown>, token = 'signed') =>
  readIdTokenHint(token, { verifier: verifierFor(header, payload), issuer: ISSUER });

const idToken = { iss: ISSUER, sub: 'user-1', aud: 'web', azp: 'web' };

test('issue 29 item 7: only an ID token we signed is an id_token_hint (OIDC Core 3.1.2.1)', async () => {
  assert.deepEqual(await read({}, idToken), { subject: 'user-1', clientId: 'web' });
  assert.deepEqual(await read({ typ: 'JWT' }, idToken), { subject: 'user-1', clientId: 'web' });
  assert.deepEqual(await read({}, { ...idToken, aud: ['web'] }), {
    subject: 'user-1',
    clientId: 'web',
  });
  assert.equal(await read({}, idToken, 'forged'), undefined, 'not our signature');
  // Our access and refresh tokens carry the same iss and sub: typ and aud tell them apart.
  assert.equal(
    await read({ typ: 'at+jwt' }, { ...idToken, aud: ISSUER }),
    undefined,
    'an access token',
  );
  assert.equal(
    await read({ typ: 'at+jwt' }, idToken),
    undefined,
    'an access token for a client audience',
  );
  assert.equal(
    await read({ typ: 'rt+jwt' }, { ...idToken, aud: `${ISSUER}/token` }),
    undefined,
    'a refresh token',
  );
  assert.equal(await read({}, { ...idToken, aud: ISSUER }), undefined, 'the issuer is no client');
  assert.equal(
    await read({}, { ...idToken, aud: ['web', 'other'] }),
    undefined,
    'one audience, its client',
  );
  assert.equal(await read({}, { ...idToken, azp: 'other' }), undefined);
  assert.equal(await read({}, { ...idToken, sub: undefined }), undefined);
});
