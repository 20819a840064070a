import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { decodeProtectedHeader } from 'jose';
import { KeyError, KeyRing, SigningKeys, type SigningKeyPolicy } from '../src/index.js';
import {
  ManualClock,
  MemorySigningKeyStore,
  signingKeyStoreConformance,
} from '../src/testing/index.js';

const MINUTE = 60_000;
const policy: SigningKeyPolicy = {
  keySize: 2048,
  prePublicationMs: 10 * MINUTE,
  rotationIntervalMs: 0,
  longestTokenTtlMs: 60 * MINUTE,
};

async function setup(overrides: Partial<SigningKeyPolicy> = {}) {
  const clock = new ManualClock();
  const store = new MemorySigningKeyStore();
  const kek = randomBytes(32);
  const keys = new SigningKeys({ store, kek, clock, policy: { ...policy, ...overrides } });
  const ring = new KeyRing({ store, kek, clock, policy: { ...policy, ...overrides } });
  return { clock, store, kek, keys, ring };
}

const kidOf = (jwt: string) => decodeProtectedHeader(jwt).kid;
const published = (ring: KeyRing) =>
  (JSON.parse(ring.jwks().body) as { keys: { kid: string }[] }).keys.map((k) => k.kid);

signingKeyStoreConformance('MemorySigningKeyStore', async () => new MemorySigningKeyStore());

test('first start creates one active key that signs at once', async () => {
  const { keys, ring } = await setup();
  const created = await keys.ensureActiveKey('test');
  assert.ok(created);
  assert.equal(await keys.ensureActiveKey('test'), null, 'a second call adds nothing');
  await ring.refresh();
  assert.deepEqual(published(ring), [created.kid]);
  assert.equal(kidOf(await ring.sign({ sub: 'x' })), created.kid);
});

test('rotation walks pending -> active -> retired -> removed, publishing before signing', async () => {
  const { clock, keys, ring } = await setup();
  const first = (await keys.ensureActiveKey('test'))!;
  const second = await keys.rotate({ actor: 'test' });
  await ring.refresh();

  // Pending: published (so caches learn it) but not signing.
  assert.deepEqual(published(ring), [first.kid, second.kid]);
  const oldToken = await ring.sign({ sub: 'x' });
  assert.equal(kidOf(oldToken), first.kid);
  assert.deepEqual(
    (await keys.list()).map((k) => k.state),
    ['active', 'pending'],
  );

  // Just before the JWKS max-age has passed, still the old key.
  clock.advance(10 * MINUTE - 1);
  assert.equal(kidOf(await ring.sign({})), first.kid);

  // Activation of the new key retires the old one, with no refresh needed.
  clock.advance(1);
  assert.equal(kidOf(await ring.sign({})), second.kid);
  assert.deepEqual(
    (await keys.list()).map((k) => k.state),
    ['retired', 'active'],
  );
  assert.deepEqual(published(ring), [first.kid, second.kid], 'retired key still published');
  await ring.verify(oldToken); // tokens of the retired key still verify

  // Removed once every token it signed has expired.
  clock.advance(60 * MINUTE - 1);
  assert.deepEqual(published(ring), [first.kid, second.kid]);
  clock.advance(1);
  assert.deepEqual(published(ring), [second.kid]);
  assert.deepEqual(
    (await keys.list()).map((k) => k.state),
    ['removed', 'active'],
  );
  await assert.rejects(ring.verify(oldToken));
});

test('exactly one key is active at every instant across repeated rotations', async () => {
  const { clock, keys } = await setup();
  await keys.ensureActiveKey('test');
  await keys.rotate({ actor: 'test' });
  clock.advance(3 * MINUTE);
  await keys.rotate({ actor: 'test' });
  await keys.rotate({ immediately: true, actor: 'test' });
  for (let step = 0; step < 20; step += 1) {
    const states = (await keys.list()).map((k) => k.state);
    assert.equal(states.filter((s) => s === 'active').length, 1, states.join(','));
    clock.advance(MINUTE);
  }
});

