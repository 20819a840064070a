import assert from 'node:assert/strict';
import { createPrivateKey, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { signCompactJws } from '../src/compact-jws.js';
import {
  decryptPrivateKey,
  KeyError,
  KeyRing,
  SIGNING_ALGORITHMS,
  SigningKeys,
  type SigningAlgorithm,
  type SigningKeyPolicy,
} from '../src/index.js';
import { ManualClock, MemorySigningKeyStore } from '../src/testing/index.js';

// Issue 31 item 5: RS256, PS256, ES256 and EdDSA keys, each with the RS256 lifecycle of its own:
// pending -> active -> retired -> removed (or revoked), exactly one active key per algorithm.

const MINUTE = 60_000;
const ALL: readonly SigningAlgorithm[] = SIGNING_ALGORITHMS;
const policy: SigningKeyPolicy = {
  keySize: 2048,
  prePublicationMs: 10 * MINUTE,
  rotationIntervalMs: 0,
  longestTokenTtlMs: 60 * MINUTE,
  algorithms: ALL,
};

function setup(overrides: Partial<SigningKeyPolicy> = {}, tokenAlg?: SigningAlgorithm) {
  const clock = new ManualClock();
  const store = new MemorySigningKeyStore();
  const kek = randomBytes(32);
  const keys = new SigningKeys({ store, kek, clock, policy: { ...policy, ...overrides } });
  const ring = new KeyRing({
    store,
    kek,
    clock,
    policy: { ...policy, ...overrides },
    ...(tokenAlg ? { tokenAlg } : {}),
  });
  return { clock, store, kek, keys, ring };
}

const jwksOf = (ring: KeyRing) => JSON.parse(ring.jwks().body) as JSONWebKeySet;
const header = (jwt: string) => decodeProtectedHeader(jwt);
const activeByAlg = async (keys: SigningKeys) =>
  Object.fromEntries(
    (await keys.list()).filter((k) => k.state === 'active').map((k) => [k.alg, k.kid]),
  );
const exp = (clock: ManualClock) => Math.floor(clock.now() / 1000) + 600;

test('first start creates one active key per enabled algorithm, all published with alg, use and kid', async () => {
  const { keys, ring } = setup();
  const created = await keys.ensureActiveKeys('test');
  assert.deepEqual(
    created.map((k) => k.alg),
    [...ALL],
  );
  assert.deepEqual(await keys.ensureActiveKeys('test'), [], 'a second call adds nothing');
  await ring.refresh();
  const jwks = jwksOf(ring);
  assert.deepEqual(jwks.keys.map((k) => k.alg).sort(), [...ALL].sort());
  for (const jwk of jwks.keys) {
    assert.equal(jwk.use, 'sig');
    assert.equal(jwk.kid, created.find((k) => k.alg === jwk.alg)!.kid);
    assert.equal(jwk.d, undefined, 'no private member');
  }
  assert.deepEqual(ring.signingAlgorithms(), [...ALL]);
});

test('RFC 7515 4.1.1 / 4.1.4: the ring signs with each algorithm under its own kid, and jose verifies each against the JWKS', async () => {
  const { clock, keys, ring } = setup();
  await keys.ensureActiveKeys('test');
  await ring.refresh();
  const jwks = createLocalJWKSet(jwksOf(ring));
  for (const alg of ALL) {
    const token = await ring.sign({ sub: 'alice', exp: exp(clock) }, { alg });
    assert.equal(header(token).alg, alg);
    assert.equal(header(token).kid, ring.activeKid(alg));
    const verified = await jwtVerify(token, jwks, {
      algorithms: [alg],
      currentDate: new Date(clock.now()),
    });
    assert.equal(verified.payload.sub, 'alice');
    assert.equal((await ring.verify(token)).payload.sub, 'alice', `${alg}: our own verify`);
  }
});

test('without an alg the ring signs with its token algorithm', async () => {
  const { keys, ring } = setup({}, 'ES256');
  await keys.ensureActiveKeys('test');
  await ring.refresh();
  assert.equal(header(await ring.sign({})).alg, 'ES256');
  assert.equal(ring.activeKid(), ring.activeKid('ES256'));
});

test('signing with an algorithm that has no active key is a KeyError naming it', async () => {
  const { keys, ring } = setup({ algorithms: ['RS256'] });
  await keys.ensureActiveKeys('test');
  await ring.refresh();
  await assert.rejects(
    ring.sign({}, { alg: 'EdDSA' }),
    (e: unknown) => e instanceof KeyError && e.code === 'no_active_key' && /EdDSA/.test(e.message),
  );
});

test('rotating one algorithm walks its keys through pending -> active -> retired -> removed and leaves the others alone', async () => {
  const { clock, keys, ring } = setup();
  await keys.ensureActiveKeys('test');
  await ring.refresh();
  const before = await activeByAlg(keys);
  const oldToken = await ring.sign({ sub: 'x', exp: exp(clock) + 3600 }, { alg: 'ES256' });

  const rotated = await keys.rotate({ alg: 'ES256', actor: 'test' });
  assert.equal(rotated.alg, 'ES256');
  assert.deepEqual(rotated.retiring, [before.ES256]);
  await ring.refresh();
  assert.ok(ring.jwks().kids.includes(rotated.kid), 'pending key published');
  assert.equal(
    header(await ring.sign({}, { alg: 'ES256' })).kid,
    before.ES256,
    'pending key signs nothing',
  );

  clock.advance(10 * MINUTE);
  assert.equal(header(await ring.sign({}, { alg: 'ES256' })).kid, rotated.kid);
  assert.deepEqual(
    await activeByAlg(keys),
    { ...before, ES256: rotated.kid },
    'every other algorithm keeps its key',
  );
  await ring.verify(oldToken); // the retired ES256 key's tokens still verify

  clock.advance(60 * MINUTE);
  assert.ok(!ring.jwks().kids.includes(before.ES256!), 'removed once its tokens have expired');
  for (const alg of ['RS256', 'PS256', 'EdDSA'] as const)
    assert.ok(ring.jwks().kids.includes(before[alg]!), alg);
});

test('exactly one key per algorithm is active at every instant across interleaved rotations', async () => {
  const { clock, keys } = setup();
  await keys.ensureActiveKeys('test');
  await keys.rotate({ alg: 'ES256', actor: 'test' });
  clock.advance(3 * MINUTE);
  await keys.rotate({ alg: 'EdDSA', actor: 'test' });
  await keys.rotate({ alg: 'ES256', immediately: true, actor: 'test' });
  await keys.rotate({ alg: 'PS256', actor: 'test' });
  clock.advance(4 * MINUTE);
  await keys.rotate({ actor: 'test' });
  for (let step = 0; step < 20; step += 1) {
    const list = await keys.list();
    for (const alg of ALL) {
      const states = list.filter((k) => k.alg === alg).map((k) => k.state);
      assert.equal(
        states.filter((s) => s === 'active').length,
        1,
        `${alg} at step ${step}: ${states.join(',')}`,
      );
    }
    clock.advance(MINUTE);
  }
});

test('rotating an algorithm the server does not keep keys for is refused, naming IDP_SIGNING_ALGORITHMS', async () => {
  const { keys } = setup({ algorithms: ['RS256', 'ES256'] });
  await keys.ensureActiveKeys('test');
  await assert.rejects(
    keys.rotate({ alg: 'EdDSA', actor: 'test' }),
    (e: unknown) =>
      e instanceof KeyError &&
      e.code === 'algorithm_not_enabled' &&
      /IDP_SIGNING_ALGORITHMS/.test(e.message),
  );
  assert.deepEqual((await keys.list()).map((k) => k.alg).sort(), ['ES256', 'RS256']);
});

test('retiring the only key of an algorithm is refused with advice naming the algorithm; a successor of another algorithm does not count', async () => {
  const { keys } = setup();
  await keys.ensureActiveKeys('test');
  const es = (await activeByAlg(keys)).ES256!;
  await keys.rotate({ alg: 'RS256', actor: 'test' });
  await assert.rejects(
    keys.retire(es, 'test'),
    (e: unknown) => e instanceof KeyError && /keys rotate --alg ES256/.test(e.message),
  );
  const next = await keys.rotate({ alg: 'ES256', actor: 'test' });
  assert.deepEqual(await keys.retire(es, 'test'), { kid: es, successor: next.kid });
});

test('an algorithm dropped from the configuration may retire its last key', async () => {
  const store = new MemorySigningKeyStore();
  const clock = new ManualClock();
  const kek = randomBytes(32);
  await new SigningKeys({ store, kek, clock, policy }).ensureActiveKeys('test');
  const narrowed = new SigningKeys({
    store,
    kek,
    clock,
    policy: { ...policy, algorithms: ['RS256'] },
  });
  const eddsa = (await activeByAlg(narrowed)).EdDSA!;
  assert.deepEqual(await narrowed.retire(eddsa, 'test'), { kid: eddsa, successor: null });
  assert.equal((await narrowed.list()).find((k) => k.kid === eddsa)!.state, 'retired');
  // RS256 is still configured: its only key may not go.
  await assert.rejects(
    narrowed.retire((await activeByAlg(narrowed)).RS256!, 'test'),
    /only RS256 key/,
  );
});

test('revoking the active key of one algorithm replaces it with a key of the same algorithm, at once', async () => {
  const { clock, keys, ring } = setup();
  await keys.ensureActiveKeys('test');
  await ring.refresh();
  const before = await activeByAlg(keys);
  const token = await ring.sign({ sub: 'x', exp: exp(clock) }, { alg: 'PS256' });
  const result = await keys.revoke(before.PS256!, 'test');
  await ring.refresh();
  assert.ok(result.signingKid && result.signingKid !== before.PS256);
  const after = await activeByAlg(keys);
  assert.deepEqual(after, { ...before, PS256: result.signingKid });
  assert.ok(!ring.jwks().kids.includes(before.PS256!), 'revoked key unpublished at once');
  await assert.rejects(ring.verify(token));
  assert.equal(header(await ring.sign({}, { alg: 'PS256' })).kid, result.signingKid);
});

test('scheduled rotation adds one pending key per enabled algorithm once its interval has passed', async () => {
  const { clock, keys } = setup({
    rotationIntervalMs: 24 * 60 * MINUTE,
    algorithms: ['RS256', 'EdDSA'],
  });
  await keys.ensureActiveKeys('test');
  assert.deepEqual(await keys.rotateIfDue('scheduler'), []);
  clock.advance(24 * 60 * MINUTE);
  const rotated = await keys.rotateIfDue('scheduler');
  assert.deepEqual(
    rotated.map((r) => r.alg),
    ['RS256', 'EdDSA'],
  );
  assert.deepEqual(await keys.rotateIfDue('scheduler'), [], 'successors already scheduled');
});

test("RFC 8725 3.1: a token whose alg is not its key's is refused by verify and decodeUnverified (RS256 and PS256 keys are both RSA)", async () => {
  const { clock, store, kek, keys, ring } = setup({ algorithms: ['RS256', 'PS256'] });
  await keys.ensureActiveKeys('test');
  await ring.refresh();
  const rsKey = (await store.list()).find((k) => k.alg === 'RS256')!;
  const privateKey = createPrivateKey({
    key: decryptPrivateKey(rsKey.privateKey, kek, rsKey.kid),
    format: 'der',
    type: 'pkcs8',
  });
  const claims = {
    iss: 'https://idp.example',
    aud: 'https://idp.example',
    sub: 'alice',
    exp: exp(clock),
  };
  const genuine = await signCompactJws(
    { alg: 'RS256', kid: rsKey.kid, typ: 'rt+jwt' },
    claims,
    privateKey,
  );
  const crossed = await signCompactJws(
    { alg: 'PS256', kid: rsKey.kid, typ: 'rt+jwt' },
    claims,
    privateKey,
  );
  const options = { typ: 'rt+jwt', issuer: claims.iss, audience: claims.aud };
  assert.equal(ring.decodeUnverified(genuine, options).sub, 'alice');
  assert.equal((await ring.verify(genuine, options)).payload.sub, 'alice');
  assert.throws(() => ring.decodeUnverified(crossed, options), KeyError);
  await assert.rejects(ring.verify(crossed, options), KeyError);
});
