import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Browser, type Page } from 'playwright-core';
import { generate } from 'otplib';
import { launchChromium } from '../support/chromium.js';
import { authorizeUrl, pkce, webRequest } from '../support/flow.js';
import { idp } from '../support/processes.js';
import { ALICE, startProvider, type ProviderFixture } from '../support/provider-fixture.js';
import { linkIn, SmtpSink } from '../support/smtp-sink.js';

/**
 * The login, consent, error, account, one-time-code and new-password pages in Debian's Chromium, in English and German, light and dark,
 * with the brand settings on: the brand's style and logo pass the page's CSP (nothing refused),
 * button text contrasts with the brand colour, and a screenshot of each lands in SCREENSHOTS_DIR
 * (default /tmp/shots) for a person to look at.
 */

const SHOTS = process.env.SCREENSHOTS_DIR ?? '/tmp/shots';
const LOGO = 'https://cdn.example.com/acme.svg';
// Served by the browser context itself (no network here): a small two-colour mark.
const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40" viewBox="0 0 40 40"><rect width="40" height="40" rx="9" fill="#0a7b4f"/><path d="M11 29 20 10l9 19h-5l-4-9-4 9z" fill="#fff"/></svg>`;

/** WCAG 2.2 contrast ratio of two CSS `rgb(r, g, b)` colours. */
function contrast(a: string, b: string): number {
  const luminance = (css: string) => {
    const [r, g, c] = css
      .match(/\d+/g)!
      .slice(0, 3)
      .map((v) => {
        const x = Number(v) / 255;
        return x <= 0.04045 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
      }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * c;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** Every visible form control's accessible name from a <label> (or aria-label), none missing. */
async function unlabelledControls(page: Page): Promise<string[]> {
  return page.$$eval('input:not([type=hidden]), select, textarea', (elements) =>
    elements
      .map(
        (element) =>
          element as unknown as {
            id: string;
            name: string;
            labels: unknown[] | null;
            getAttribute(n: string): string | null;
            closest(s: string): unknown;
          },
      )
      .filter((e) => e.closest('[hidden]') === null)
      .filter((e) => (e.labels?.length ?? 0) === 0 && !e.getAttribute('aria-label'))
      .map((e) => e.name || e.id),
  );
}

describe('pages in Chromium: English and German, light and dark, branded', () => {
  let op: ProviderFixture | undefined;
  let browser: Browser | undefined;
  const smtp = new SmtpSink();

  before(async () => {
    await mkdir(SHOTS, { recursive: true });
    const smtpUrl = await smtp.start();
    op = await startProvider('sqlite', {
      IDP_SMTP_URL: smtpUrl,
      IDP_EMAIL_FROM: 'signin@example.com',
      IDP_BRAND_NAME: 'Acme Login',
      IDP_BRAND_LOGO_URL: LOGO,
      IDP_BRAND_PRIMARY_COLOR: '#0a7b4f',
    });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await op?.close();
    await smtp.close();
  });

  for (const locale of ['en', 'de'] as const) {
    for (const colorScheme of ['light', 'dark'] as const) {
      test(
        `login, consent and error pages, ${locale}, ${colorScheme}`,
        { timeout: 60_000 },
        async () => {
          const context = await browser!.newContext({
            locale: locale === 'de' ? 'de-DE' : 'en-US',
            colorScheme,
            viewport: { width: 520, height: 760 },
          });
          await context.route(LOGO, (route) =>
            route.fulfill({ status: 200, contentType: 'image/svg+xml', body: LOGO_SVG }),
          );
          const page = await context.newPage();
          page.setDefaultTimeout(15_000);
          const refused: string[] = [];
          // CSP refusals are reported on the console; the error page's own 400 status is too.
          page.on('console', (message) => {
            if (/Content Security Policy|Refused to/i.test(message.text()))
              refused.push(message.text());
          });
          page.on('pageerror', (error) => refused.push(error.message));
          const shot = (name: string) =>
            page.screenshot({
              path: join(SHOTS, `i18n-${name}-${locale}-${colorScheme}.png`),
              fullPage: true,
            });

          const { challenge } = pkce();
          await page.goto(authorizeUrl(op!.issuer, webRequest(challenge, { prompt: 'consent' })));
          assert.equal(await page.getAttribute('html', 'lang'), locale);
          assert.equal(await page.textContent('h1'), locale === 'de' ? 'Anmelden' : 'Sign in');
          // The logo loaded (allowed by img-src) and the brand colour applied (allowed by its hash).
          assert.ok(
            await page.$eval(
              '.brand img',
              (img) => (img as unknown as { naturalWidth: number }).naturalWidth > 0,
            ),
          );
          const button = await page.$eval('button[type=submit]', (element) => {
            // No DOM lib in this package's types: the browser's own function, typed here.
            const { getComputedStyle } = globalThis as unknown as {
              getComputedStyle(e: unknown): { backgroundColor: string; color: string };
            };
            const style = getComputedStyle(element);
            return { background: style.backgroundColor, color: style.color };
          });
          assert.equal(button.background, 'rgb(10, 123, 79)');
          assert.ok(contrast(button.background, button.color) >= 4.5, JSON.stringify(button));
          await shot('login');

          await page.fill('input[name=username]', ALICE.email);
          await page.fill('input[name=password]', ALICE.password);
          await page.click('button[type=submit]');
          await page.waitForSelector('button[name=decision][value=allow]');
          assert.equal(await page.getAttribute('html', 'lang'), locale);
          assert.equal(
            (await page.textContent('button[value=allow]'))?.trim(),
            locale === 'de' ? 'Erlauben' : 'Allow',
          );
          await shot('consent');

          await page.goto(
            `${op!.issuer}/authorize?client_id=nobody&response_type=code&scope=openid`,
          );
          assert.equal(await page.getAttribute('html', 'lang'), locale);
          await shot('error');

          assert.deepEqual(refused, [], 'nothing refused by the page policy, no script errors');
          await context.close();
        },
      );
    }
  }

  const ACCOUNT_TEXT = {
    en: {
      signIn: 'Sign in',
      account: 'Your account',
      enrol: 'Set up one-time codes',
      codeLabel: 'Code from the app',
      recovery: 'Save your recovery codes',
      newPassword: 'Choose a new password',
    },
    de: {
      signIn: 'Anmelden',
      account: 'Ihr Konto',
      enrol: 'Einmalcodes einrichten',
      codeLabel: 'Code aus der App',
      recovery: 'Speichern Sie Ihre Wiederherstellungs\u00ADcodes',
      newPassword: 'Neues Passwort wählen',
    },
  } as const;

  for (const locale of ['en', 'de'] as const) {
    for (const colorScheme of ['light', 'dark'] as const) {
      test(
        `account, one-time-code and new-password pages, ${locale}, ${colorScheme}`,
        { timeout: 90_000 },
        async () => {
          const words = ACCOUNT_TEXT[locale];
          // A user of its own per run: enrolling one-time codes changes how they sign in.
          const user = {
            email: `shots-${locale}-${colorScheme}@example.com`,
            password: 'a long password for screenshots',
            name: 'Ada Lovelace',
          };
          const seedFile = join(tmpdir(), `i18n-shots-${locale}-${colorScheme}.json`);
          await writeFile(seedFile, JSON.stringify({ users: [user] }));
          const imported = await idp(['import', seedFile], op!.env);
          assert.equal(imported.code, 0, imported.stderr);

          const context = await browser!.newContext({
            locale: locale === 'de' ? 'de-DE' : 'en-US',
            colorScheme,
            viewport: { width: 720, height: 900 },
          });
          await context.route(LOGO, (route) =>
            route.fulfill({ status: 200, contentType: 'image/svg+xml', body: LOGO_SVG }),
          );
          const page = await context.newPage();
          page.setDefaultTimeout(15_000);
          const refused: string[] = [];
          page.on('console', (message) => {
            if (/Content Security Policy|Refused to/i.test(message.text()))
              refused.push(message.text());
          });
          page.on('pageerror', (error) => refused.push(error.message));
          const shot = async (name: string) => {
            assert.equal(await page.getAttribute('html', 'lang'), locale);
            assert.deepEqual(
              await unlabelledControls(page),
              [],
              `every input of ${name} has a label`,
            );
            await page.screenshot({
              path: join(SHOTS, `i18n-${name}-${locale}-${colorScheme}.png`),
              fullPage: true,
            });
          };

          await page.goto(`${op!.issuer}/account`);
          assert.equal(await page.textContent('h1'), words.signIn);
          await page.fill('input[name=username]', user.email);
          await page.fill('input[name=password]', user.password);
          await page.click('button[type=submit]');
          await page.waitForURL(/\/account$/);
          assert.equal(await page.textContent('h1'), words.account);
          await shot('account');

          await page.goto(`${op!.issuer}/account/one-time-codes`);
          assert.equal(await page.textContent('h1'), words.enrol);
          assert.equal(await page.textContent('label[for=code]'), words.codeLabel);
          await shot('enrol');
          const secret = (await page.textContent('#secret'))!.replace(/\s/g, '');
          await page.fill('input[name=code]', await generate({ secret }));
          await page.click('form[action$="/confirm"] button[type=submit]');
          await page.waitForSelector('#recovery-codes');
          assert.equal(await page.textContent('h1'), words.recovery);
          assert.equal(await page.locator('#recovery-codes li').count(), 10);
          await shot('recovery-codes');

          await smtp.nth(user.email, 1); // the notice that one-time codes were turned on
          const sent = await idp(['users', 'send-reset', user.email, '--locale', locale], op!.env);
          assert.equal(sent.code, 0, sent.stderr);
          const link = linkIn(await smtp.nth(user.email, 2), `${op!.issuer}/password/reset?token=`);
          // A fresh browser context in the other language: the link's language wins.
          const other = await browser!.newContext({
            locale: locale === 'de' ? 'en-US' : 'de-DE',
            colorScheme,
            viewport: { width: 520, height: 760 },
          });
          await other.route(LOGO, (route) =>
            route.fulfill({ status: 200, contentType: 'image/svg+xml', body: LOGO_SVG }),
          );
          const resetPage = await other.newPage();
          await resetPage.goto(link);
          assert.equal(await resetPage.getAttribute('html', 'lang'), locale);
          assert.equal(await resetPage.textContent('h1'), words.newPassword);
          assert.deepEqual(await unlabelledControls(resetPage), []);
          await resetPage.screenshot({
            path: join(SHOTS, `i18n-new-password-${locale}-${colorScheme}.png`),
            fullPage: true,
          });

          assert.deepEqual(refused, [], 'nothing refused by the page policy, no script errors');
          await other.close();
          await context.close();
        },
      );
    }
  }
});