test('rotate --now signs at once and cancels pending keys it overtakes', async () => {
  const { keys, ring } = await setup();
  const first = (await keys.ensureActiveKey('test'))!;
  const pending = await keys.rotate({ actor: 'test' });
  const now = await keys.rotate({ immediately: true, actor: 'test' });
  await ring.refresh();
  assert.equal(kidOf(await ring.sign({})), now.kid);
  const states = Object.fromEntries((await keys.list()).map((k) => [k.kid, k.state]));
  assert.deepEqual(states, {
    [first.kid]: 'retired',
    [pending.kid]: 'removed',
    [now.kid]: 'active',
  });
  assert.deepEqual(now.superseded, [
    { kid: first.kid, outcome: 'stops', activatesAt: first.activatesAt },
    { kid: pending.kid, outcome: 'cancelled', activatesAt: pending.activatesAt },
  ]);
});

test('a rotation says what it did to each key it cuts short', async () => {
  const { clock, keys, store } = await setup();
  const first = (await keys.ensureActiveKey('test'))!;
  const pending = await keys.rotate({ actor: 'test' });
  assert.deepEqual(pending.superseded, [
    { kid: first.kid, outcome: 'stops', activatesAt: first.activatesAt },
  ]);
  // A later rotation leaves the pending key its turn, shorter: it activates before the new key.
  clock.advance(3 * MINUTE);
  const later = await keys.rotate({ actor: 'test' });
  assert.deepEqual(later.superseded, [
    { kid: pending.kid, outcome: 'shortened', activatesAt: pending.activatesAt },
  ]);
  const rotated = store.events.filter((e) => e.type === 'key.rotated').at(-1)!;
  assert.deepEqual(rotated.data.retiring, [pending.kid]);
  assert.deepEqual(rotated.data.cancelled, []);
  clock.advance(7 * MINUTE);
  assert.deepEqual(
    (await keys.list()).map((k) => [k.kid, k.state]),
    [
      [first.kid, 'retired'],
      [pending.kid, 'active'],
      [later.kid, 'pending'],
    ],
  );
});

test('revoke removes a key from the JWKS at once and its tokens stop verifying', async () => {
  const { keys, ring } = await setup();
  const first = (await keys.ensureActiveKey('test'))!;
  await ring.refresh();
  const token = await ring.sign({ sub: 'x' });
  const result = await keys.revoke(first.kid, 'test');
  await ring.refresh();
  assert.ok(result.signingKid && result.signingKid !== first.kid, 'a replacement signs');
  assert.deepEqual(published(ring), [result.signingKid]);
  await assert.rejects(ring.verify(token));
  assert.equal(kidOf(await ring.sign({})), result.signingKid);
});

test('retiring the only signing key is refused with advice; with a successor it hands over', async () => {
  const { keys } = await setup();
  const first = (await keys.ensureActiveKey('test'))!;
  await assert.rejects(
    keys.retire(first.kid, 'test'),
    (e: unknown) => e instanceof KeyError && /keys rotate/.test(e.message),
  );
  const next = await keys.rotate({ actor: 'test' });
  assert.deepEqual(await keys.retire(first.kid, 'test'), { kid: first.kid, successor: next.kid });
  const states = Object.fromEntries((await keys.list()).map((k) => [k.kid, k.state]));
  assert.deepEqual(states, { [first.kid]: 'retired', [next.kid]: 'active' });
  await assert.rejects(keys.retire('nope', 'test'), /no signing key with kid nope/);
});

for (const cancel of ['retire', 'revoke'] as const) {
  test(`cancelling a scheduled rotation (${cancel} of the pending key) keeps the old key signing`, async () => {
    const { clock, keys, ring } = await setup();
    const first = (await keys.ensureActiveKey('test'))!;
    const pending = await keys.rotate({ actor: 'test' });
    await keys[cancel](pending.kid, 'test');
    // Past the cancelled key's activation, the old key must still sign: nothing else can.
    clock.advance(policy.prePublicationMs + MINUTE);
    await ring.refresh();
    assert.equal(kidOf(await ring.sign({})), first.kid);
    const listed = (await keys.list()).find((k) => k.kid === first.kid)!;
    assert.deepEqual([listed.state, listed.retiresAt], ['active', null]);
  });
}

test('cancelling a shortened pending key hands over straight to the key after it', async () => {
  const { clock, keys, ring } = await setup();
  const first = (await keys.ensureActiveKey('test'))!;
  const shortened = await keys.rotate({ actor: 'test' });
  clock.advance(3 * MINUTE);
  const later = await keys.rotate({ actor: 'test' });
  await keys.retire(shortened.kid, 'test');
  clock.set(shortened.activatesAt + MINUTE);
  await ring.refresh();
  assert.equal(kidOf(await ring.sign({})), first.kid, 'the first key signs on');
  clock.set(later.activatesAt);
  await ring.refresh();
  assert.equal(kidOf(await ring.sign({})), later.kid);
});

