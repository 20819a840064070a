import assert from 'node:assert/strict';
import { test } from 'node:test';
import { issueTokenSet } from '../src/tokens/issue-token-set.js';
import {
  atHash,
  sha256Hex,
  type RegisteredClient,
  type TokenContext,
  type TokenFamilyRecord,
  type UserAccount,
} from '../src/index.js';
import { NOW, tokenFamily } from './token-family-fixture.js';

// A signer whose signatures finish only when the test says so, to see which ones a grant waits
// for in a row. Each "token" is a name; `claimsOf` gives the claims it was signed with.

interface PendingSignature {
  readonly typ: string | undefined;
  readonly alg: string | undefined;
  readonly payload: Record<string, unknown>;
  finish(): void;
}

function controlledSigner() {
  const pending: PendingSignature[] = [];
  const signed = new Map<string, Record<string, unknown>>();
  const signer = {
    sign: (payload: Record<string, unknown>, options?: { typ?: string; alg?: string }) =>
      new Promise<string>((resolve) => {
        const token = `token-${pending.length + 1}`;
        signed.set(token, payload);
        pending.push({
          typ: options?.typ,
          alg: options?.alg,
          payload,
          finish: () => resolve(token),
        });
      }),
    signingAlgorithms: () => ['RS256', 'PS256', 'ES256', 'EdDSA'] as const,
  };
  const claimsOf = (token: string | undefined) => {
    const claims = token === undefined ? undefined : signed.get(token);
    assert.ok(claims, `${token} was not signed here`);
    return claims;
  };
  return { signer, pending, claimsOf };
}

const ISSUER = 'https://idp.example';
const client = {
  clientId: 'app',
  grantTypes: ['authorization_code', 'refresh_token'],
  resources: [] as string[],
  firstParty: true,
  idTokenSignedResponseAlg: 'RS256',
} as unknown as RegisteredClient;
const user = {
  id: 'user-1',
  email: 'ada@example.com',
  disabled: false,
  admin: false,
  claims: {},
  createdAt: NOW,
} as unknown as UserAccount;
const family: TokenFamilyRecord = tokenFamily({ clientId: 'app', sessionId: 'session-1' });

function context(signer: TokenContext['signer']): TokenContext {
  return {
    issuer: ISSUER,
    signer,
    lifetimes: {
      accessToken: 600,
      idToken: 600,
      refreshTokenIdle: 3600,
      refreshTokenAbsolute: 86_400,
      refreshTokenReuseGrace: 0,
    },
  } as unknown as TokenContext;
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

test('the refresh token is signed while the access token is; the ID token, which needs its at_hash, after it', async () => {
  const { signer, pending, claimsOf } = controlledSigner();
  const issuing = issueTokenSet({
    ctx: context(signer),
    client,
    user,
    family,
    scopes: family.scopes,
    resources: [],
    nonce: undefined,
    now: NOW,
  });
  await settle();
  assert.deepEqual(
    pending.map((signature) => signature.typ),
    ['at+jwt', 'rt+jwt'],
    'both signatures start before either finishes',
  );

  pending[0]!.finish();
  await settle();
  assert.equal(pending.length, 3, 'the ID token is signed once the access token is');
  assert.equal(pending[2]!.typ, undefined);
  pending[1]!.finish();
  pending[2]!.finish();

  const { response, refreshToken } = await issuing;
  assert.match(String(claimsOf(response.access_token).jti), /^family-1\./);
  // OIDC Core 3.1.3.6: at_hash is over the access token returned beside it.
  assert.equal(claimsOf(response.id_token).at_hash, atHash(response.access_token));
  assert.equal(refreshToken!.tokenHash, sha256Hex(response.refresh_token!));
  assert.equal(claimsOf(response.refresh_token).jti, refreshToken!.id);
  assert.deepEqual(Object.keys(response), [
    'access_token',
    'token_type',
    'expires_in',
    'scope',
    'id_token',
    'refresh_token',
  ]);
});

test('a client without the refresh_token grant gets no refresh token and nothing to store', async () => {
  const { signer, pending, claimsOf } = controlledSigner();
  const issuing = issueTokenSet({
    ctx: context(signer),
    client: { ...client, grantTypes: ['authorization_code'] },
    user,
    family,
    scopes: ['openid'],
    resources: [],
    nonce: 'n-1',
    now: NOW,
  });
  await settle();
  assert.deepEqual(
    pending.map((signature) => signature.typ),
    ['at+jwt'],
  );
  pending[0]!.finish();
  await settle();
  pending[1]!.finish();
  const { response, refreshToken } = await issuing;
  assert.equal(refreshToken, null);
  assert.equal(response.refresh_token, undefined);
  assert.equal(claimsOf(response.id_token).nonce, 'n-1');
});

test("issue 31 item 5 / OIDC Registration 2: the ID token is signed with the client's id_token_signed_response_alg, its at_hash with that algorithm's hash; access and refresh tokens with the server's token algorithm", async () => {
  for (const alg of ['RS256', 'PS256', 'ES256', 'EdDSA'] as const) {
    const { signer, pending, claimsOf } = controlledSigner();
    const issuing = issueTokenSet({
      ctx: context(signer),
      client: { ...client, idTokenSignedResponseAlg: alg },
      user,
      family,
      scopes: family.scopes,
      resources: [],
      nonce: undefined,
      now: NOW,
    });
    await settle();
    pending[0]!.finish();
    pending[1]!.finish();
    await settle();
    pending[2]!.finish();
    const { response } = await issuing;
    assert.deepEqual(
      pending.map((s) => [s.typ, s.alg]),
      [
        ['at+jwt', undefined],
        ['rt+jwt', undefined],
        [undefined, alg],
      ],
      alg,
    );
    assert.equal(claimsOf(response.id_token).at_hash, atHash(response.access_token, alg));
  }
});
