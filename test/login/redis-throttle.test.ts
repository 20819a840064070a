import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { TestBrowser } from '../support/browser.js';
import { authorizeUrl, pkce, webRequest } from '../support/flow.js';
import { spawnServer, type SpawnedServer } from '../support/processes.js';
import { CALLBACK, startProvider, type ProviderFixture } from '../support/provider-fixture.js';

describe('login throttling shared through Redis (IDP_REDIS_URL)', () => {
  let op: ProviderFixture;
  let second: SpawnedServer;

  before(async () => {
    op = await startProvider('postgresql', {
      IDP_REDIS_URL: 'redis://127.0.0.1:6379',
      IDP_LOGIN_FAILURES_PER_ACCOUNT: '2',
    });
    // A second instance of the same cluster, on another port.
    second = await spawnServer({ ...op.env, PORT: '0' });
  });
  after(async () => {
    await second?.stop();
    await op?.close();
  });

  test('failures counted on one instance block the account on another', async () => {
    // A made-up account per run: the counters live in a shared Redis.
    const account = `nobody-${randomBytes(6).toString('hex')}@example.com`;
    const attempt = async (base: string) => {
      const browser = new TestBrowser();
      const page = await browser.navigate(
        authorizeUrl(base, webRequest(pkce().challenge)),
        CALLBACK,
      );
      return browser.submit(page, { username: account, password: 'wrong password' }, CALLBACK);
    };
    assert.equal((await attempt(op.server.url)).status, 401);
    assert.equal((await attempt(second.url)).status, 401);
    const blocked = await attempt(op.server.url);
    assert.equal(blocked.status, 429);
    assert.equal(
      (await attempt(second.url)).status,
      429,
      'the other instance sees the same counter',
    );
  });
});
