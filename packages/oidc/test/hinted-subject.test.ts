import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AuthorizationError,
  hintedSubject,
  type AuthorizationRequest,
  type IdTokenHintVerifier,
} from '../src/index.js';
import { ISSUER } from './protocol-fakes.js';

const verifier: IdTokenHintVerifier = {
  verify: async (token) => {
    if (token === 'id-token')
      return { payload: { iss: ISSUER, sub: 'user-1', aud: 'app' }, protectedHeader: {} };
    if (token === 'access-token')
      return {
        payload: { iss: ISSUER, sub: 'user-1', aud: ISSUER },
        protectedHeader: { typ: 'at+jwt' },
      };
    throw new Error('bad signature');
  },
};
const request = (idTokenHint: string | undefined) =>
  ({
    redirectUri: 'https://app.example/cb',
    responseMode: 'fragment',
    state: 'st-1',
    idTokenHint,
  }) as AuthorizationRequest;

test('the id_token_hint subject, or nothing when no hint was sent', async () => {
  assert.equal(await hintedSubject(request('id-token'), { verifier, issuer: ISSUER }), 'user-1');
  assert.equal(await hintedSubject(request(undefined), { verifier, issuer: ISSUER }), undefined);
});

test('a hint that is not our ID token is invalid_request, redirected with state (OIDC Core 3.1.2.6)', async () => {
  for (const hint of ['forged', 'access-token']) {
    await assert.rejects(
      hintedSubject(request(hint), { verifier, issuer: ISSUER }),
      (error: unknown) => {
        assert.ok(error instanceof AuthorizationError);
        assert.equal(error.error, 'invalid_request');
        assert.equal(error.target?.state, 'st-1');
        assert.equal(error.target?.responseMode, 'fragment');
        return true;
      },
    );
  }
});
