import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { after, describe, test } from 'node:test';
import { TestBrowser, type Page } from '../support/browser.js';
import { providers } from '../support/databases.js';
import { authorizeUrl, isConsentPage, isLoginPage, pkce, webRequest } from '../support/flow.js';
import { freePort } from '../support/free-port.js';
import { waitFor } from '../support/wait-for.js';
import {
  ALICE,
  CALLBACK,
  startProvider,
  type ProviderFixture,
} from '../support/provider-fixture.js';

/** Whether something on 127.0.0.1:port answers a Redis PING. */
function redisAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.setTimeout(500, () => (socket.destroy(), resolve(false)));
    socket.on('error', () => resolve(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => (socket.destroy(), resolve(data.toString().startsWith('+PONG'))));
  });
}

/** A throwaway redis-server on a free loopback port, nothing kept on disk. */
async function startRedis(): Promise<{ port: number; process: ChildProcess }> {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  await waitFor(() => redisAnswers(port), 'redis-server to answer');
  return { port, process: child };
}

const signedIn = (page: Page) => page.redirectedTo !== undefined || isConsentPage(page);

for (const provider of providers) {
  describe(`Redis unreachable: logins go on with per-process counters (${provider})`, () => {
    let op: ProviderFixture | undefined;
    let redis: { port: number; process: ChildProcess } | undefined;
    after(async () => {
      await op?.close();
      if (redis && redis.process.exitCode === null && redis.process.signalCode === null) {
        redis.process.kill('SIGKILL');
        await once(redis.process, 'exit');
      }
    });

    async function attempt(issuer: string, from: string, password: string) {
      const browser = new TestBrowser({ from });
      const page = await browser.navigate(
        authorizeUrl(issuer, webRequest(pkce().challenge)),
        CALLBACK,
      );
      assert.ok(isLoginPage(page), `expected the login page, got ${page.status}`);
      return browser.submit(page, { username: ALICE.email, password }, CALLBACK);
    }

    const readiness = async (issuer: string) => {
      const response = await fetch(`${issuer}/readyz`);
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };

    test('issue 29 item 12: Redis killed under a running server: sign-ins work, a warning is logged, /readyz names redis as down', async () => {
      redis = await startRedis();
      op = await startProvider(provider, {
        IDP_REDIS_URL: `redis://127.0.0.1:${redis.port}`,
        IDP_LOGIN_FAILURES_PER_ACCOUNT: '2',
      });
      await waitFor(
        async () => (await readiness(op!.issuer)).body.redis === 'up',
        'redis up in /readyz',
      );
      assert.deepEqual(await readiness(op.issuer), {
        status: 200,
        body: { status: 'ready', redis: 'up' },
      });
      assert.ok(signedIn(await attempt(op.issuer, '127.0.0.2', ALICE.password)));

      redis.process.kill('SIGKILL');
      await once(redis.process, 'exit');

      assert.ok(
        signedIn(await attempt(op.issuer, '127.0.0.2', ALICE.password)),
        'a sign-in with Redis gone',
      );
      // The insurance counters still throttle: two failures, then this address is refused.
      assert.equal((await attempt(op.issuer, '127.0.0.3', 'wrong password')).status, 401);
      assert.equal((await attempt(op.issuer, '127.0.0.3', 'wrong password')).status, 401);
      assert.equal((await attempt(op.issuer, '127.0.0.3', ALICE.password)).status, 429);

      const warning = op.server
        .logLines()
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .find((event) => event.event === 'redis.down');
      assert.ok(warning, 'a warning names Redis as unreachable');
      assert.equal(warning.level, 40);
      // Still in the load balancer: only the sharing of counters across instances is lost.
      assert.deepEqual(await readiness(op.issuer), {
        status: 200,
        body: { status: 'degraded', redis: 'down' },
      });
      await op.close();
      op = undefined;
    });

    test('issue 29 item 12: IDP_REDIS_URL where nothing listens: the server starts and signs people in', async () => {
      const port = await freePort();
      op = await startProvider(provider, { IDP_REDIS_URL: `redis://127.0.0.1:${port}` });
      assert.ok(signedIn(await attempt(op.issuer, '127.0.0.4', ALICE.password)));
      assert.equal((await attempt(op.issuer, '127.0.0.4', 'wrong password')).status, 401);
      assert.deepEqual(await readiness(op.issuer), {
        status: 200,
        body: { status: 'degraded', redis: 'down' },
      });
      assert.ok(op.server.logLines().some((line) => line.includes('"event":"redis.down"')));
      await op.close();
      op = undefined;
    });
  });
}
