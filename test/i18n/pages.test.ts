import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '@idp/config';
import { createLogger, startServer, type RunningServer } from '@idp/server';
import * as oidc from 'openid-client';
import { generate } from 'otplib';
import { TestBrowser, type Page } from '../support/browser.js';
import { providers, scratchDatabase } from '../support/databases.js';
import { isolatedEnvironment, keyEncryptionKey } from '../support/environment.js';
import { freePort } from '../support/free-port.js';
import { idp, run } from '../support/processes.js';
import { serverEntry } from '../support/paths.js';
import { ALICE, CALLBACK, seed, WEB_SECRET } from '../support/provider-fixture.js';
import { linkIn, SmtpSink } from '../support/smtp-sink.js';

/** A browser whose every request says which languages its user reads (RFC 9110 12.5.4). */
class LocalizedBrowser extends TestBrowser {
  constructor(readonly acceptLanguage: string) {
    super();
  }

  override request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('accept-language', this.acceptLanguage);
    return super.request(url, { ...init, headers });
  }
}

/** The start tag of the one `<input>` named `name`. */
function inputNamed(html: string, name: string): string {
  const found = [...html.matchAll(/<input\b[^>]*>/g)]
    .map(([tag]) => tag)
    .filter((tag) => tag.includes(`name="${name}"`));
  assert.equal(found.length, 1, `one input named ${name}`);
  return found[0]!;
}

/** DESIGN.md's login page contract, which holds in every language. */
function assertLoginContract(page: Page) {
  assert.match(inputNamed(page.html, 'username'), /autocomplete="username"/);
  const password = inputNamed(page.html, 'password');
  assert.match(password, /type="password"/);
  assert.match(password, /autocomplete="current-password"/);
}

/** The href of the first `<a>` whose text matches `text`, resolved against the page. */
function linkOnPage(page: Page, text: RegExp): string {
  for (const match of page.html.matchAll(/<a\b[^>]*href="([^"]*)"[^>]*>([^<]*)<\/a>/g)) {
    if (text.test(match[2]!)) return new URL(match[1]!.replace(/&amp;/g, '&'), page.url).href;
  }
  throw new Error(`no link matching ${text} on ${page.url}:\n${page.html.slice(0, 800)}`);
}

function assertLanguage(page: Page, locale: 'en' | 'de') {
  assert.match(page.html, new RegExp(`^<!doctype html>\\n<html lang="${locale}">`));
  assert.equal(page.headers?.get('content-language'), locale);
  assert.match(page.headers?.get('vary') ?? '', /accept-language/i);
}

/** Readers of German by their `locale` claim (OIDC Core 5.1), and one who sets up codes. */
const CARL = { email: 'carl@example.com', password: 'carl has a long password', locale: 'de-AT' };
const DORA = { email: 'dora@example.com', password: 'dora has a long password' };

const BRAND = {
  IDP_BRAND_NAME: 'Acme Login',
  IDP_BRAND_LOGO_URL: 'https://cdn.example.com/acme.svg',
  IDP_BRAND_PRIMARY_COLOR: '#0A7B4F',
};

