import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { TestBrowser, type Page } from '../support/browser.js';
import { addBackchannelClient } from '../support/backchannel-client.js';
import { providers } from '../support/databases.js';
import { isLoginPage, loginTokens, signIn as rpSignIn, tokenRequest } from '../support/flow.js';
import { idp } from '../support/processes.js';
import {
  ALICE,
  CALLBACK,
  startProvider,
  type ProviderFixture,
} from '../support/provider-fixture.js';
import { waitFor } from '../support/wait-for.js';

/**
 * The account page (issue 33 item 5) over HTTP, as a browser without JavaScript uses it: every
 * action is a form with a CSRF token (double-submit), and each refused case is checked too.
 */

const BOB = { email: 'bob@example.com', password: 'bob has a long password' };
const NOWHERE = 'http://nowhere.invalid/';
const FAILURES_PER_ACCOUNT = 3;

interface Form {
  readonly action: string;
  readonly fields: Record<string, string>;
}

const decode = (text: string) =>
  text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** A relying party's back-channel logout endpoint (Back-Channel Logout 1.0 2.5): keeps each token. */
async function startLogoutReceiver() {
  const tokens: string[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      tokens.push(body.get('logout_token') ?? '');
      response.writeHead(200, { 'cache-control': 'no-store' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/backchannel`,
    tokens,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Every form on a page, with its hidden and visible inputs' names and values. */
function forms(html: string): Form[] {
  return [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)].map((match) => {
    const attribute = (tag: string, name: string) => {
      const found = new RegExp(`\\b${name}="([^"]*)"`, 'i').exec(tag);
      return found ? decode(found[1]!) : undefined;
    };
    const fields: Record<string, string> = {};
    for (const input of match[2]!.matchAll(/<input\b[^>]*>/gi)) {
      const name = attribute(input[0], 'name');
      if (name) fields[name] = attribute(input[0], 'value') ?? '';
    }
    return { action: attribute(match[1]!, 'action') ?? '', fields };
  });
}

/** The form posting to `action` (and, if given, carrying `field` = `value`). */
function formOn(page: Page, action: string, field?: [string, string]): Form {
  const found = forms(page.html).find(
    (f) => f.action === action && (!field || f.fields[field[0]] === field[1]),
  );
  if (!found) throw new Error(`no form to ${action} on ${page.url}:\n${page.html.slice(0, 600)}`);
  return found;
}

function post(
  browser: TestBrowser,
  issuer: string,
  form: Form,
  values: Record<string, string> = {},
): Promise<Page> {
  return browser.navigate(new URL(form.action, issuer).href, NOWHERE, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...form.fields, ...values }).toString(),
  });
}

/** A raw POST without following redirects: the status and Location of the answer itself. */
async function rawPost(browser: TestBrowser, url: string, values: Record<string, string>) {
  const response = await browser.request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(values).toString(),
  });
  return {
    status: response.status,
    location: response.headers.get('location'),
    html: await response.text(),
  };
}

