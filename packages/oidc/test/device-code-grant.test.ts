import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DEVICE_CODE_GRANT,
  displayUserCode,
  generateUserCode,
  GRANTS,
  normalizeUserCode,
  OAuthError,
  sha256Hex,
  startDeviceAuthorization,
  USER_CODE_ALPHABET,
} from '../src/index.js';
import { createMemoryStores } from '../src/testing/index.js';
import { claimsOf, client, tokenContext, user } from './protocol-fakes.js';
import { NOW } from './token-family-fixture.js';

const grant = GRANTS.get(DEVICE_CODE_GRANT)!;
const tv = client({
  clientId: 'tv',
  grantTypes: [DEVICE_CODE_GRANT, 'refresh_token'],
  redirectUris: [],
  resources: ['https://api.example'],
});
const ada = user();

async function refused(promise: Promise<unknown>, error: string) {
  await assert.rejects(
    promise,
    (thrown: unknown) =>
      thrown instanceof OAuthError && thrown.error === error && thrown.status === 400,
  );
}

/** A device authorization started at NOW, with its store and a token context sharing it. */
async function started(params: Record<string, string> = { scope: 'openid offline_access' }) {
  const stores = createMemoryStores();
  await stores.users.create(
    { id: ada.id, email: ada.email, passwordHash: 'x', claims: { name: 'Ada' } },
    'test',
    NOW,
  );
  const response = await startDeviceAuthorization(params, tv, {
    store: stores.deviceAuthorizations,
    now: NOW,
    verificationUri: 'https://idp.example/device',
    lifetimeSeconds: 600,
    intervalSeconds: 5,
  });
  const { ctx, time } = tokenContext({ deviceAuthorizations: stores.deviceAuthorizations });
  const poll = () => grant.handle({ device_code: response.device_code }, tv, ctx);
  const approve = () =>
    stores.deviceAuthorizations.approve(
      sha256Hex(response.device_code),
      { userId: ada.id, sessionId: 's1', authTime: NOW, amr: ['pwd'], acr: null },
      time.now,
    );
  return { stores, response, ctx, time, poll, approve };
}

test('RFC 8628 6.1: user codes are 8 letters from an alphabet without vowels or look-alikes, matched case- and dash-insensitively', () => {
  for (let i = 0; i < 200; i += 1) {
    const code = generateUserCode();
    assert.match(code, new RegExp(`^[${USER_CODE_ALPHABET}]{8}$`));
    assert.equal(normalizeUserCode(displayUserCode(code).toLowerCase()), code);
  }
  assert.doesNotMatch(USER_CODE_ALPHABET, /[AEIOU01]/);
  assert.equal(normalizeUserCode('bcdf-ghjk'), 'BCDFGHJK');
  assert.equal(normalizeUserCode(' BCDF GHJK '), 'BCDFGHJK');
  assert.equal(normalizeUserCode('BCDF-GHJ'), undefined, 'too short');
  assert.equal(normalizeUserCode('ABCD-EFGH'), undefined, 'vowels are never in a code');
});

test('RFC 8628 3.2: the response carries both codes, both URIs, expires_in and interval; only hashes are stored', async () => {
  const { stores, response } = await started();
  assert.match(response.user_code, /^[A-Z]{4}-[A-Z]{4}$/);
  assert.equal(response.verification_uri, 'https://idp.example/device');
  assert.equal(
    response.verification_uri_complete,
    `https://idp.example/device?user_code=${response.user_code}`,
  );
  assert.equal(response.expires_in, 600);
  assert.equal(response.interval, 5);
  const stored = await stores.deviceAuthorizations.find(sha256Hex(response.device_code));
  assert.equal(stored?.userCodeHash, sha256Hex(normalizeUserCode(response.user_code)!));
  assert.equal(JSON.stringify(stored).includes(response.device_code), false);
});

