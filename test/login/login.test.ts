import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createRemoteJWKSet, jwtVerify, decodeProtectedHeader } from 'jose';
import * as oidc from 'openid-client';
import { TestBrowser, parseForm } from '../support/browser.js';
import { providers } from '../support/databases.js';
import {
  ALICE,
  CALLBACK,
  startProvider,
  WEB_SECRET,
  type ProviderFixture,
} from '../support/provider-fixture.js';

for (const provider of providers) {
  describe(`login with PKCE through openid-client on ${provider}`, () => {
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

    test('oidcc-server, oidcc-idtoken-signature, oidcc-idtoken-rs256, oidcc-ensure-request-with-valid-pkce-succeeds, oidcc-userinfo-get: full login: login form, consent, code with iss, tokens validated by the library, userinfo, remote JWKS', async () => {
      const browser = new TestBrowser();
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: CALLBACK,
        scope: 'openid profile email',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });

      const login = await browser.navigate(url.href, CALLBACK);
      assert.equal(login.status, 200);
      assert.match(
        login.html,
        /<input[^>]*name="username"[^>]*autocomplete="username"|<input[^>]*autocomplete="username"[^>]*name="username"/,
      );
      assert.match(login.html, /type="password"/);
      assert.match(login.headers?.get('content-security-policy') ?? '', /frame-ancestors 'none'/);

      const consent = await browser.submit(
        login,
        { username: ALICE.email, password: ALICE.password },
        CALLBACK,
      );
      assert.equal(consent.status, 200, consent.html.slice(0, 300));
      assert.match(consent.html, /Example Web App/);
      assert.match(consent.html, /name="decision"/);

      const done = await browser.submit(consent, {}, CALLBACK, {
        name: 'decision',
        value: 'allow',
      });
      assert.ok(done.redirectedTo, 'redirected to the client');
      const callback = new URL(done.redirectedTo);
      assert.equal(callback.searchParams.get('iss'), op.issuer, 'RFC 9207 iss on the response');
      assert.equal(callback.searchParams.get('state'), state);

      const tokens = await oidc.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: verifier,
        expectedState: state,
        expectedNonce: nonce,
        idTokenExpected: true,
      });
      assert.equal(tokens.token_type.toLowerCase(), 'bearer');
      assert.ok(tokens.refresh_token, 'web may use the refresh grant');
      const claims = tokens.claims()!;
      assert.equal(claims.iss, op.issuer);
      assert.equal(claims.aud, 'web');
      assert.equal(claims.azp, 'web');
      assert.equal(claims.nonce, nonce);
      assert.ok(claims.auth_time);
      assert.ok(claims.sid);
      assert.deepEqual(claims.amr, ['pwd']);
      assert.equal(claims.email, ALICE.email);
      assert.ok(decodeProtectedHeader(tokens.id_token!).kid);

      const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
      assert.equal(userinfo.sub, claims.sub);
      assert.equal(userinfo.name, ALICE.name);
      assert.equal(userinfo.email, ALICE.email);
      assert.equal(userinfo.phone_number, undefined, 'phone scope not requested');

      const jwks = createRemoteJWKSet(new URL(`${op.issuer}/.well-known/jwks.json`));
      // oidcc-idtoken-signature: the ID token verifies against the published key its kid names.
      const idToken = await jwtVerify(tokens.id_token!, jwks, {
        issuer: op.issuer,
        audience: 'web',
        algorithms: ['RS256'],
      });
      assert.equal(idToken.payload.sub, claims.sub);
      const { payload, protectedHeader } = await jwtVerify(tokens.access_token, jwks, {
        issuer: op.issuer,
        typ: 'at+jwt',
      });
      assert.equal(protectedHeader.alg, 'RS256');
      assert.equal(payload.client_id, 'web');
      assert.equal(payload.sub, claims.sub);
      assert.equal(payload.scope, 'openid profile email');
      assert.ok(payload.jti && payload.exp && payload.iat && payload.aud);
    });

    test('oidcc-login-hint: the login form pre-fills login_hint', async () => {
      const browser = new TestBrowser();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: CALLBACK,
        scope: 'openid',
        code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
        code_challenge_method: 'S256',
        login_hint: 'someone@example.com',
      });
      const page = await browser.navigate(url.href, CALLBACK);
      assert.equal(parseForm(page.html).fields.username, 'someone@example.com');
    });
  });
}