for (const provider of providers) {
  describe(`account page (${provider})`, () => {
    let op: ProviderFixture;
    let issuer: string;
    let receiver: Awaited<ReturnType<typeof startLogoutReceiver>>;
    before(async () => {
      receiver = await startLogoutReceiver();
      op = await startProvider(provider, {
        IDP_LOGIN_FAILURES_PER_ACCOUNT: String(FAILURES_PER_ACCOUNT),
        // The logout receiver listens on loopback: allowed for outbound requests here only.
        IDP_OUTBOUND_ALLOWED_HOSTS: '127.0.0.1',
      });
      issuer = op.issuer;
    });
    after(async () => {
      await op?.close();
      await receiver?.close();
    });

    /** Opens /account, signs in on the page it leads to, and answers the account page. */
    async function signIn(
      browser: TestBrowser,
      user: { email: string; password: string } = ALICE,
    ): Promise<Page> {
      const login = await browser.navigate(`${issuer}/account`, NOWHERE);
      assert.equal(login.status, 200);
      assert.ok(isLoginPage(login), 'not signed in: the login page');
      const page = await browser.submit(
        login,
        { username: user.email, password: user.password },
        NOWHERE,
      );
      assert.equal(page.status, 200, page.html.slice(0, 500));
      assert.equal(new URL(page.url).pathname, '/account');
      return page;
    }

    async function auditEvents(type: string) {
      const listed = await idp(
        ['audit', 'list', '--json', '--type', type, '--limit', '100'],
        op.env,
      );
      assert.equal(listed.code, 0, listed.stderr);
      return JSON.parse(listed.stdout) as {
        actor: string;
        userId: string;
        clientId: string;
        data: Record<string, unknown>;
      }[];
    }

    /** The user's sub and stored claims, as `idp users list --json` prints them. */
    async function userClaims(email: string) {
      const listed = await idp(['users', 'list', '--json'], op.env);
      assert.equal(listed.code, 0, listed.stderr);
      const users = JSON.parse(listed.stdout) as ({ sub: string; email: string } & Record<
        string,
        unknown
      >)[];
      // `users list --json` puts the account's own fields beside the claims.
      const { sub, ...claims } = users.find((u) => u.email === email)!;
      for (const own of ['email', 'disabled']) Reflect.deleteProperty(claims, own);
      return { sub, claims };
    }

    test('not signed in: /account and its forms lead through the sign-in page and back', async () => {
      const browser = new TestBrowser();
      const first = await browser.request(`${issuer}/account`);
      assert.equal(first.status, 303);
      assert.equal(first.headers.get('location'), '/account/sign-in');
      const refused = await rawPost(browser, `${issuer}/account/profile`, { name: 'Mallory' });
      assert.equal(refused.status, 303);
      assert.equal(refused.location, '/account/sign-in');
      // An open redirect is not on offer: only account pages are a way back.
      const outside = await browser.navigate(
        `${issuer}/account/sign-in?return_to=${encodeURIComponent('//evil.example/')}`,
        NOWHERE,
      );
      assert.ok(isLoginPage(outside));
      assert.equal(formOn(outside, '/account/sign-in').action, '/account/sign-in');

      const login = await browser.navigate(`${issuer}/account`, NOWHERE);
      const wrong = await browser.submit(
        login,
        { username: ALICE.email, password: 'not the password' },
        NOWHERE,
      );
      assert.equal(wrong.status, 401);
      assert.match(wrong.html, /do not match an account/);
      // The same page cannot be sent twice.
      const replayed = await browser.submit(
        login,
        { username: ALICE.email, password: ALICE.password },
        NOWHERE,
      );
      assert.equal(replayed.status, 400);
      const page = await browser.submit(
        wrong,
        { username: ALICE.email, password: ALICE.password },
        NOWHERE,
      );
      assert.equal(page.status, 200);
      assert.match(page.html, /Signed in as <strong>alice@example\.com<\/strong>/);
      for (const heading of [
        'Profile',
        'Password',
        'Where you are signed in',
        'Connected applications',
      ])
        assert.match(page.html, new RegExp(`<h2 id="[a-z]+-title">${heading}</h2>`));
      assert.match(page.html, /<label for="profile-name">Full name<\/label>/);
      assert.doesNotMatch(page.html, /name="email"/, 'the address is not editable here');
    });

    test('profile: claims saved and audited as the user; bad values refused field by field', async () => {
      const browser = new TestBrowser();
      const page = await signIn(browser);
      const form = formOn(page, '/account/profile');
      assert.equal(form.fields.name, ALICE.name);

      const bad = await post(browser, issuer, form, {
        name: 'Alice Liddell',
        website: 'javascript:alert(1)',
        locale: 'not a locale!',
        zoneinfo: 'Mars/Olympus',
      });
      assert.equal(bad.status, 400);
      assert.match(bad.html, /id="profile-website-error">Use a full web address/);
      assert.match(bad.html, /id="profile-locale-error">/);
      assert.match(bad.html, /id="profile-zoneinfo-error">/);
      assert.match(bad.html, /aria-invalid="true"/);
      assert.match(bad.html, /value="Alice Liddell"/, 'what was typed comes back');
      assert.equal((await userClaims(ALICE.email)).claims.name, ALICE.name, 'nothing saved');

      const saved = await post(browser, issuer, form, {
        name: '  Alice Liddell ',
        website: 'https://alice.example/',
        locale: 'en-gb',
        zoneinfo: 'Europe/London',
        given_name: '',
        // Not a field of the form: ignored, the address changes only through its mailbox.
        email: 'mallory@example.com',
        email_verified: 'false',
      });
      assert.equal(saved.status, 200);
      assert.match(saved.html, /role="status">Your profile was saved\./);
      const stored = await userClaims(ALICE.email);
      assert.equal(stored.claims.name, 'Alice Liddell');
      assert.equal(stored.claims.website, 'https://alice.example/');
      assert.equal(stored.claims.locale, 'en-GB');
      assert.equal(stored.claims.zoneinfo, 'Europe/London');
      assert.equal(stored.claims.given_name, undefined, 'an emptied field removes the claim');
      assert.equal(stored.claims.email_verified, true);
      const [event] = await auditEvents('user.updated');
      assert.equal(event?.actor, stored.sub, 'the person is the actor');
      assert.deepEqual(
        new Set(event?.data.changed as string[]),
        new Set(['given_name', 'locale', 'name', 'website', 'zoneinfo']),
      );
    });

    test('CSRF: a form without the token, or with another browser’s, is refused and changes nothing', async () => {
      const browser = new TestBrowser();
      const page = await signIn(browser);
      const form = formOn(page, '/account/profile');
      const before = (await userClaims(ALICE.email)).claims.nickname;

      const missing = await rawPost(browser, `${issuer}/account/profile`, {
        ...form.fields,
        csrf: '',
        nickname: 'hijacked',
      });
      assert.equal(missing.status, 403);
      assert.match(missing.html, /could not be accepted/);

      const other = new TestBrowser();
      const stale = formOn(await signIn(other, BOB), '/account/profile').fields.csrf!;
      const foreign = await rawPost(browser, `${issuer}/account/profile`, {
        ...form.fields,
        csrf: stale,
        nickname: 'hijacked',
      });
      assert.equal(foreign.status, 403);
      assert.equal((await userClaims(ALICE.email)).claims.nickname, before);

      const revoke = await rawPost(browser, `${issuer}/account/sessions/end-others`, {});
      assert.equal(revoke.status, 403, 'every POST checks the token');
    });

    test('sessions: listed with their apps; one signed out; another user’s session id refused; everywhere else', async () => {
      const here = new TestBrowser({ from: '127.0.0.2' });
      const there = new TestBrowser({ from: '127.0.0.3' });
      const third = new TestBrowser({ from: '127.0.0.4' });
      await signIn(there);
      await signIn(third);
      // An application used in `there`: its session lists it.
      await loginTokens(there, issuer, { scope: 'openid profile' });
      let page = await signIn(here);
      const ends = forms(page.html).filter((f) => f.action === '/account/sessions/end');
      assert.ok(ends.length >= 3, 'this browser and the two others');
      assert.match(page.html, /<span class="badge">This browser<\/span>/);
      assert.match(page.html, /Applications: Example Web App/);
      assert.match(page.html, /with password/);

      const thereId = formOn(
        await there.navigate(`${issuer}/account`, NOWHERE),
        '/account/sessions/end',
      ).fields.session_id!;
      // The other browser's own page lists itself first; its id is what `here` sees too.
      formOn(page, '/account/sessions/end', ['session_id', thereId]);

      // Bob's session, named from Alice's page: refused, and Bob stays signed in.
      const bob = new TestBrowser({ from: '127.0.0.5' });
      const bobId = formOn(await signIn(bob, BOB), '/account/sessions/end').fields.session_id!;
      const refused = await post(here, issuer, formOn(page, '/account/sessions/end'), {
        session_id: bobId,
      });
      assert.equal(refused.status, 404);
      assert.match(refused.html, /not one of yours/);
      assert.equal((await bob.navigate(`${issuer}/account`, NOWHERE)).status, 200);

      const ended = await post(
        here,
        issuer,
        formOn(page, '/account/sessions/end', ['session_id', thereId]),
      );
      assert.equal(ended.status, 200);
      assert.match(ended.html, /That browser was signed out/);
      assert.ok(
        isLoginPage(await there.navigate(`${issuer}/account`, NOWHERE)),
        'there: signed out',
      );
      assert.equal((await third.navigate(`${issuer}/account`, NOWHERE)).status, 200);

      page = await here.navigate(`${issuer}/account`, NOWHERE);
      const everywhere = await post(here, issuer, formOn(page, '/account/sessions/end-others'));
      assert.match(everywhere.html, /You are signed out everywhere else/);
      assert.ok(
        isLoginPage(await third.navigate(`${issuer}/account`, NOWHERE)),
        'third: signed out',
      );
      assert.equal(
        (await here.navigate(`${issuer}/account`, NOWHERE)).status,
        200,
        'here: still in',
      );
      assert.doesNotMatch(everywhere.html, /action="\/account\/sessions\/end-others"/);
      const events = await auditEvents('session.ended');
      assert.ok(events.filter((e) => e.data.reason === 'user').length >= 2);
    });

    test('password: the current one is required; a change ends other sessions and refresh tokens', async () => {
      const user = { email: 'carol@example.com', password: 'carol has a long password' };
      const added = await idp(['users', 'add', user.email, '--password-stdin'], op.env, {
        stdin: user.password,
      });
      assert.equal(added.code, 0, added.stderr);
      const other = new TestBrowser({ from: '127.0.0.6' });
      await signIn(other, user);
      const app = new TestBrowser({ from: '127.0.0.7' });
      await signIn(app, user);
      const tokens = await loginTokens(app, issuer, {
        scope: 'openid offline_access',
        prompt: 'consent',
      });
      assert.ok(tokens.refresh_token);

      const browser = new TestBrowser({ from: '127.0.0.8' });
      const page = await signIn(browser, user);
      const form = formOn(page, '/account/password');
      const next = 'carol chose a new passphrase';

      const wrong = await post(browser, issuer, form, {
        current_password: 'not my password',
        password: next,
        password_confirmation: next,
      });
      assert.equal(wrong.status, 400);
      assert.match(wrong.html, /id="password-current-error">That is not your current password/);
      const short = await post(browser, issuer, form, {
        current_password: user.password,
        password: 'short',
        password_confirmation: 'short',
      });
      assert.equal(short.status, 400);
      assert.match(short.html, /at least 8 characters/);
      assert.equal((await other.navigate(`${issuer}/account`, NOWHERE)).status, 200, 'unchanged');

      const changed = await post(browser, issuer, form, {
        current_password: user.password,
        password: next,
        password_confirmation: next,
      });
      assert.equal(changed.status, 200);
      assert.match(changed.html, /Your password was changed/);
      assert.equal((await browser.navigate(`${issuer}/account`, NOWHERE)).status, 200, 'kept');
      assert.ok(isLoginPage(await other.navigate(`${issuer}/account`, NOWHERE)), 'ended');
      const refreshed = await tokenRequest(issuer, {
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token,
      });
      assert.equal(refreshed.status, 400);
      assert.equal(refreshed.body.error, 'invalid_grant');

      const fresh = new TestBrowser({ from: '127.0.0.9' });
      const login = await fresh.navigate(`${issuer}/account`, NOWHERE);
      const old = await fresh.submit(
        login,
        { username: user.email, password: user.password },
        NOWHERE,
      );
      assert.equal(old.status, 401, 'the old password is refused');
      await signIn(fresh, { email: user.email, password: next });
      const events = await auditEvents('user.password_changed');
      const sub = (await userClaims(user.email)).sub;
      assert.equal(events.find((e) => e.userId === sub)?.actor, sub);
      assert.ok((await auditEvents('password_change.failed')).some((e) => e.userId === sub));
    });

    test('password: a change sends back-channel logout tokens for the other sessions only (Back-Channel Logout 1.0 2.5)', async () => {
      const user = { email: 'frank@example.com', password: 'frank has a long password' };
      const added = await idp(['users', 'add', user.email, '--password-stdin'], op.env, {
        stdin: user.password,
      });
      assert.equal(added.code, 0, added.stderr);
      const secret = await addBackchannelClient(op, 'rp-backchannel', receiver.url);
      const config = await oidc.discovery(
        new URL(issuer),
        'rp-backchannel',
        undefined,
        oidc.ClientSecretBasic(secret),
        { execute: [oidc.allowInsecureRequests] },
      );
      /** The relying party's login in `browser`: the ID token's claims. */
      const rpLogin = async (browser: TestBrowser) => {
        const verifier = oidc.randomPKCECodeVerifier();
        const nonce = oidc.randomNonce();
        const url = oidc.buildAuthorizationUrl(config, {
          redirect_uri: CALLBACK,
          scope: 'openid profile',
          code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
          code_challenge_method: 'S256',
          nonce,
        });
        const { callback } = await rpSignIn(browser, url.href, { user });
        const tokens = await oidc.authorizationCodeGrant(config, callback, {
          pkceCodeVerifier: verifier,
          expectedNonce: nonce,
          idTokenExpected: true,
        });
        return tokens.claims()!;
      };
      const other = new TestBrowser({ from: '127.0.0.11' });
      const there = await rpLogin(other);
      const browser = new TestBrowser({ from: '127.0.0.12' });
      const page = await signIn(browser, user);
      // The relying party used in this browser too: its session stays, so no token for it.
      const here = await rpLogin(browser);
      assert.ok(there.sid && here.sid && there.sid !== here.sid, 'two sessions, two sids');
      assert.equal(receiver.tokens.length, 0);

      const next = 'frank chose a new passphrase';
      const changed = await post(browser, issuer, formOn(page, '/account/password'), {
        current_password: user.password,
        password: next,
        password_confirmation: next,
      });
      assert.match(changed.html, /Your password was changed/);
      await waitFor(() => receiver.tokens.length >= 1, 'a logout token at the relying party');
      // Longer than a retry's wait: a token for this browser's session would have come by now.
      await sleep(1_500);
      assert.equal(receiver.tokens.length, 1, 'one token: the other session only');
      const { payload, protectedHeader } = await jwtVerify(
        receiver.tokens[0]!,
        createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`)),
        { issuer, audience: 'rp-backchannel', typ: 'logout+jwt', maxTokenAge: '2 minutes' },
      );
      assert.ok(protectedHeader.kid);
      assert.deepEqual(payload.events, {
        'http://schemas.openid.net/event/backchannel-logout': {},
      });
      assert.equal(payload.sid, there.sid, "the other session's sid, as in its ID token");
      assert.equal(payload.sub, there.sub);
      assert.equal('nonce' in payload, false, '2.4: no nonce in a logout token');
    });

    test('password: wrong current passwords are limited like sign-ins; `idp users unlock` lifts it, audited', async () => {
      const user = { email: 'erin@example.com', password: 'erin has a long password' };
      const added = await idp(['users', 'add', user.email, '--password-stdin'], op.env, {
        stdin: user.password,
      });
      assert.equal(added.code, 0, added.stderr);
      const browser = new TestBrowser({ from: '127.0.0.10' });
      const form = formOn(await signIn(browser, user), '/account/password');
      const next = 'erin chose a new passphrase';
      const attempt = (current: string) =>
        post(browser, issuer, form, {
          current_password: current,
          password: next,
          password_confirmation: next,
        });
      const statuses: number[] = [];
      for (let n = 0; n <= FAILURES_PER_ACCOUNT; n += 1)
        statuses.push((await attempt('a guess that is wrong')).status);
      assert.deepEqual(statuses, [...Array(FAILURES_PER_ACCOUNT).fill(400), 429]);
      const held = await attempt(user.password);
      assert.equal(held.status, 429, 'even the right password waits: the guessing is held back');
      assert.match(held.html, /Too many attempts/);
      assert.equal((await browser.navigate(`${issuer}/account`, NOWHERE)).status, 200);

      const unlocked = await idp(['users', 'unlock', user.email], op.env);
      assert.equal(unlocked.code, 0, unlocked.stderr);
      const changed = await attempt(user.password);
      assert.equal(changed.status, 200);
      assert.match(changed.html, /Your password was changed/);
      const sub = (await userClaims(user.email)).sub;
      const unlocks = (await auditEvents('login.unlocked')).filter((e) => e.userId === sub);
      assert.deepEqual(
        unlocks.map((e) => e.actor),
        ['cli'],
      );
      assert.equal(
        (await auditEvents('password_change.failed')).filter((e) => e.userId === sub).length,
        FAILURES_PER_ACCOUNT,
      );
    });

    test('connected apps: revoke deletes the consent and that app’s refresh tokens; unknown app refused', async () => {
      const user = { email: 'dan@example.com', password: 'dan has a long password' };
      const added = await idp(['users', 'add', user.email, '--password-stdin'], op.env, {
        stdin: user.password,
      });
      assert.equal(added.code, 0, added.stderr);
      const browser = new TestBrowser();
      await signIn(browser, user);
      const tokens = await loginTokens(browser, issuer, {
        scope: 'openid profile offline_access',
        prompt: 'consent',
      });
      assert.ok(tokens.refresh_token);
      let page = await browser.navigate(`${issuer}/account`, NOWHERE);
      assert.match(page.html, /<p class="item-title">Example Web App<\/p>/);
      assert.match(page.html, /aria-label="Revoke Example Web App"/);

      const unknown = await post(browser, issuer, formOn(page, '/account/apps/revoke'), {
        client_id: 'web2',
      });
      assert.equal(unknown.status, 404);
      assert.match(unknown.html, /not connected to your account/);

      page = await post(
        browser,
        issuer,
        formOn(page, '/account/apps/revoke', ['client_id', 'web']),
      );
      assert.equal(page.status, 200);
      assert.match(page.html, /The application was revoked/);
      assert.match(page.html, /You have not allowed any application yet/);
      const refreshed = await tokenRequest(issuer, {
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token,
      });
      assert.equal(refreshed.body.error, 'invalid_grant');
      const sub = (await userClaims(user.email)).sub;
      const [event] = (await auditEvents('consent.revoked')).filter((e) => e.userId === sub);
      assert.equal(event?.actor, sub);
      assert.equal(event?.clientId, 'web');
    });
  });
}
