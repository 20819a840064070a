import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { generate } from 'otplib';
import { type Browser, type BrowserContext } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { providers } from '../support/databases.js';
import { authorizeUrl, pkce, webRequest } from '../support/flow.js';
import {
  ALICE,
  CALLBACK,
  startProvider,
  type ProviderFixture,
} from '../support/provider-fixture.js';

// Enrolment of one-time codes (RFC 6238) in Debian's Chromium, without any script of ours: the
// QR code renders under the page's strict CSP, the typed key works, recovery codes are shown, and
// the next sign-in asks for a code. Screenshots go to /tmp/shots/totp-*.png.

const SHOTS = '/tmp/shots';

for (const provider of providers) {
  describe(`one-time-code enrolment in Chromium on ${provider}`, () => {
    let op: ProviderFixture;
    let browser: Browser;

    before(async () => {
      op = await startProvider(provider);
      browser = await launchChromium();
      mkdirSync(SHOTS, { recursive: true });
    });
    after(async () => {
      await browser?.close();
      await op?.close();
    });

    /** A context whose client callback answers locally (nothing listens on the client's port). */
    async function context(): Promise<BrowserContext> {
      const ctx = await browser.newContext();
      await ctx.route(`${CALLBACK}**`, (route) => route.fulfill({ body: 'back at the client' }));
      return ctx;
    }

    /** Signs in through the login page of the first-party client; the page stays at the client. */
    async function signIn(ctx: BrowserContext) {
      const page = await ctx.newPage();
      page.setDefaultTimeout(15_000);
      const { challenge } = pkce();
      await page.goto(authorizeUrl(op.issuer, webRequest(challenge, { client_id: 'first-party' })));
      await page.fill('input[name=username]', ALICE.email);
      await page.fill('input[name=password]', ALICE.password);
      await page.click('button[type=submit]');
      return page;
    }

    test(
      'scan-or-type enrolment, recovery codes, then the code page at the next sign-in',
      { timeout: 90_000 },
      async () => {
        const ctx = await context();
        const page = await signIn(ctx);
        await page.waitForURL(`${CALLBACK}**`);

        const violations: string[] = [];
        page.on('console', (message) => {
          if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
        });
        await page.goto(`${op.issuer}/account/one-time-codes`);
        await page.waitForSelector('img.qr');
        // The QR code image decoded and laid out: the SVG data URL is allowed by img-src.
        const width = await page.$eval(
          'img.qr',
          (img) => (img as unknown as { naturalWidth: number }).naturalWidth,
        );
        assert.ok(width > 0, 'the QR code rendered');
        await page.screenshot({ path: `${SHOTS}/totp-enrol-${provider}.png`, fullPage: true });
        const secret = (await page.textContent('#secret'))!.replace(/\s/g, '');
        assert.match(secret, /^[A-Z2-7]{32}$/);
        await page.fill('#code', await generate({ secret }));
        await page.click('button[type=submit]');
        await page.waitForSelector('#recovery-codes');
        assert.equal(await page.locator('#recovery-codes li').count(), 10);
        const recoveryCode = (await page.locator('#recovery-codes li').first().textContent())!;
        await page.screenshot({
          path: `${SHOTS}/totp-recovery-codes-${provider}.png`,
          fullPage: true,
        });
        assert.deepEqual(violations, []);
        await ctx.close();

        // A new browser: password, then the code page.
        const next = await context();
        const login = await signIn(next);
        await login.waitForSelector('input[autocomplete=one-time-code]');
        await login.screenshot({ path: `${SHOTS}/totp-code-page-${provider}.png`, fullPage: true });
        // The next time step's code (one step of drift is accepted): the enrolment used this one.
        await login.fill(
          '#code',
          await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }),
        );
        await login.click('button[type=submit]');
        await login.waitForURL(`${CALLBACK}**`);
        const redirected = new URL(login.url());
        assert.ok(redirected.searchParams.get('code'), 'a code reached the client');
        await next.close();

        // The account page's own sign-in asks for the second factor too: a recovery code here.
        const account = await context();
        const own = await account.newPage();
        own.setDefaultTimeout(15_000);
        await own.goto(`${op.issuer}/account`);
        await own.fill('input[name=username]', ALICE.email);
        await own.fill('input[name=password]', ALICE.password);
        await own.getByRole('button', { name: 'Sign in', exact: true }).click();
        await own.waitForSelector('input[autocomplete=one-time-code]');
        assert.match(own.url(), /\/account\/sign-in$/, 'no session yet: still signing in');
        await own.getByText('Use a recovery code instead').click();
        await own.fill('#recovery_code', recoveryCode);
        await own.getByRole('button', { name: 'Continue' }).click();
        await own.waitForURL(`${op.issuer}/account`);
        assert.match(await own.content(), /Signed in as <strong>alice@example\.com/);
        await account.close();
      },
    );
  });
}
