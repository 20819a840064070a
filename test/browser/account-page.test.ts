import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import * as oidc from 'openid-client';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { providers } from '../support/databases.js';
import {
  ALICE,
  CALLBACK,
  startProvider,
  WEB_SECRET,
  type ProviderFixture,
} from '../support/provider-fixture.js';

/**
 * The account page in Debian's Chromium: sign in to an application (openid-client, the `web`
 * client, offline_access), then on /account change the name and revoke that application, after
 * which its refresh token is refused by the token endpoint (RFC 6749 6: invalid_grant). Screenshots
 * of the page in light and dark go to /tmp/shots/account-*.png.
 */

const SHOTS = '/tmp/shots';

for (const provider of providers) {
  describe(`account page in Chromium (${provider})`, () => {
    let op: ProviderFixture | undefined;
    let browser: Browser | undefined;
    let config: oidc.Configuration;

    before(async () => {
      op = await startProvider(provider);
      config = await oidc.discovery(
        new URL(op.issuer),
        'web',
        undefined,
        oidc.ClientSecretBasic(WEB_SECRET),
        { execute: [oidc.allowInsecureRequests] },
      );
      browser = await launchChromium();
      await mkdir(SHOTS, { recursive: true });
    });
    after(async () => {
      await browser?.close();
      await op?.close();
    });

    /** Signs in to `web` through the login and consent pages; the tokens, via openid-client. */
    async function signInToApp(page: Page) {
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: CALLBACK,
        scope: 'openid profile offline_access',
        prompt: 'consent',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
      });
      // The client's redirect_uri has no server: the browser's arrival there is the answer.
      let callback: string | undefined;
      await page.route(`${CALLBACK}**`, async (route) => {
        callback = route.request().url();
        await route.fulfill({ status: 200, contentType: 'text/plain', body: 'back at the app' });
      });
      await page.goto(url.href);
      await page.fill('input[name=username]', ALICE.email);
      await page.fill('input[name=password]', ALICE.password);
      await page.click('button[type=submit]');
      await page.click('button[name=decision][value=allow]');
      await page.getByText('back at the app').waitFor();
      assert.ok(callback, 'reached the client');
      return oidc.authorizationCodeGrant(config, new URL(callback), {
        pkceCodeVerifier: verifier,
        expectedState: state,
      });
    }

    test(
      'signs in, edits the name, revokes the app; its refresh token is then refused',
      { timeout: 90_000 },
      async () => {
        assert.ok(op && browser);
        const context = await browser.newContext({ colorScheme: 'light' });
        const page = await context.newPage();
        page.setDefaultTimeout(15_000);
        const tokens = await signInToApp(page);
        assert.ok(tokens.refresh_token, 'offline_access gave a refresh token');

        // Signed in already: the account page opens directly, with the session and the app.
        await page.goto(`${op.issuer}/account`);
        assert.equal(new URL(page.url()).pathname, '/account');
        await page.getByRole('heading', { name: 'Connected applications' }).waitFor();
        await page.getByText('Example Web App').first().waitFor();

        await page.getByLabel('Full name').fill('Alice Pleasance Liddell');
        await page.getByRole('button', { name: 'Save profile' }).click();
        await page.getByRole('status').getByText('Your profile was saved.').waitFor();
        assert.equal(await page.getByLabel('Full name').inputValue(), 'Alice Pleasance Liddell');
        // The application sees the new name (OIDC Core 5.3 userinfo), with a new access token.
        const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token);
        const userinfo = await oidc.fetchUserInfo(
          config,
          refreshed.access_token,
          oidc.skipSubjectCheck,
        );
        assert.equal(userinfo.name, 'Alice Pleasance Liddell');

        await page.screenshot({ path: `${SHOTS}/account-${provider}-light.png`, fullPage: true });
        const dark = await browser.newContext({
          colorScheme: 'dark',
          storageState: await context.storageState(),
        });
        const darkPage = await dark.newPage();
        await darkPage.goto(`${op.issuer}/account`);
        await darkPage.screenshot({
          path: `${SHOTS}/account-${provider}-dark.png`,
          fullPage: true,
        });
        await dark.close();

        await page.getByRole('button', { name: 'Revoke Example Web App' }).click();
        await page.getByRole('status').getByText('The application was revoked').waitFor();
        await page.getByText('You have not allowed any application yet.').waitFor();
        await assert.rejects(
          oidc.refreshTokenGrant(config, refreshed.refresh_token ?? tokens.refresh_token),
          (error: unknown) => {
            assert.ok(error instanceof oidc.ResponseBodyError, String(error));
            assert.equal(error.error, 'invalid_grant');
            return true;
          },
        );
        await context.close();
      },
    );
  });
}
