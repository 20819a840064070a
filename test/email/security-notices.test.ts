import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ManualClock } from '@idp/keys/testing';
import { generate } from 'otplib';
import type { TestBrowser, Page } from '../support/browser.js';
import { providers } from '../support/databases.js';
import { idp } from '../support/processes.js';
import { linkIn, type ReceivedMail, type SmtpSink } from '../support/smtp-sink.js';
import { createCredential } from '../support/soft-authenticator.js';
import { Reader, formTo, open, post, signInToAccount, type Lang } from './account-browser.js';
import { startEmailServer, type EmailServer } from './email-server.js';

/**
 * Security notices: after an address change (to the old address), a password change or reset,
 * and the removal of one-time codes or of a passkey (to the account's address), the owner is
 * told what changed and when, in their language and under the operator's brand, with no link
 * that acts on the account. A change that is refused tells nobody anything.
 */

const PASSWORD = 'a long enough password for tests';
const NEW_PASSWORD = 'another long password for tests';
const BRAND = 'Acme Login';
const person = (name: string) => ({ email: `${name}@example.com`, password: PASSWORD });
const NORA = person('nora');
const OLIVER = person('oliver');
const PAULA = person('paula');
const QUINN = person('quinn');
const RITA = person('rita');
const SVEN = person('sven');
const TINA = person('tina');
// Chose German (the OIDC `locale` claim): notices reach her in German, whoever made the change.
const UMA = { ...person('uma'), locale: 'de' };
const VERA = person('vera');
const WALT = person('walt');
const ADMIN_TOKEN = 'security-notices-admin-token-0123456789abcdef';
const BOB_EMAIL = 'bob@example.com';

