import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ManualClock } from '@idp/keys/testing';
import * as oidc from 'openid-client';
import { TestBrowser, type Page } from '../support/browser.js';
import { providers } from '../support/databases.js';
import { isConsentPage, isLoginPage } from '../support/flow.js';
import { idp } from '../support/processes.js';
import { CALLBACK, startProvider, type ProviderFixture } from '../support/provider-fixture.js';
import { linkIn, type SmtpSink } from '../support/smtp-sink.js';
import { NOWHERE, Reader, formTo, open, post, signInToAccount } from './account-browser.js';
import { startEmailServer, type EmailServer } from './email-server.js';

/**
 * Changing one's address from the account page (issue 33 item 4): a link to the new address,
 * a notice to the old one, and the change only when the link's button is pressed; then the
 * ID token and userinfo say the new address, verified (OIDC Core 5.1 `email_verified`).
 */

const PASSWORD = 'a long enough password for tests';
const person = (name: string) => ({ email: `${name}@example.com`, password: PASSWORD });
const ERIN = person('erin');
const FRANK = person('frank');
const GINA = person('gina');
const HANK = person('hank');
const IDA = person('ida');
const BOB_EMAIL = 'bob@example.com';

for (const provider of providers) {
  describe(`e-mail: changing the address from the account page on ${provider}`, () => {
    // Time stands still unless the expiry test (last) moves it, so links do not expire on a
    // slow machine; tokens signed at this time are still valid for the relying party.
    let clock: ManualClock;
    let smtp: SmtpSink;
    let issuer: string;
    let env: Record<string, string>;
    let config: oidc.Configuration;
    let email: EmailServer;

    before(async () => {
      email = await startEmailServer(provider, {
        env: { IDP_EMAIL_VERIFICATION_TTL: '1h' },
        users: [ERIN, FRANK, GINA, HANK, IDA].map((p) => ({ ...p, email_verified: false })),
      });
      ({ clock, smtp, issuer, env, config } = email);
    });
    after(async () => email?.close());

    const accountPage = (browser: TestBrowser, user: { email: string; password: string }) =>
      signInToAccount(browser, issuer, user);

    /** Asks for the change on the account page; the page it answers. */
    function askChange(
      browser: TestBrowser,
      page: Page,
      email: string,
      currentPassword: string,
    ): Promise<Page> {
      return post(browser, page, '/account/email', { email, current_password: currentPassword });
    }

    /** A sign-in of `web` through openid-client: its tokens, or the page that refused it. */
    async function login(user: { email: string; password: string }) {
      const browser = new TestBrowser();
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: CALLBACK,
        scope: 'openid email',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      const page = await browser.navigate(url.href, CALLBACK);
      assert.ok(isLoginPage(page));
      let next = await browser.submit(
        page,
        { username: user.email, password: user.password },
        CALLBACK,
      );
      if (isConsentPage(next))
        next = await browser.submit(next, {}, CALLBACK, { name: 'decision', value: 'allow' });
      if (!next.redirectedTo) return { refused: next };
      const tokens = await oidc.authorizationCodeGrant(config, new URL(next.redirectedTo), {
        pkceCodeVerifier: verifier,
        expectedState: state,
        expectedNonce: nonce,
        idTokenExpected: true,
      });
      return { tokens };
    }

    async function auditEvents(type: string) {
      const listed = await idp(['audit', 'list', '--json', '--type', type, '--limit', '100'], env);
      assert.equal(listed.code, 0, listed.stderr);
      return JSON.parse(listed.stdout) as { userId: string; data: Record<string, unknown> }[];
    }

    test('the whole change: link to the new address, notice to the old, one button; then sign-in with the new address only, email_verified true (OIDC Core 5.1); the link works once', async () => {
      const browser = new Reader('127.0.0.2');
      const account = await accountPage(browser, ERIN);
      assert.match(account.html, /<h2 id="email-title">E-mail address<\/h2>/);
      assert.match(
        account.html,
        /erin@example\.com<\/strong> \(<span id="email-state">not confirmed yet/,
      );
      const target = 'erin.new@example.com';
      const sent = await askChange(browser, account, 'Erin.New@Example.COM', ERIN.password);
      assert.equal(sent.status, 200, sent.html.slice(0, 400));
      assert.equal(new URL(sent.url).searchParams.get('done'), 'email-sent');
      assert.match(sent.html, /Check your inbox/);

      const mail = await smtp.nth(target, 1);
      assert.equal(mail.subject, 'Confirm your new e-mail address');
      const link = linkIn(mail, `${issuer}/email/change?token=`);
      assert.ok(mail.html.includes(link.replace(/&/g, '&amp;')), 'the HTML body has the link');
      assert.ok(new URL(link).searchParams.get('token')!.length >= 43, '256-bit token');
      const notice = await smtp.nth(ERIN.email, 1);
      assert.equal(notice.subject, 'Your e-mail address is about to change');
      assert.doesNotMatch(notice.text, /token=/, 'the old address gets no link that changes it');

      // Opening the link changes nothing: the old address still signs in.
      const confirm = await open(browser, link);
      assert.equal(confirm.status, 200);
      assert.match(confirm.html, /Use erin\.new@example\.com for your account/);
      const before = await login(ERIN);
      assert.ok(before.tokens, 'the old address works until the button is pressed');

      const done = await post(
        browser,
        confirm,
        formTo(confirm, '/email/change?ui_locales=en').action,
      );
      assert.equal(done.status, 200, done.html.slice(0, 400));
      assert.match(done.html, /From now on you sign in with erin\.new@example\.com/);

      const after = await login({ email: target, password: ERIN.password });
      assert.ok(after.tokens, 'signed in with the new address');
      const claims = after.tokens.claims()!;
      assert.equal(claims.email, target);
      assert.equal(claims.email_verified, true);
      const userinfo = await oidc.fetchUserInfo(config, after.tokens.access_token, claims.sub);
      assert.equal(userinfo.email, target);
      assert.equal(userinfo.email_verified, true);
      assert.equal(claims.sub, before.tokens.claims()!.sub, 'the same account');

      const old = await login(ERIN);
      assert.ok(old.refused, 'the old address is refused');
      assert.equal(old.refused.status, 401);

      const events = (await auditEvents('user.email_changed')).filter((e) => e.data.to === target);
      assert.equal(events.length, 1);
      assert.deepEqual(events[0]!.data, { from: ERIN.email, to: target });

      // Used twice: the button again, and the link again.
      const again = await post(
        browser,
        confirm,
        formTo(confirm, '/email/change?ui_locales=en').action,
      );
      assert.equal(again.status, 400);
      assert.match(again.html, /does not work any more/);
      assert.equal((await open(browser, link)).status, 400);

      // The account page shows the new address, confirmed.
      const page = await open(browser, `${issuer}/account`);
      assert.match(
        page.html,
        /erin\.new@example\.com<\/strong> \(<span id="email-state">confirmed/,
      );
    });

    test('a wrong current password shows the form again with an error, changes nothing and sends nothing', async () => {
      const browser = new Reader('127.0.0.3');
      const account = await accountPage(browser, FRANK);
      const refused = await askChange(browser, account, 'frank.new@example.com', 'not my password');
      assert.equal(refused.status, 400);
      assert.match(refused.html, /That is not your current password/);
      assert.match(refused.html, /Your address was not changed/);
      assert.match(refused.html, /name="email"[^>]*value="frank\.new@example\.com"/);
      formTo(refused, '/account/email');
      const failed = (await auditEvents('email_change.failed')).filter((e) =>
        JSON.stringify(e).includes('wrong_current'),
      );
      assert.ok(failed.length >= 1);

      // A right request afterwards: its two mails arrive, and nothing else was sent.
      const sent = await askChange(browser, refused, 'frank.other@example.com', FRANK.password);
      assert.equal(sent.status, 200);
      await smtp.nth('frank.other@example.com', 1);
      await smtp.nth(FRANK.email, 1);
      assert.equal(smtp.mailsTo('frank.new@example.com').length, 0);
      assert.equal(smtp.mailsTo(FRANK.email).length, 1, 'one notice, for the right request');
      assert.ok((await login(FRANK)).tokens, 'the address is unchanged');
    });

    test('an address that has another account gets the same answer, no mail, and changes nothing', async () => {
      const browser = new Reader('127.0.0.4');
      const account = await accountPage(browser, GINA);
      const bobMails = smtp.mailsTo(BOB_EMAIL).length;
      const taken = await askChange(browser, account, BOB_EMAIL.toUpperCase(), GINA.password);
      const free = await askChange(browser, account, 'gina.new@example.com', GINA.password);
      assert.equal(taken.status, 200);
      assert.equal(taken.url, free.url, 'the same redirect');
      assert.equal(taken.html, free.html, 'the same page');
      // Gina hears of both requests; only the free address gets a link.
      await smtp.nth(GINA.email, 2);
      const link = linkIn(
        await smtp.nth('gina.new@example.com', 1),
        `${issuer}/email/change?token=`,
      );
      assert.equal(smtp.mailsTo(BOB_EMAIL).length, bobMails, 'nothing to the taken address');

      // Taken after the link was sent: the button refuses in plain words, nothing changes.
      const added = await idp(['users', 'add', 'gina.new@example.com', '--password-stdin'], env, {
        stdin: 'someone else entirely here',
      });
      assert.equal(added.code, 0, added.stderr);
      const confirm = await open(browser, link);
      assert.equal(confirm.status, 200);
      const refused = await post(
        browser,
        confirm,
        formTo(confirm, '/email/change?ui_locales=en').action,
      );
      assert.equal(refused.status, 409);
      assert.match(refused.html, /The address was not changed/);
      assert.ok((await login(GINA)).tokens, 'Gina still signs in with her address');
      const stranger = await login({ email: 'gina.new@example.com', password: GINA.password });
      assert.ok(stranger.refused, 'her password does not open the other account');
      assert.equal(
        (await auditEvents('user.email_changed')).filter((e) => e.data.from === GINA.email).length,
        0,
      );
    });

    test('in German (Accept-Language: de): the section, the answer, both mails and the link page', async () => {
      const browser = new Reader('127.0.0.5', 'de');
      const account = await accountPage(browser, IDA);
      assert.match(account.html, /<h2 id="email-title">E-Mail-Adresse<\/h2>/);
      assert.match(account.html, /noch nicht bestätigt/);
      const sent = await askChange(browser, account, 'ida.neu@example.com', IDA.password);
      assert.equal(sent.status, 200);
      assert.match(sent.html, /Sehen Sie in Ihrem Posteingang nach/);
      const mail = await smtp.nth('ida.neu@example.com', 1);
      assert.equal(mail.subject, 'Bestätigen Sie Ihre neue E-Mail-Adresse');
      assert.match(mail.text, /Diese Adresse verwenden/);
      assert.match(mail.html, /<html lang="de">/);
      const notice = await smtp.nth(IDA.email, 1);
      assert.equal(notice.subject, 'Ihre E-Mail-Adresse soll geändert werden');
      const link = linkIn(mail, `${issuer}/email/change?token=`);
      assert.equal(new URL(link).searchParams.get('ui_locales'), 'de');
      // The link carries the language, whatever the browser that opens it reads.
      const elsewhere = new Reader('127.0.0.7', 'en');
      const confirm = await open(elsewhere, link);
      assert.match(confirm.html, /Ab jetzt ida\.neu@example\.com für Ihr Konto verwenden/);
      const done = await post(
        elsewhere,
        confirm,
        formTo(confirm, '/email/change?ui_locales=de').action,
      );
      assert.equal(done.status, 200);
      assert.match(done.html, /Ab jetzt melden Sie sich mit ida\.neu@example\.com an/);
    });

    // Last: it moves the server's clock past the link's lifetime.
    test('a change link used after its lifetime (IDP_EMAIL_VERIFICATION_TTL) is refused and changes nothing', async () => {
      const browser = new Reader('127.0.0.6');
      const account = await accountPage(browser, HANK);
      await askChange(browser, account, 'hank.new@example.com', HANK.password);
      const link = linkIn(
        await smtp.nth('hank.new@example.com', 1),
        `${issuer}/email/change?token=`,
      );
      const confirm = await open(browser, link);
      assert.equal(confirm.status, 200);
      clock.advance(60 * 60_000);
      assert.equal((await open(browser, link)).status, 400);
      const late = await post(
        browser,
        confirm,
        formTo(confirm, '/email/change?ui_locales=en').action,
      );
      assert.equal(late.status, 400);
      assert.match(late.html, /does not work any more/);
      assert.ok((await login(HANK)).tokens, 'the address is unchanged');
    });
  });
}

for (const provider of providers) {
  describe(`without IDP_SMTP_URL the account page cannot change the address, on ${provider}`, () => {
    let op: ProviderFixture;
    before(async () => {
      op = await startProvider(provider);
    });
    after(async () => op?.close());

    test('the section shows the address and says changes need e-mail, with no form; a POST changes nothing', async () => {
      const browser = new TestBrowser();
      const login = await browser.navigate(`${op.issuer}/account`, NOWHERE);
      const page = await post(browser, login, formTo(login, '/account/sign-in').action, {
        username: 'bob@example.com',
        password: 'bob has a long password',
      });
      assert.equal(page.status, 200);
      assert.match(page.html, /<h2 id="email-title">E-mail address<\/h2>/);
      assert.match(page.html, /Changing your address needs e-mail/);
      assert.throws(() => formTo(page, '/account/email'));
      const csrf = formTo(page, '/account/profile').fields.csrf!;
      const refused = await browser.navigate(`${op.issuer}/account/email`, NOWHERE, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          csrf,
          email: 'bob.new@example.com',
          current_password: 'bob has a long password',
        }).toString(),
      });
      assert.equal(refused.status, 503);
      assert.match(refused.html, /Changing your address needs e-mail/);
    });
  });
}
