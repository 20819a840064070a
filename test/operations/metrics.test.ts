import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';
import { startTcpProxy, type TcpProxy } from '@idp/db/testing';
import * as oidc from 'openid-client';
import { TestBrowser } from '../support/browser.js';
import {
  authorizeUrl,
  basic,
  isLoginPage,
  loginTokens,
  pkce,
  signIn,
  webRequest,
} from '../support/flow.js';
import { providers, scratchDatabase } from '../support/databases.js';
import { isolatedEnvironment, keyEncryptionKey } from '../support/environment.js';
import { freePort } from '../support/free-port.js';
import { listeningPorts } from '../support/listening-ports.js';
import { addBackchannelClient } from '../support/backchannel-client.js';
import { startLogoutReceiver, type LogoutReceiver } from '../support/logout-receiver.js';
import { idp, spawnServer, type SpawnedServer } from '../support/processes.js';
import { parsePrometheusText, type Scrape } from '../support/prometheus-text.js';
import {
  ALICE,
  CALLBACK,
  startProvider,
  WEB_SECRET,
  type ProviderFixture,
} from '../support/provider-fixture.js';
import { waitFor } from '../support/wait-for.js';

const BOB = { email: 'bob@example.com', password: 'bob has a long password' };

async function scrape(port: number): Promise<Scrape> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(await response.text());
}

/** How much each series moved between two scrapes (absent before counts as 0). */
const delta = (before: Scrape, after: Scrape, name: string, labels: Record<string, string>) =>
  (after.value(name, labels) ?? 0) - (before.value(name, labels) ?? 0);

