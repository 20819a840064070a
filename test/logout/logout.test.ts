import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { GarbageCollector, openDatabase } from '@idp/db';
import { TestBrowser } from '../support/browser.js';
import { providers } from '../support/databases.js';
import { authorizeUrl, loginTokens, pkce, tokenRequest, webRequest } from '../support/flow.js';
import { idp } from '../support/processes.js';
import {
  CALLBACK,
  SIGNED_OUT,
  startProvider,
  type ProviderFixture,
} from '../support/provider-fixture.js';

for (const provider of providers) {
  describe(`logout and clean-up on ${provider}`, () => {
    let op: ProviderFixture;
    before(async () => {
      op = await startProvider(provider);
    });
    after(async () => op?.close());

    const refresh = (token: string) =>
      tokenRequest(op.issuer, { grant_type: 'refresh_token', refresh_token: token });
    const logoutUrl = (params: Record<string, string>) =>
      `${op.issuer}/logout?${new URLSearchParams(params).toString()}`;
    async function silentAuthorize(browser: TestBrowser) {
      const page = await browser.navigate(
        authorizeUrl(op.issuer, webRequest(pkce().challenge, { prompt: 'none' })),
        CALLBACK,
      );
      return new URL(page.redirectedTo!).searchParams;
    }

    test('RP-initiated logout with id_token_hint: redirect with state; session-bound tokens revoked, offline ones kept', async () => {
      const browser = new TestBrowser();
      const online = await loginTokens(browser, op.issuer, { scope: 'openid profile' });
      const offline = await loginTokens(browser, op.issuer, {
        scope: 'openid offline_access',
        prompt: 'consent',
      });
      const page = await browser.navigate(
        logoutUrl({
          id_token_hint: online.id_token!,
          post_logout_redirect_uri: SIGNED_OUT,
          state: 'bye',
        }),
        SIGNED_OUT,
      );
      assert.ok(page.redirectedTo, page.html.slice(0, 300));
      assert.equal(new URL(page.redirectedTo).searchParams.get('state'), 'bye');

      assert.equal(
        (await silentAuthorize(browser)).get('error'),
        'login_required',
        'prompt=none after logout',
      );
      assert.equal(
        (await refresh(online.refresh_token!)).body.error,
        'invalid_grant',
        'no offline_access: ended with the session',
      );
      assert.equal(
        (await refresh(offline.refresh_token!)).status,
        200,
        'offline_access outlives the session',
      );
    });

    test('a post_logout_redirect_uri not registered for the client gets a page, never a redirect', async () => {
      const browser = new TestBrowser();
      const tokens = await loginTokens(browser, op.issuer);
      const response = await browser.request(
        logoutUrl({
          id_token_hint: tokens.id_token!,
          post_logout_redirect_uri: 'https://evil.example/',
        }),
      );
      assert.equal(response.status, 400);
      assert.equal(response.headers.get('location'), null);
      assert.equal((await silentAuthorize(browser)).get('code') !== null, true, 'still signed in');
    });

    test('without an id_token_hint the person is asked first', async () => {
      const browser = new TestBrowser();
      await loginTokens(browser, op.issuer);
      const confirm = await browser.navigate(
        logoutUrl({ client_id: 'web', post_logout_redirect_uri: SIGNED_OUT }),
        SIGNED_OUT,
      );
      assert.equal(confirm.status, 200);
      assert.match(confirm.html, /Sign out\?/);
      const stay = await browser.submit(confirm, {}, SIGNED_OUT, {
        name: 'decision',
        value: 'stay',
      });
      assert.match(stay.html, /still signed in/);
      assert.ok((await silentAuthorize(browser)).get('code'));
      const again = await browser.navigate(
        logoutUrl({ client_id: 'web', post_logout_redirect_uri: SIGNED_OUT }),
        SIGNED_OUT,
      );
      const done = await browser.submit(again, {}, SIGNED_OUT, {
        name: 'decision',
        value: 'logout',
      });
      assert.ok(done.redirectedTo?.startsWith(SIGNED_OUT));
      assert.equal((await silentAuthorize(browser)).get('error'), 'login_required');
    });

    test('`idp users sessions <email> --revoke` ends sessions and revokes every family, offline ones too', async () => {
      const browser = new TestBrowser();
      const offline = await loginTokens(browser, op.issuer, {
        scope: 'openid offline_access',
        prompt: 'consent',
      });
      const listed = await idp(['users', 'sessions', 'alice@example.com'], op.env);
      assert.match(listed.stdout, /SESSION\s+SIGNED IN/);
      const result = await idp(['users', 'sessions', 'alice@example.com', '--revoke'], op.env);
      assert.equal(result.code, 0, result.stderr);
      assert.equal((await refresh(offline.refresh_token!)).body.error, 'invalid_grant');
      assert.equal((await silentAuthorize(browser)).get('error'), 'login_required');
    });

    test('clean-up deletes expired and revoked rows in batches and keeps live ones', async () => {
      const browser = new TestBrowser();
      const live = await loginTokens(browser, op.issuer, {
        scope: 'openid offline_access',
        prompt: 'consent',
      });
      const db = await openDatabase(op.env.DATABASE_URL!);
      try {
        const countsBefore = {
          codes: await db.prisma.authorizationCode.count(),
          families: await db.prisma.tokenFamily.count(),
          revoked: await db.prisma.tokenFamily.count({ where: { revokedAt: { not: null } } }),
        };
        assert.ok(countsBefore.codes > 0 && countsBefore.revoked > 0);
        // Two days on, with one day of retention: codes (60 s), sessions (12 h) and families revoked
        // today are past retention; live families (30 days) and their refresh tokens (14 days) stay.
        const result = await new GarbageCollector(db).collect(
          Date.now() + 2 * 86_400_000,
          86_400_000,
        );
        assert.equal(result.authorizationCodes, countsBefore.codes);
        assert.equal(result.tokenFamilies, countsBefore.revoked);
        assert.equal(await db.prisma.authorizationCode.count(), 0);
        assert.equal(await db.prisma.tokenFamily.count({ where: { revokedAt: { not: null } } }), 0);
        assert.equal(
          await db.prisma.tokenFamily.count(),
          countsBefore.families - countsBefore.revoked,
        );
      } finally {
        await db.close();
      }
      assert.equal(
        (await refresh(live.refresh_token!)).status,
        200,
        'the live family still refreshes',
      );
      const gc = await idp(['gc'], op.env);
      assert.equal(gc.code, 0, gc.stderr);
      assert.match(gc.stdout, /authorizationCodes: \d+ deleted/);
    });
  });
}
