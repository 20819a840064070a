import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RegisteredClient } from '@idp/oidc';
import { ClientCache } from '../src/client-cache.js';

const client = (clientId: string) => ({ clientId }) as RegisteredClient;

test('a client is read once per TTL; unknown ids are never cached', async () => {
  let now = 0;
  const loads: string[] = [];
  const cache = new ClientCache(async (id) => {
    loads.push(id);
    return id === 'known' ? client(id) : null;
  }, 5000, () => now);
  await cache.findById('known');
  await cache.findById('known');
  assert.deepEqual(loads, ['known']);
  now = 5000;
  await cache.findById('known');
  assert.deepEqual(loads, ['known', 'known'], 'reloaded after the TTL (changes elsewhere show up)');
  await cache.findById('nobody');
  await cache.findById('nobody');
  assert.deepEqual(loads.filter((id) => id === 'nobody').length, 2);
});

test('a client removed elsewhere disappears after the TTL', async () => {
  let now = 0;
  let registered = true;
  const cache = new ClientCache(async (id) => (registered ? client(id) : null), 5000, () => now);
  assert.ok(await cache.findById('app'));
  registered = false;
  assert.ok(await cache.findById('app'), 'still cached');
  now = 5001;
  assert.equal(await cache.findById('app'), null);
});
