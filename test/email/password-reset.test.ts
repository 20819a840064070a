import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { after, before, describe, test } from 'node:test';
import type { ManualClock } from '@idp/keys/testing';
import * as oidc from 'openid-client';
import { TestBrowser, type Page } from '../support/browser.js';
import { providers } from '../support/databases.js';
import { isConsentPage, isLoginPage } from '../support/flow.js';
import { idp } from '../support/processes.js';
import {
  ALICE,
  CALLBACK,
  startProvider,
  type ProviderFixture,
} from '../support/provider-fixture.js';
import { linkIn, type SmtpSink } from '../support/smtp-sink.js';
import { startEmailServer, type EmailServer } from './email-server.js';

const BOB = { email: 'bob@example.com', password: 'bob has a long password' };
const NEW_PASSWORD = 'a brand new passphrase 2026';

/** The href of the first `<a>` whose text matches `text`, resolved against the page. */
function linkOnPage(page: Page, text: RegExp): string {
  for (const match of page.html.matchAll(/<a\b[^>]*href="([^"]*)"[^>]*>([^<]*)<\/a>/g)) {
    if (text.test(match[2]!)) return new URL(match[1]!.replace(/&amp;/g, '&'), page.url).href;
  }
  throw new Error(`no link matching ${text} on ${page.url}:\n${page.html.slice(0, 800)}`);
}

