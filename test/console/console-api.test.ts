import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TestBrowser, type Page } from '../support/browser.js';
import { providers } from '../support/databases.js';
import { generate } from 'otplib';
import { authorizeUrl, basic, pkce, signIn, tokenRequest, webRequest } from '../support/flow.js';
import { idp } from '../support/processes.js';
import {
  ALICE,
  CALLBACK,
  startProvider,
  type ProviderFixture,
} from '../support/provider-fixture.js';

/**
 * Issue 34 item 2: who may administer. The admin role (pnpm idp users grant-admin) decides who
 * gets the idp:admin scope at sign-in and who the console admits; the admin API takes those
 * admins' access tokens and checks the role on every call, so revoke-admin acts at once. Console
 * forms need this session's CSRF token; invalid metadata is named by its JSON path.
 */
const BOOTSTRAP = 'console-test-bootstrap-token-0123456789abcdef';
const API = '/admin/api/v1';
const NOWHERE = 'http://nowhere.invalid/';
const BOB = { email: 'bob@example.com', password: 'bob has a long password' };
const ADMIN_WEB_SECRET = 'admin-web-secret-with-plenty-of-entropy-0123456789';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

for (const provider of providers) {
  describe(`console sign-in and admin roles on ${provider}`, () => {
    let op: ProviderFixture;

    async function call(method: string, path: string, token: string, body?: unknown) {
      const response = await fetch(`${op.issuer}${API}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : {}) as Json };
    }

    /** Signs in to the console in `browser` through the login page; the page it ends on. */
    async function consoleSignIn(
      browser: TestBrowser,
      user: { email: string; password: string } = ALICE,
    ): Promise<Page> {
      let page = await browser.navigate(`${op.issuer}/admin/login`, NOWHERE);
      if (/name="password"/.test(page.html))
        page = await browser.submit(
          page,
          { username: user.email, password: user.password },
          NOWHERE,
        );
      return page;
    }

    const csrfOf = (page: Page) => /name="csrf" value="([^"]+)"/.exec(page.html)?.[1] ?? '';

    async function postForm(browser: TestBrowser, path: string, fields: Record<string, string>) {
      return browser.navigate(`${op.issuer}${path}`, NOWHERE, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      });
    }

    /** A login with `admin-web` (a client registered with idp:admin) asking for the scope. */
    async function adminWebLogin(user: { email: string; password: string }) {
      const { verifier, challenge } = pkce();
      const url = authorizeUrl(op.issuer, {
        client_id: 'admin-web',
        redirect_uri: CALLBACK,
        response_type: 'code',
        scope: 'openid idp:admin',
        state: 's',
        nonce: 'n',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      });
      const { callback } = await signIn(new TestBrowser(), url, { user });
      const result = await tokenRequest(
        op.issuer,
        {
          grant_type: 'authorization_code',
          code: callback.searchParams.get('code')!,
          redirect_uri: CALLBACK,
          code_verifier: verifier,
        },
        { authorization: basic('admin-web', ADMIN_WEB_SECRET) },
      );
      assert.equal(result.status, 200, JSON.stringify(result.body));
      return result.body as { access_token: string; scope: string };
    }

    before(async () => {
      op = await startProvider(provider, { IDP_ADMIN_TOKEN: BOOTSTRAP });
      const granted = await idp(['users', 'grant-admin', ALICE.email], op.env);
      assert.equal(granted.code, 0, granted.stderr);
      const created = await call('POST', '/clients', BOOTSTRAP, {
        client_id: 'admin-web',
        client_secret: ADMIN_WEB_SECRET,
        redirect_uris: [CALLBACK],
        scope: 'openid idp:admin',
        first_party: true,
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
    });
    after(async () => op?.close());

    test('the console client is created at start, reserved, and first-party with PKCE', async () => {
      const own = await call('GET', '/clients/idp-admin-console', BOOTSTRAP);
      assert.equal(own.status, 200);
      assert.deepEqual(own.body.redirect_uris, [`${op.issuer}/admin/callback`]);
      assert.equal(own.body.token_endpoint_auth_method, 'none');
      assert.equal(own.body.first_party, true);
      assert.match(own.body.scope, /\bidp:admin\b/);
      const patched = await call('PATCH', '/clients/idp-admin-console', BOOTSTRAP, {
        redirect_uris: ['https://evil.example/cb'],
      });
      assert.equal(patched.status, 409, 'the operations leave it alone');
      assert.equal((await call('DELETE', '/clients/idp-admin-console', BOOTSTRAP)).status, 409);
    });

    test('without a console session: pages go to the sign-in, forms get a page (401)', async () => {
      const browser = new TestBrowser();
      const response = await browser.request(`${op.issuer}/admin/users?search=x`);
      assert.equal(response.status, 303);
      assert.equal(
        response.headers.get('location'),
        `/admin/login?return=${encodeURIComponent('/admin/users?search=x')}`,
      );
      const posted = await postForm(browser, '/admin/clients/new', { client_id: 'x' });
      assert.equal(posted.status, 401);
      assert.match(posted.html, /console session has ended/);
    });

    test('a user without the admin role: "Not an administrator", and no idp:admin (RFC 6749 3.3)', async () => {
      const browser = new TestBrowser();
      const page = await consoleSignIn(browser, BOB);
      assert.equal(page.status, 403);
      assert.match(page.html, /Not an administrator/);
      assert.equal(browser.cookie('idp_admin'), undefined, 'no console session');
      // A client registered with the scope asks for it: the scope is not granted to Bob.
      const tokens = await adminWebLogin(BOB);
      assert.equal(tokens.scope, 'openid');
      const refused = await call('GET', '/users', tokens.access_token);
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error, 'insufficient_scope');
    });

    test('a stale CSRF token is refused with a plain page; the current one works', async () => {
      const browser = new TestBrowser();
      const first = await consoleSignIn(browser);
      assert.equal(first.status, 200, first.html.slice(0, 300));
      assert.equal(new URL(first.url).pathname, '/admin/clients');
      const form = await browser.navigate(`${op.issuer}/admin/clients/new`, NOWHERE);
      const stale = csrfOf(form);
      assert.ok(stale);
      // Signing in again (silently: the session with the server lives) starts a new console session.
      const again = await consoleSignIn(browser);
      assert.equal(again.status, 200);
      const fields = {
        client_id: 'csrf-app',
        redirect_uris: 'https://app.example/cb',
        scope: 'openid',
        grant_types: 'authorization_code',
        token_endpoint_auth_method: 'client_secret_basic',
      };
      const refused = await postForm(browser, '/admin/clients/new', { ...fields, csrf: stale });
      assert.equal(refused.status, 403);
      assert.match(refused.html, /This form has expired/);
      assert.equal(
        (await postForm(browser, '/admin/clients/new', fields)).status,
        403,
        'no token at all',
      );
      assert.equal(
        (await call('GET', '/clients/csrf-app', BOOTSTRAP)).status,
        404,
        'nothing was created',
      );
      const fresh = csrfOf(await browser.navigate(`${op.issuer}/admin/clients/new`, NOWHERE));
      const created = await postForm(browser, '/admin/clients/new', { ...fields, csrf: fresh });
      assert.equal(created.status, 201);
      assert.match(created.html, /Copy the client secret now/);
      assert.equal((await call('GET', '/clients/csrf-app', BOOTSTRAP)).status, 200);
    });

    test('invalid metadata is named by its JSON path, in the console and in the API', async () => {
      const browser = new TestBrowser();
      await consoleSignIn(browser);
      const csrf = csrfOf(await browser.navigate(`${op.issuer}/admin/clients/new`, NOWHERE));
      const page = await postForm(browser, '/admin/clients/new', {
        csrf,
        client_id: 'bad-app',
        redirect_uris: 'https://app.example/cb\nnot a uri',
        scope: 'openid',
        grant_types: 'authorization_code',
        token_endpoint_auth_method: 'client_secret_basic',
      });
      assert.equal(page.status, 400);
      assert.match(page.html, /<code>redirect_uris\[1\]<\/code>/);
      assert.match(page.html, /not a uri/, 'what was typed is kept');

      const admin = await adminWebLogin(ALICE);
      const api = await call('POST', '/clients', admin.access_token, {
        client_id: 'bad-app',
        redirect_uris: ['nope'],
      });
      assert.equal(api.status, 400);
      assert.equal(api.body.error, 'invalid_client_metadata');
      assert.equal(api.body.problems[0].path, 'redirect_uris[0]');
    });

    test("an admin's access token opens the API; revoke-admin closes it and the console at once", async () => {
      const admin = await adminWebLogin(ALICE);
      assert.deepEqual(admin.scope.split(' ').sort(), ['idp:admin', 'openid']);
      const listed = await call('GET', '/clients?limit=1', admin.access_token);
      assert.equal(listed.status, 200, JSON.stringify(listed.body));
      const events = await call('GET', '/audit-events?type=admin.request&limit=5', BOOTSTRAP);
      assert.ok(
        events.body.items.some((e: Json) => /^user:/.test(e.actor)),
        'audited with the person as actor',
      );

      const browser = new TestBrowser();
      await consoleSignIn(browser);
      assert.equal((await browser.navigate(`${op.issuer}/admin/users`, NOWHERE)).status, 200);

      const revoked = await idp(['users', 'revoke-admin', ALICE.email], op.env);
      assert.equal(revoked.code, 0, revoked.stderr);
      const refused = await call('GET', '/clients?limit=1', admin.access_token);
      assert.equal(refused.status, 403, 'the same unexpired token no longer works');
      const page = await browser.navigate(`${op.issuer}/admin/users`, NOWHERE);
      assert.equal(page.status, 403);
      assert.match(page.html, /Not an administrator/);
      const trail = await call('GET', '/audit-events?type=user.admin_revoked', BOOTSTRAP);
      assert.equal(trail.body.items[0]?.actor, 'cli');
      assert.equal((await idp(['users', 'grant-admin', ALICE.email], op.env)).code, 0);
    });
    /** Bob signs in to the web client in a browser of his own; that browser and his tokens. */
    async function bobSignsIn() {
      const browser = new TestBrowser();
      const { verifier, challenge } = pkce();
      const { callback } = await signIn(
        browser,
        authorizeUrl(op.issuer, webRequest(challenge, { scope: 'openid' })),
        { user: BOB },
      );
      const tokens = await tokenRequest(op.issuer, {
        grant_type: 'authorization_code',
        code: callback.searchParams.get('code')!,
        redirect_uri: CALLBACK,
        code_verifier: verifier,
      });
      assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
      return { browser, refreshToken: tokens.body.refresh_token as string | undefined };
    }

    test('Sessions: every live session newest first with its clients; ending one needs the ticked box, is audited and ends its tokens', async () => {
      const admin = new TestBrowser();
      assert.equal((await consoleSignIn(admin)).status, 200);
      const bob = await bobSignsIn();
      const list = await admin.navigate(`${op.issuer}/admin/sessions`, NOWHERE);
      assert.equal(list.status, 200);
      const rows = [
        ...list.html.matchAll(/<tr><td><a href="\/admin\/users\/[^"]+">([^<]+)<\/a>/g),
      ].map((m) => m[1]);
      assert.equal(rows[0], BOB.email, `newest first: ${rows.join(', ')}`);
      assert.ok(
        rows.includes(ALICE.email),
        "the administrator's own console session is listed too",
      );
      assert.match(list.html, /<th scope="col">Last seen<\/th>/);
      assert.match(list.html, /<a href="\/admin\/clients\/web">web<\/a>/);

      const filtered = await admin.navigate(
        `${op.issuer}/admin/sessions?email=${encodeURIComponent(BOB.email)}&client=web`,
        NOWHERE,
      );
      const ends = [...filtered.html.matchAll(/href="(\/admin\/sessions\/[^"/]+\/end)"/g)].map(
        (m) => m[1]!,
      );
      assert.equal(ends.length, 1, "only Bob's session with web");
      const unknown = await admin.navigate(
        `${op.issuer}/admin/sessions?email=nobody@example.com`,
        NOWHERE,
      );
      assert.match(unknown.html, /No user has this email address/);

      const confirm = await admin.navigate(`${op.issuer}${ends[0]}`, NOWHERE);
      assert.equal(confirm.status, 200);
      assert.match(confirm.html, /<input type="checkbox" name="confirm" value="yes" required>/);
      const csrf = csrfOf(confirm);
      const unticked = await postForm(admin, ends[0]!, { csrf });
      assert.equal(unticked.status, 400);
      assert.match(unticked.html, /Tick the box/);
      const stillThere = await admin.navigate(
        `${op.issuer}/admin/sessions?email=${encodeURIComponent(BOB.email)}`,
        NOWHERE,
      );
      assert.match(stillThere.html, new RegExp(ends[0]!), 'nothing changed without the box');

      const done = await admin.request(`${op.issuer}${ends[0]}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csrf, confirm: 'yes' }).toString(),
      });
      assert.equal(done.status, 303);
      assert.equal(done.headers.get('location'), '/admin/sessions?done=ended');
      const after = await admin.navigate(
        `${op.issuer}/admin/sessions?email=${encodeURIComponent(BOB.email)}`,
        NOWHERE,
      );
      assert.doesNotMatch(after.html, new RegExp(ends[0]!));
      if (bob.refreshToken) {
        const refused = await tokenRequest(op.issuer, {
          grant_type: 'refresh_token',
          refresh_token: bob.refreshToken,
        });
        assert.equal(refused.body.error, 'invalid_grant');
      }
      assert.equal((await admin.navigate(`${op.issuer}${ends[0]}`, NOWHERE)).status, 404);
      const trail = await call('GET', '/audit-events?type=session.ended&limit=1', BOOTSTRAP);
      assert.match(trail.body.items[0]?.actor, /^user:/, 'audited with the administrator');
    });

    test("Reset second factors: Bob's one-time codes are removed after a ticked confirmation, audited with the administrator", async () => {
      const bob = await bobSignsIn();
      const enrol = await bob.browser.navigate(`${op.issuer}/account/one-time-codes`, NOWHERE);
      assert.equal(enrol.status, 200, enrol.html.slice(0, 300));
      const secret = /id="secret"><strong>([A-Z2-7 ]+)<\/strong>/
        .exec(enrol.html)![1]!
        .replace(/ /g, '');
      const enrolled = await bob.browser.submit(
        enrol,
        { code: await generate({ secret }) },
        NOWHERE,
      );
      assert.equal(enrolled.status, 200, enrolled.html.slice(0, 300));

      const admin = new TestBrowser();
      await consoleSignIn(admin);
      const bobSub = (
        await call('GET', `/users?search=${encodeURIComponent(BOB.email)}`, BOOTSTRAP)
      ).body.items[0].sub as string;
      const userPath = `/admin/users/${encodeURIComponent(bobSub)}`;
      const before = await admin.navigate(`${op.issuer}${userPath}`, NOWHERE);
      assert.match(before.html, /Second factors<\/th><td>one-time codes<\/td>/);
      assert.match(before.html, new RegExp(`href="${userPath}/reset-factors"`));
      const confirm = await admin.navigate(`${op.issuer}${userPath}/reset-factors`, NOWHERE);
      assert.equal(confirm.status, 200);
      const csrf = csrfOf(confirm);
      const unticked = await postForm(admin, `${userPath}/reset-factors`, { csrf });
      assert.equal(unticked.status, 400);
      assert.match(
        (await admin.navigate(`${op.issuer}${userPath}`, NOWHERE)).html,
        /Second factors<\/th><td>one-time codes<\/td>/,
        'nothing removed without the box',
      );
      const reset = await postForm(admin, `${userPath}/reset-factors`, { csrf, confirm: 'yes' });
      assert.equal(reset.status, 200, reset.html.slice(0, 300));
      assert.match(reset.html, /Second factors removed/);
      assert.match(reset.html, /Second factors<\/th><td>none<\/td>/);
      const trail = await call(
        'GET',
        `/audit-events?type=one_time_code.removed&user=${bobSub}`,
        BOOTSTRAP,
      );
      assert.match(trail.body.items[0]?.actor, /^user:/);
      assert.equal(trail.body.items[0]?.data.reason, 'reset_by_operator');
      const again = await postForm(admin, `${userPath}/reset-factors`, { csrf, confirm: 'yes' });
      assert.match(again.html, /nothing was removed/);
    });
    test('/admin/keys leads a signed-in admin to the signing keys page', async () => {
      const admin = new TestBrowser();
      await consoleSignIn(admin);
      // With IDP_ADMIN_TOKEN set (as here) /admin/keys is also the older JSON key API.
      const response = await admin.request(`${op.issuer}/admin/keys`, {
        headers: { accept: 'text/html,application/xhtml+xml' },
      });
      assert.equal(response.status, 303);
      assert.equal(response.headers.get('location'), '/admin/signing-keys');
      const script = await fetch(`${op.issuer}/admin/keys`, {
        headers: { authorization: `Bearer ${BOOTSTRAP}` },
      });
      assert.equal(script.status, 200, 'scripts with the bootstrap token still get JSON');
    });
    test('console pages speak German to a browser that asks for it (Accept-Language), English otherwise', async () => {
      const admin = new TestBrowser();
      await consoleSignIn(admin);
      const german = { headers: { 'accept-language': 'de-CH, en;q=0.5' } };
      for (const path of [
        '/admin/clients',
        '/admin/users',
        '/admin/sessions',
        '/admin/signing-keys',
        '/admin/audit',
      ]) {
        const response = await admin.request(`${op.issuer}${path}`, german);
        assert.equal(response.status, 200, path);
        assert.equal(response.headers.get('content-language'), 'de');
        const page = await response.text();
        assert.match(page, /<html lang="de">/, path);
        assert.match(page, /<a href="\/admin\/sessions"[^>]*>Sitzungen<\/a>/, path);
        assert.match(page, /Angemeldet als /, path);
        assert.doesNotMatch(page, /Signed in as|Sign out</, path);
      }
      const keys = await (await admin.request(`${op.issuer}/admin/signing-keys`, german)).text();
      assert.match(keys, /Zeitleiste aller Schlüssel/);
      const english = await admin.navigate(`${op.issuer}/admin/sessions`, NOWHERE);
      assert.match(english.html, /<html lang="en">/);
      assert.match(english.html, /<th scope="col">Last seen<\/th>/);
      // Refusals before any console session speak the browser's language too.
      const stranger = await new TestBrowser().request(`${op.issuer}/admin/clients/new`, {
        method: 'POST',
        headers: { 'accept-language': 'de', 'content-type': 'application/x-www-form-urlencoded' },
        body: 'client_id=x',
      });
      assert.equal(stranger.status, 401);
      assert.match(await stranger.text(), /Ihre Konsolensitzung ist beendet/);
    });
  });
}
