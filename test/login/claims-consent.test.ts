import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as oidc from 'openid-client';
import { TestBrowser, type Page } from '../support/browser.js';
import { providers } from '../support/databases.js';
import { isConsentPage, isLoginPage } from '../support/flow.js';
import { idp } from '../support/processes.js';
import {
  ALICE,
  CALLBACK,
  startProvider,
  WEB_SECRET,
  type ProviderFixture,
} from '../support/provider-fixture.js';

// OIDC Core 5.5: the `claims` parameter asks for individual claims. What it may reach is bounded
// by the client's registered scopes (the scope that carries each claim, 5.4) and by what the
// person consented to: the consent page lists what it adds, and prompt=none cannot skip that.

const CLAIMS = {
  id_token: { email: null, name: null },
  userinfo: { email: null, email_verified: null, name: null },
};

for (const provider of providers) {
  describe(`the claims parameter stays within scopes and consent on ${provider}`, () => {
    let op: ProviderFixture;
    let openidOnly: oidc.Configuration;
    let web: oidc.Configuration;

    before(async () => {
      op = await startProvider(provider);
      const added = await idp(
        [
          'clients',
          'add',
          'openid-only',
          '--name',
          'Openid Only App',
          '--redirect-uri',
          CALLBACK,
          '--scope',
          'openid',
        ],
        op.env,
      );
      assert.equal(added.code, 0, added.stderr);
      const secret = /client_secret: (\S+)/.exec(added.stdout)![1]!;
      const options = { execute: [oidc.allowInsecureRequests] };
      openidOnly = await oidc.discovery(
        new URL(op.issuer),
        'openid-only',
        undefined,
        oidc.ClientSecretBasic(secret),
        options,
      );
      web = await oidc.discovery(
        new URL(op.issuer),
        'web',
        undefined,
        oidc.ClientSecretBasic(WEB_SECRET),
        options,
      );
    });
    after(async () => op?.close());

    /**
     * One authorization request through the browser: signs in if asked, answers the consent page
     * if asked (its list items are returned), and exchanges the code with openid-client.
     */
    async function authorize(
      browser: TestBrowser,
      config: oidc.Configuration,
      params: Record<string, string>,
    ) {
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: CALLBACK,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
        ...params,
      });
      let page: Page = await browser.navigate(url.href, CALLBACK);
      if (isLoginPage(page))
        page = await browser.submit(
          page,
          { username: ALICE.email, password: ALICE.password },
          CALLBACK,
        );
      let consentItems: string[] | undefined;
      if (isConsentPage(page)) {
        consentItems = [...page.html.matchAll(/<li>([^<]*)<\/li>/g)].map(([, text]) => text!);
        page = await browser.submit(page, {}, CALLBACK, { name: 'decision', value: 'allow' });
      }
      assert.ok(page.redirectedTo, page.html.slice(0, 300));
      const callback = new URL(page.redirectedTo);
      if (callback.searchParams.get('error'))
        return { error: callback.searchParams.get('error'), consentItems };
      const tokens = await oidc.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: verifier,
        expectedState: state,
        expectedNonce: nonce,
        idTokenExpected: true,
      });
      const idToken = tokens.claims()!;
      const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub);
      return { idToken, userinfo, consentItems };
    }
    const claimsParam = { claims: JSON.stringify(CLAIMS) };

    test('issue 29 item 1: a client registered for openid only gets no email or name through claims, asked or silent (OIDC Core 5.4, 5.5)', async () => {
      const browser = new TestBrowser();
      const first = await authorize(browser, openidOnly, { scope: 'openid', ...claimsParam });
      assert.deepEqual(
        first.consentItems,
        ['Confirm who you are'],
        'the consent page asked for nothing more',
      );
      for (const name of ['email', 'name'])
        assert.equal(first.idToken![name], undefined, `ID token ${name}`);
      for (const name of ['email', 'email_verified', 'name'])
        assert.equal(first.userinfo![name], undefined, `userinfo ${name}`);

      const silent = await authorize(browser, openidOnly, {
        scope: 'openid',
        prompt: 'none',
        ...claimsParam,
      });
      assert.equal(silent.error, undefined);
      for (const name of ['email', 'name'])
        assert.equal(silent.idToken![name], undefined, `silent ID token ${name}`);
      for (const name of ['email', 'email_verified', 'name'])
        assert.equal(silent.userinfo![name], undefined, `silent userinfo ${name}`);
    });

    test('issue 29 item 1: claims beyond the consented scopes need consent, which the page lists and prompt=none cannot skip (OIDC Core 3.1.2.6)', async () => {
      const browser = new TestBrowser();
      const plain = await authorize(browser, web, { scope: 'openid' });
      assert.deepEqual(plain.consentItems, ['Confirm who you are']);
      assert.equal(plain.idToken!.email, undefined);

      const silent = await authorize(browser, web, {
        scope: 'openid',
        prompt: 'none',
        ...claimsParam,
      });
      assert.equal(silent.error, 'consent_required', 'email and name were never consented to');

      const asked = await authorize(browser, web, { scope: 'openid', ...claimsParam });
      assert.deepEqual(asked.consentItems, [
        'Confirm who you are',
        'See your email address',
        'See whether your email address is verified',
        'See your full name',
      ]);
      assert.equal(asked.idToken!.email, ALICE.email);
      assert.equal(asked.idToken!.name, ALICE.name);
      assert.equal(
        asked.idToken!.email_verified,
        undefined,
        'only what was asked for the ID token',
      );
      assert.equal(asked.userinfo!.email, ALICE.email);
      assert.equal(asked.userinfo!.email_verified, true);
      assert.equal(asked.userinfo!.name, ALICE.name);
      assert.equal(asked.userinfo!.given_name, undefined, 'not asked for');

      // Now consented: silent requests get the claims, but not one more.
      const again = await authorize(browser, web, {
        scope: 'openid',
        prompt: 'none',
        ...claimsParam,
      });
      assert.equal(again.error, undefined);
      assert.equal(again.idToken!.email, ALICE.email);
      assert.equal(again.userinfo!.name, ALICE.name);
      const more = await authorize(browser, web, {
        scope: 'openid',
        prompt: 'none',
        claims: JSON.stringify({ userinfo: { phone_number: null } }),
      });
      assert.equal(more.error, 'consent_required', 'the phone number was not consented to');
    });
  });
}
