import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import * as oidc from 'openid-client';
import { launchChromium } from '../support/chromium.js';
import { TestBrowser } from '../support/browser.js';
import { providers } from '../support/databases.js';
import { signIn } from '../support/flow.js';
import { addBackchannelClient } from '../support/backchannel-client.js';
import { startLogoutReceiver, type LogoutReceiver } from '../support/logout-receiver.js';
import { idp } from '../support/processes.js';
import {
  ALICE,
  CALLBACK,
  SIGNED_OUT,
  startProvider,
  type ProviderFixture,
} from '../support/provider-fixture.js';
import { waitFor } from '../support/wait-for.js';

const EVENT = 'http://schemas.openid.net/event/backchannel-logout';
const ADMIN_TOKEN = 'backchannel-logout-admin-token-0123456789';

for (const provider of providers) {
  describe(`back-channel logout on ${provider}`, () => {
    let op: ProviderFixture;
    let receiver: LogoutReceiver;
    const secrets = new Map<string, string>();

    before(async () => {
      receiver = await startLogoutReceiver({
        '/a': 'ok',
        '/b': 'ok',
        '/flaky': 'fail-once',
        '/slow': 'slow',
        '/cli': 'ok',
        '/admin': 'ok',
      });
      // The receiver listens on loopback: allowed for the server's outbound requests here only.
      op = await startProvider(provider, {
        IDP_OUTBOUND_ALLOWED_HOSTS: '127.0.0.1',
        IDP_ADMIN_TOKEN: ADMIN_TOKEN,
      });
      const front = await idp(
        [
          'clients',
          'add',
          'rp-front',
          '--redirect-uri',
          CALLBACK,
          '--post-logout-redirect-uri',
          SIGNED_OUT,
          '--scope',
          'openid profile',
          '--frontchannel-logout-uri',
          receiver.url('/front?tenant=1'),
          '--frontchannel-logout-session-required',
        ],
        op.env,
      );
      assert.equal(front.code, 0, front.stderr);
      secrets.set('rp-front', /client_secret: (\S+)/.exec(front.stdout)![1]!);
      for (const [clientId, path, sessionRequired] of [
        ['rp-a', '/a', true],
        ['rp-b', '/b', false],
        ['rp-flaky', '/flaky', true],
        ['rp-slow', '/slow', true],
        ['rp-cli', '/cli', true],
        ['rp-admin', '/admin', true],
      ] as const) {
        const logoutUri = receiver.url(path);
        secrets.set(
          clientId,
          await addBackchannelClient(op, clientId, logoutUri, { sessionRequired }),
        );
      }
    });
    after(async () => {
      await op?.close();
      await receiver?.close();
    });

    async function configFor(clientId: string) {
      return oidc.discovery(
        new URL(op.issuer),
        clientId,
        undefined,
        oidc.ClientSecretBasic(secrets.get(clientId)!),
        { execute: [oidc.allowInsecureRequests] },
      );
    }

    /** One RP's login through openid-client in `browser` (signing in if the browser is not). */
    async function rpLogin(
      browser: TestBrowser,
      clientId: string,
      user?: { email: string; password: string },
    ) {
      const config = await configFor(clientId);
      const verifier = oidc.randomPKCECodeVerifier();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: CALLBACK,
        scope: 'openid profile',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        nonce,
      });
      const { callback } = await signIn(browser, url.href, user ? { user } : {});
      const tokens = await oidc.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: verifier,
        expectedNonce: nonce,
        idTokenExpected: true,
      });
      return { config, tokens, claims: tokens.claims()! };
    }

    /** Verifies a logout token as an RP must (Back-Channel Logout 1.0 2.6), against our JWKS. */
    async function verifyLogoutToken(token: string, clientId: string): Promise<JWTPayload> {
      const jwks = createRemoteJWKSet(new URL(`${op.issuer}/.well-known/jwks.json`));
      const { payload, protectedHeader } = await jwtVerify(token, jwks, {
        issuer: op.issuer,
        audience: clientId,
        // 2.4: typ logout+jwt, so that it cannot be confused with another JWT.
        typ: 'logout+jwt',
        maxTokenAge: '2 minutes',
      });
      assert.ok(protectedHeader.kid, 'signed with a published key');
      assert.equal(protectedHeader.alg, 'RS256', "the client's ID token algorithm");
      // 2.4: events MUST hold the back-channel logout event, whose value is a JSON object.
      assert.deepEqual(payload.events, { [EVENT]: {} });
      // 2.4: a logout token MUST NOT contain a nonce.
      assert.equal('nonce' in payload, false);
      assert.ok(typeof payload.jti === 'string' && payload.jti.length > 0, '2.4: jti REQUIRED');
      assert.ok(payload.iat !== undefined && payload.exp !== undefined);
      assert.ok(payload.exp - payload.iat <= 120, 'short-lived');
      return payload;
    }

    test("2.5: two RPs of one browser session each get exactly one logout token, with the ID tokens' sid", async () => {
      const browser = new TestBrowser();
      const a = await rpLogin(browser, 'rp-a');
      const b = await rpLogin(browser, 'rp-b');
      assert.ok(a.claims.sid, 'ID tokens carry sid (Back-Channel Logout 1.0 2.1)');
      assert.equal(b.claims.sid, a.claims.sid, 'one browser session, one sid');

      const logout = oidc.buildEndSessionUrl(a.config, { id_token_hint: a.tokens.id_token! });
      const page = await browser.navigate(logout.href, CALLBACK);
      assert.equal(page.status, 200);
      assert.match(page.html, /signed out/);

      await waitFor(
        () => receiver.received('/a').length >= 1 && receiver.received('/b').length >= 1,
        'a logout token at each RP',
      );
      // Longer than any retry wait: a second token would have come by now.
      await sleep(1_500);
      const [toA] = receiver.received('/a');
      const [toB] = receiver.received('/b');
      assert.equal(receiver.received('/a').length, 1, 'exactly one per RP per ended session');
      assert.equal(receiver.received('/b').length, 1, 'exactly one per RP per ended session');
      for (const [delivery, rp, clientId] of [
        [toA!, a, 'rp-a'],
        [toB!, b, 'rp-b'],
      ] as const) {
        // 2.5: POSTed as a form, the token in logout_token.
        assert.equal(delivery.contentType, 'application/x-www-form-urlencoded');
        const payload = await verifyLogoutToken(delivery.token, clientId);
        assert.equal(payload.sid, rp.claims.sid, "sid as in the RP's ID token");
        assert.equal(payload.sub, rp.claims.sub);
      }
      assert.notEqual(
        (await verifyLogoutToken(toA!.token, 'rp-a')).jti,
        (await verifyLogoutToken(toB!.token, 'rp-b')).jti,
        'a fresh jti per token',
      );
      assert.equal(decodeProtectedHeader(toA!.token).typ, 'logout+jwt');

      // Logging out again (the session is gone) tells nobody anything more.
      await browser.navigate(logout.href, CALLBACK);
      await sleep(500);
      assert.equal(receiver.received('/a').length, 1);
    });

    test('a receiver that answers 500 gets the same logout again (same jti, freshly signed), and then it is delivered', async () => {
      const browser = new TestBrowser();
      const rp = await rpLogin(browser, 'rp-flaky');
      const logout = oidc.buildEndSessionUrl(rp.config, { id_token_hint: rp.tokens.id_token! });
      await browser.navigate(logout.href, CALLBACK);
      await waitFor(() => receiver.received('/flaky').length >= 2, 'a retry after the 500');
      await sleep(2_500);
      const posts = receiver.received('/flaky');
      assert.equal(posts.length, 2, 'retried once, then delivered: no more attempts');
      assert.ok(posts[1]!.at - posts[0]!.at >= 500, 'after a backoff');
      const first = await verifyLogoutToken(posts[0]!.token, 'rp-flaky');
      const payload = await verifyLogoutToken(posts[1]!.token, 'rp-flaky');
      // 2.4: one logout event, one jti, so an RP's replay check sees a retry as the same event.
      assert.equal(payload.jti, first.jti);
      assert.equal(payload.sid, rp.claims.sid);
    });

    test("the person's logout page does not wait for a slow receiver", async () => {
      const browser = new TestBrowser();
      const rp = await rpLogin(browser, 'rp-slow');
      const logout = oidc.buildEndSessionUrl(rp.config, { id_token_hint: rp.tokens.id_token! });
      const started = Date.now();
      const page = await browser.navigate(logout.href, CALLBACK);
      const took = Date.now() - started;
      assert.equal(page.status, 200);
      assert.ok(took < 2_000, `the logout page took ${took} ms`);
      await waitFor(() => receiver.received('/slow').length === 1, 'the token at the slow RP');
      assert.ok(receiver.received('/slow')[0]!.at - started < 2_000, 'sent at once');
    });

    test('`idp users sessions --revoke` and a password change tell the RPs of the ended sessions', async () => {
      const bob = { email: 'bob@example.com', password: 'bob has a long password' };
      const browser = new TestBrowser();
      const rp = await rpLogin(browser, 'rp-cli', bob);
      const revoked = await idp(['users', 'sessions', bob.email, '--revoke'], op.env);
      assert.equal(revoked.code, 0, revoked.stderr);
      assert.match(revoked.stdout, /back-channel logout to rp-cli: delivered/);
      assert.equal(receiver.received('/cli').length, 1);
      const payload = await verifyLogoutToken(receiver.received('/cli')[0]!.token, 'rp-cli');
      assert.equal(payload.sid, rp.claims.sid);
      assert.equal(payload.sub, rp.claims.sub);

      // A new session, ended by a password change.
      const again = await rpLogin(new TestBrowser(), 'rp-cli', bob);
      assert.notEqual(again.claims.sid, rp.claims.sid);
      const changed = await idp(['users', 'set-password', bob.email, '--password-stdin'], op.env, {
        stdin: `${bob.password}\n`,
      });
      assert.equal(changed.code, 0, changed.stderr);
      assert.equal(receiver.received('/cli').length, 2);
      const second = await verifyLogoutToken(receiver.received('/cli')[1]!.token, 'rp-cli');
      assert.equal(second.sid, again.claims.sid);
    });

    test('run without the kek file, `idp users sessions --revoke` refuses before ending what it could not tell the RPs of', async () => {
      const bob = { email: 'bob@example.com', password: 'bob has a long password' };
      const rp = await rpLogin(new TestBrowser(), 'rp-cli', bob);
      const heard = receiver.received('/cli').length;
      // No kek given, and run from another directory, so ./keys/kek is not there either: the
      // logout tokens could not be signed.
      const cwd = await mkdtemp(join(tmpdir(), 'idp-elsewhere-'));
      const env = { ...op.env };
      delete env.IDP_KEY_ENCRYPTION_KEY;
      delete env.IDP_KEYS_DIR;
      const result = await idp(['users', 'sessions', bob.email, '--revoke'], env, { cwd });
      assert.equal(result.code, 1, result.stdout);
      assert.match(result.stderr, /IDP_KEY_ENCRYPTION_KEY is unset/);
      const claims = await oidc.fetchUserInfo(rp.config, rp.tokens.access_token, rp.claims.sub);
      assert.equal(claims.sub, rp.claims.sub, 'the session and its tokens still stand');
      await sleep(500);
      assert.equal(receiver.received('/cli').length, heard, 'and no RP was told otherwise');
    });

    test('issue 32 item 3: the admin API tells the RPs of the sessions it ends (one, all, disable)', async () => {
      const admin = async (method: string, path: string, body?: unknown) => {
        const response = await fetch(`${op.issuer}/admin/api/v1${path}`, {
          method,
          headers: {
            authorization: `Bearer ${ADMIN_TOKEN}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        const text = await response.text();
        return { status: response.status, body: (text ? JSON.parse(text) : {}) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
      };
      const dora = { email: 'dora@example.com', password: 'dora has a long password' };
      const created = await admin('POST', '/users', { ...dora, claims: { name: 'Dora' } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const sub = created.body.sub as string;
      const received = () => receiver.received('/admin');
      const tokenFor = async (index: number, sid: unknown) => {
        await waitFor(() => received().length > index, `logout token ${index + 1} at the RP`);
        const payload = await verifyLogoutToken(received()[index]!.token, 'rp-admin');
        assert.equal(payload.sid, sid);
        assert.equal(payload.sub, sub);
      };

      // One session ended by the admin API.
      const first = await rpLogin(new TestBrowser(), 'rp-admin', dora);
      const sessions = (await admin('GET', `/users/${sub}/sessions`)).body.sessions as {
        id: string;
      }[];
      assert.equal(sessions.length, 1);
      const one = await admin('DELETE', `/users/${sub}/sessions/${sessions[0]!.id}`);
      assert.equal(one.status, 200, JSON.stringify(one.body));
      await tokenFor(0, first.claims.sid);

      // Every session of the user.
      const second = await rpLogin(new TestBrowser(), 'rp-admin', dora);
      assert.equal((await admin('DELETE', `/users/${sub}/sessions`)).status, 204);
      await tokenFor(1, second.claims.sid);

      // Disabling the user ends the sessions too.
      const third = await rpLogin(new TestBrowser(), 'rp-admin', dora);
      const disabled = await admin('POST', `/users/${sub}/disable`);
      assert.equal(disabled.status, 200, JSON.stringify(disabled.body));
      assert.equal(disabled.body.disabled, true);
      await tokenFor(2, third.claims.sid);

      // Nothing more: no session was left to end, so no client hears anything again.
      assert.equal((await admin('DELETE', `/users/${sub}/sessions`)).status, 204);
      await sleep(500);
      assert.equal(received().length, 3);
    });

    test('Front-Channel Logout 1.0 3: the logout page frames the RP with iss and sid, then goes on', async () => {
      const browser = new TestBrowser();
      const rp = await rpLogin(browser, 'rp-front');
      const logout = oidc.buildEndSessionUrl(rp.config, {
        id_token_hint: rp.tokens.id_token!,
        post_logout_redirect_uri: SIGNED_OUT,
        state: 'bye',
      });
      const page = await browser.navigate(logout.href, SIGNED_OUT);
      assert.equal(page.status, 200, 'a page first, not the redirect');
      const src = /<iframe src="([^"]+)"/.exec(page.html)?.[1]?.replaceAll('&amp;', '&');
      assert.ok(src, page.html.slice(0, 500));
      const framed = new URL(src);
      assert.equal(`${framed.origin}${framed.pathname}`, receiver.url('/front'));
      assert.equal(framed.searchParams.get('tenant'), '1', "the RP's own query kept");
      // 3: iss and sid, the sid as in the RP's ID token.
      assert.equal(framed.searchParams.get('iss'), op.issuer);
      assert.equal(framed.searchParams.get('sid'), rp.claims.sid);
      const csp = page.headers?.get('content-security-policy') ?? '';
      assert.match(csp, new RegExp(`frame-src ${receiver.url('')}(;|$)`));
      assert.match(csp, /script-src 'sha256-/);
      const next = /<a id="continue" href="([^"]+)"/.exec(page.html)?.[1]?.replaceAll('&amp;', '&');
      assert.equal(next, `${SIGNED_OUT}?state=bye`);
    });

    test('Front-Channel Logout 1.0 3 in Chromium: CSP lets the iframe load, then the RP gets the person back', async () => {
      const browser = await launchChromium();
      try {
        const page = await browser.newPage();
        // The RP's redirect targets, answered here instead of by the unreachable port 9.
        await page.route(`${CALLBACK}**`, (route) =>
          route.fulfill({ status: 200, contentType: 'text/html', body: 'callback' }),
        );
        await page.route(`${SIGNED_OUT}**`, (route) =>
          route.fulfill({ status: 200, contentType: 'text/html', body: 'signed out at the RP' }),
        );
        const config = await configFor('rp-front');
        const verifier = oidc.randomPKCECodeVerifier();
        const url = oidc.buildAuthorizationUrl(config, {
          redirect_uri: CALLBACK,
          scope: 'openid profile',
          code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
          code_challenge_method: 'S256',
        });
        await page.goto(url.href);
        await page.fill('input[name=username]', ALICE.email);
        await page.fill('input[name=password]', ALICE.password);
        await page.click('button[type=submit]');
        // Consent is asked unless an earlier test granted it already.
        const allow = page.locator('button[name=decision][value=allow]');
        const callback = page.waitForURL(`${CALLBACK}**`);
        await Promise.race([callback, allow.waitFor()]);
        if (!page.url().startsWith(CALLBACK)) await allow.click();
        await callback;
        const tokens = await oidc.authorizationCodeGrant(config, new URL(page.url()), {
          pkceCodeVerifier: verifier,
          idTokenExpected: true,
        });
        const sid = tokens.claims()!.sid;
        const before = receiver.receivedUnder('/front?').length;

        const logout = oidc.buildEndSessionUrl(config, {
          id_token_hint: tokens.id_token!,
          post_logout_redirect_uri: SIGNED_OUT,
          state: 'bye',
        });
        const cspViolations: string[] = [];
        page.on('console', (message) => {
          if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
        });
        await page.goto(logout.href);
        await page.waitForURL(`${SIGNED_OUT}**`, { timeout: 10_000 });
        assert.equal(new URL(page.url()).searchParams.get('state'), 'bye');
        const framed = receiver.receivedUnder('/front?').slice(before);
        assert.equal(framed.length, 1, 'the browser loaded the RP page in the iframe');
        assert.equal(new URL(framed[0]!.path, 'http://rp').searchParams.get('sid'), sid);
        assert.deepEqual(cspViolations, []);
      } finally {
        await browser.close();
      }
    });

    test('discovery advertises back-channel logout with sid', async () => {
      const document = (await (
        await fetch(`${op.issuer}/.well-known/openid-configuration`)
      ).json()) as Record<string, unknown>;
      assert.equal(document.backchannel_logout_supported, true);
      assert.equal(document.backchannel_logout_session_supported, true);
      assert.equal(document.frontchannel_logout_supported, true);
      assert.equal(document.frontchannel_logout_session_supported, true);
    });

    test('a back-channel logout URI over http to a host not allowed, or with a fragment, is refused', async () => {
      const plain = await idp(
        [
          'clients',
          'add',
          'rp-plain',
          '--redirect-uri',
          CALLBACK,
          '--backchannel-logout-uri',
          'http://rp.example/logout',
        ],
        op.env,
      );
      assert.notEqual(plain.code, 0);
      assert.match(plain.stderr, /backchannel_logout_uri: must be https/);
      const fragment = await idp(
        [
          'clients',
          'add',
          'rp-fragment',
          '--redirect-uri',
          CALLBACK,
          '--backchannel-logout-uri',
          'https://rp.example/logout#x',
        ],
        op.env,
      );
      assert.notEqual(fragment.code, 0);
      assert.match(fragment.stderr, /backchannel_logout_uri: .*fragment/);
    });
  });
}
