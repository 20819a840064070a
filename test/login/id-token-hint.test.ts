import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TestBrowser } from '../support/browser.js';
import { authorizeUrl, loginTokens, pkce, signIn, webRequest } from '../support/flow.js';
import {
  CALLBACK,
  SIGNED_OUT,
  startProvider,
  type ProviderFixture,
} from '../support/provider-fixture.js';

describe('id_token_hint (OIDC Core 3.1.2.1)', () => {
  let op: ProviderFixture;
  before(async () => {
    op = await startProvider('sqlite');
  });
  after(async () => op?.close());

  async function silent(browser: TestBrowser, hint: string) {
    const page = await browser.navigate(
      authorizeUrl(
        op.issuer,
        webRequest(pkce().challenge, { prompt: 'none', id_token_hint: hint }),
      ),
      CALLBACK,
    );
    return new URL(page.redirectedTo!).searchParams;
  }

  test('oidcc-id-token-hint: a hint naming the signed-in user lets prompt=none succeed', async () => {
    const browser = new TestBrowser();
    const tokens = await loginTokens(browser, op.issuer);
    assert.ok((await silent(browser, tokens.id_token!)).get('code'));
  });

  test('a hint naming another user than the session gives login_required with prompt=none', async () => {
    const bob = new TestBrowser();
    const { callback } = await signIn(
      bob,
      authorizeUrl(
        op.issuer,
        webRequest(pkce().challenge, { client_id: 'first-party', scope: 'openid' }),
      ),
      {
        user: { email: 'bob@example.com', password: 'bob has a long password' },
      },
    );
    assert.ok(callback.searchParams.get('code'));
    const alice = await loginTokens(new TestBrowser(), op.issuer);
    assert.equal((await silent(bob, alice.id_token!)).get('error'), 'login_required');
  });

  test('a hint this server did not sign is invalid_request', async () => {
    const browser = new TestBrowser();
    await loginTokens(browser, op.issuer);
    const forged = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';
    assert.equal((await silent(browser, forged)).get('error'), 'invalid_request');
  });

  test('issue 29 item 7: an access token or a refresh token is not an id_token_hint at /authorize (OIDC Core 3.1.2.2, 3.1.2.6)', async () => {
    const browser = new TestBrowser();
    const tokens = await loginTokens(browser, op.issuer);
    assert.ok((await silent(browser, tokens.id_token!)).get('code'), 'the ID token is a hint');
    for (const [kind, token] of [
      ['access token', tokens.access_token],
      ['refresh token', tokens.refresh_token!],
    ] as const) {
      const response = await silent(browser, token);
      assert.equal(response.get('code'), null, `${kind}: no code`);
      assert.equal(response.get('error'), 'invalid_request', kind);
    }
  });

  test('issue 29 item 7: an access token or a refresh token is not taken as an id_token_hint at /logout', async () => {
    const browser = new TestBrowser();
    const tokens = await loginTokens(browser, op.issuer);
    for (const token of [tokens.access_token, tokens.refresh_token!]) {
      const url = `${op.issuer}/logout?${new URLSearchParams({ id_token_hint: token, client_id: 'web', post_logout_redirect_uri: SIGNED_OUT }).toString()}`;
      const page = await browser.navigate(url, SIGNED_OUT);
      assert.equal(page.redirectedTo, undefined, 'not signed out and sent back');
      assert.equal(page.status, 400);
      assert.match(page.html, /an ID token this server did not issue/);
    }
    assert.ok((await silent(browser, tokens.id_token!)).get('code'), 'still signed in');
  });
});