for (const provider of providers) {
  describe(`Prometheus metrics on IDP_METRICS_PORT, ${provider}`, () => {
    let op: ProviderFixture;
    let metricsPort: number;
    let config: oidc.Configuration;
    let receiver: LogoutReceiver;

    before(async () => {
      metricsPort = await freePort();
      receiver = await startLogoutReceiver({ '/up': 'ok', '/down': 'down' });
      // Two failures per account and source, so that a third attempt is throttled.
      op = await startProvider(provider, {
        IDP_METRICS_PORT: String(metricsPort),
        IDP_LOGIN_FAILURES_PER_ACCOUNT: '2',
        IDP_KEY_REFRESH_INTERVAL: '1s',
        // The logout receiver listens on loopback: allowed for outbound requests here only.
        IDP_OUTBOUND_ALLOWED_HOSTS: '127.0.0.1',
      });
      config = await oidc.discovery(
        new URL(op.issuer),
        'web',
        undefined,
        oidc.ClientSecretBasic(WEB_SECRET),
        { execute: [oidc.allowInsecureRequests] },
      );
    });
    after(async () => {
      await op?.close();
      await receiver?.close();
    });

    test('a login, a code exchange, a refresh, a reuse and failed logins move their counters by exactly that much', async () => {
      const start = await scrape(metricsPort);
      const browser = new TestBrowser();
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: CALLBACK,
        scope: 'openid profile email',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
      });
      let page = await browser.navigate(url.href, CALLBACK);
      page = await browser.submit(
        page,
        { username: ALICE.email, password: 'not her password' },
        CALLBACK,
      );
      assert.equal(page.status, 401, 'a wrong password shows the login page again');
      page = await browser.submit(
        page,
        { username: 'nobody@example.com', password: 'whatever it is' },
        CALLBACK,
      );
      assert.equal(page.status, 401);
      page = await browser.submit(
        page,
        { username: BOB.email, password: 'not his password' },
        CALLBACK,
      );
      page = await browser.submit(
        page,
        { username: BOB.email, password: 'still not his password' },
        CALLBACK,
      );
      page = await browser.submit(page, { username: BOB.email, password: BOB.password }, CALLBACK);
      assert.equal(page.status, 429, 'the third attempt for bob from this address is throttled');
      // A fresh page: the throttle page carries no form.
      page = await browser.navigate(url.href, CALLBACK);
      page = await browser.submit(
        page,
        { username: ALICE.email, password: ALICE.password },
        CALLBACK,
      );
      page = await browser.submit(page, {}, CALLBACK, { name: 'decision', value: 'allow' });
      assert.ok(page.redirectedTo, `reached the client: ${page.status}`);
      const callback = new URL(page.redirectedTo);

      const tokens = await oidc.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: verifier,
        expectedState: state,
      });
      const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
      assert.ok(refreshed.access_token);
      // The rotated token again: reuse detection revokes the family (RFC 9700 4.14.2).
      const reuse = await oidc.refreshTokenGrant(config, tokens.refresh_token!).then(
        () => assert.fail('a reused refresh token must be refused'),
        (error: unknown) => error,
      );
      assert.ok(
        reuse instanceof oidc.ResponseBodyError && reuse.error === 'invalid_grant',
        String(reuse),
      );
      const unmatchedPath = `/no-such-page/${randomBytes(12).toString('hex')}`;
      assert.equal(
        (await fetch(`${op.issuer}${unmatchedPath}?code=${randomBytes(8).toString('hex')}`)).status,
        404,
      );

      const end = await scrape(metricsPort);
      const moved = (name: string, labels: Record<string, string>) =>
        delta(start, end, name, labels);
      assert.equal(moved('idp_logins_total', { outcome: 'success' }), 1);
      assert.equal(moved('idp_logins_total', { outcome: 'wrong_password' }), 3);
      assert.equal(moved('idp_logins_total', { outcome: 'unknown_account' }), 1);
      assert.equal(moved('idp_logins_total', { outcome: 'throttled' }), 1);
      assert.equal(moved('idp_logins_total', { outcome: 'disabled' }), 0);
      assert.equal(moved('idp_logins_total', { outcome: 'malformed' }), 0);
      assert.equal(
        moved('idp_tokens_issued_total', { grant_type: 'authorization_code', client_id: 'web' }),
        1,
      );
      assert.equal(
        moved('idp_tokens_issued_total', { grant_type: 'refresh_token', client_id: 'web' }),
        1,
      );
      assert.equal(moved('idp_refresh_token_reuse_detected_total', { client_id: 'web' }), 1);

      // Requests by route pattern and status, with the latency histogram counting the same.
      const token200 = { method: 'POST', route: '/token', status_code: '200' };
      assert.equal(moved('idp_http_requests_total', token200), 2);
      assert.equal(moved('idp_http_request_duration_seconds_count', token200), 2);
      assert.equal(
        moved('idp_http_request_duration_seconds_bucket', { ...token200, le: '+Inf' }),
        2,
      );
      assert.ok(moved('idp_http_request_duration_seconds_sum', token200) > 0);
      assert.equal(
        moved('idp_http_requests_total', { method: 'POST', route: '/token', status_code: '400' }),
        1,
      );
      assert.equal(
        moved('idp_http_requests_total', { method: 'POST', route: '/login', status_code: '401' }),
        4,
      );
      assert.equal(
        moved('idp_http_requests_total', { method: 'POST', route: '/login', status_code: '429' }),
        1,
      );
      assert.equal(
        moved('idp_http_requests_total', {
          method: 'GET',
          route: '/authorize',
          status_code: '200',
        }),
        2,
      );
      assert.equal(
        moved('idp_http_requests_total', { method: 'GET', route: 'unmatched', status_code: '404' }),
        1,
      );

      // Labels are route patterns and registered client ids: no URL, token, code, secret or email.
      const secrets = [
        tokens.refresh_token!,
        refreshed.refresh_token!,
        tokens.access_token,
        callback.searchParams.get('code')!,
        WEB_SECRET,
        ALICE.email,
        BOB.email,
        unmatchedPath,
      ];
      for (const sample of end.samples) {
        for (const value of Object.values(sample.labels)) {
          for (const secret of secrets)
            assert.ok(!value.includes(secret), `${sample.name} label ${value}`);
        }
        if (sample.labels.route !== undefined)
          assert.match(
            sample.labels.route,
            /^(unmatched|\/[^?]*)$/,
            `route label ${sample.labels.route}`,
          );
      }
    });

    test('signing keys: ages and the time to the next transition, computed at scrape from the key ring', async () => {
      const first = await scrape(metricsPort);
      const keys = first.series('idp_signing_key_age_seconds');
      assert.equal(keys.length, 1, 'one key, created at start');
      assert.deepEqual({ ...keys[0]!.labels, kid: '' }, { kid: '', alg: 'RS256', state: 'active' });
      assert.ok(keys[0]!.labels.kid);
      assert.ok(keys[0]!.value >= 0 && keys[0]!.value < 600, `age ${keys[0]!.value}`);
      assert.deepEqual(
        first.series('idp_signing_key_next_transition_seconds'),
        [],
        'no transition scheduled: no series',
      );

      // A routine rotation publishes a key that signs after IDP_JWKS_MAX_AGE (10m by default).
      const rotated = await idp(['keys', 'rotate'], op.env);
      assert.equal(rotated.code, 0, rotated.stderr);
      let metrics = first;
      await waitFor(
        async () =>
          (metrics = await scrape(metricsPort)).series('idp_signing_key_age_seconds', {
            state: 'pending',
          }).length === 1,
        'the pending key in the key ring',
      );
      const next = metrics.value('idp_signing_key_next_transition_seconds', { alg: 'RS256' })!;
      assert.ok(next > 500 && next <= 600, `next transition in ${next} s`);
      const active = metrics.series('idp_signing_key_age_seconds', { state: 'active' });
      assert.equal(active.length, 1);
      assert.ok(active[0]!.value >= keys[0]!.value, 'the active key has aged');
    });

    test('process health: event-loop lag (default metrics, idp_ prefix) and outage counters from zero', async () => {
      const metrics = await scrape(metricsPort);
      assert.equal(metrics.types.get('idp_nodejs_eventloop_lag_seconds'), 'gauge');
      assert.ok(metrics.value('idp_nodejs_eventloop_lag_seconds')! >= 0);
      assert.equal(metrics.value('idp_database_unavailable_total', { context: 'request' }), 0);
      assert.equal(metrics.value('idp_database_unavailable_total', { context: 'background' }), 0);
      assert.equal(metrics.value('idp_redis_errors_total'), 0);
      assert.equal(metrics.series('idp_redis_up').length, 0, 'no Redis configured');
    });

    test('Back-Channel Logout 1.0 2.8: idp_backchannel_logout_deliveries_total counts one delivered and one failed delivery by outcome', async () => {
      // Two RPs of one browser session: one answers 200, the other 503 to every attempt.
      const secrets = new Map<string, string>();
      for (const [clientId, path] of [
        ['rp-up', '/up'],
        ['rp-down', '/down'],
      ] as const) {
        const logoutUri = receiver.url(path);
        secrets.set(
          clientId,
          await addBackchannelClient(op, clientId, logoutUri, {
            scope: 'openid',
            sessionRequired: false,
          }),
        );
      }
      const start = await scrape(metricsPort);
      const browser = new TestBrowser();
      let logoutUrl: URL | undefined;
      for (const clientId of ['rp-up', 'rp-down']) {
        const rp = await oidc.discovery(
          new URL(op.issuer),
          clientId,
          undefined,
          oidc.ClientSecretBasic(secrets.get(clientId)!),
          { execute: [oidc.allowInsecureRequests] },
        );
        const verifier = oidc.randomPKCECodeVerifier();
        const url = oidc.buildAuthorizationUrl(rp, {
          redirect_uri: CALLBACK,
          scope: 'openid',
          code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
          code_challenge_method: 'S256',
        });
        const { callback } = await signIn(browser, url.href);
        const tokens = await oidc.authorizationCodeGrant(rp, callback, {
          pkceCodeVerifier: verifier,
          idTokenExpected: true,
        });
        logoutUrl = oidc.buildEndSessionUrl(rp, { id_token_hint: tokens.id_token! });
      }
      const logout = await browser.navigate(logoutUrl!.href, CALLBACK);
      assert.equal(logout.status, 200);

      // A failure is counted once, when the last retry has failed (2.8: the OP may retry).
      let end = start;
      await waitFor(
        async () =>
          delta(
            start,
            (end = await scrape(metricsPort)),
            'idp_backchannel_logout_deliveries_total',
            { outcome: 'failed' },
          ) > 0,
        'the failed delivery counted',
        30_000,
      );
      const moved = (outcome: string) =>
        delta(start, end, 'idp_backchannel_logout_deliveries_total', { outcome });
      assert.equal(receiver.received('/up').length, 1);
      assert.equal(receiver.received('/down').length, 4, 'every attempt made before counting');
      assert.equal(moved('delivered'), 1);
      assert.equal(moved('failed'), 1);
      assert.equal(moved('rejected'), 0);
      assert.equal(
        end.series('idp_backchannel_logout_deliveries_total').length,
        3,
        'one series per outcome, no other label',
      );
    });

    test('metrics are served only on their own port: the public port has no /metrics', async () => {
      const response = await fetch(`${op.issuer}/metrics`);
      assert.equal(response.status, 404);
      assert.doesNotMatch(await response.text(), /idp_/);
      const ports = await listeningPorts(op.server.process.pid!);
      assert.deepEqual([...ports].sort(), [Number(new URL(op.issuer).port), metricsPort].sort());
    });
  });
}