test('RFC 8628 3.1: a client not registered for the grant, a scope beyond its registration or an unregistered resource is refused', async () => {
  const deps = {
    store: createMemoryStores().deviceAuthorizations,
    now: NOW,
    verificationUri: 'https://idp.example/device',
    lifetimeSeconds: 600,
    intervalSeconds: 5,
  };
  await assert.rejects(
    startDeviceAuthorization({ scope: 'openid' }, client(), deps),
    (e: OAuthError) => e.error === 'unauthorized_client',
  );
  await assert.rejects(
    startDeviceAuthorization({ scope: 'openid admin' }, tv, deps),
    (e: OAuthError) => e.error === 'invalid_scope',
  );
  await assert.rejects(
    startDeviceAuthorization({}, tv, deps),
    (e: OAuthError) => e.error === 'invalid_scope',
  );
  await assert.rejects(
    startDeviceAuthorization({ scope: 'openid', resource: 'https://other.example' }, tv, deps),
    (e: OAuthError) => e.error === 'invalid_target',
  );
});

test('RFC 8628 3.5: authorization_pending while waiting, slow_down (+5 s, remembered) when polled too fast', async () => {
  const { stores, response, time, poll } = await started();
  await refused(poll(), 'authorization_pending');
  time.now += 4_999;
  await refused(poll(), 'slow_down');
  const hash = sha256Hex(response.device_code);
  assert.equal((await stores.deviceAuthorizations.find(hash))?.interval, 10);
  time.now += 9_000;
  await refused(poll(), 'slow_down');
  assert.equal(
    (await stores.deviceAuthorizations.find(hash))?.interval,
    15,
    'each slow_down adds 5 seconds more',
  );
  time.now += 15_000;
  await refused(poll(), 'authorization_pending');
  assert.equal(
    (await stores.deviceAuthorizations.find(hash))?.interval,
    15,
    'the longer interval stays',
  );
});

test('RFC 8628 3.5: access_denied after the user denied, expired_token after expires_in', async () => {
  const denied = await started();
  await denied.stores.deviceAuthorizations.deny(sha256Hex(denied.response.device_code), NOW);
  await refused(denied.poll(), 'access_denied');

  const expired = await started();
  expired.time.now += 600_000;
  await refused(expired.poll(), 'expired_token');
});

test('RFC 8628 3.5: once approved, the token response of a code exchange; the device code works once', async () => {
  const { poll, approve, time } = await started({
    scope: 'openid offline_access',
    resource: 'https://api.example',
  });
  await refused(poll(), 'authorization_pending');
  assert.equal(await approve(), true);
  time.now += 5_000;
  const response = await poll();
  assert.deepEqual(Object.keys(response).sort(), [
    'access_token',
    'expires_in',
    'id_token',
    'refresh_token',
    'scope',
    'token_type',
  ]);
  assert.equal(claimsOf(response.access_token).sub, ada.id);
  assert.deepEqual(claimsOf(response.access_token).aud, [
    'https://api.example',
    'https://idp.example',
  ]);
  const id = claimsOf(response.id_token);
  assert.equal(id.aud, 'tv');
  assert.equal(id.sid, 's1');
  assert.equal(id.name, undefined, 'only what the scopes release');
  time.now += 5_000;
  await assert.rejects(poll(), (e: OAuthError) => e.error === 'invalid_grant');
});

test('a device code is bound to its client; a missing device_code is invalid_request', async () => {
  const { response, ctx } = await started();
  await assert.rejects(
    grant.handle({ device_code: response.device_code }, { ...tv, clientId: 'other' }, ctx),
    (e: OAuthError) => e.error === 'invalid_grant',
  );
  await assert.rejects(grant.handle({}, tv, ctx), (e: OAuthError) => e.error === 'invalid_request');
  await assert.rejects(
    grant.handle({ device_code: 'nope' }, tv, ctx),
    (e: OAuthError) => e.error === 'invalid_grant',
  );
});
