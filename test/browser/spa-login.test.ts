import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { type Browser } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { idp } from '../support/processes.js';
import { ALICE, startProvider, type ProviderFixture } from '../support/provider-fixture.js';

/**
 * A real browser against the real server: headless Debian Chromium loads a single-page app that
 * signs in with oidc-client-ts (authorization code + PKCE, public client), from another origin
 * than the issuer, so discovery, /token and /userinfo are cross-origin fetches that need CORS.
 */

const CLIENT_ID = 'spa';
const SCREENSHOT = '/tmp/spa-after-login.png';

const SPA_DIR = join(dirname(fileURLToPath(import.meta.url)), 'spa');
// The package's browser bundle: an IIFE that defines the global `oidc`.
const OIDC_BUNDLE = join(
  dirname(createRequire(import.meta.url).resolve('oidc-client-ts/package.json')),
  'dist/browser/oidc-client-ts.min.js',
);

interface SpaServer {
  readonly origin: string;
  close(): Promise<void>;
}

/** Serves the SPA's static files, its config and the oidc-client-ts bundle on an ephemeral port. */
async function startSpa(issuer: string): Promise<SpaServer> {
  const files: Record<string, { file: string; type: string }> = {
    '/': { file: join(SPA_DIR, 'index.html'), type: 'text/html; charset=utf-8' },
    '/callback': { file: join(SPA_DIR, 'index.html'), type: 'text/html; charset=utf-8' },
    '/app.js': { file: join(SPA_DIR, 'app.js'), type: 'text/javascript; charset=utf-8' },
    '/oidc-client-ts.min.js': { file: OIDC_BUNDLE, type: 'text/javascript; charset=utf-8' },
  };
  const config = JSON.stringify({ issuer, clientId: CLIENT_ID });
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://spa').pathname;
    response.setHeader('cache-control', 'no-store');
    if (request.method !== 'GET') {
      response.writeHead(405).end();
    } else if (path === '/config.json') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(config);
    } else if (files[path]) {
      const { file, type } = files[path];
      readFile(file).then(
        (body) => response.writeHead(200, { 'content-type': type }).end(body),
        (error: unknown) => response.writeHead(500).end(String(error)),
      );
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

describe('single-page app login in Chromium with oidc-client-ts', () => {
  let op: ProviderFixture | undefined;
  let spa: SpaServer | undefined;
  let browser: Browser | undefined;

  before(async () => {
    op = await startProvider('sqlite');
    spa = await startSpa(op.issuer);
    const added = await idp(
      [
        'clients',
        'add',
        CLIENT_ID,
        '--public',
        '--name',
        'Browser SPA',
        '--redirect-uri',
        `${spa.origin}/callback`,
        '--scope',
        'openid profile email',
      ],
      op.env,
    );
    assert.equal(added.code, 0, `clients add failed: ${added.stderr}`);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await spa?.close();
    await op?.close();
  });

  test(
    'signs in with PKCE through the login and consent pages, then shows userinfo',
    { timeout: 60_000 },
    async () => {
      assert.ok(op && spa && browser);
      const context = await browser.newContext();
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      const problems: string[] = [];
      page.on('console', (message) => {
        // Chromium asks each origin for /favicon.ico; neither the SPA's server nor ours has one.
        if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) {
          problems.push(`console: ${message.text()} (${message.location().url})`);
        }
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('response', (response) => {
        if (response.status() >= 400)
          problems.push(
            `HTTP ${response.status()} from ${response.request().method()} ${response.url()}`,
          );
      });
      const explain = () =>
        problems.length > 0 ? `\nbrowser reported:\n${problems.join('\n')}` : '';

      await page.goto(`${spa.origin}/`);
      const authorizeRequest = page.waitForRequest((request) =>
        request.url().startsWith(`${op!.issuer}/authorize?`),
      );
      await page.click('#login');

      // Our login page, on the issuer's origin.
      const authorize = new URL((await authorizeRequest).url());
      assert.equal(authorize.searchParams.get('client_id'), CLIENT_ID);
      assert.equal(authorize.searchParams.get('response_type'), 'code');
      assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
      assert.ok(authorize.searchParams.get('code_challenge'));
      assert.equal(authorize.searchParams.get('redirect_uri'), `${spa.origin}/callback`);
      await page.fill('input[name=username]', ALICE.email);
      await page.fill('input[name=password]', ALICE.password);
      assert.equal(new URL(page.url()).origin, op.issuer, 'the login page is served by the issuer');
      await page.click('button[type=submit]');

      // Consent, then back to the SPA's callback, where oidc-client-ts redeems the code and calls userinfo.
      const allow = page.locator('button[name=decision][value=allow]');
      await allow.waitFor();
      assert.match(await page.content(), /Browser SPA/, 'the consent page names the client');
      const callbackRequest = page.waitForRequest((request) =>
        request.url().startsWith(`${spa!.origin}/callback?`),
      );
      const tokenResponse = page.waitForResponse(
        (response) =>
          response.url() === `${op!.issuer}/token` && response.request().method() === 'POST',
      );
      const userinfoResponse = page.waitForResponse(
        (response) =>
          response.url() === `${op!.issuer}/userinfo` && response.request().method() === 'GET',
      );
      await allow.click();

      const callback = new URL((await callbackRequest).url());
      assert.ok(callback.searchParams.get('code'), 'a code on the callback');
      assert.equal(callback.searchParams.get('iss'), op.issuer, 'RFC 9207 iss on the callback');

      await page.locator('#status', { hasText: /^(Signed in|Error)$/ }).waitFor();
      const error = await page.locator('#error').textContent();
      assert.equal(error, '', `the SPA failed to sign in: ${error}${explain()}`);
      await page.getByText(ALICE.name, { exact: true }).waitFor();
      assert.equal(await page.locator('#user-name').textContent(), ALICE.name);
      assert.equal(new URL(page.url()).pathname, '/', 'the SPA cleaned the code out of its URL');
      await page.screenshot({ path: SCREENSHOT, fullPage: true });

      // The token request was a public client's: no client authentication, a code_verifier.
      const token = await tokenResponse;
      assert.equal(token.status(), 200);
      const tokenForm = new URLSearchParams(token.request().postData() ?? '');
      assert.equal(tokenForm.get('client_id'), CLIENT_ID);
      assert.ok(tokenForm.get('code_verifier'), 'PKCE code_verifier sent');
      assert.equal(tokenForm.get('client_secret'), null);
      assert.equal(await token.request().headerValue('authorization'), null);
      const tokens = (await token.json()) as { id_token?: string };
      assert.ok(tokens.id_token, 'an ID token in the token response');

      // What userinfo answered the browser, and the access token the SPA holds.
      const userinfo = await userinfoResponse;
      assert.equal(userinfo.status(), 200);
      assert.match((await userinfo.request().headerValue('authorization')) ?? '', /^Bearer /);
      const claims = (await userinfo.json()) as { sub?: string; name?: string; email?: string };
      assert.equal(claims.name, ALICE.name);
      assert.equal(claims.email, ALICE.email);

      const session = (await page.evaluate('window.spaSession')) as
        { accessToken?: string; tokenType?: string; profile?: { sub?: string } } | undefined;
      assert.ok(session?.accessToken, `the SPA holds an access token${explain()}`);
      assert.equal(session.tokenType?.toLowerCase(), 'bearer');
      const jwks = createRemoteJWKSet(new URL(`${op.issuer}/.well-known/jwks.json`));
      const { payload } = await jwtVerify(session.accessToken, jwks, {
        issuer: op.issuer,
        typ: 'at+jwt',
      });
      assert.equal(payload.client_id, CLIENT_ID);
      assert.ok(payload.sub);
      assert.equal(payload.sub, claims.sub, 'the access token is for the user userinfo describes');
      assert.equal(session.profile?.sub, claims.sub);
      // oidc-client-ts only decodes the ID token (it trusts the TLS back channel); check it here.
      const idToken = await jwtVerify(tokens.id_token, jwks, {
        issuer: op.issuer,
        audience: CLIENT_ID,
      });
      assert.equal(idToken.payload.sub, claims.sub);
      assert.deepEqual(problems, [], 'no console errors or page errors');

      await context.close();
    },
  );
});