for (const provider of providers) {
  describe(`e-mail: security notices on ${provider}`, () => {
    let clock: ManualClock;
    let smtp: SmtpSink;
    let issuer: string;
    let env: Record<string, string>;
    let email: EmailServer;

    before(async () => {
      // On localhost: passkeys need a domain name as their RP id.
      email = await startEmailServer(provider, {
        host: 'localhost',
        env: { IDP_BRAND_NAME: BRAND, IDP_ADMIN_TOKEN: ADMIN_TOKEN },
        users: [NORA, OLIVER, PAULA, QUINN, RITA, SVEN, TINA, UMA, VERA, WALT],
      });
      ({ clock, smtp, issuer, env } = email);
    });
    after(async () => email?.close());

    const accountPage = (browser: TestBrowser, user: { email: string; password: string }) =>
      signInToAccount(browser, issuer, user);

    /** When the server's clock says it is, as a notice words it in English. */
    function nowInWords(): string {
      const iso = new Date(clock.now()).toISOString();
      return `on ${iso.slice(0, 10)} at ${iso.slice(11, 16)} UTC`;
    }

    /** Every link in a message (text and HTML), none of which may carry a token. */
    function assertNoTokenLink(mail: ReceivedMail) {
      const links = [
        ...(mail.text.match(/https?:\/\/\S+/g) ?? []),
        ...[...mail.html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!),
      ];
      for (const link of links) {
        assert.ok(
          link.startsWith(`${issuer}/password/forgot`),
          `only the forgot-password page: ${link}`,
        );
        assert.doesNotMatch(link, /token|code=/i);
      }
    }

    /** The notice's advice for a stranger's change: the forgot-password page and the operator. */
    function assertResetAdvice(mail: ReceivedMail) {
      assert.equal(linkIn(mail, `${issuer}/password/forgot`), `${issuer}/password/forgot`);
      assert.match(mail.text, /If it was not you, someone else may be using your account/);
      assert.match(mail.text, /tell the administrators of Acme Login/);
      assert.match(mail.html, new RegExp(`<a href="${issuer}/password/forgot">`));
      assertNoTokenLink(mail);
    }

    /** Waits until everything the server queued was sent; the count of mails to `address`. */
    async function settledCount(address: string): Promise<number> {
      await email.settle();
      return smtp.mailsTo(address).length;
    }

    async function askChange(browser: TestBrowser, page: Page, to: string, password: string) {
      const sent = await post(browser, page, '/account/email', {
        email: to,
        current_password: password,
      });
      assert.equal(sent.status, 200, sent.html.slice(0, 400));
      return linkIn(await smtp.nth(to, 1), `${issuer}/email/change?token=`);
    }

    /** Presses the button behind an address-change link; the page it answers. */
    async function useChangeLink(browser: TestBrowser, link: string) {
      const confirm = await open(browser, link);
      assert.equal(confirm.status, 200, confirm.html.slice(0, 400));
      return post(browser, confirm, '/email/change?ui_locales=en');
    }

    test('an address change tells the old address: the new one masked, the time, and to tell the operator; the new address gets no notice', async () => {
      const browser = new Reader(undefined);
      const account = await accountPage(browser, NORA);
      const target = 'nora.moved@example.org';
      const link = await askChange(browser, account, target, NORA.password);
      // The mail that the change was asked for ("about to change") came first.
      const before = await settledCount(NORA.email);
      assert.equal(before, 1);

      const done = await useChangeLink(browser, link);
      assert.equal(done.status, 200, done.html.slice(0, 400));
      const notice = await smtp.nth(NORA.email, before + 1);
      assert.equal(notice.subject, 'The e-mail address of your account was changed');
      assert.match(notice.from, /signin@example\.com/);
      assert.ok(
        notice.text.includes(
          `The e-mail address of your account at ${BRAND} was changed to n***@example.org ${nowInWords()}.`,
        ),
        notice.text,
      );
      assert.ok(!notice.text.includes(target), 'the new address is masked');
      assert.ok(!notice.html.includes(target), 'in the HTML part too');
      assert.match(notice.html, /n\*\*\*@example\.org/);
      assert.match(notice.text, /tell the administrators of Acme Login at once/);
      // This address no longer has the account: a reset from it would reach nothing.
      assert.doesNotMatch(notice.text, /https?:\/\//, 'no link at all');
      assertNoTokenLink(notice);
      assert.equal(await settledCount(target), 1, 'the new address has only its link');
      assert.equal(smtp.mailsTo(NORA.email).length, before + 1, 'one notice');
    });

    test('a change refused (address taken meanwhile, or a bad token) sends nothing', async () => {
      const browser = new Reader(undefined);
      const account = await accountPage(browser, TINA);
      const target = 'tina.new@example.com';
      const link = await askChange(browser, account, target, TINA.password);
      const added = await idp(['users', 'add', target, '--password-stdin'], env, {
        stdin: 'someone else entirely here',
      });
      assert.equal(added.code, 0, added.stderr);
      const before = await settledCount(TINA.email);
      const refused = await useChangeLink(browser, link);
      assert.equal(refused.status, 409, refused.html.slice(0, 400));

      const confirm = await open(browser, link);
      const forged = await post(browser, confirm, '/email/change?ui_locales=en', {
        token: 'x'.repeat(43),
      });
      assert.equal(forged.status, 400);
      const badReset = await open(browser, `${issuer}/password/reset?token=${'y'.repeat(43)}`);
      assert.equal(badReset.status, 400);

      assert.equal(await settledCount(TINA.email), before, 'nothing to the account');
      assert.equal(smtp.mailsTo(target).length, 1, 'nothing more to the other account');
    });

    test('a password change on the account page tells the account; a wrong current password sends nothing', async () => {
      const browser = new Reader(undefined);
      const account = await accountPage(browser, OLIVER);
      const wrong = await post(browser, account, '/account/password', {
        current_password: 'not my password at all',
        password: NEW_PASSWORD,
        password_confirmation: NEW_PASSWORD,
      });
      assert.equal(wrong.status, 400);
      assert.equal(await settledCount(OLIVER.email), 0, 'a refused change tells nobody');

      const changed = await post(browser, wrong, '/account/password', {
        current_password: OLIVER.password,
        password: NEW_PASSWORD,
        password_confirmation: NEW_PASSWORD,
      });
      assert.equal(changed.status, 200, changed.html.slice(0, 400));
      assert.equal(new URL(changed.url).searchParams.get('done'), 'password');
      const notice = await smtp.nth(OLIVER.email, 1);
      assert.equal(notice.subject, 'Your password was changed');
      assert.ok(
        notice.text.includes(
          `The password of your account at ${BRAND} was changed on the account page ${nowInWords()}.`,
        ),
        notice.text,
      );
      assert.ok(!notice.text.includes(NEW_PASSWORD), 'no secret');
      assertResetAdvice(notice);
      assert.equal(await settledCount(OLIVER.email), 1, 'one notice');
    });

    test('in German (Accept-Language: de): the password-change notice', async () => {
      const browser = new Reader(undefined, 'de' satisfies Lang);
      const account = await accountPage(browser, SVEN);
      const changed = await post(browser, account, '/account/password', {
        current_password: SVEN.password,
        password: NEW_PASSWORD,
        password_confirmation: NEW_PASSWORD,
      });
      assert.equal(changed.status, 200);
      const notice = await smtp.nth(SVEN.email, 1);
      assert.equal(notice.subject, 'Ihr Passwort wurde geändert');
      const iso = new Date(clock.now()).toISOString();
      assert.ok(
        notice.text.includes(
          `Das Passwort Ihres Kontos bei ${BRAND} wurde am ${iso.slice(0, 10)} um ${iso.slice(11, 16)} UTC auf der Kontoseite geändert.`,
        ),
        notice.text,
      );
      assert.match(notice.text, /Informieren Sie danach die Verwaltung von Acme Login/);
      assert.match(notice.html, /<html lang="de">/);
      assertNoTokenLink(notice);
    });

    test("in the account's language (locale claim de), not that of the browser that made the change", async () => {
      const browser = new Reader(undefined, 'en' satisfies Lang);
      const account = await accountPage(browser, UMA);
      const changed = await post(browser, account, '/account/password', {
        current_password: UMA.password,
        password: NEW_PASSWORD,
        password_confirmation: NEW_PASSWORD,
      });
      assert.equal(changed.status, 200);
      const notice = await smtp.nth(UMA.email, 1);
      assert.equal(notice.subject, 'Ihr Passwort wurde geändert');
      assert.match(notice.html, /<html lang="de">/);
    });

    test('a password reset by mailed link tells the account; the reset link is not repeated', async () => {
      const browser = new Reader(undefined);
      const forgot = await open(browser, `${issuer}/password/forgot`);
      const sent = await post(browser, forgot, '/password/forgot', { email: PAULA.email });
      assert.equal(sent.status, 200);
      const link = linkIn(await smtp.nth(PAULA.email, 1), `${issuer}/password/reset?token=`);
      const form = await open(browser, link);
      assert.equal(form.status, 200);
      const done = await post(browser, form, formTo(form, '/password/reset?ui_locales=en').action, {
        password: NEW_PASSWORD,
        password_confirmation: NEW_PASSWORD,
      });
      assert.equal(done.status, 200, done.html.slice(0, 400));
      const notice = await smtp.nth(PAULA.email, 2);
      assert.equal(notice.subject, 'Your password was reset');
      assert.ok(
        notice.text.includes(
          `The password of your account at ${BRAND} was reset with a link mailed to this address, ${nowInWords()}.`,
        ),
        notice.text,
      );
      assert.ok(!notice.text.includes(new URL(link).searchParams.get('token')!), 'no token');
      assertResetAdvice(notice);

      // The used link again: refused, and nothing more is sent.
      const again = await post(
        browser,
        form,
        formTo(form, '/password/reset?ui_locales=en').action,
        {
          password: NEW_PASSWORD,
          password_confirmation: NEW_PASSWORD,
        },
      );
      assert.equal(again.status, 400);
      assert.equal(await settledCount(PAULA.email), 2);
    });

    test('turning one-time codes on, making new recovery codes and turning them off each tell the account', async () => {
      const browser = new Reader(undefined);
      await accountPage(browser, QUINN);
      const codeNow = (secret: string) =>
        generate({ secret, epoch: Math.floor(clock.now() / 1000) });
      const enrol = await open(browser, `${issuer}/account/one-time-codes`);
      assert.equal(enrol.status, 200, enrol.html.slice(0, 400));
      const secret = /id="secret"><strong>([A-Z2-7 ]+)<\/strong>/
        .exec(enrol.html)![1]!
        .replace(/ /g, '');
      const on = await post(browser, enrol, '/account/one-time-codes/confirm', {
        code: await codeNow(secret),
      });
      assert.equal(on.status, 200, on.html.slice(0, 400));
      const turnedOn = await smtp.nth(QUINN.email, 1);
      assert.equal(turnedOn.subject, 'One-time codes were turned on for your account');
      assert.ok(
        turnedOn.text.includes(
          `One-time codes were turned on for your account at ${BRAND} ${nowInWords()}, with a new set of recovery codes.`,
        ),
        turnedOn.text,
      );
      assertResetAdvice(turnedOn);
      const shown = on.html.match(/\b[0-9A-Za-z]{5}-[0-9A-Za-z]{5}\b/g) ?? [];
      assert.ok(shown.length > 0, 'the page shows the recovery codes');
      for (const code of shown) assert.ok(!turnedOn.text.includes(code), 'no recovery code in it');

      // New recovery codes and turning codes off need a fresh sign-in with a code: a new step.
      clock.advance(30_000);
      const fresh = new Reader(undefined);
      const signIn = await open(fresh, `${issuer}/account`);
      const codePage = await post(fresh, signIn, '/account/sign-in', {
        username: QUINN.email,
        password: QUINN.password,
      });
      const signedIn = await post(fresh, codePage, '/account/sign-in/one-time-code', {
        code: await codeNow(secret),
      });
      assert.equal(new URL(signedIn.url).pathname, '/account', signedIn.html.slice(0, 400));
      const settings = await open(fresh, `${issuer}/account/one-time-codes`);
      const codes = await post(fresh, settings, '/account/one-time-codes/recovery-codes');
      assert.equal(codes.status, 200, codes.html.slice(0, 400));
      const replaced = await smtp.nth(QUINN.email, 2);
      assert.equal(replaced.subject, 'New recovery codes were made for your account');
      assert.match(replaced.text, /The earlier ones no longer work\./);
      assertResetAdvice(replaced);
      const status = await open(fresh, `${issuer}/account/one-time-codes`);
      const off = await post(fresh, status, '/account/one-time-codes/remove');
      assert.equal(off.status, 200, off.html.slice(0, 400));
      assert.match(off.html, /One-time codes are off/);

      const notice = await smtp.nth(QUINN.email, 3);
      assert.equal(notice.subject, 'One-time codes were turned off for your account');
      assert.ok(
        notice.text.includes(
          `One-time codes were turned off for your account at ${BRAND} ${nowInWords()}.`,
        ),
        notice.text,
      );
      assertResetAdvice(notice);
      assert.equal(await settledCount(QUINN.email), 3, 'one notice each');
    });

    /** Turns one-time codes on from the account page (the owner is told: the first notice). */
    async function enrolOneTimeCodes(user: { email: string; password: string }) {
      const browser = new Reader(undefined);
      await accountPage(browser, user);
      const enrol = await open(browser, `${issuer}/account/one-time-codes`);
      const secret = /id="secret"><strong>([A-Z2-7 ]+)<\/strong>/
        .exec(enrol.html)![1]!
        .replace(/ /g, '');
      const code = await generate({ secret, epoch: Math.floor(clock.now() / 1000) });
      const on = await post(browser, enrol, '/account/one-time-codes/confirm', { code });
      assert.equal(on.status, 200, on.html.slice(0, 400));
      assert.equal(
        (await smtp.nth(user.email, 1)).subject,
        'One-time codes were turned on for your account',
      );
    }

    /** An administrator's change: what was done, "if you asked", and the advice if not. */
    function assertOperatorNotice(mail: ReceivedMail, subject: string, what: RegExp) {
      assert.equal(mail.subject, subject);
      assert.match(mail.text, what);
      assert.match(mail.text, /If you asked for this, there is nothing more to do\./);
      assert.match(mail.text, /If you did not ask for it, someone may have asked in your name/);
      assert.match(mail.text, /tell the administrators of Acme Login/);
      assertNoTokenLink(mail);
    }

    test('an administrator setting the password or removing the factors (CLI) tells the account; a reset that removes nothing sends nothing', async () => {
      await enrolOneTimeCodes(VERA);
      const set = await idp(['users', 'set-password', VERA.email, '--password', NEW_PASSWORD], env);
      assert.equal(set.code, 0, set.stderr);
      assert.match(set.stdout, /vera@example\.com was told by e-mail/);
      assertOperatorNotice(
        await smtp.nth(VERA.email, 2),
        'Your password was set by an administrator',
        /^An administrator of Acme Login set a new password for your account on \d{4}-\d\d-\d\d at \d\d:\d\d UTC\. Every session was signed out\./,
      );
      assert.ok(!smtp.mailsTo(VERA.email).some((m) => m.text.includes(NEW_PASSWORD)), 'no secret');

      const reset = await idp(['users', 'reset-factors', VERA.email], env);
      assert.equal(reset.code, 0, reset.stderr);
      assertOperatorNotice(
        await smtp.nth(VERA.email, 3),
        'Your one-time codes and passkeys were removed by an administrator',
        /removed the one-time codes and passkeys of your account on .* Signing in asks for your password alone/,
      );
      const again = await idp(['users', 'reset-factors', VERA.email], env);
      assert.match(again.stdout, /had no second factor: nothing removed/);
      assert.equal(await settledCount(VERA.email), 3, 'nothing removed, nothing told');
    });

    test('the admin API removing the factors tells the account, with the time of the server', async () => {
      await enrolOneTimeCodes(WALT);
      const listed = await idp(['users', 'list', '--json'], env);
      const users = JSON.parse(listed.stdout) as { sub: string; email: string }[];
      const sub = users.find((u) => u.email === WALT.email)!.sub;
      const response = await fetch(`${issuer}/admin/api/v1/users/${sub}/reset-factors`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: '{}',
      });
      assert.equal(response.status, 200, await response.clone().text());
      assert.deepEqual(await response.json(), { one_time_codes: true, passkeys: 0 });
      const notice = await smtp.nth(WALT.email, 2);
      assertOperatorNotice(
        notice,
        'Your one-time codes and passkeys were removed by an administrator',
        new RegExp(
          `^An administrator of Acme Login removed the one-time codes and passkeys of your account ${nowInWords()}\\.`,
        ),
      );
      assert.equal(await settledCount(WALT.email), 2, 'one notice');
    });

    test('adding and removing a passkey each tell the account; removing an unknown one sends nothing', async () => {
      const browser = new Reader(undefined);
      const account = await accountPage(browser, RITA);
      const csrf = /name="csrf" value="([^"]+)"/.exec(account.html)![1]!;
      const request = (path: string, fields: Record<string, string>) =>
        browser.request(`${issuer}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(fields).toString(),
        });
      const optionsResponse = await request('/account/passkeys/options', { csrf });
      assert.equal(optionsResponse.status, 200);
      const { options, state } = (await optionsResponse.json()) as {
        options: never;
        state: string;
      };
      const { credential, response } = createCredential(options, issuer);
      const added = await request('/account/passkeys', {
        csrf,
        state,
        credential: JSON.stringify(response),
        name: 'Desk key',
      });
      assert.equal(added.headers.get('location'), '/account?done=passkey-added#passkeys');
      const addedNotice = await smtp.nth(RITA.email, 1);
      assert.equal(addedNotice.subject, 'A passkey was added to your account');
      assert.ok(
        addedNotice.text.includes(
          `A passkey was added to your account at ${BRAND} ${nowInWords()}. It signs in without your password.`,
        ),
        addedNotice.text,
      );
      assertResetAdvice(addedNotice);

      const unknown = await request('/account/passkeys/remove', {
        csrf,
        credential_id: 'AAAA',
      });
      assert.equal(unknown.headers.get('location'), '/account?problem=passkey-unknown#passkeys');
      assert.equal(await settledCount(RITA.email), 1, 'nothing was removed, nothing is told');

      const removed = await request('/account/passkeys/remove', {
        csrf,
        credential_id: credential.id.toString('base64url'),
      });
      assert.equal(removed.headers.get('location'), '/account?done=passkey-removed#passkeys');
      const notice = await smtp.nth(RITA.email, 2);
      assert.equal(notice.subject, 'A passkey was removed from your account');
      assert.ok(
        notice.text.includes(
          `A passkey was removed from your account at ${BRAND} ${nowInWords()}.`,
        ),
        notice.text,
      );
      assertResetAdvice(notice);
      assert.equal(await settledCount(RITA.email), 2, 'one notice each');
      assert.equal(smtp.mailsTo(BOB_EMAIL).length, 0, 'nobody else hears of it');
    });
  });
}
