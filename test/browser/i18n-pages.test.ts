import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { authorizeUrl, pkce, webRequest } from '../support/flow.js';
import { ALICE, startProvider, type ProviderFixture } from '../support/provider-fixture.js';

/**
 * The login, consent and error pages in Debian's Chromium, in English and German, light and dark,
 * with the brand settings on: the brand's style and logo pass the page's CSP (nothing refused),
 * button text contrasts with the brand colour, and a screenshot of each lands in SCREENSHOTS_DIR
 * (default /tmp/shots) for a person to look at.
 */

const CHROMIUM = '/usr/bin/chromium';
const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SHOTS = process.env.SCREENSHOTS_DIR ?? '/tmp/shots';
const LOGO = 'https://cdn.example.com/acme.svg';
// Served by the browser context itself (no network here): a small two-colour mark.
const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40" viewBox="0 0 40 40"><rect width="40" height="40" rx="9" fill="#0a7b4f"/><path d="M11 29 20 10l9 19h-5l-4-9-4 9z" fill="#fff"/></svg>`;
const haveChromium = existsSync(CHROMIUM);

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

describe('pages in Chromium: English and German, light and dark, branded', () => {
  let op: ProviderFixture | undefined;
  let browser: Browser | undefined;

  before(async () => {
    if (!haveChromium) return;
    await mkdir(SHOTS, { recursive: true });
    op = await startProvider('sqlite', {
      IDP_BRAND_NAME: 'Acme Login',
      IDP_BRAND_LOGO_URL: LOGO,
      IDP_BRAND_PRIMARY_COLOR: '#0a7b4f',
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: LAUNCH_ARGS,
      timeout: 20_000,
    });
  });
  after(async () => {
    await browser?.close();
    await op?.close();
  });

  for (const locale of ['en', 'de'] as const) {
    for (const colorScheme of ['light', 'dark'] as const) {
      test(
        `login, consent and error pages, ${locale}, ${colorScheme}`,
        { timeout: 60_000 },
        async (t) => {
          if (!haveChromium) {
            t.skip('chromium not installed: apt-get install -y chromium');
            return;
          }
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
});
