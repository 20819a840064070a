import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TestBrowser } from '../support/browser.js';
import { providers } from '../support/databases.js';
import { authorizeUrl, loginTokens, pkce, webRequest } from '../support/flow.js';
import { SIGNED_OUT, startProvider, type ProviderFixture } from '../support/provider-fixture.js';

// The server still listens on plain http here; a TLS-terminating proxy would sit in front of it.
const HTTPS_ISSUER = 'https://id.example.test';

for (const provider of providers) {
  describe(`issue 29 item 10: an https issuer on ${provider}`, () => {
    let op: ProviderFixture;
    let base: string;
    before(async () => {
      op = await startProvider(provider, { IDP_ISSUER: HTTPS_ISSUER });
      base = op.server.url;
    });
    after(async () => op?.close());

    test('every response carries HSTS for a year, without includeSubDomains (RFC 6797 6.1)', async () => {
      for (const path of [
        '/.well-known/openid-configuration',
        '/.well-known/jwks.json',
        '/healthz',
        '/no-such-path',
        `/authorize?client_id=web`,
      ]) {
        const response = await fetch(`${base}${path}`, { redirect: 'manual' });
        assert.equal(response.headers.get('strict-transport-security'), 'max-age=31536000', path);
      }
      const discovery = await fetch(`${base}/.well-known/openid-configuration`);
      assert.equal(((await discovery.json()) as { issuer: string }).issuer, HTTPS_ISSUER);
    });

    test('cookies are named __Host-, Secure, Path=/, no Domain; the login, consent and logout still work with them', async () => {
      const browser = new TestBrowser();
      const page = await browser.navigate(
        authorizeUrl(base, webRequest(pkce().challenge)),
        'http://127.0.0.1:9/',
      );
      const csrf = page.headers?.getSetCookie() ?? [];
      assert.equal(csrf.length, 1, csrf.join('\n'));
      assert.match(csrf[0]!, /^__Host-idp_csrf=/);

      const tokens = await loginTokens(browser, base);
      assert.ok(tokens.access_token);
      for (const name of ['__Host-idp_csrf', '__Host-idp_session']) {
        const line = browser.setCookieLine(name);
        assert.ok(line, `${name} was set`);
        assert.match(line, /; Secure/i);
        assert.match(line, /; Path=\/(;|$)/);
        assert.match(line, /; HttpOnly/i);
        assert.doesNotMatch(line, /domain=/i);
      }
      assert.equal(browser.cookie('idp_session'), undefined, 'no cookie under the plain name');

      const confirm = await browser.navigate(
        `${base}/logout?client_id=web&post_logout_redirect_uri=${encodeURIComponent(SIGNED_OUT)}`,
        SIGNED_OUT,
      );
      const done = await browser.submit(confirm, {}, SIGNED_OUT, {
        name: 'decision',
        value: 'logout',
      });
      assert.ok(done.redirectedTo?.startsWith(SIGNED_OUT), done.html.slice(0, 300));
      const cleared = browser.setCookieLine('__Host-idp_session')!;
      assert.match(cleared, /Expires=Thu, 01 Jan 1970/);
      assert.match(
        cleared,
        /; Secure/i,
        'a browser drops a __Host- cookie only when the clearing line is Secure too',
      );
      assert.equal(browser.cookie('__Host-idp_session'), undefined);
    });

    test("helmet's headers on pages keep each page's own CSP and framing rules; public endpoints keep their CORS", async () => {
      const response = await fetch(authorizeUrl(base, webRequest(pkce().challenge)));
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
      assert.equal(response.headers.get('x-frame-options'), 'DENY');
      assert.match(
        response.headers.get('content-security-policy') ?? '',
        /^default-src 'none'; style-src 'sha256-.*form-action 'self' http:\/\/127\.0\.0\.1:9; frame-ancestors 'none'/,
      );
      assert.equal(
        response.headers.get('cross-origin-opener-policy'),
        null,
        'login popups keep their opener',
      );

      // A redirect back to the client (here prompt=none without a session) carries helmet's headers too:
      // no-referrer keeps the authorization request's URL out of the client's Referer.
      const redirect = await fetch(
        authorizeUrl(base, webRequest(pkce().challenge, { prompt: 'none' })),
        { redirect: 'manual' },
      );
      assert.equal(redirect.status, 302);
      assert.equal(
        new URL(redirect.headers.get('location')!).searchParams.get('error'),
        'login_required',
      );
      assert.equal(redirect.headers.get('referrer-policy'), 'no-referrer');
      assert.equal(redirect.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(
        redirect.headers.get('x-frame-options'),
        null,
        'silent renewal in an iframe still works',
      );

      const jwks = await fetch(`${base}/.well-known/jwks.json`, {
        headers: { origin: 'https://spa.example' },
      });
      assert.equal(jwks.headers.get('access-control-allow-origin'), '*');
      const preflight = await fetch(`${base}/token`, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://spa.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
    });
  });
}

describe('issue 29 item 10: an http issuer', () => {
  let op: ProviderFixture;
  before(async () => {
    op = await startProvider('sqlite');
  });
  after(async () => op?.close());

  test('sends no HSTS and keeps the plain cookie names (browsers refuse __Host- cookies without Secure)', async () => {
    for (const path of ['/.well-known/openid-configuration', `/authorize?client_id=web`]) {
      const response = await fetch(`${op.issuer}${path}`, { redirect: 'manual' });
      assert.equal(response.headers.get('strict-transport-security'), null, path);
    }
    const browser = new TestBrowser();
    await loginTokens(browser, op.issuer);
    assert.ok(browser.cookie('idp_session'));
    assert.doesNotMatch(browser.setCookieLine('idp_session')!, /; Secure/i);
  });
});