for (const provider of providers) {
  describe(`e-mail: password reset, address verification, sign-up on ${provider}`, () => {
    // Time stands still unless the expiry test (last) moves it, so links do not expire on a
    // slow machine; tokens signed at this time are still valid for the relying party.
    let clock: ManualClock;
    let smtp: SmtpSink;
    let issuer: string;
    let env: Record<string, string>;
    let config: oidc.Configuration;
    let email: EmailServer;

    before(async () => {
      email = await startEmailServer(provider, { env: { IDP_SELF_REGISTRATION: 'true' } });
      ({ clock, smtp, issuer, env, config } = email);
    });
    after(async () => email?.close());

    /** An authorization request of `web` through openid-client, and the login page it shows. */
    async function startLogin(browser: TestBrowser, scope = 'openid email offline_access') {
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: CALLBACK,
        scope,
        prompt: 'consent',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      const page = await browser.navigate(url.href, CALLBACK);
      return { page, verifier, state, nonce };
    }

    /** Signs in on `page` (a login page) as `user`, allows, and redeems the code with openid-client. */
    async function finishLogin(
      browser: TestBrowser,
      started: Awaited<ReturnType<typeof startLogin>>,
      user: { email: string; password: string },
      page: Page = started.page,
    ) {
      assert.ok(isLoginPage(page), `a login page: ${page.html.slice(0, 300)}`);
      let next = await browser.submit(
        page,
        { username: user.email, password: user.password },
        CALLBACK,
      );
      if (isConsentPage(next))
        next = await browser.submit(next, {}, CALLBACK, { name: 'decision', value: 'allow' });
      assert.ok(
        next.redirectedTo,
        `reached the client (status ${next.status}): ${next.html.slice(0, 300)}`,
      );
      return oidc.authorizationCodeGrant(config, new URL(next.redirectedTo), {
        pkceCodeVerifier: started.verifier,
        expectedState: started.state,
        expectedNonce: started.nonce,
        idTokenExpected: true,
      });
    }

    async function askForReset(browser: TestBrowser, email: string): Promise<Page> {
      const form = await browser.navigate(`${issuer}/password/forgot`, CALLBACK);
      assert.equal(form.status, 200);
      return browser.submit(form, { email }, CALLBACK);
    }

    test('the login page links to the reset page with an <a> whose text contains "Forgot"', async () => {
      const { page } = await startLogin(new TestBrowser());
      assert.match(
        page.html,
        /<a [^>]*href="\/password\/forgot\?resume=[^"]+"[^>]*>[^<]*Forgot[^<]*<\/a>/,
      );
      assert.match(page.html, /<a [^>]*href="\/signup\?resume=[^"]+"[^>]*>Create an account<\/a>/);
    });

    test('reset by mail: link followed, new password set, sign-in with it through openid-client; old password, other session and refresh token refused', async () => {
      // Another browser is signed in, with an offline refresh token.
      const other = new TestBrowser({ from: '127.0.0.2' });
      const before = await finishLogin(other, await startLogin(other), ALICE);
      assert.ok(before.refresh_token);

      const browser = new TestBrowser({ from: '127.0.0.3' });
      const started = await startLogin(browser);
      const forgot = await browser.navigate(linkOnPage(started.page, /Forgot/), CALLBACK);
      assert.equal(forgot.status, 200);
      assert.match(forgot.html, /<label for="email">/);
      const sent = await browser.submit(forgot, { email: ALICE.email.toUpperCase() }, CALLBACK);
      assert.equal(sent.status, 200);
      assert.match(sent.html, /Check your e-mail/);

      const mail = await smtp.nth(ALICE.email, 1);
      assert.match(mail.from, /signin@example\.com/);
      assert.equal(mail.subject, 'Reset your password');
      const link = linkIn(mail, `${issuer}/password/reset?token=`);
      assert.ok(mail.html.includes(link.replace(/&/g, '&amp;')), 'the HTML body has the same link');
      assert.ok(new URL(link).searchParams.get('token')!.length >= 43, '256-bit token');

      const form = await browser.navigate(link, CALLBACK);
      assert.equal(form.status, 200);
      assert.match(form.html, /autocomplete="new-password"/);
      const mismatch = await browser.submit(
        form,
        { password: NEW_PASSWORD, password_confirmation: `${NEW_PASSWORD}!` },
        CALLBACK,
      );
      assert.equal(mismatch.status, 400);
      assert.match(mismatch.html, /differ/);
      const done = await browser.submit(
        mismatch,
        { password: NEW_PASSWORD, password_confirmation: NEW_PASSWORD },
        CALLBACK,
      );
      assert.equal(done.status, 200, done.html.slice(0, 400));
      assert.match(done.html, /Your password was changed/);

      // Back to the same sign-in, with the new password, validated by openid-client.
      const login = await browser.navigate(linkOnPage(done, /Continue to sign in/), CALLBACK);
      const tokens = await finishLogin(
        browser,
        started,
        { email: ALICE.email, password: NEW_PASSWORD },
        login,
      );
      assert.equal(tokens.claims()!.email, ALICE.email);

      // Used twice: the same form again, and the link again.
      const again = await browser.submit(
        form,
        { password: 'yet another passphrase', password_confirmation: 'yet another passphrase' },
        CALLBACK,
      );
      assert.equal(again.status, 400);
      assert.match(again.html, /does not work any more/);
      assert.equal((await browser.navigate(link, CALLBACK)).status, 400);

      // The old password no longer works.
      const stranger = new TestBrowser({ from: '127.0.0.4' });
      const oldTry = await startLogin(stranger);
      const refused = await stranger.submit(
        oldTry.page,
        { username: ALICE.email, password: ALICE.password },
        CALLBACK,
      );
      assert.equal(refused.status, 401);
      assert.ok(isLoginPage(refused));

      // The other browser's session ended: it is asked to sign in again.
      const otherAgain = await startLogin(other);
      assert.ok(isLoginPage(otherAgain.page), 'the other session was ended');
      // Its refresh token (offline_access) was revoked with every family of the user.
      await assert.rejects(oidc.refreshTokenGrant(config, before.refresh_token!), (error) => {
        assert.ok(error instanceof oidc.ResponseBodyError);
        assert.equal(error.error, 'invalid_grant');
        return true;
      });
    });

    test('a reset for an unknown address answers the same page, in similar time, and mails nothing', async () => {
      const unknown = 'nobody-here@example.com';
      const normalize = (html: string, email: string) =>
        html.replace(email, 'ADDRESS').replace(/value="[^"]*"/g, 'value=""');
      const timings = { known: [] as number[], unknown: [] as number[] };
      let pages: Record<'known' | 'unknown', string> = { known: '', unknown: '' };
      const known = smtp.mailsTo(BOB.email).length;
      for (let round = 0; round < 4; round += 1) {
        const order = [
          ['known', BOB.email],
          ['unknown', unknown],
        ] as const;
        for (const [kind, email] of round % 2 === 0 ? order : [...order].reverse()) {
          const browser = new TestBrowser({ from: `127.0.1.${round + 1}` });
          const form = await browser.navigate(`${issuer}/password/forgot`, CALLBACK);
          const start = performance.now();
          const page = await browser.submit(form, { email }, CALLBACK);
          timings[kind].push(performance.now() - start);
          assert.equal(page.status, 200);
          pages = { ...pages, [kind]: normalize(page.html, email) };
          // Let the mail go out before the next measurement, so it does not slow that one.
          if (kind === 'known') await smtp.nth(BOB.email, known + round + 1);
        }
      }
      assert.equal(pages.unknown, pages.known, 'the same page body for both');
      const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
      const gap = Math.abs(median(timings.known) - median(timings.unknown));
      // Both paths do the same work before answering; only scheduling noise remains.
      assert.ok(
        gap < 50,
        `median times differ by ${gap.toFixed(1)} ms: ${JSON.stringify(timings)}`,
      );
      assert.equal(smtp.mailsTo(unknown).length, 0);
    });

    test('too many reset requests from one address get 429 with Retry-After', async () => {
      const browser = new TestBrowser({ from: '127.0.0.9' });
      let last: Page | undefined;
      for (let i = 0; i < 11; i += 1) last = await askForReset(browser, `flood-${i}@example.com`);
      assert.equal(last!.status, 429);
      assert.ok(Number(last!.headers?.get('retry-after')) > 0);
    });

    test('sign-up creates an unverified account; email_verified becomes true only after the mailed link', async () => {
      const carol = { email: 'carol@example.com', password: 'carol chose a long password' };
      const browser = new TestBrowser({ from: '127.0.0.5' });
      const started = await startLogin(browser);
      const signUp = await browser.navigate(
        linkOnPage(started.page, /Create an account/),
        CALLBACK,
      );
      assert.equal(signUp.status, 200);
      const sent = await browser.submit(
        signUp,
        {
          email: carol.email,
          name: 'Carol',
          password: carol.password,
          password_confirmation: carol.password,
        },
        CALLBACK,
      );
      assert.equal(sent.status, 200, sent.html.slice(0, 400));
      assert.match(sent.html, /Check your e-mail/);
      const mail = await smtp.nth(carol.email, 1);
      assert.equal(mail.subject, 'Confirm your e-mail address');
      const link = linkIn(mail, `${issuer}/email/verify?token=`);

      // Signed in before confirming: the address is not verified.
      const login = await browser.navigate(linkOnPage(sent, /Continue to sign in/), CALLBACK);
      const unverified = await finishLogin(browser, started, carol, login);
      assert.equal(unverified.claims()!.email_verified, false);

      // Opening the link changes nothing; the button confirms.
      const confirm = await browser.navigate(link, CALLBACK);
      assert.equal(confirm.status, 200);
      const done = await browser.submit(confirm, {}, CALLBACK);
      assert.equal(done.status, 200);
      assert.match(done.html, /is confirmed/);
      assert.equal((await browser.submit(confirm, {}, CALLBACK)).status, 400, 'single use');

      const fresh = new TestBrowser({ from: '127.0.0.7' });
      const verified = await finishLogin(fresh, await startLogin(fresh), carol);
      assert.equal(verified.claims()!.email_verified, true);
    });

    test('sign-up with a taken address answers the same page and tells its owner instead', async () => {
      const count = smtp.mailsTo(BOB.email).length;
      const browser = new TestBrowser({ from: '127.0.0.8' });
      const signUp = await browser.navigate(`${issuer}/signup`, CALLBACK);
      const sent = await browser.submit(
        signUp,
        {
          email: BOB.email,
          password: 'someone else entirely',
          password_confirmation: 'someone else entirely',
        },
        CALLBACK,
      );
      assert.equal(sent.status, 200);
      assert.match(sent.html, /Check your e-mail/);
      const mail = await smtp.nth(BOB.email, count + 1);
      assert.equal(mail.subject, 'You already have an account');
      // Bob's password is unchanged.
      const bobBrowser = new TestBrowser({ from: '127.0.0.10' });
      await finishLogin(bobBrowser, await startLogin(bobBrowser), BOB);
    });

    test('sign-ups are limited per network address: the sixth within the hour gets 429', async () => {
      const browser = new TestBrowser({ from: '127.0.0.13' });
      const statuses: number[] = [];
      for (let i = 0; i < 6; i += 1) {
        const form = await browser.navigate(`${issuer}/signup`, CALLBACK);
        const page = await browser.submit(
          form,
          { email: `spam-${i}@example.com`, password: 'short', password_confirmation: 'short' },
          CALLBACK,
        );
        statuses.push(page.status);
      }
      assert.deepEqual(statuses, [400, 400, 400, 400, 400, 429]);
    });

    test('pnpm idp users send-reset mails a working link', async () => {
      const dave = { email: 'dave@example.com', password: 'dave has a long password' };
      const added = await idp(['users', 'add', dave.email, '--password-stdin'], env, {
        stdin: dave.password,
      });
      assert.equal(added.code, 0, added.stderr);
      const sent = await idp(['users', 'send-reset', dave.email], env);
      assert.equal(sent.code, 0, sent.stderr);
      assert.match(sent.stdout, /sent a password-reset link to dave@example\.com/);
      const link = linkIn(await smtp.nth(dave.email, 1), `${issuer}/password/reset?token=`);
      const browser = new TestBrowser({ from: '127.0.0.11' });
      const form = await browser.navigate(link, CALLBACK);
      assert.equal(form.status, 200);
      const unknown = await idp(['users', 'send-reset', 'nobody@example.com'], env);
      assert.notEqual(unknown.code, 0);
    });

    // Last: it moves the server's clock past the link's lifetime.
    test('a reset link used after its lifetime (30 minutes) is refused', async () => {
      const browser = new TestBrowser({ from: '127.0.0.12' });
      const count = smtp.mailsTo('dave@example.com').length;
      await askForReset(browser, 'dave@example.com');
      const link = linkIn(
        await smtp.nth('dave@example.com', count + 1),
        `${issuer}/password/reset?token=`,
      );
      const form = await browser.navigate(link, CALLBACK);
      assert.equal(form.status, 200);
      clock.advance(30 * 60_000);
      assert.equal((await browser.navigate(link, CALLBACK)).status, 400);
      const late = await browser.submit(
        form,
        { password: NEW_PASSWORD, password_confirmation: NEW_PASSWORD },
        CALLBACK,
      );
      assert.equal(late.status, 400);
      assert.match(late.html, /does not work any more/);
    });
  });
}