test('cancelling a rotation does not bring back a pending key an earlier rotation cancelled', async () => {
  // The pre-publication period was shortened between two rotations: the second key overtakes
  // the first pending one, which is cancelled. Cancelling the second key must leave it so.
  const { clock, store, kek, keys, ring } = await setup();
  const hasty = new SigningKeys({
    store,
    kek,
    clock,
    policy: { ...policy, prePublicationMs: 2 * MINUTE },
  });
  const first = (await keys.ensureActiveKey('test'))!;
  const overtaken = await keys.rotate({ actor: 'test' });
  const overtaking = await hasty.rotate({ actor: 'test' });
  assert.deepEqual(
    overtaking.superseded.map((k) => [k.kid, k.outcome]),
    [
      [first.kid, 'stops'],
      [overtaken.kid, 'cancelled'],
    ],
  );
  await keys.retire(overtaking.kid, 'test');
  clock.set(overtaken.activatesAt + MINUTE);
  await ring.refresh();
  const states = (await keys.list()).map((k) => [k.kid, k.state]);
  assert.deepEqual(
    states.filter(([, state]) => state === 'active'),
    [[first.kid, 'active']],
    'one key signs: the first',
  );
  assert.ok(!published(ring).includes(overtaken.kid), 'the cancelled key stays out of the JWKS');
  assert.equal(kidOf(await ring.sign({})), first.kid);
});

test('scheduled rotation adds a pending key once the interval has passed, only once', async () => {
  const { clock, keys } = await setup({ rotationIntervalMs: 24 * 60 * MINUTE });
  await keys.ensureActiveKey('test');
  assert.deepEqual(await keys.rotateIfDue('scheduler'), []);
  clock.advance(24 * 60 * MINUTE);
  const rotated = await keys.rotateIfDue('scheduler');
  assert.equal(rotated.length, 1);
  assert.deepEqual(await keys.rotateIfDue('scheduler'), [], 'successor already scheduled');
  assert.deepEqual(
    (await keys.list()).map((k) => k.state),
    ['active', 'pending'],
  );
});

test('the JWKS body and ETag are computed once per key-set state, not per call', async () => {
  const { keys, ring } = await setup();
  await keys.ensureActiveKey('test');
  await ring.refresh();
  assert.equal(ring.jwks(), ring.jwks());
  const before = ring.jwks().etag;
  await keys.rotate({ actor: 'test' });
  await ring.refresh();
  assert.notEqual(ring.jwks().etag, before);
});

test('JWKS entries carry public members only', async () => {
  const { keys, ring } = await setup();
  await keys.ensureActiveKey('test');
  await ring.refresh();
  const [jwk] = (JSON.parse(ring.jwks().body) as { keys: Record<string, string>[] }).keys;
  assert.deepEqual(Object.keys(jwk!).sort(), ['alg', 'e', 'kid', 'kty', 'n', 'use']);
});

test('a key-encryption key that does not match is a clear error', async () => {
  const { store, clock, keys } = await setup();
  await keys.ensureActiveKey('test');
  const ring = new KeyRing({ store, kek: randomBytes(32), clock, policy });
  await assert.rejects(
    ring.refresh(),
    (e: unknown) => e instanceof KeyError && e.code === 'key_encryption_key_mismatch',
  );
});

test('rotating or revoking under another key-encryption key adds no key the servers cannot use', async () => {
  // A CLI run without the servers' IDP_KEY_ENCRYPTION_KEY must not add a key that they cannot
  // decrypt, and so could not sign with once it activates.
  const { store, clock, keys } = await setup();
  const first = (await keys.ensureActiveKey('test'))!;
  const elsewhere = new SigningKeys({ store, kek: randomBytes(32), clock, policy });
  const mismatch = (e: unknown) =>
    e instanceof KeyError && e.code === 'key_encryption_key_mismatch';
  await assert.rejects(elsewhere.rotate({ actor: 'cli' }), mismatch);
  await assert.rejects(elsewhere.rotate({ actor: 'cli', immediately: true }), mismatch);
  await assert.rejects(elsewhere.revoke(first.kid, 'cli'), mismatch);
  assert.deepEqual(
    (await keys.list()).map((k) => [k.kid, k.state]),
    [[first.kid, 'active']],
  );
  // The servers' own key-encryption key still rotates.
  assert.ok(await keys.rotate({ actor: 'cli' }));
});
