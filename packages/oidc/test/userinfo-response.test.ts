import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  OAuthError,
  userinfoResponse,
  type JwsSigningAlgorithm,
  type RegisteredClient,
  type UserinfoResponseDeps,
} from '../src/index.js';
import { client, claimsOf, fakeToken, fakeVerifier, ISSUER, user } from './protocol-fakes.js';
import { NOW, tokenFamily } from './token-family-fixture.js';

const accessToken = fakeToken(
  {
    iss: ISSUER,
    aud: [ISSUER],
    sub: 'user-1',
    jti: 'family-1.abc',
    scope: 'openid email',
    exp: NOW / 1000 + 600,
  },
  'at+jwt',
);

/** Deps whose token belongs to `api-client`, registered as `registered`; what was signed how. */
function deps(
  registered: Partial<RegisteredClient> | null,
  signable: readonly JwsSigningAlgorithm[] = ['RS256', 'ES256'],
) {
  const signed: { payload: Record<string, unknown>; alg: string | undefined }[] = [];
  const value: UserinfoResponseDeps = {
    issuer: ISSUER,
    verifier: fakeVerifier(() => NOW),
    families: {
      accessTokenState: async () => ({
        revoked: false,
        family: tokenFamily({ clientId: 'api-client' }),
        user: user({ claims: { email_verified: true } }),
      }),
    },
    clients: {
      findById: async (id) =>
        registered === null ? null : client({ clientId: id, ...registered }),
    },
    signer: {
      sign: async (payload, options) => {
        signed.push({ payload, alg: options?.alg });
        return fakeToken(payload);
      },
      signingAlgorithms: () => signable,
    },
  };
  return { value, signed };
}

const CLAIMS = { sub: 'user-1', email: 'ada@example.com', email_verified: true };

test('OIDC Core 5.3.2: without userinfo_signed_response_alg the claims go out as JSON, unsigned', async () => {
  const { value, signed } = deps({});
  assert.deepEqual(await userinfoResponse(accessToken, value), { format: 'json', claims: CLAIMS });
  assert.deepEqual(signed, []);
});

test('OIDC Core 5.3.2: with userinfo_signed_response_alg the claims are a JWT of that alg, with iss and aud (the client) added', async () => {
  const { value, signed } = deps({ userinfoSignedResponseAlg: 'ES256' });
  const response = await userinfoResponse(accessToken, value);
  assert.equal(response.format, 'jwt');
  assert.deepEqual(
    signed.map((s) => s.alg),
    ['ES256'],
  );
  assert.deepEqual(claimsOf(response.format === 'jwt' ? response.jwt : undefined), {
    ...CLAIMS,
    iss: ISSUER,
    aud: 'api-client',
  });
});

test('an alg the server no longer has a key for is unauthorized_client naming the member, not a 500 nor silent JSON', async () => {
  await assert.rejects(
    userinfoResponse(accessToken, deps({ userinfoSignedResponseAlg: 'PS256' }).value),
    (thrown: unknown) =>
      thrown instanceof OAuthError &&
      thrown.error === 'unauthorized_client' &&
      thrown.status === 400 &&
      /userinfo_signed_response_alg/.test(thrown.description),
  );
});

test('a token whose client is gone is invalid_token', async () => {
  await assert.rejects(
    userinfoResponse(accessToken, deps(null).value),
    (thrown: unknown) => thrown instanceof OAuthError && thrown.error === 'invalid_token',
  );
});
