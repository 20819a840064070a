import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import * as oidc from 'openid-client';
import { TestBrowser } from '../support/browser.js';
import { providers } from '../support/databases.js';
import {
  authorizeUrl,
  isConsentPage,
  isLoginPage,
  loginTokens,
  pkce,
  signIn,
  webRequest,
} from '../support/flow.js';
import {
  ALICE,
  CALLBACK,
  startProvider,
  WEB_SECRET,
  type ProviderFixture,
} from '../support/provider-fixture.js';

for (const provider of providers) {
  describe(`authorization endpoint on ${provider}`, () => {
    let op: ProviderFixture;
    let config: oidc.Configuration;
    before(async () => {
      op = await startProvider(provider);
      config = await oidc.discovery(
        new URL(op.issuer),
        'web',
        undefined,
        oidc.ClientSecretBasic(WEB_SECRET),
        { execute: [oidc.allowInsecureRequests] },
      );
    });
    after(async () => op?.close());

    /**
     * An openid-client code flow for `web` with `params` on the authorization request, signed in
     * and consented in a fresh browser; openid-client checks the response and the ID token.
     */
    async function codeFlow(params: Record<string, string>, expectedNonce?: string) {
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: CALLBACK,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        ...params,
      });
      const result = await signIn(new TestBrowser(), url.href);
      const tokens = await oidc.authorizationCodeGrant(config, result.callback, {
        pkceCodeVerifier: verifier,
        expectedState: state,
        ...(expectedNonce ? { expectedNonce } : {}),
        idTokenExpected: true,
      });
      return { ...result, tokens };
    }

    /** Requests /authorize without following and returns the redirect's parameters. */
    async function redirectParams(
      params: Record<string, string | undefined>,
      browser = new TestBrowser(),
    ) {
      const page = await browser.navigate(authorizeUrl(op.issuer, params), CALLBACK);
      assert.ok(
        page.redirectedTo,
        `expected a redirect to the client, got ${page.status}: ${page.html.slice(0, 200)}`,
      );
      return new URL(page.redirectedTo).searchParams;
    }

    test('RFC 7636 / RFC 9700 2.1.1: a request without code_challenge is refused with invalid_request', async () => {
      const params = await redirectParams(
        webRequest(pkce().challenge, {
          code_challenge: undefined,
          code_challenge_method: undefined,
          state: 's1',
        }),
      );
      assert.equal(params.get('error'), 'invalid_request');
      assert.match(params.get('error_description')!, /code_challenge/);
      assert.equal(params.get('state'), 's1');
      assert.equal(params.get('iss'), op.issuer, 'RFC 9207: iss on error responses too');
    });

    test('fapi2-security-profile-final-par-plain-pkce-rejected: RFC 7636 4.3: code_challenge_method plain (or missing, which means plain) is refused', async () => {
      for (const method of ['plain', undefined]) {
        const params = await redirectParams(
          webRequest(pkce().challenge, { code_challenge_method: method }),
        );
        assert.equal(params.get('error'), 'invalid_request');
        assert.match(params.get('error_description')!, /S256/);
      }
    });

    test('fapi2-security-profile-final-ensure-response-type-token-fails: RFC 6749 4.1.2.1: an unsupported response_type is unsupported_response_type', async () => {
      const params = await redirectParams(webRequest(pkce().challenge, { response_type: 'token' }));
      assert.equal(params.get('error'), 'unsupported_response_type');
    });

    test('RFC 6749 4.1.2.1: an unknown client gets an HTML page and never a redirect', async () => {
      const response = await fetch(
        authorizeUrl(op.issuer, webRequest(pkce().challenge, { client_id: 'nobody' })),
        { redirect: 'manual' },
      );
      assert.equal(response.status, 400);
      assert.equal(response.headers.get('location'), null);
      assert.match(response.headers.get('content-type')!, /text\/html/);
      assert.match(await response.text(), /not registered/);
    });

    test('oidcc-ensure-registered-redirect-uri, oidcc-redirect-uri-query-added: RFC 6749 3.1.2.3: an unregistered redirect_uri gets an HTML page and never a redirect', async () => {
      for (const uri of [
        'http://127.0.0.1:9/callback/extra',
        'https://evil.example/callback',
        'http://127.0.0.1:9/callback?x=1',
      ]) {
        const response = await fetch(
          authorizeUrl(op.issuer, webRequest(pkce().challenge, { redirect_uri: uri })),
          { redirect: 'manual' },
        );
        assert.equal(response.status, 400, uri);
        assert.equal(response.headers.get('location'), null, uri);
      }
    });

    test('oidcc-response-type-missing: RFC 6749 3.1.1: a request without response_type is redirected back with invalid_request', async () => {
      const params = await redirectParams(
        webRequest(pkce().challenge, { response_type: undefined, state: 'no-rt' }),
      );
      assert.equal(params.get('error'), 'invalid_request');
      assert.match(params.get('error_description')!, /response_type/);
      assert.equal(params.get('state'), 'no-rt');
      assert.equal(params.get('iss'), op.issuer);
      assert.equal(params.get('code'), null);
    });

    test('oidcc-ensure-redirect-uri-in-authorization-request: OIDC Core 3.1.2.1: a request without redirect_uri gets an error page, never a redirect', async () => {
      const response = await fetch(
        authorizeUrl(op.issuer, webRequest(pkce().challenge, { redirect_uri: undefined })),
        { redirect: 'manual' },
      );
      assert.equal(response.status, 400);
      assert.equal(response.headers.get('location'), null);
      assert.match(response.headers.get('content-type')!, /text\/html/);
      assert.match(await response.text(), /redirect_uri is missing/);
    });

    test('oidcc-ensure-request-without-nonce-succeeds-for-code-flow: OIDC Core 3.1.2.1: nonce is optional in the code flow; the ID token then carries none', async () => {
      const { tokens } = await codeFlow({ scope: 'openid' });
      const claims = tokens.claims()!;
      assert.equal(claims.aud, 'web');
      assert.equal(claims.nonce, undefined);
    });

    test('oidcc-alternate-happy-flow, fapi2-security-profile-final-ensure-other-scope-order-succeeds: RFC 6749 3.3: scope order and parameter order do not matter', async () => {
      const nonce = oidc.randomNonce();
      const { verifier, challenge } = pkce();
      // The parameters in the reverse of the usual order, and the scope reversed.
      const url = authorizeUrl(
        op.issuer,
        Object.fromEntries(
          Object.entries(
            webRequest(challenge, { scope: 'email openid', nonce, state: 'alt' }),
          ).reverse(),
        ),
      );
      const { callback } = await signIn(new TestBrowser(), url);
      const tokens = await oidc.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: verifier,
        expectedState: 'alt',
        expectedNonce: nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims()!;
      assert.equal(tokens.scope?.split(' ').sort().join(' '), 'email openid');
      const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
      assert.equal(userinfo.email, ALICE.email);
      assert.equal(userinfo.name, undefined, 'profile was not asked for');
    });

    test('oidcc-display-page, oidcc-display-popup, oidcc-ui-locales, oidcc-claims-locales: OIDC Core 3.1.2.1, 5.2: these optional parameters cause no error', async () => {
      for (const params of [
        { display: 'page' } as Record<string, string>,
        { display: 'popup' },
        { ui_locales: 'se' },
        { claims_locales: 'se' },
      ]) {
        const nonce = oidc.randomNonce();
        const { sawLogin, tokens } = await codeFlow(
          { scope: 'openid profile', nonce, ...params },
          nonce,
        );
        assert.equal(sawLogin, true, JSON.stringify(params));
        const claims = tokens.claims()!;
        const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
        assert.equal(userinfo.name, ALICE.name, JSON.stringify(params));
      }
    });

    test('RFC 8252 7.3: a native app may use any port on its registered loopback redirect', async () => {
      const response = await fetch(
        authorizeUrl(
          op.issuer,
          webRequest(pkce().challenge, {
            client_id: 'native',
            redirect_uri: 'http://127.0.0.1:51234/cb',
            scope: 'openid',
          }),
        ),
        { redirect: 'manual' },
      );
      assert.equal(response.status, 200, 'the login page, not an error');
      assert.match(await response.text(), /name="password"/);
    });

    test('scopes the client may not request are invalid_scope', async () => {
      const params = await redirectParams(
        webRequest(pkce().challenge, { client_id: 'post-client', scope: 'openid address' }),
      );
      assert.equal(params.get('error'), 'invalid_scope');
    });

    test('RFC 6749 3.1: a repeated parameter is invalid_request', async () => {
      const url = new URL(authorizeUrl(op.issuer, webRequest(pkce().challenge)));
      url.searchParams.append('scope', 'openid');
      const page = await new TestBrowser().navigate(url.href, CALLBACK);
      assert.equal(new URL(page.redirectedTo!).searchParams.get('error'), 'invalid_request');
    });

    test('OIDC Core 3.1.2.1: prompt=none combined with another value is invalid_request', async () => {
      const params = await redirectParams(webRequest(pkce().challenge, { prompt: 'none login' }));
      assert.equal(params.get('error'), 'invalid_request');
    });

    test('oidcc-prompt-none-not-logged-in: OIDC Core 3.1.2.6: prompt=none without a session gives login_required', async () => {
      const params = await redirectParams(
        webRequest(pkce().challenge, { prompt: 'none', state: 'silent' }),
      );
      assert.equal(params.get('error'), 'login_required');
      assert.equal(params.get('state'), 'silent');
      assert.equal(params.get('iss'), op.issuer);
    });

    test('oidcc-prompt-none-logged-in, oidcc-ensure-request-with-unknown-parameter-succeeds: prompt=none with a session gives a code without any page; unknown parameters are ignored', async () => {
      const browser = new TestBrowser();
      await loginTokens(browser, op.issuer);
      const params = await redirectParams(
        webRequest(pkce().challenge, { prompt: 'none', some_extension: 'x' }),
        browser,
      );
      assert.ok(params.get('code'));
      assert.equal(params.get('iss'), op.issuer);
    });

    test('single sign-on: a second client reuses the session (consent still asked)', async () => {
      const browser = new TestBrowser();
      await loginTokens(browser, op.issuer);
      const result = await signIn(
        browser,
        authorizeUrl(op.issuer, webRequest(pkce().challenge, { client_id: 'post-client' })),
      );
      assert.equal(result.sawLogin, false);
      assert.equal(result.sawConsent, true);
    });

    test('consent is remembered per client and scope set; prompt=consent always asks', async () => {
      const browser = new TestBrowser();
      await loginTokens(browser, op.issuer);
      const again = await signIn(browser, authorizeUrl(op.issuer, webRequest(pkce().challenge)));
      assert.deepEqual([again.sawLogin, again.sawConsent], [false, false]);
      const wider = await signIn(
        browser,
        authorizeUrl(
          op.issuer,
          webRequest(pkce().challenge, { scope: 'openid profile email phone' }),
        ),
      );
      assert.equal(wider.sawConsent, true, 'a new scope needs consent');
      const forced = await signIn(
        browser,
        authorizeUrl(op.issuer, webRequest(pkce().challenge, { prompt: 'consent' })),
      );
      assert.equal(forced.sawConsent, true);
    });

    test('first-party clients skip the consent page', async () => {
      const result = await signIn(
        new TestBrowser(),
        authorizeUrl(
          op.issuer,
          webRequest(pkce().challenge, { client_id: 'first-party', scope: 'openid' }),
        ),
      );
      assert.deepEqual([result.sawLogin, result.sawConsent], [true, false]);
    });

    test('fapi2-security-profile-final-user-rejects-authentication: denying consent returns access_denied to the client', async () => {
      const browser = new TestBrowser();
      let page = await browser.navigate(
        authorizeUrl(
          op.issuer,
          webRequest(pkce().challenge, { client_id: 'post-client', state: 'd' }),
        ),
        CALLBACK,
      );
      page = await browser.submit(
        page,
        { username: 'bob@example.com', password: 'bob has a long password' },
        CALLBACK,
      );
      assert.ok(isConsentPage(page));
      page = await browser.submit(page, {}, CALLBACK, { name: 'decision', value: 'deny' });
      const params = new URL(page.redirectedTo!).searchParams;
      assert.equal(params.get('error'), 'access_denied');
      assert.equal(params.get('state'), 'd');
      assert.equal(params.get('iss'), op.issuer);
    });

    test('oidcc-prompt-login: prompt=login and max_age force a new login and a new auth_time', async () => {
      const browser = new TestBrowser();
      const first = await loginTokens(browser, op.issuer);
      const firstAuthTime = decodeJwt(first.id_token!).auth_time as number;
      for (const overrides of [{ prompt: 'login' }, { max_age: '0' }]) {
        const session = browser.cookie('idp_session');
        const result = await signIn(
          browser,
          authorizeUrl(op.issuer, webRequest(pkce().challenge, overrides)),
        );
        assert.equal(result.sawLogin, true, JSON.stringify(overrides));
        assert.ok(result.callback.searchParams.get('code'));
        assert.notEqual(
          browser.cookie('idp_session'),
          session,
          'a new session, with its own auth_time',
        );
      }
      // auth_time has one-second resolution: the new one is never earlier, and max_age=0 keeps
      // forcing logins because every login's auth_time is already in the past.
      const later = await loginTokens(browser, op.issuer, { prompt: 'login' });
      assert.ok((decodeJwt(later.id_token!).auth_time as number) >= firstAuthTime);
    });

    test('the session id changes at login (no fixation); the cookie is HttpOnly and SameSite=Lax', async () => {
      const browser = new TestBrowser();
      await loginTokens(browser, op.issuer);
      const before = browser.cookie('idp_session');
      assert.ok(before);
      await loginTokens(browser, op.issuer, { prompt: 'login' });
      assert.notEqual(browser.cookie('idp_session'), before);
      const sessionCookie = browser.setCookieLine('idp_session') ?? '';
      assert.match(sessionCookie, /HttpOnly/i);
      assert.match(sessionCookie, /SameSite=Lax/i);
      assert.doesNotMatch(sessionCookie, /Secure/i, 'not Secure on an http issuer');
      const response = await fetch(authorizeUrl(op.issuer, webRequest(pkce().challenge)), {
        redirect: 'manual',
      });
      const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('idp_csrf='));
      assert.match(setCookie ?? '', /HttpOnly/i);
      assert.match(setCookie ?? '', /SameSite=Lax/i);
      const login = await new TestBrowser().navigate(
        authorizeUrl(op.issuer, webRequest(pkce().challenge)),
        CALLBACK,
      );
      assert.ok(isLoginPage(login));
    });

    test('response_mode=form_post answers with an auto-submitting form, text/html, no-store', async () => {
      const browser = new TestBrowser();
      await loginTokens(browser, op.issuer);
      const response = await browser.request(
        authorizeUrl(
          op.issuer,
          webRequest(pkce().challenge, { response_mode: 'form_post', state: 'fp' }),
        ),
      );
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type')!, /^text\/html/);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      const html = await response.text();
      assert.match(
        html,
        new RegExp(`<form[^>]*method="post"[^>]*action="${CALLBACK.replace(/[/.]/g, '\\$&')}"`),
      );
      assert.match(html, /name="code"/);
      assert.match(html, /name="state" value="fp"/);
      assert.match(html, new RegExp(`name="iss" value="${op.issuer.replace(/[/.]/g, '\\$&')}"`));
    });

    test('response_mode=fragment puts the response in the fragment, with iss', async () => {
      const browser = new TestBrowser();
      await loginTokens(browser, op.issuer);
      const page = await browser.navigate(
        authorizeUrl(op.issuer, webRequest(pkce().challenge, { response_mode: 'fragment' })),
        CALLBACK,
      );
      const fragment = new URLSearchParams(new URL(page.redirectedTo!).hash.slice(1));
      assert.ok(fragment.get('code'));
      assert.equal(fragment.get('iss'), op.issuer);
    });

    test('oidcc-ensure-post-request-succeeds: POST /authorize takes the same parameters as GET and leads to tokens (OIDC Core 3.1.2.1)', async () => {
      const browser = new TestBrowser();
      const nonce = oidc.randomNonce();
      const { verifier, challenge } = pkce();
      let page = await browser.navigate(`${op.issuer}/authorize`, CALLBACK, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(
          webRequest(challenge, { nonce, state: 'posted' }) as Record<string, string>,
        ).toString(),
      });
      assert.equal(page.status, 200);
      assert.ok(isLoginPage(page));
      page = await browser.submit(
        page,
        { username: ALICE.email, password: ALICE.password },
        CALLBACK,
      );
      if (isConsentPage(page))
        page = await browser.submit(page, {}, CALLBACK, { name: 'decision', value: 'allow' });
      assert.ok(page.redirectedTo, `${page.status}: ${page.html.slice(0, 200)}`);
      const tokens = await oidc.authorizationCodeGrant(config, new URL(page.redirectedTo), {
        pkceCodeVerifier: verifier,
        expectedState: 'posted',
        expectedNonce: nonce,
        idTokenExpected: true,
      });
      assert.equal(tokens.claims()!.nonce, nonce);
    });

    test('a wrong password shows the same plain-words error as an unknown account', async () => {
      const browser = new TestBrowser();
      const page = await browser.navigate(
        authorizeUrl(op.issuer, webRequest(pkce().challenge)),
        CALLBACK,
      );
      const wrong = await browser.submit(
        page,
        { username: 'alice@example.com', password: 'not it' },
        CALLBACK,
      );
      // Each login page can be sent once: the next try goes through the page the failure showed.
      const unknown = await browser.submit(
        wrong,
        { username: 'nobody@example.com', password: 'not it' },
        CALLBACK,
      );
      assert.equal(wrong.status, 401);
      assert.equal(unknown.status, 401);
      const message = (html: string) => /role="alert"[^>]*>([\s\S]*?)</.exec(html)?.[1];
      assert.ok(message(wrong.html));
      assert.equal(message(wrong.html), message(unknown.html));
    });

    test('a login form without the CSRF cookie is refused', async () => {
      const browser = new TestBrowser();
      const page = await browser.navigate(
        authorizeUrl(op.issuer, webRequest(pkce().challenge)),
        CALLBACK,
      );
      browser.clearCookies();
      const result = await browser.submit(
        page,
        { username: 'alice@example.com', password: 'correct horse battery staple' },
        CALLBACK,
      );
      assert.equal(result.status, 403);
      assert.equal(result.redirectedTo, undefined);
    });
  });
}
