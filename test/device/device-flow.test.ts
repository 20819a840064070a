import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '@idp/config';
import { ManualClock } from '@idp/keys/testing';
import { createLogger, startServer, type RunningServer } from '@idp/server';
import * as oauth from 'oauth4webapi';
import * as oidc from 'openid-client';
import { TestBrowser, type Page } from '../support/browser.js';
import { providers, scratchDatabase, type Provider } from '../support/databases.js';
import { isolatedEnvironment, keyEncryptionKey } from '../support/environment.js';
import { isConsentPage, isLoginPage } from '../support/flow.js';
import { idp } from '../support/processes.js';
import { ALICE, seed, startProvider, type ProviderFixture } from '../support/provider-fixture.js';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const TV_SECRET = 'tv-client-secret-with-plenty-of-entropy-0123456789';
/** Nothing in this flow redirects to a client; navigation stops at no prefix. */
const NOWHERE = 'nowhere:';

/** A public device client and a confidential one, added through the CLI as an operator would. */
async function addDeviceClients(env: Record<string, string>): Promise<void> {
  const common = [
    '--grant-type',
    DEVICE_GRANT,
    '--grant-type',
    'refresh_token',
    '--scope',
    'openid profile offline_access',
  ];
  for (const args of [
    ['tv', '--name', 'Living Room TV', '--public'],
    ['tv-secret', '--name', 'Kiosk'],
  ]) {
    const added = await idp(['clients', 'add', ...args, ...common], env);
    assert.equal(added.code, 0, added.stderr);
  }
}

/** The secret `clients add` printed is random; a seed-like import sets a known one instead. */
async function setKnownSecret(env: Record<string, string>): Promise<void> {
  const file = join(tmpdir(), `device-seed-${randomBytes(6).toString('hex')}.json`);
  await writeFile(
    file,
    JSON.stringify({
      clients: [
        {
          client_id: 'tv-secret',
          client_name: 'Kiosk',
          client_secret: TV_SECRET,
          grant_types: [DEVICE_GRANT, 'refresh_token'],
          scope: 'openid profile offline_access',
        },
      ],
    }),
  );
  const imported = await idp(['import', file], env);
  assert.equal(imported.code, 0, imported.stderr);
}

/** Opens `url` (verification_uri_complete or verification_uri), enters `userCode` if given, and goes on to the next page. */
async function enterCode(browser: TestBrowser, url: string, userCode?: string): Promise<Page> {
  const entry = await browser.navigate(url, NOWHERE);
  assert.equal(entry.status, 200);
  assert.match(entry.html, /name="user_code"/);
  return browser.submit(entry, userCode === undefined ? {} : { user_code: userCode }, NOWHERE);
}

/** Signs in when asked, then answers the consent page with `decision`. */
async function decide(browser: TestBrowser, page: Page, decision: 'allow' | 'deny'): Promise<Page> {
  let current = page;
  if (isLoginPage(current))
    current = await browser.submit(
      current,
      { username: ALICE.email, password: ALICE.password },
      NOWHERE,
    );
  assert.ok(
    isConsentPage(current),
    `expected the consent page, got:\n${current.html.slice(0, 400)}`,
  );
  assert.match(
    current.html,
    /A device is asking through the code you entered/,
    'RFC 8628 5.4: the person is told a device asks',
  );
  return browser.submit(current, {}, NOWHERE, { name: 'decision', value: decision });
}

