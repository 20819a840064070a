import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { TestBrowser } from '../support/browser.js';
import { providers } from '../support/databases.js';
import { signIn } from '../support/flow.js';
import { idp } from '../support/processes.js';
import {
  ALICE,
  CALLBACK,
  startProvider,
  type ProviderFixture,
} from '../support/provider-fixture.js';

/**
 * Issue 34 items 2 and 3 in Debian's Chromium: an administrator (role granted by the CLI) signs
 * in to the console at /admin through the server's own login page (the console is an OIDC
 * client of its own issuer), registers a client, edits its redirect URIs, completes an
 * openid-client login with it, rotates a key and sees the timeline and the JWKS change, and
 * ends a user's sessions so that their refresh token is refused. Each page is screenshot into
 * /tmp/shots/console-*.png.
 */
const BOB = { email: 'bob@example.com', password: 'bob has a long password' };
const shot = (page: Page, name: string, provider: string) =>
  page.screenshot({
    path: `/tmp/shots/console-${name}${provider === 'sqlite' ? '' : `-${provider}`}.png`,
    fullPage: true,
  });

for (const provider of providers) {
  describe(`admin console in Chromium on ${provider}`, () => {
    let op: ProviderFixture;
    let browser: Browser | undefined;

    before(async () => {
      op = await startProvider(provider);
      const granted = await idp(['users', 'grant-admin', ALICE.email], op.env);
      assert.equal(granted.code, 0, granted.stderr);
      assert.match(granted.stdout, /is an administrator/);
      browser = await launchChromium();
    });

    after(async () => {
      await browser?.close();
      await op?.close();
    });

    test(
      'an admin signs in through the login page, manages a client, keys and sessions',
      { timeout: 120_000 },
      async () => {
        assert.ok(browser);
        const context = await browser.newContext();
        const page = await context.newPage();
        page.setDefaultTimeout(15_000);
        const problems: string[] = [];
        page.on('console', (message) => {
          if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico'))
            problems.push(`console: ${message.text()}`);
        });

        // The console sends the browser to this server's own login page (authorization code + PKCE).
        await page.goto(`${op.issuer}/admin`);
        assert.equal(new URL(page.url()).pathname, '/authorize', await page.content());
        await shot(page, 'login', provider);
        await page.fill('input[name="username"]', ALICE.email);
        await page.fill('input[name="password"]', ALICE.password);
        await Promise.all([
          page.waitForURL(`${op.issuer}/admin/clients`),
          page.click('button[type="submit"]'),
        ]);
        assert.equal(await page.textContent('h1'), 'Clients');
        assert.match((await page.textContent('header'))!, /Signed in as alice@example\.com/);
        const cookie = (await context.cookies()).find((c) => c.name === 'idp_admin');
        assert.ok(cookie?.httpOnly, 'the console session cookie is HttpOnly');
        assert.equal(cookie?.sameSite, 'Lax');
        await shot(page, 'clients', provider);

        // Register a client: its secret is shown once.
        await page.click('text=Register a new client');
        await page.fill('#client_id', 'console-app');
        await page.fill('#client_name', 'Console App');
        await page.fill('#redirect_uris', 'http://127.0.0.1:9/first');
        await page.fill('#scope', 'openid profile email');
        await shot(page, 'client-new', provider);
        await page.click('button:has-text("Register the client")');
        const secret = (await page.textContent('#secret'))!.trim();
        assert.ok(secret.length >= 32, 'a generated secret is shown');
        await shot(page, 'client-secret', provider);

        // Edit its redirect URIs; the change is seen by the authorization endpoint at once.
        await page.click('text=Back to the client');
        assert.equal(await page.inputValue('#redirect_uris'), 'http://127.0.0.1:9/first');
        await page.fill('#redirect_uris', `http://127.0.0.1:9/first\n${CALLBACK}`);
        await page.click('button:has-text("Save changes")');
        assert.match((await page.textContent('[role="status"]'))!, /Saved/);
        await shot(page, 'client-edit', provider);

        // An openid-client login with it, as Bob (a person without the admin role).
        const config = await oidc.discovery(
          new URL(op.issuer),
          'console-app',
          undefined,
          oidc.ClientSecretBasic(secret),
          {
            execute: [oidc.allowInsecureRequests],
          },
        );
        const verifier = oidc.randomPKCECodeVerifier();
        const nonce = oidc.randomNonce();
        const url = oidc.buildAuthorizationUrl(config, {
          redirect_uri: CALLBACK,
          scope: 'openid profile',
          code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
          code_challenge_method: 'S256',
          nonce,
        });
        const bobBrowser = new TestBrowser();
        const { callback } = await signIn(bobBrowser, url.href, { user: BOB });
        const tokens = await oidc.authorizationCodeGrant(config, callback, {
          pkceCodeVerifier: verifier,
          expectedNonce: nonce,
          idTokenExpected: true,
        });
        assert.ok(tokens.refresh_token, 'a refresh token for the refresh_token grant type');
        assert.equal(tokens.claims()?.aud, 'console-app');

        // Rotate the RS256 key at once: the timeline shows the new key signing, the old retiring.
        await page.click('nav >> text=Signing keys');
        const kidsBefore = await page.$$eval('tbody tr td:first-child code', (cells) =>
          cells.map((c) => c.textContent),
        );
        const oldActive = await page.$$eval('tbody tr', (rows) =>
          rows
            .filter((r) => r.textContent?.includes('active'))
            .map((r) => r.querySelector('code')?.textContent),
        );
        await page.selectOption('#alg', 'RS256');
        await page.check('input[name="now"]');
        await page.click('button:has-text("Rotate")');
        const notice = (await page.textContent('[role="status"]'))!;
        const newKid = /key (\S+) published/.exec(notice)?.[1];
        assert.ok(newKid && !kidsBefore.includes(newKid), notice);
        const rowOf = async (kid: string) =>
          (await page.locator('tbody tr', { hasText: kid }).textContent())!.replace(/\s+/g, ' ');
        assert.match(await rowOf(newKid), /active/);
        for (const kid of oldActive)
          if (kid) assert.match(await rowOf(kid), /retired.*Possibly, until/);
        await shot(page, 'signing-keys', provider);
        // The JWKS carries the new key, and new tokens are signed with it.
        const jwks = (await (await fetch(`${op.issuer}/.well-known/jwks.json`)).json()) as {
          keys: { kid: string }[];
        };
        assert.ok(
          jwks.keys.some((k) => k.kid === newKid),
          'the JWKS publishes the new key',
        );
        const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token);
        assert.equal(decodeProtectedHeader(refreshed.access_token).kid, newKid);
        await jwtVerify(
          refreshed.access_token,
          createRemoteJWKSet(new URL(`${op.issuer}/.well-known/jwks.json`)),
          {
            issuer: op.issuer,
          },
        );

        // End Bob's sessions from his page, through the confirmation: his refresh token is refused.
        await page.click('nav >> text=Users');
        await page.fill('#search', 'bob@');
        await page.press('#search', 'Enter');
        await page.click('text=bob@example.com');
        assert.equal((await page.locator('tbody code').count()) >= 1, true);
        await shot(page, 'user', provider);
        await page.click('text=End every session and revoke every token');
        await shot(page, 'confirm', provider);
        await page.check('input[name="confirm"]');
        await page.click('button:has-text("End every session")');
        assert.match((await page.textContent('[role="status"]'))!, /Every session ended/);
        await assert.rejects(
          oidc.refreshTokenGrant(config, refreshed.refresh_token!),
          (error: unknown) => {
            assert.equal((error as { error?: string }).error, 'invalid_grant');
            return true;
          },
        );

        // The audit trail names the admin as the actor of the console's changes.
        await page.click('nav >> text=Audit');
        await page.fill('#client', 'console-app');
        await page.click('button:has-text("Filter")');
        const audit = (await page.textContent('tbody'))!;
        assert.match(audit, /client\.updated/);
        assert.match(audit, /"changed":\["redirect_uris"\]/, 'only what the form changed');
        assert.match(audit, /client\.created/);
        assert.match(audit, /user:/);
        await shot(page, 'audit', provider);
        await page.click('nav >> text=Sessions');
        await page.fill('#email', ALICE.email);
        await page.click('button:has-text("Filter")');
        // Alice's own sessions: the one the console signed in with is live, Bob's are gone.
        const sessions = (await page.textContent('tbody'))!;
        assert.match(sessions, new RegExp(ALICE.email));
        assert.doesNotMatch(sessions, /bob@example\.com/);
        await shot(page, 'sessions', provider);

        // Keyboard: the first Tab stop is the navigation, and forms submit with Enter.
        await page.keyboard.press('Tab');
        assert.equal(await page.locator(':focus').textContent(), 'Clients');
        assert.deepEqual(problems, [], 'no CSP violations or script errors');
        await context.close();
      },
    );
  });
}
