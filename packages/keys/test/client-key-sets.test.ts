import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkClientAssertion, ClientJwtRejected, type RegisteredClient } from '@idp/oidc';
import { MemorySingleUseStore, MemoryTables } from '@idp/oidc/testing';
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT, type JWK } from 'jose';
import { ClientKeySets } from '../src/index.js';

// The keys clients sign with, checked by jose: registered `jwks`, and `jwks_uri` documents with
// their cache (RFC 7591 2; RFC 7523 3 as tightened by rfc7523bis, with the core's rules).

const ISSUER = 'https://idp.example';
const NOW = 1_950_000_000_000;

async function keyPair(alg: 'ES256' | 'EdDSA' | 'PS256', kid: string) {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg };
  return { privateKey, jwk };
}

function client(overrides: Partial<RegisteredClient>): RegisteredClient {
  return {
    clientId: 'rp',
    clientName: 'RP',
    secretHash: null,
    tokenEndpointAuthMethod: 'private_key_jwt',
    redirectUris: [],
    postLogoutRedirectUris: [],
    grantTypes: ['client_credentials'],
    responseTypes: ['code'],
    scopes: [],
    resources: [],
    firstParty: false,
    requirePkce: true,
    idTokenSignedResponseAlg: 'RS256',
    requirePushedAuthorizationRequests: false,
    dpopBoundAccessTokens: false,
    ...overrides,
  };
}

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

function assertion(
  privateKey: PrivateKey,
  alg: string,
  kid: string | undefined,
  claims: Record<string, unknown> = {},
  at = NOW,
) {
  const nowS = Math.floor(at / 1000);
  return new SignJWT({ jti: `${Math.random()}`, ...claims })
    .setProtectedHeader({ alg, ...(kid ? { kid } : {}) })
    .setIssuer('rp')
    .setSubject('rp')
    .setAudience(ISSUER)
    .setIssuedAt(nowS)
    .setExpirationTime(nowS + 60)
    .sign(privateKey);
}

const rejected = (pattern: RegExp) => (thrown: unknown) => {
  assert.ok(thrown instanceof ClientJwtRejected, String(thrown));
  assert.match(thrown.message, pattern);
  return true;
};

test('registered jwks verify ES256 and EdDSA assertions; another key, alg none and HS256 are refused', async () => {
  const es = await keyPair('ES256', 'es');
  const ed = await keyPair('EdDSA', 'ed');
  const stranger = await keyPair('ES256', 'es');
  const keys = new ClientKeySets({
    fetchJwks: () => assert.fail('no fetch for jwks by value'),
    now: () => NOW,
  });
  const rp = client({ jwks: { keys: [es.jwk, ed.jwk] } });
  const deps = {
    issuer: ISSUER,
    now: NOW,
    clientJwts: keys,
    singleUse: new MemorySingleUseStore(new MemoryTables()),
  };
  await checkClientAssertion(await assertion(es.privateKey, 'ES256', 'es'), rp, deps);
  await checkClientAssertion(await assertion(ed.privateKey, 'EdDSA', 'ed'), rp, deps);
  // fapi2-security-profile-final-ensure-invalid-client-assertions-fail: a key the client never registered.
  await assert.rejects(
    checkClientAssertion(await assertion(stranger.privateKey, 'ES256', 'es'), rp, deps),
    rejected(/signature verification failed/),
  );
  const unsigned = new UnsecuredJWT({
    iss: 'rp',
    sub: 'rp',
    aud: ISSUER,
    exp: Math.floor(NOW / 1000) + 60,
    jti: 'x',
  }).encode();
  await assert.rejects(
    keys.verify(unsigned, rp, ['ES256', 'EdDSA']),
    rejected(/ERR_JOSE_ALG_NOT_ALLOWED|ERR_JWS_INVALID/),
  );
  const hmac = await new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .sign(new TextEncoder().encode('x'.repeat(32)));
  await assert.rejects(keys.verify(hmac, rp, ['ES256', 'EdDSA']), rejected(/ALG_NOT_ALLOWED/));
  // The registered alg only (token_endpoint_auth_signing_alg): an EdDSA assertion for an ES256-only check.
  await assert.rejects(
    keys.verify(await assertion(ed.privateKey, 'EdDSA', 'ed'), rp, ['ES256']),
    rejected(/ALG_NOT_ALLOWED/),
  );
  await assert.rejects(keys.verify('not.a.jwt', rp, ['ES256']), rejected(/ERR_/));
  await assert.rejects(
    keys.verify(await assertion(es.privateKey, 'ES256', 'es'), client({}), ['ES256']),
    rejected(/no registered keys/),
  );
});

test('oidcc-refresh-token-rp-key-rotation: jwks_uri is fetched once, cached for its TTL, and fetched again early at most once per interval for an unknown kid', async () => {
  let now = NOW;
  const first = await keyPair('ES256', 'first');
  const second = await keyPair('EdDSA', 'second');
  let published: JWK[] = [first.jwk];
  const fetched: string[] = [];
  const keys = new ClientKeySets({
    fetchJwks: async (uri) => {
      fetched.push(uri);
      return { keys: published };
    },
    now: () => now,
    ttlMs: 300_000,
    refetchIntervalMs: 30_000,
  });
  const rp = client({ jwksUri: 'https://rp.example/jwks' });
  const algs = ['ES256', 'EdDSA'];
  await keys.verify(await assertion(first.privateKey, 'ES256', 'first'), rp, algs);
  await keys.verify(await assertion(first.privateKey, 'ES256', 'first'), rp, algs);
  assert.equal(fetched.length, 1, 'cached');

  // The client rotates: a new kid within the interval is not a reason to fetch again...
  published = [first.jwk, second.jwk];
  now += 10_000;
  await assert.rejects(
    keys.verify(await assertion(second.privateKey, 'EdDSA', 'second'), rp, algs),
    rejected(/NO_MATCHING_KEY/),
  );
  assert.equal(fetched.length, 1);
  // ...after it, one fetch, and the new key verifies.
  now += 30_000;
  await keys.verify(await assertion(second.privateKey, 'EdDSA', 'second'), rp, algs);
  assert.equal(fetched.length, 2);
  // A kid that is nowhere leads to no further fetch within the interval.
  await assert.rejects(
    keys.verify(await assertion(second.privateKey, 'EdDSA', 'nowhere'), rp, algs),
    rejected(/NO_MATCHING_KEY/),
  );
  assert.equal(fetched.length, 2);
  // After the TTL the document is fetched again.
  now += 300_000;
  await keys.verify(await assertion(first.privateKey, 'ES256', 'first', {}, now), rp, algs);
  assert.equal(fetched.length, 3);
});

test('a jwks_uri that cannot be fetched, or whose keys are private, verifies nothing; a failed fetch is retried next time', async () => {
  const key = await keyPair('ES256', 'k');
  let fail = true;
  const keys = new ClientKeySets({
    fetchJwks: async () => {
      if (fail) throw new Error('connection refused');
      return { keys: [{ ...key.jwk, d: 'private-part' }] };
    },
    now: () => NOW,
  });
  const rp = client({ jwksUri: 'https://rp.example/jwks' });
  await assert.rejects(
    keys.verify(await assertion(key.privateKey, 'ES256', 'k'), rp, ['ES256']),
    rejected(/could not fetch jwks_uri .*connection refused/),
  );
  fail = false;
  await assert.rejects(
    keys.verify(await assertion(key.privateKey, 'ES256', 'k'), rp, ['ES256']),
    rejected(/NO_MATCHING_KEY/),
  );
});