describe('without IDP_METRICS_PORT', () => {
  let database: Awaited<ReturnType<typeof scratchDatabase>>;
  let server: SpawnedServer;

  before(async () => {
    database = await scratchDatabase('sqlite');
    server = await spawnServer(
      await isolatedEnvironment({
        DATABASE_URL: database.url,
        IDP_KEY_ENCRYPTION_KEY: keyEncryptionKey(),
      }),
    );
  });
  after(async () => {
    await server?.stop();
    await database?.drop();
  });

  test('no metrics listener is opened and the public port has no /metrics', async () => {
    assert.equal((await fetch(`${server.url}/metrics`)).status, 404);
    const ports = await listeningPorts(server.process.pid!);
    assert.deepEqual(
      [...ports],
      [Number(new URL(server.url).port)],
      'the server listens on its own port only',
    );
    assert.ok(!server.output().includes('serving metrics'));
  });
});

describe("IDP_METRICS_PORT with IDP_WORKERS=2: the primary serves the workers' metrics aggregated", () => {
  let database: Awaited<ReturnType<typeof scratchDatabase>>;
  let server: SpawnedServer;
  let env: Record<string, string>;
  let metricsPort: number;

  before(async () => {
    database = await scratchDatabase('sqlite');
    metricsPort = await freePort();
    env = await isolatedEnvironment({
      DATABASE_URL: database.url,
      IDP_KEY_ENCRYPTION_KEY: keyEncryptionKey(),
      IDP_WORKERS: '2',
      IDP_METRICS_PORT: String(metricsPort),
      IDP_KEY_REFRESH_INTERVAL: '1s',
    });
    server = await spawnServer(env);
  });
  after(async () => {
    await server?.stop();
    await database?.drop();
  });

  test('counters are summed over the workers', async () => {
    const jwks = { method: 'GET', route: '/.well-known/jwks.json', status_code: '200' };
    const start = await scrape(metricsPort);
    await Promise.all(
      Array.from({ length: 20 }, async () =>
        (await fetch(`${server.url}/.well-known/jwks.json`)).arrayBuffer(),
      ),
    );
    const end = await scrape(metricsPort);
    assert.equal(delta(start, end, 'idp_http_requests_total', jwks), 20);
    assert.ok(end.value('idp_nodejs_eventloop_lag_seconds')! >= 0);
  });

  test("key gauges are one worker's view, not a sum: a rotation pending for IDP_JWKS_MAX_AGE (10m)", async () => {
    const rotated = await idp(['keys', 'rotate'], env);
    assert.equal(rotated.code, 0, rotated.stderr);
    // Each worker re-reads the keys every second and answers with its own view; over the next
    // 3 s every scrape must show one worker's value (about 600 s), never a sum (about 1200 s).
    let metrics: Scrape | undefined;
    await waitFor(
      async () =>
        (metrics = await scrape(metricsPort)).series('idp_signing_key_age_seconds', {
          state: 'pending',
        }).length === 1,
      "the pending key in a worker's key ring",
    );
    const watchUntil = Date.now() + 3000;
    const seen: number[] = [];
    while (Date.now() < watchUntil) {
      metrics = await scrape(metricsPort);
      const next = metrics.value('idp_signing_key_next_transition_seconds', { alg: 'RS256' });
      if (next !== undefined) seen.push(next);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(
      seen.length > 0 && seen.every((next) => next > 500 && next <= 600),
      `next transition values ${seen.join(', ')} (a sum over 2 workers would be about 1200)`,
    );
    const pending = metrics!.series('idp_signing_key_age_seconds', { state: 'pending' })[0]!;
    assert.ok(pending.value >= 0 && pending.value < 60, `pending key age ${pending.value}`);
    assert.equal(metrics!.series('idp_signing_key_age_seconds', { state: 'active' }).length, 1);
  });

  test('only the primary listens on the metrics port', async () => {
    const ports = await listeningPorts(server.process.pid!);
    assert.ok(ports.has(metricsPort), `primary listens on ${[...ports].join(', ')}`);
  });
});

describe('outages are counted: PostgreSQL stalled, Redis unreachable', () => {
  let proxy: TcpProxy;
  let op: ProviderFixture;
  let metricsPort: number;
  let redisPort: number;
  let redis: ChildProcess | undefined;

  before(async () => {
    proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
    metricsPort = await freePort();
    redisPort = await freePort();
    op = await startProvider(
      'postgresql',
      {
        IDP_METRICS_PORT: String(metricsPort),
        IDP_DATABASE_TIMEOUT: '2s',
        IDP_KEY_REFRESH_INTERVAL: '1s',
        IDP_REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      },
      { route: (url) => proxy.via(url) },
    );
  });
  after(async () => {
    proxy?.resume();
    await op?.close();
    await proxy?.close();
    if (redis && redis.exitCode === null && redis.signalCode === null) {
      redis.kill('SIGKILL');
      await once(redis, 'exit');
    }
  });

  test('each request answered 503 for a stalled database counts once; periodic refreshes count as background', async () => {
    const browser = new TestBrowser();
    const { refresh_token: refreshToken } = await loginTokens(browser, op.issuer, {
      scope: 'openid offline_access',
    });
    const signIn = new TestBrowser();
    const loginPage = await signIn.navigate(
      authorizeUrl(op.issuer, webRequest(pkce().challenge)),
      CALLBACK,
    );
    assert.ok(isLoginPage(loginPage));
    const start = await scrape(metricsPort);
    proxy.pause();
    try {
      const refreshed = await fetch(`${op.issuer}/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: basic('web', WEB_SECRET),
        },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: refreshToken!,
        }).toString(),
      });
      assert.equal(refreshed.status, 503, 'the token endpoint (JSON error handler)');
      const page = await signIn.submit(
        loginPage,
        { username: ALICE.email, password: ALICE.password },
        CALLBACK,
      );
      assert.equal(page.status, 503, 'the login page (page error handler)');
      // Served while the database is down: the metrics listener reads no database.
      const during = await scrape(metricsPort);
      assert.equal(
        delta(start, during, 'idp_database_unavailable_total', { context: 'request' }),
        2,
      );
      assert.equal(
        delta(start, during, 'idp_http_requests_total', {
          method: 'POST',
          route: '/token',
          status_code: '503',
        }),
        1,
      );
      assert.equal(
        delta(start, during, 'idp_http_requests_total', {
          method: 'POST',
          route: '/login',
          status_code: '503',
        }),
        1,
      );
      await waitFor(
        async () =>
          delta(start, await scrape(metricsPort), 'idp_database_unavailable_total', {
            context: 'background',
          }) >= 1,
        'a key ring or client cache refresh to fail',
      );
    } finally {
      proxy.resume();
    }
  });

  test('Redis: connection errors counted and idp_redis_up 0 while it is down, 1 once it answers', async () => {
    await waitFor(
      async () => ((await scrape(metricsPort)).value('idp_redis_errors_total') ?? 0) >= 1,
      'a Redis connection error',
    );
    assert.equal((await scrape(metricsPort)).value('idp_redis_up'), 0);
    redis = spawn(
      'redis-server',
      ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    // ioredis retries with a growing delay of at most 5 s.
    await waitFor(
      async () => (await scrape(metricsPort)).value('idp_redis_up') === 1,
      'the Redis connection to be ready',
      20_000,
    );
  });
});