for (const provider of providers) {
  describe(`device authorization grant (RFC 8628) on ${provider}`, () => {
    let op: ProviderFixture;
    let as: oauth.AuthorizationServer;
    const options = { [oauth.allowInsecureRequests]: true };

    before(async () => {
      op = await startProvider(provider);
      await addDeviceClients(op.env);
      await setKnownSecret(op.env);
      as = await oauth.processDiscoveryResponse(
        new URL(op.issuer),
        await oauth.discoveryRequest(new URL(op.issuer), options),
      );
    });
    after(async () => op?.close());

    test('RFC 8628 4: discovery lists device_authorization_endpoint and the grant type', () => {
      assert.equal(as.device_authorization_endpoint, `${op.issuer}/device_authorization`);
      assert.ok(as.grant_types_supported?.includes(DEVICE_GRANT));
    });

    test("openid-client's device flow: initiate, approve on /device after signing in, poll for an ID token and a refresh token", async () => {
      const config = await oidc.discovery(new URL(op.issuer), 'tv', undefined, oidc.None(), {
        execute: [oidc.allowInsecureRequests],
      });
      const started = await oidc.initiateDeviceAuthorization(config, {
        scope: 'openid profile offline_access',
      });
      assert.match(
        started.user_code,
        /^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/,
        'RFC 8628 6.1: no vowels, no look-alikes',
      );
      assert.equal(started.verification_uri, `${op.issuer}/device`);
      assert.equal(
        started.verification_uri_complete,
        `${op.issuer}/device?user_code=${started.user_code}`,
      );
      assert.equal(started.expires_in, 600);
      assert.equal(started.interval, 5);

      // verification_uri_complete prefills the code; the person only confirms it.
      const browser = new TestBrowser();
      const entry = await browser.navigate(started.verification_uri_complete!, NOWHERE);
      assert.match(entry.html, new RegExp(`value="${started.user_code}"`));
      const next = await browser.submit(entry, {}, NOWHERE);
      assert.ok(isLoginPage(next), 'not signed in: the normal login page comes first');
      const done = await decide(browser, next, 'allow');
      assert.equal(done.status, 200);
      assert.match(done.html, /Go back to your device/);

      const tokens = await oidc.pollDeviceAuthorizationGrant(config, started);
      const claims = tokens.claims()!;
      assert.equal(claims.iss, op.issuer);
      assert.equal(claims.aud, 'tv');
      assert.equal(claims.name, ALICE.name);
      assert.ok(tokens.refresh_token, 'offline_access and the refresh grant: a refresh token');
      const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
      assert.equal(userinfo.sub, claims.sub);
      const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
      assert.ok(refreshed.access_token);

      // RFC 8628 3.5 / the code is single-use: once tokens were issued it is spent.
      const again = await fetch(`${op.issuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: DEVICE_GRANT,
          device_code: started.device_code,
          client_id: 'tv',
        }),
      });
      assert.equal(again.status, 400);
      assert.equal(((await again.json()) as { error: string }).error, 'invalid_grant');
    });

    test('oauth4webapi, confidential client: authorization_pending, slow_down when polled too fast, access_denied after deny', async () => {
      const client: oauth.Client = { client_id: 'tv-secret' };
      const auth = oauth.ClientSecretBasic(TV_SECRET);
      const started = await oauth.processDeviceAuthorizationResponse(
        as,
        client,
        await oauth.deviceAuthorizationRequest(
          as,
          client,
          auth,
          { scope: 'openid profile' },
          options,
        ),
      );
      const poll = async () => {
        try {
          await oauth.processDeviceCodeResponse(
            as,
            client,
            await oauth.deviceCodeGrantRequest(as, client, auth, started.device_code, options),
          );
          return 'tokens';
        } catch (error) {
          assert.ok(error instanceof oauth.ResponseBodyError, String(error));
          assert.equal(error.status, 400);
          return error.error;
        }
      };
      assert.equal(await poll(), 'authorization_pending');
      assert.equal(await poll(), 'slow_down', 'RFC 8628 3.5: a poll before the interval passed');

      const wrongSecret = await oauth.deviceAuthorizationRequest(
        as,
        client,
        oauth.ClientSecretBasic(`${TV_SECRET}x`),
        { scope: 'openid' },
        options,
      );
      assert.equal(
        wrongSecret.status,
        401,
        'RFC 8628 3.1: the client authenticates as at the token endpoint',
      );

      const browser = new TestBrowser();
      const next = await enterCode(
        browser,
        `${op.issuer}/device`,
        started.user_code.toLowerCase().replace('-', ''),
      );
      const denied = await decide(browser, next, 'deny');
      assert.equal(denied.status, 200);
      assert.match(denied.html, /denied/);
      assert.equal(await poll(), 'access_denied');
    });

    test('a wrong user code gets a plain-words page; repeated wrong codes are throttled; an answered code cannot be reused', async () => {
      const browser = new TestBrowser({ from: '127.0.0.3' });
      const wrong = await enterCode(browser, `${op.issuer}/device`, 'BCDF-GHJK');
      assert.equal(wrong.status, 400);
      assert.match(wrong.html, /That code is not valid/);
      for (let i = 0; i < 4; i += 1)
        await browser.submit(wrong, { user_code: 'QQQQ-QQQQ' }, NOWHERE);
      const blocked = await browser.submit(wrong, { user_code: 'QQQQ-QQQQ' }, NOWHERE);
      assert.equal(blocked.status, 429, 'five wrong codes per browser, then a wait');
      assert.match(blocked.html, /Too many/);
      assert.ok(Number(blocked.headers?.get('retry-after')) > 0);

      const client: oauth.Client = { client_id: 'tv' };
      const started = await oauth.processDeviceAuthorizationResponse(
        as,
        client,
        await oauth.deviceAuthorizationRequest(
          as,
          client,
          oauth.None(),
          { scope: 'openid' },
          options,
        ),
      );
      const person = new TestBrowser();
      await decide(person, await enterCode(person, started.verification_uri_complete!), 'allow');
      const reused = await enterCode(person, started.verification_uri_complete!);
      assert.equal(reused.status, 400);
      assert.match(reused.html, /already used/);
    });

    test('RFC 8628 3.1: a client not registered for the grant is refused', async () => {
      const client: oauth.Client = { client_id: 'web' };
      const response = await oauth.deviceAuthorizationRequest(
        as,
        client,
        oauth.ClientSecretBasic(seed.clients[0]!.client_secret!),
        { scope: 'openid' },
        options,
      );
      assert.equal(response.status, 400);
      assert.equal(((await response.json()) as { error: string }).error, 'unauthorized_client');
    });
  });
}

/** An in-process server with a clock the test moves, for expiry. */
async function serverWithClock(provider: Provider, clock: ManualClock) {
  const database = await scratchDatabase(provider);
  const env = await isolatedEnvironment({
    DATABASE_URL: database.url,
    IDP_KEY_ENCRYPTION_KEY: keyEncryptionKey(),
    IDP_ISSUER: 'http://127.0.0.1:1',
    PORT: '0',
    HOST: '127.0.0.1',
  });
  const file = join(tmpdir(), `seed-${randomBytes(6).toString('hex')}.json`);
  await writeFile(file, JSON.stringify(seed));
  assert.equal((await idp(['import', file], env)).code, 0);
  await addDeviceClients(env);
  const server = await startServer(loadConfig(env), { clock, logger: createLogger('silent') });
  return { server, database };
}

for (const provider of providers) {
  describe(`device codes expire (RFC 8628 3.2 expires_in) on ${provider}`, () => {
    const clock = new ManualClock(Date.now());
    let running: { server: RunningServer; database: Awaited<ReturnType<typeof scratchDatabase>> };

    before(async () => {
      running = await serverWithClock(provider, clock);
    });
    after(async () => {
      await running?.server.app.close();
      await running?.database.drop();
    });

    test('an expired user code gets a plain-words page and the device hears expired_token', async () => {
      const url = running.server.url;
      const started = (await (
        await fetch(`${url}/device_authorization`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ client_id: 'tv', scope: 'openid' }),
        })
      ).json()) as { device_code: string; user_code: string };
      clock.advance(600_000);
      const browser = new TestBrowser();
      const page = await enterCode(browser, `${url}/device?user_code=${started.user_code}`);
      assert.equal(page.status, 400);
      assert.match(page.html, /This code has expired/);
      const polled = await fetch(`${url}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: DEVICE_GRANT,
          device_code: started.device_code,
          client_id: 'tv',
        }),
      });
      assert.equal(polled.status, 400);
      assert.equal(((await polled.json()) as { error: string }).error, 'expired_token');
    });
  });
}