for (const provider of providers) {
  describe(`without IDP_SMTP_URL the e-mail pages say so, on ${provider}`, () => {
    let op: ProviderFixture;
    before(async () => {
      op = await startProvider(provider);
    });
    after(async () => op?.close());

    test('the login page still links to the reset page, which says e-mail is not set up; no sign-up', async () => {
      const browser = new TestBrowser();
      const url = new URL(`${op.issuer}/authorize`);
      url.search = new URLSearchParams({
        client_id: 'web',
        response_type: 'code',
        redirect_uri: CALLBACK,
        scope: 'openid',
        code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
        code_challenge_method: 'S256',
      }).toString();
      const login = await browser.navigate(url.href, CALLBACK);
      assert.ok(isLoginPage(login));
      assert.doesNotMatch(login.html, /Create an account/);
      const forgot = await browser.navigate(linkOnPage(login, /Forgot/), CALLBACK);
      assert.equal(forgot.status, 503);
      assert.match(forgot.html, /cannot send e-mail/);
      assert.doesNotMatch(forgot.html, /<form/);
      // Its way back leads to the same sign-in.
      assert.ok(
        isLoginPage(await browser.navigate(linkOnPage(forgot, /Back to sign in/), CALLBACK)),
      );
      assert.equal((await browser.navigate(`${op.issuer}/signup`, CALLBACK)).status, 404);
    });
  });
}
