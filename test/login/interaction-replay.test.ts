import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TestBrowser, type Page } from '../support/browser.js';
import { providers } from '../support/databases.js';
import { authorizeUrl, isConsentPage, isLoginPage, pkce, webRequest } from '../support/flow.js';
import { idp } from '../support/processes.js';
import {
  ALICE,
  CALLBACK,
  startProvider,
  type ProviderFixture,
} from '../support/provider-fixture.js';

// Each login and consent page can be submitted once: a re-posted form (the same answer or
// another) gets a plain-words page and changes nothing, on any instance sharing the database.

for (const provider of providers) {
  describe(`interaction forms are single-use on ${provider}`, () => {
    let op: ProviderFixture;
    before(async () => {
      op = await startProvider(provider);
    });
    after(async () => op?.close());

    /** Signs in on a fresh browser as far as the consent page (prompt=consent: it always shows). */
    async function consentPage() {
      const browser = new TestBrowser();
      const login = await browser.navigate(
        authorizeUrl(op.issuer, webRequest(pkce().challenge, { prompt: 'consent' })),
        CALLBACK,
      );
      assert.ok(isLoginPage(login));
      const consent = await browser.submit(
        login,
        { username: ALICE.email, password: ALICE.password },
        CALLBACK,
      );
      assert.ok(isConsentPage(consent), consent.html.slice(0, 300));
      return { browser, login, consent };
    }
    const answer = (browser: TestBrowser, consent: Page, decision: 'allow' | 'deny') =>
      browser.submit(consent, {}, CALLBACK, { name: 'decision', value: decision });
    const auditCount = async (type: string) =>
      (
        JSON.parse(
          (await idp(['audit', 'list', '--type', type, '--json', '--limit', '1000'], op.env))
            .stdout,
        ) as unknown[]
      ).length;
    function assertUsedUp(page: Page) {
      assert.equal(page.redirectedTo, undefined, 'nothing goes back to the client');
      assert.equal(page.status, 400);
      assert.match(page.html, /This page was already used/);
      assert.match(page.html, /start again/);
    }

    test('issue 29 item 5: a denied consent form re-posted as allow issues no code', async () => {
      const { browser, consent } = await consentPage();
      const denied = await answer(browser, consent, 'deny');
      assert.equal(new URL(denied.redirectedTo!).searchParams.get('error'), 'access_denied');
      const granted = await auditCount('consent.granted');
      for (let replay = 0; replay < 2; replay += 1)
        assertUsedUp(await answer(browser, consent, 'allow'));
      assert.equal(await auditCount('consent.granted'), granted, 'no consent recorded');
    });

    test('issue 29 item 5: an allowed consent form posted twice issues one code', async () => {
      const { browser, consent } = await consentPage();
      const allowed = await answer(browser, consent, 'allow');
      assert.ok(new URL(allowed.redirectedTo!).searchParams.get('code'));
      assertUsedUp(await answer(browser, consent, 'allow'));
      assertUsedUp(await answer(browser, consent, 'deny'));
    });

    test('issue 29 item 5: a login form posted again signs no one in', async () => {
      const { browser, login } = await consentPage();
      const succeeded = await auditCount('login.succeeded');
      const replay = await browser.submit(
        login,
        { username: ALICE.email, password: ALICE.password },
        CALLBACK,
      );
      assertUsedUp(replay);
      assert.equal(replay.headers?.getSetCookie().length ?? 0, 0, 'no new session cookie');
      assert.equal(await auditCount('login.succeeded'), succeeded, 'no second login');
    });

    test('issue 29 item 5: a failed login shows a fresh page to try again; the failed one is used up', async () => {
      const browser = new TestBrowser();
      const login = await browser.navigate(
        authorizeUrl(op.issuer, webRequest(pkce().challenge)),
        CALLBACK,
      );
      const failed = await browser.submit(
        login,
        { username: ALICE.email, password: 'not the password' },
        CALLBACK,
      );
      assert.equal(failed.status, 401);
      assert.ok(isLoginPage(failed));
      assertUsedUp(
        await browser.submit(login, { username: ALICE.email, password: ALICE.password }, CALLBACK),
      );
      const retried = await browser.submit(
        failed,
        { username: ALICE.email, password: ALICE.password },
        CALLBACK,
      );
      assert.ok(retried.redirectedTo || isConsentPage(retried), retried.html.slice(0, 300));
    });
  });
}