for (const provider of providers) {
  describe(`pages in English and German, branded, on ${provider}`, () => {
    const smtp = new SmtpSink();
    let server: RunningServer;
    let drop: () => Promise<void>;
    let issuer: string;
    let config: oidc.Configuration;
    let env: Record<string, string>;

    before(async () => {
      const smtpUrl = await smtp.start();
      const database = await scratchDatabase(provider);
      drop = () => database.drop();
      const port = await freePort();
      issuer = `http://127.0.0.1:${port}`;
      env = await isolatedEnvironment({
        DATABASE_URL: database.url,
        IDP_KEY_ENCRYPTION_KEY: keyEncryptionKey(),
        IDP_ISSUER: issuer,
        PORT: String(port),
        HOST: '127.0.0.1',
        IDP_SMTP_URL: smtpUrl,
        IDP_EMAIL_FROM: 'signin@example.com',
        ...BRAND,
      });
      const seedFile = join(tmpdir(), `i18n-seed-${randomBytes(6).toString('hex')}.json`);
      await writeFile(seedFile, JSON.stringify({ ...seed, users: [...seed.users, CARL, DORA] }));
      const imported = await idp(['import', seedFile], env);
      assert.equal(imported.code, 0, imported.stderr);
      server = await startServer(loadConfig(env), { logger: createLogger('silent') });
      config = await oidc.discovery(
        new URL(issuer),
        'web',
        undefined,
        oidc.ClientSecretBasic(WEB_SECRET),
        { execute: [oidc.allowInsecureRequests] },
      );
    });
    after(async () => {
      await server?.app.close();
      await smtp.close();
      await drop?.();
    });

    async function authorizationUrl(extra: Record<string, string> = {}) {
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: CALLBACK,
        scope: 'openid email',
        prompt: 'consent',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
        ...extra,
      });
      return { url: url.href, verifier, state, nonce };
    }

    test("OIDC Discovery 1.0 3: ui_locales_supported lists the pages' languages", () => {
      assert.deepEqual(config.serverMetadata().ui_locales_supported, ['en', 'de']);
    });

    test('English by default: lang, Content-Language, Vary, and the page contract', async () => {
      const { url } = await authorizationUrl();
      const login = await new TestBrowser().navigate(url, CALLBACK);
      assert.equal(login.status, 200);
      assertLanguage(login, 'en');
      assertLoginContract(login);
      assert.match(login.html, /<h1>Sign in<\/h1>/);
      assert.match(login.html, /<a [^>]*href="\/password\/forgot\?[^"]*">[^<]*Forgot[^<]*<\/a>/);
      // A language the server does not speak gets English too.
      const french = await new LocalizedBrowser('fr-FR, fr;q=0.9').navigate(url, CALLBACK);
      assertLanguage(french, 'en');
    });

    test('Accept-Language: de gets the German login page, with the same contract', async () => {
      const { url } = await authorizationUrl();
      const login = await new LocalizedBrowser('de-DE, de;q=0.9, en;q=0.5').navigate(url, CALLBACK);
      assert.equal(login.status, 200);
      assertLanguage(login, 'de');
      assertLoginContract(login);
      assert.match(login.html, /<h1>Anmelden<\/h1>/);
      assert.match(login.html, /<label for="password">Passwort<\/label>/);
      assert.match(
        login.html,
        /<a [^>]*href="\/password\/forgot\?[^"]*">Passwort vergessen\?<\/a>/,
      );
      // q-values: English preferred over German.
      const english = await new LocalizedBrowser('de;q=0.3, en;q=0.8').navigate(url, CALLBACK);
      assertLanguage(english, 'en');
    });

    test('OIDC Core 3.1.2.1 ui_locales=de beats Accept-Language and lasts through login and consent to the code', async () => {
      const started = await authorizationUrl({ ui_locales: 'fr-CA de-AT en' });
      const browser = new LocalizedBrowser('en');
      const login = await browser.navigate(started.url, CALLBACK);
      assertLanguage(login, 'de');
      assertLoginContract(login);
      // A wrong password: the error is German too (the sealed interaction carries ui_locales).
      const wrong = await browser.submit(
        login,
        { username: ALICE.email, password: 'wrong' },
        CALLBACK,
      );
      assert.equal(wrong.status, 401);
      assertLanguage(wrong, 'de');
      assert.match(wrong.html, /passen zu keinem Konto/);
      const consent = await browser.submit(
        wrong,
        { username: ALICE.email, password: ALICE.password },
        CALLBACK,
      );
      assert.equal(consent.status, 200, consent.html.slice(0, 300));
      assertLanguage(consent, 'de');
      assert.match(
        consent.html,
        /<button type="submit" name="decision" value="allow">Erlauben<\/button>/,
      );
      assert.match(
        consent.html,
        /<button type="submit" name="decision" value="deny">Ablehnen<\/button>/,
      );
      assert.match(consent.html, /<li>Ihre E-Mail-Adresse sehen<\/li>/);
      const done = await browser.submit(consent, {}, CALLBACK, {
        name: 'decision',
        value: 'allow',
      });
      assert.ok(done.redirectedTo, done.html.slice(0, 300));
      const tokens = await oidc.authorizationCodeGrant(config, new URL(done.redirectedTo), {
        pkceCodeVerifier: started.verifier,
        expectedState: started.state,
        expectedNonce: started.nonce,
        idTokenExpected: true,
      });
      assert.equal(tokens.claims()!.email, ALICE.email);
    });

    test('the error page for an unknown client is German for a German reader', async () => {
      const url = `${issuer}/authorize?client_id=nobody&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(CALLBACK)}`;
      const page = await new LocalizedBrowser('de').navigate(url, CALLBACK);
      assert.equal(page.status, 400);
      assertLanguage(page, 'de');
      assert.match(page.html, /<h1>Dieser Anmeldelink ist ungültig<\/h1>/);
      assert.match(
        page.html,
        /<p class="lead">Die Anwendung, die Sie hierher geschickt hat, ist bei diesem Anmeldedienst nicht registriert\.<\/p>/,
      );
      // The protocol core's English description stays, for whoever reports the problem.
      assert.match(
        page.html,
        /<p class="muted">invalid_client: The application that sent you here/,
      );
      const english = await new TestBrowser().navigate(url, CALLBACK);
      assertLanguage(english, 'en');
      assert.match(
        english.html,
        /<p class="lead">The application that sent you here is not registered with this sign-in service\.<\/p>/,
      );
    });

    test('a German reader asking for a reset gets the German e-mail, whose link leads to a German page', async () => {
      const browser = new LocalizedBrowser('de');
      const login = await browser.navigate((await authorizationUrl()).url, CALLBACK);
      const forgot = await browser.navigate(linkOnPage(login, /vergessen/), CALLBACK);
      assertLanguage(forgot, 'de');
      assert.match(forgot.html, /<h1>Passwort zurücksetzen<\/h1>/);
      const sent = await browser.submit(forgot, { email: ALICE.email }, CALLBACK);
      assert.equal(sent.status, 200);
      assertLanguage(sent, 'de');
      assert.match(sent.html, /Prüfen Sie Ihr E-Mail-Postfach/);

      const mail = await smtp.nth(ALICE.email, 1);
      assert.equal(mail.subject, 'Passwort zurücksetzen');
      // The product name stands for the site (IDP_BRAND_NAME).
      assert.match(mail.text, /das Passwort Ihres Kontos zurückzusetzen bei Acme Login\./);
      assert.match(mail.text, /Neues Passwort wählen:/);
      assert.match(mail.text, /30 Minuten lang/);
      assert.match(mail.html, /<html lang="de">/);
      const link = linkIn(mail, `${issuer}/password/reset?token=`);
      const form = await browser.navigate(link, CALLBACK);
      assert.equal(form.status, 200);
      assertLanguage(form, 'de');
      assert.match(form.html, /<h1>Neues Passwort wählen<\/h1>/);
      assert.match(form.html, /autocomplete="new-password"/);
    });

    /** Signs `browser` in on the account page's own sign-in; answers the account page. */
    async function accountSignIn(browser: TestBrowser, user: { email: string; password: string }) {
      const signIn = await browser.navigate(`${issuer}/account`, CALLBACK);
      assert.equal(signIn.status, 200, signIn.html.slice(0, 300));
      assert.match(signIn.url, /\/account\/sign-in$/);
      return {
        signIn,
        account: await browser.submit(
          signIn,
          { username: user.email, password: user.password },
          CALLBACK,
        ),
      };
    }

    test('a German reader gets the German account sign-in and account page, errors included', async () => {
      const browser = new LocalizedBrowser('de-CH, de;q=0.9');
      const signIn = await browser.navigate(`${issuer}/account`, CALLBACK);
      assertLanguage(signIn, 'de');
      assertLoginContract(signIn);
      assert.match(signIn.html, /<p class="lead">weiter zu <strong>Ihrem Konto<\/strong><\/p>/);
      const wrong = await browser.submit(
        signIn,
        { username: ALICE.email, password: 'wrong' },
        CALLBACK,
      );
      assert.equal(wrong.status, 401);
      assertLanguage(wrong, 'de');
      assert.match(wrong.html, /passen zu keinem Konto/);

      const account = await browser.submit(
        wrong,
        { username: ALICE.email, password: ALICE.password },
        CALLBACK,
      );
      assert.equal(account.status, 200, account.html.slice(0, 300));
      assertLanguage(account, 'de');
      assert.match(account.html, /<h1>Ihr Konto<\/h1>/);
      assert.match(
        account.html,
        /<p class="lead">Angemeldet als <strong>alice@example\.com<\/strong><\/p>/,
      );
      assert.match(account.html, /<nav aria-label="Auf dieser Seite">/);
      for (const heading of [
        'Profil',
        'Passwort',
        'Einmalcodes',
        'Wo Sie angemeldet sind',
        'Verbundene Anwendungen',
        'Passkeys',
      ])
        assert.match(account.html, new RegExp(`<h2 id="[a-z-]+-title">${heading}</h2>`));
      assert.match(
        account.html,
        /<p>Einmalcodes sind ausgeschaltet\.<\/p>\n<p><a href="\/account\/one-time-codes">Einmalcodes einrichten<\/a><\/p>/,
      );
      assert.match(account.html, /<label for="profile-given_name">Vorname<\/label>/);
      assert.match(account.html, /<label for="password-current">Aktuelles Passwort<\/label>/);
      assert.match(
        account.html,
        /<span class="badge">Dieser Browser<\/span>Angemeldet am <time[^>]*>\d+\. [A-Z][a-zä]+\.? \d{4}/,
      );
      assert.match(account.html, /mit Passwort<\/p>/);
      // DESIGN.md: the button that adds a passkey says "passkey", in German too.
      assert.match(account.html, /<button type="submit">Passkey hinzufügen<\/button>/);
      // The passkey script's failure messages come from the page, in its language.
      assert.match(
        account.html,
        /data-cancelled="Die Passkey-Anfrage wurde abgebrochen oder ist abgelaufen\./,
      );
      assert.doesNotMatch(account.html, /Your account|Sign out|Change password/);

      // A refused form comes back in German, with each problem in German, and changes nothing.
      const refused = await browser.submit(
        account,
        { zoneinfo: 'Mars/Olympus', website: 'ftp://x' },
        CALLBACK,
      );
      assert.equal(refused.status, 400);
      assertLanguage(refused, 'de');
      assert.match(
        refused.html,
        /<p class="alert" role="alert">Einige Angaben konnten nicht gespeichert werden\./,
      );
      assert.match(
        refused.html,
        /<p class="field-error" id="profile-zoneinfo-error">Verwenden Sie einen Zeitzonennamen wie Europe\/Berlin/,
      );
      assert.match(
        refused.html,
        /<p class="field-error" id="profile-website-error">Verwenden Sie eine vollständige Webadresse/,
      );
      const again = await browser.navigate(`${issuer}/account?done=profile`, CALLBACK);
      assert.match(
        again.html,
        /<p class="notice" role="status">Ihr Profil wurde gespeichert\.<\/p>/,
      );
      assert.match(again.html, /id="profile-zoneinfo" name="zoneinfo" type="text" value=""/);

      const english = await accountSignIn(new TestBrowser(), ALICE);
      assertLanguage(english.account, 'en');
      assert.match(english.account.html, /<h1>Your account<\/h1>/);
    });

    test('a German reader sets up one-time codes on German pages: enrolment, recovery codes, confirmation', async () => {
      const browser = new LocalizedBrowser('de');
      const { account } = await accountSignIn(browser, DORA);
      assertLanguage(account, 'de');
      const enrol = await browser.navigate(`${issuer}/account/one-time-codes`, CALLBACK);
      assert.equal(enrol.status, 200, enrol.html.slice(0, 300));
      assertLanguage(enrol, 'de');
      assert.match(enrol.html, /<h1>Einmalcodes einrichten<\/h1>/);
      assert.match(enrol.html, /mit einer Authenticator-App \(für dora@example\.com\)/);
      assert.match(
        enrol.html,
        /alt="QR-Code für Ihre Authenticator-App; derselbe Schlüssel steht darunter"/,
      );
      assert.match(enrol.html, /<label for="code">Code aus der App<\/label>/);
      assert.match(enrol.html, /<button type="submit">Einmalcodes einschalten<\/button>/);
      const secret = /id="secret"><strong>([A-Z2-7 ]+)<\/strong>/
        .exec(enrol.html)![1]!
        .replace(/ /g, '');
      const code = await generate({ secret });

      const wrong = await browser.submit(
        enrol,
        { code: String((Number(code) + 1) % 1e6).padStart(6, '0') },
        CALLBACK,
      );
      assert.equal(wrong.status, 400);
      assertLanguage(wrong, 'de');
      assert.match(
        wrong.html,
        /<p class="alert" role="alert" id="enrol-error">Dieser Code passt nicht\./,
      );

      const saved = await browser.submit(wrong, { code: await generate({ secret }) }, CALLBACK);
      assert.equal(saved.status, 200, saved.html.slice(0, 300));
      assertLanguage(saved, 'de');
      assert.match(saved.html, /<h1>Speichern Sie Ihre Wiederherstellungs\u00ADcodes<\/h1>/);
      assert.match(
        saved.html,
        /<ul class="codes" id="recovery-codes" aria-label="Wiederherstellungscodes">/,
      );
      assert.equal([...saved.html.matchAll(/<li>[a-z2-9]{5}-[a-z2-9]{5}<\/li>/g)].length, 10);
      assert.match(saved.html, /<a href="\/account\/one-time-codes">Fertig<\/a>/);
      // The owner is told, in the language of the page (the account names none).
      const notice = await smtp.nth(DORA.email, 1);
      assert.equal(notice.subject, 'Einmalcodes für Ihr Konto wurden eingeschaltet');

      // Changing codes now wants the code as well: the German confirmation asks for both.
      const confirm = await browser.navigate(`${issuer}/account/one-time-codes`, CALLBACK);
      assertLanguage(confirm, 'de');
      assert.match(confirm.html, /<h1>Bestätigen Sie, dass Sie es sind<\/h1>/);
      assert.match(confirm.html, /Geben Sie Ihr Passwort und einen Einmalcode ein\./);
      assert.match(
        confirm.html,
        /<label for="code">Einmalcode oder Wiederherstellungscode<\/label>/,
      );
    });

    test('pnpm idp users send-reset --locale de mails German, and its link opens German pages for any browser', async () => {
      const before = smtp.mailsTo(ALICE.email).length;
      const sent = await idp(['users', 'send-reset', ALICE.email, '--locale', 'de-DE'], env);
      assert.equal(sent.code, 0, sent.stderr);
      assert.match(
        sent.stdout,
        /sent a password-reset link to alice@example\.com \(language: de\)/,
      );
      const mail = await smtp.nth(ALICE.email, before + 1);
      assert.equal(mail.subject, 'Passwort zurücksetzen');
      assert.match(mail.html, /<html lang="de">/);
      const link = linkIn(mail, `${issuer}/password/reset?token=`);
      assert.equal(new URL(link).searchParams.get('ui_locales'), 'de');

      // A browser that prefers English still gets the language of the mail.
      const browser = new LocalizedBrowser('en-US, en;q=0.9');
      const form = await browser.navigate(link, CALLBACK);
      assert.equal(form.status, 200, form.html.slice(0, 300));
      assertLanguage(form, 'de');
      assert.match(form.html, /<h1>Neues Passwort wählen<\/h1>/);
      assert.match(form.html, /<label for="password">Neues Passwort<\/label>/);
      assert.match(form.html, /autocomplete="new-password"/);
      const short = await browser.submit(
        form,
        { password: 'short', password_confirmation: 'short' },
        CALLBACK,
      );
      assert.equal(short.status, 400);
      assertLanguage(short, 'de');
      assert.match(short.html, /Wählen Sie ein Passwort mit mindestens 8 Zeichen\./);
      // Without the parameter (an older link) the browser's language decides, as before.
      const plain = new URL(link);
      plain.searchParams.delete('ui_locales');
      assertLanguage(await browser.navigate(plain.href, CALLBACK), 'en');
    });

    test('users send-verification follows the locale claim, else English; an unknown --locale is refused', async () => {
      const carl = await idp(['users', 'send-verification', CARL.email], env);
      assert.equal(carl.code, 0, carl.stderr);
      const german = await smtp.nth(CARL.email, 1);
      assert.equal(german.subject, 'E-Mail-Adresse bestätigen');
      const link = linkIn(german, `${issuer}/email/verify?token=`);
      assert.equal(new URL(link).searchParams.get('ui_locales'), 'de');
      const page = await new TestBrowser().navigate(link, CALLBACK);
      assertLanguage(page, 'de');
      assert.match(page.html, /<button type="submit">Meine Adresse bestätigen<\/button>/);
      const confirmed = await new TestBrowser().submit(page, {}, CALLBACK);
      assert.equal(confirmed.status, 403, 'another browser has no CSRF cookie');
      assertLanguage(confirmed, 'de');

      const dora = await idp(['users', 'send-verification', DORA.email], env);
      assert.equal(dora.code, 0, dora.stderr);
      const english = await smtp.nth(DORA.email, 2); // the first: one-time codes turned on
      assert.equal(english.subject, 'Confirm your e-mail address');
      assert.equal(
        new URL(linkIn(english, `${issuer}/email/verify?token=`)).searchParams.get('ui_locales'),
        'en',
      );

      const french = await idp(['users', 'send-verification', DORA.email, '--locale', 'fr'], env);
      assert.notEqual(french.code, 0);
      assert.match(french.stderr, /--locale fr is not a language of the e-mails: use en or de/);
      // Refused before anything was sent: the CLI exits only after the SMTP server took a mail.
      assert.equal(smtp.mailsTo(DORA.email).length, 2, 'nothing was sent');
    });

    test('branding settings appear on the page, and its policy allows exactly the brand style and logo', async () => {
      const page = await new TestBrowser().navigate((await authorizationUrl()).url, CALLBACK);
      assert.match(page.html, /<title>Sign in to [^<]+ · Acme Login<\/title>/);
      assert.match(
        page.html,
        /<header class="brand"><img src="https:\/\/cdn\.example\.com\/acme\.svg" alt=""><span>Acme Login<\/span><\/header>/,
      );
      const styles = [...page.html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!);
      assert.equal(styles.length, 2);
      assert.match(styles[1]!, /--accent: #0a7b4f; [^}]*--on-accent: #ffffff;/);
      const csp = page.headers!.get('content-security-policy')!;
      const styleSources = /style-src ([^;]+)/.exec(csp)![1]!.split(' ');
      const hash = (text: string) =>
        `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
      assert.deepEqual(styleSources, styles.map(hash));
      assert.match(csp, /img-src 'self' data: https:\/\/cdn\.example\.com;/);
    });
  });
}

test('a bad brand colour stops the server at start with a line naming IDP_BRAND_PRIMARY_COLOR', async () => {
  const env = await isolatedEnvironment({
    IDP_BRAND_PRIMARY_COLOR: 'green',
    IDP_BRAND_LOGO_URL: 'http://cdn.example.com/logo.svg',
  });
  const result = await run([process.execPath, serverEntry], env);
  assert.notEqual(result.code, 0);
  assert.match(
    result.stderr,
    /IDP_BRAND_PRIMARY_COLOR: must be a colour written as #rrggbb, e\.g\. #2450d3 \(got "green"\)/,
  );
  assert.match(result.stderr, /IDP_BRAND_LOGO_URL: must be an https URL or a path on this server/);
  assert.equal(result.stdout, '');
});
