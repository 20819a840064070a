import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import { type Browser, type Route } from 'playwright-core';
import { launchChromium, watchPage } from '../support/chromium.js';
import { providers } from '../support/databases.js';
import { ALICE, CALLBACK } from '../support/provider-fixture.js';
import { authorizationRequest, startPasskeyServer, type PasskeyServer } from './passkey-fixture.js';

const BOB = { email: 'bob@example.com', password: 'bob has a long password' };
const MFA = 'urn:idp:acr:mfa';

/** Waits until the page's first (conditional UI) options request is held. */
async function expectHeld(held: readonly Route[]): Promise<void> {
  for (let i = 0; i < 100 && held.length === 0; i += 1)
    await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(held.length, 1, 'the login page asked for options on load (conditional UI)');
}

/**
 * Passkeys in Debian's Chromium with the DevTools virtual authenticator (CTAP2, internal
 * transport, resident keys, user verification): added on the account page after a password
 * sign-in, then used alone, with no password typed, to complete an openid-client login whose ID
 * token says amr ["hwk","user"] (RFC 8176 2: hardware key plus user verification).
 */
for (const provider of providers) {
  describe(`passkeys in Chromium on ${provider}`, () => {
    let op: PasskeyServer | undefined;
    let browser: Browser | undefined;

    before(async () => {
      op = await startPasskeyServer(provider);
      browser = await launchChromium();
    });
    after(async () => {
      await browser?.close();
      await op?.close();
    });

    test(
      'add a passkey on /account, sign out, sign in with the passkey alone (button, then autofill): amr ["hwk","user"]',
      { timeout: 180_000 },
      async () => {
        assert.ok(op && browser);
        const context = await browser.newContext();
        // The client's redirect_uri serves nothing; the test reads the code from the URL.
        await context.route(`${CALLBACK}**`, (route) =>
          route.fulfill({ status: 200, contentType: 'text/plain', body: 'callback' }),
        );
        const page = await context.newPage();
        // Generous: the machines running the suite are often busy.
        page.setDefaultTimeout(30_000);
        const explain = watchPage(page);
        const cdp = await context.newCDPSession(page);
        await cdp.send('WebAuthn.enable');
        const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
          options: {
            protocol: 'ctap2',
            transport: 'internal',
            hasResidentKey: true,
            hasUserVerification: true,
            isUserVerified: true,
            automaticPresenceSimulation: true,
          },
        });

        // Not signed in: /account sends to its sign-in page, and back after the password.
        await page.goto(`${op.issuer}/account`);
        assert.match(page.url(), /\/account\/sign-in$/);
        await page.fill('input[name=username]', ALICE.email);
        await page.fill('input[name=password]', ALICE.password);
        await page.getByRole('button', { name: 'Sign in', exact: true }).click();
        await page.waitForURL(`${op.issuer}/account`);

        // The button whose text contains "passkey" starts the registration ceremony.
        await page.fill('#new-passkey-name', 'Virtual key');
        await page.getByRole('button', { name: /passkey/ }).click();
        await page.waitForURL(`${op.issuer}/account?done=passkey-added#passkeys`);
        assert.match(await page.content(), /Virtual key/, explain());
        await page.screenshot({ path: `/tmp/passkeys-account-${provider}.png`, fullPage: true });
        const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
        assert.equal(credentials.length, 1);
        assert.equal(credentials[0]!.isResidentCredential, true, 'a discoverable credential');

        // Sign out (RP-initiated logout's confirmation page).
        await page.goto(`${op.issuer}/logout`);
        await page.getByRole('button', { name: 'Sign out' }).click();
        await page.getByRole('heading', { name: 'You are signed out' }).waitFor();
        await page.goto(`${op.issuer}/account`);
        assert.match(page.url(), /\/account\/sign-in/, 'signed out');

        // An openid-client login: the passkey button, no password typed. The page also starts
        // a conditional (autofill) request on load, which the virtual authenticator would answer
        // at once; its options request is held back so that the button's ceremony is the one run.
        const held: Route[] = [];
        await page.route(`${op.issuer}/login/passkey/options`, async (route) => {
          if (held.length === 0) held.push(route);
          else await route.continue();
        });
        const request = await authorizationRequest(op.config);
        await page.goto(request.url.href);
        await expectHeld(held);
        await page.screenshot({ path: `/tmp/passkeys-login-${provider}.png`, fullPage: true });
        const passkeyButton = page.getByRole('button', { name: /passkey/ });
        assert.equal(await passkeyButton.textContent(), 'Sign in with a passkey');
        assert.equal(
          await page.getAttribute('input[name=username]', 'autocomplete'),
          'username webauthn',
        );
        await passkeyButton.click();
        const allow = page.locator('button[name=decision][value=allow]');
        await allow.waitFor();
        await held[0]!.abort();
        const callback = page.waitForRequest((r) => r.url().startsWith(`${CALLBACK}?`));
        await allow.click();
        const tokens = await request.redeem(new URL((await callback).url()));
        const claims = decodeJwt(tokens.id_token!);
        assert.deepEqual(claims.amr, ['hwk', 'user'], explain());
        assert.equal(claims.email, ALICE.email);
        assert.equal(await page.inputValue('input[name=password]').catch(() => ''), '');

        // The passkey's use is recorded: counter and last use (WebAuthn L3 7.2 steps 21-22).
        const user = await op.server.services.users.findByEmail(ALICE.email);
        const [stored] = await op.server.services.passkeys.listForUser(user!.id);
        assert.ok(stored?.lastUsedAt, 'last use recorded');
        const used = await op.server.services.audit.recent({ type: 'passkey.used' });
        assert.equal(used.length, 1);

        // Conditional UI (WebAuthn L3 5.1.4.1): the request the login page makes on load, with
        // the passkey offered in the username field's autofill, which the virtual authenticator
        // answers without a click. Consent was given above, so the code comes straight back.
        await page.unrouteAll();
        await page.goto(`${op.issuer}/logout`);
        await page.getByRole('button', { name: 'Sign out' }).click();
        await page.getByRole('heading', { name: 'You are signed out' }).waitFor();
        const autofill = await authorizationRequest(op.config);
        const autofilled = page.waitForRequest((r) => r.url().startsWith(`${CALLBACK}?`));
        await page.goto(autofill.url.href);
        const again = await autofill.redeem(new URL((await autofilled).url()));
        assert.deepEqual(decodeJwt(again.id_token!).amr, ['hwk', 'user'], explain());
        await context.close();
      },
    );

    test(
      'account sign-in and reauth=1 by passkey, or by password then "Use a passkey"; the same at a login: amr ["pwd","hwk","user","mfa"]',
      { timeout: 180_000 },
      async () => {
        assert.ok(op && browser);
        const context = await browser.newContext();
        await context.route(`${CALLBACK}**`, (route) =>
          route.fulfill({ status: 200, contentType: 'text/plain', body: 'callback' }),
        );
        const page = await context.newPage();
        page.setDefaultTimeout(30_000);
        const explain = watchPage(page);
        const cdp = await context.newCDPSession(page);
        await cdp.send('WebAuthn.enable');
        await cdp.send('WebAuthn.addVirtualAuthenticator', {
          options: {
            protocol: 'ctap2',
            transport: 'internal',
            hasResidentKey: true,
            hasUserVerification: true,
            isUserVerified: true,
            automaticPresenceSimulation: true,
          },
        });
        const signOut = async () => {
          await page.goto(`${op!.issuer}/logout`);
          await page.getByRole('button', { name: 'Sign out' }).click();
          await page.getByRole('heading', { name: 'You are signed out' }).waitFor();
        };

        // Bob adds a passkey after a password sign-in, and signs out.
        await page.goto(`${op.issuer}/account`);
        await page.fill('input[name=username]', BOB.email);
        await page.fill('input[name=password]', BOB.password);
        await page.getByRole('button', { name: 'Sign in', exact: true }).click();
        await page.waitForURL(`${op.issuer}/account`);
        await page.fill('#new-passkey-name', 'Bob key');
        await page.getByRole('button', { name: /passkey/ }).click();
        await page.waitForURL(`${op.issuer}/account?done=passkey-added#passkeys`);
        await signOut();

        // The account sign-in's own passkey button: no password typed.
        await page.goto(`${op.issuer}/account`);
        assert.match(page.url(), /\/account\/sign-in$/);
        await page.screenshot({ path: `/tmp/passkeys-account-sign-in-${provider}.png` });
        await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
        await page.waitForURL(`${op.issuer}/account`);
        assert.match(await page.content(), /Signed in as <strong>bob@example\.com/, explain());

        // Five minutes on, adding a passkey wants a fresh sign-in: the passkey gives it too.
        op.clock.advance(6 * 60_000);
        await page.goto(`${op.issuer}/account`);
        await page.getByRole('button', { name: 'Sign in again to add a passkey' }).click();
        await page.waitForURL(/\/account\/sign-in\?reauth=1$/);
        await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
        await page.waitForURL(`${op.issuer}/account`);
        await page.getByRole('button', { name: 'Add a passkey' }).waitFor();

        // The same with the password: Bob has a passkey, so the password alone is not enough
        // there; "Use a passkey" follows, and only its assertion opens the account page.
        op.clock.advance(6 * 60_000);
        await page.goto(`${op.issuer}/account`);
        await page.getByRole('button', { name: 'Sign in again to add a passkey' }).click();
        await page.waitForURL(/\/account\/sign-in\?reauth=1$/);
        await page.fill('input[name=password]', BOB.password);
        await page.getByRole('button', { name: 'Sign in', exact: true }).click();
        const accountStep = page.getByRole('button', { name: 'Use a passkey' });
        await accountStep.waitFor();
        assert.equal(await page.locator('input[name=code]').count(), 0, 'Bob has no codes');
        await accountStep.click();
        await page.waitForURL(`${op.issuer}/account`);
        await page.getByRole('button', { name: 'Add a passkey' }).waitFor();
        assert.match(
          await page.content(),
          /password, passkey, screen lock, two factors/,
          explain(),
        );
        await signOut();

        // A login whose request needs a second factor: the password, then the passkey. The login
        // page's conditional request (which the virtual authenticator would answer at once) is
        // held back, so that the password is what starts this sign-in.
        const held: Route[] = [];
        await page.route(`${op.issuer}/login/passkey/options`, async (route) => {
          if (held.length === 0) held.push(route);
          else await route.continue();
        });
        const request = await authorizationRequest(op.config, { acr_values: MFA });
        await page.goto(request.url.href);
        await expectHeld(held);
        await page.fill('input[name=username]', BOB.email);
        await page.fill('input[name=password]', BOB.password);
        await page.getByRole('button', { name: 'Sign in', exact: true }).click();
        const usePasskey = page.getByRole('button', { name: 'Use a passkey' });
        await usePasskey.waitFor();
        assert.equal(await page.locator('input[name=code]').count(), 0, 'Bob has no codes');
        await page.screenshot({
          path: `/tmp/passkeys-second-factor-${provider}.png`,
          fullPage: true,
        });
        await usePasskey.click();
        const allow = page.locator('button[name=decision][value=allow]');
        await allow.waitFor();
        await held[0]!.abort();
        const callback = page.waitForRequest((r) => r.url().startsWith(`${CALLBACK}?`));
        await allow.click();
        const tokens = await request.redeem(new URL((await callback).url()));
        const claims = decodeJwt(tokens.id_token!);
        assert.deepEqual(claims.amr, ['pwd', 'hwk', 'user', 'mfa'], explain());
        assert.equal(claims.acr, MFA);
        assert.equal(claims.email, BOB.email);
        await context.close();

        // The same step in German (Accept-Language), for the screenshot and its words.
        const german = await browser.newContext({ locale: 'de-DE' });
        const seite = await german.newPage();
        seite.setDefaultTimeout(30_000);
        const deRequest = await authorizationRequest(op.config, { acr_values: MFA });
        await seite.goto(deRequest.url.href);
        await seite.fill('input[name=username]', BOB.email);
        await seite.fill('input[name=password]', BOB.password);
        await seite.getByRole('button', { name: 'Anmelden', exact: true }).click();
        await seite.getByRole('button', { name: 'Einen Passkey verwenden' }).waitFor();
        await seite.screenshot({
          path: `/tmp/passkeys-second-factor-de-${provider}.png`,
          fullPage: true,
        });
        await german.close();
      },
    );
  });
}
