import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import { TestBrowser, parseForm, type Page } from '../support/browser.js';
import { providers } from '../support/databases.js';
import { isConsentPage } from '../support/flow.js';
import { ALICE, CALLBACK } from '../support/provider-fixture.js';
import {
  assert as signAssertion,
  createCredential,
  type SoftCredential,
} from '../support/soft-authenticator.js';
import { authorizationRequest, startPasskeyServer, type PasskeyServer } from './passkey-fixture.js';

const BOB = { email: 'bob@example.com', password: 'bob has a long password' };

interface Options {
  options: {
    challenge: string;
    rpId?: string;
    rp?: { id?: string };
    user?: { id: string };
    allowCredentials?: { id: string }[];
  };
  state: string;
}

const MFA = 'urn:idp:acr:mfa';

/**
 * Passkeys over HTTP with a software authenticator (WebAuthn L3 7.1 registration, 7.2
 * authentication), so that responses no real authenticator would produce can be sent: replayed
 * and foreign challenges, another user's credential, unknown credentials, a stale sign-in.
 */
for (const provider of providers) {
  describe(`passkey ceremonies over HTTP on ${provider}`, () => {
    let op: PasskeyServer;
    before(async () => {
      op = await startPasskeyServer(provider);
    });
    after(() => op?.close());

    const origin = () => op.issuer;
    const rpId = () => new URL(op.issuer).hostname;

    async function postForm(browser: TestBrowser, path: string, fields: Record<string, string>) {
      return browser.request(`${op.issuer}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      });
    }

    /** Signs in on the account page's own sign-in with a password; the account page. */
    async function signInToAccount(browser: TestBrowser, user: typeof ALICE | typeof BOB) {
      const login = await browser.navigate(`${op.issuer}/account`, CALLBACK);
      assert.match(login.url, /\/account\/sign-in$/);
      const page = await browser.submit(
        login,
        { username: user.email, password: user.password },
        CALLBACK,
      );
      assert.equal(page.status, 200, page.html.slice(0, 400));
      assert.match(page.url, /\/account$/);
      return page;
    }

    const csrfOf = (page: Page) => /name="csrf" value="([^"]+)"/.exec(page.html)![1]!;

    /** Registers a software passkey from the account page; the credential. */
    async function registerPasskey(browser: TestBrowser, account: Page, name = 'Soft key') {
      const csrf = csrfOf(account);
      const response = await postForm(browser, '/account/passkeys/options', { csrf });
      assert.equal(response.status, 200);
      const { options, state } = (await response.json()) as Options;
      assert.equal(options.rp?.id, rpId(), 'the RP id is the issuer host');
      const { credential, response: created } = createCredential(options as never, origin());
      const added = await postForm(browser, '/account/passkeys', {
        csrf,
        state,
        credential: JSON.stringify(created),
        name,
      });
      assert.equal(added.status, 303);
      assert.equal(added.headers.get('location'), '/account?done=passkey-added#passkeys');
      return credential;
    }

    /** A login page of `web` and a challenge for it. */
    async function passkeyLoginPage(browser: TestBrowser) {
      const request = await authorizationRequest(op.config);
      const page = await browser.navigate(request.url.href, CALLBACK);
      assert.equal(page.status, 200);
      assert.match(page.html, /<button type="submit">Sign in with a passkey<\/button>/);
      // Served as the page contract says; the page script adds "webauthn" for autofill.
      assert.match(page.html, /<input name="username" autocomplete="username" /);
      const { fields } = parseForm(page.html);
      const response = await postForm(browser, '/login/passkey/options', {
        interaction: fields.interaction!,
        csrf: fields.csrf!,
      });
      assert.equal(response.status, 200);
      const options = (await response.json()) as Options;
      assert.equal(options.options.rpId, rpId());
      return { request, page, fields, ...options };
    }

    /** The options a passkey form of `page` fetches (its hidden fields posted to `path`). */
    async function optionsFor(browser: TestBrowser, path: string, fields: Record<string, string>) {
      const response = await postForm(browser, path, {
        interaction: fields.interaction!,
        csrf: fields.csrf!,
      });
      assert.equal(response.status, 200, await response.clone().text());
      return (await response.json()) as Options;
    }

    /** An assertion by `credential` over the challenge of `options`, for this server. */
    const assertionFor = (credential: SoftCredential, options: Options) =>
      signAssertion(credential, {
        challenge: options.options.challenge,
        origin: origin(),
        rpId: rpId(),
      });

    async function postAssertion(
      browser: TestBrowser,
      fields: Record<string, string>,
      state: string,
      assertion: object,
      path = '/login/passkey',
    ): Promise<Page> {
      return browser.navigate(`${op.issuer}${path}`, CALLBACK, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          interaction: fields.interaction!,
          csrf: fields.csrf!,
          state,
          credential: JSON.stringify(assertion),
        }).toString(),
      });
    }

    /**
     * The account sign-in's second step for a passkey user (their passkeys, no one-time codes),
     * shown first or again after a refusal, given with `credential`; the page it leads to.
     */
    async function giveAccountPasskey(
      browser: TestBrowser,
      step: Page,
      credential: SoftCredential,
    ) {
      assert.match(
        step.html,
        /<button type="submit">Use a passkey<\/button>/,
        step.html.slice(0, 400),
      );
      assert.match(step.html, /data-options="\/account\/sign-in\/passkey\/options"/);
      assert.doesNotMatch(step.html, /name="code"/, 'no one-time codes to ask for');
      const { fields } = parseForm(step.html);
      const options = await optionsFor(browser, '/account/sign-in/passkey/options', fields);
      assert.deepEqual(
        options.options.allowCredentials?.map((c) => c.id),
        [credential.id.toString('base64url')],
        "the user's own passkeys only",
      );
      return postAssertion(
        browser,
        fields,
        options.state,
        assertionFor(credential, options),
        '/account/sign-in/second-factor/passkey',
      );
    }

    /** The password on the account sign-in, then `credential` on the second step; the account page. */
    async function signInToAccountWithPasskey(
      browser: TestBrowser,
      user: typeof ALICE | typeof BOB,
      credential: SoftCredential,
    ) {
      const login = await browser.navigate(`${op.issuer}/account`, CALLBACK);
      const step = await browser.submit(
        login,
        { username: user.email, password: user.password },
        CALLBACK,
      );
      const page = await giveAccountPasskey(browser, step, credential);
      assert.equal(page.status, 200, page.html.slice(0, 400));
      assert.match(page.url, /\/account$/);
      return page;
    }

    let alice: SoftCredential;
    let bob: SoftCredential;

    test('a passkey added on the account page signs in alone: amr ["hwk","user"] (RFC 8176)', async () => {
      const browser = new TestBrowser();
      // No factor yet: the password alone opens the account page (signInToAccount checks so).
      alice = await registerPasskey(browser, await signInToAccount(browser, ALICE));
      const account = await browser.navigate(`${op.issuer}/account`, CALLBACK);
      assert.match(account.html, /Soft key/);

      const fresh = new TestBrowser();
      const login = await passkeyLoginPage(fresh);
      let next = await postAssertion(
        fresh,
        login.fields,
        login.state,
        signAssertion(alice, {
          challenge: login.options.challenge,
          origin: origin(),
          rpId: rpId(),
        }),
      );
      if (isConsentPage(next))
        next = await fresh.submit(next, {}, CALLBACK, { name: 'decision', value: 'allow' });
      assert.ok(next.redirectedTo, `reached the client: ${next.status} ${next.html.slice(0, 300)}`);
      const tokens = await login.request.redeem(new URL(next.redirectedTo));
      const claims = decodeJwt(tokens.id_token!);
      assert.deepEqual(claims.amr, ['hwk', 'user']);
      assert.equal(claims.email, ALICE.email);
    });

    test('WebAuthn L3 7.2 step 12: an assertion over another challenge is refused', async () => {
      const browser = new TestBrowser();
      const login = await passkeyLoginPage(browser);
      const page = await postAssertion(
        browser,
        login.fields,
        login.state,
        signAssertion(alice, { challenge: 'b3RoZXItY2hhbGxlbmdl', origin: origin(), rpId: rpId() }),
      );
      assert.equal(page.status, 401);
      assert.equal(page.redirectedTo, undefined);
      assert.match(page.html, /That passkey could not sign you in/);
    });

    test('a challenge is single-use: replaying its state on another page is refused', async () => {
      const browser = new TestBrowser();
      const first = await passkeyLoginPage(browser);
      const assertion = signAssertion(alice, {
        challenge: first.options.challenge,
        origin: origin(),
        rpId: rpId(),
      });
      const signedIn = await postAssertion(browser, first.fields, first.state, assertion);
      assert.ok(signedIn.redirectedTo, 'signed in: consent was given before, so the code');
      // The very same post again: the page was used.
      const again = await postAssertion(browser, first.fields, first.state, assertion);
      assert.equal(again.status, 400);
      assert.match(again.html, /already used/);
      // The challenge and its response on a fresh page: refused, no session.
      const other = new TestBrowser();
      const second = await passkeyLoginPage(other);
      const replay = await postAssertion(other, second.fields, first.state, assertion);
      assert.equal(replay.status, 401);
      assert.match(replay.html, /expired or was already used/);
      assert.equal(replay.redirectedTo, undefined);
    });

    test("an assertion naming another user's handle, or an unknown credential, is refused", async () => {
      const browser = new TestBrowser();
      bob = await registerPasskey(browser, await signInToAccount(browser, BOB), 'Bob key');
      const victim = new TestBrowser();
      const login = await passkeyLoginPage(victim);
      // Alice's credential, claiming Bob's user handle (WebAuthn L3 7.2 step 6).
      const forged = signAssertion(
        alice,
        { challenge: login.options.challenge, origin: origin(), rpId: rpId() },
        { userHandle: bob.userHandle },
      );
      const refused = await postAssertion(victim, login.fields, login.state, forged);
      assert.equal(refused.status, 401);
      assert.equal(refused.redirectedTo, undefined);

      const stranger = new TestBrowser();
      const page = await passkeyLoginPage(stranger);
      const unknown = createCredential(
        { challenge: 'x', rp: { id: rpId() }, user: { id: alice.userHandle } },
        origin(),
      ).credential;
      const result = await postAssertion(
        stranger,
        page.fields,
        page.state,
        signAssertion(unknown, {
          challenge: page.options.challenge,
          origin: origin(),
          rpId: rpId(),
        }),
      );
      assert.equal(result.status, 401);
      assert.match(result.html, /That passkey could not sign you in/);

      const failures = await op.server.services.audit.recent({ type: 'login.failed' });
      const reasons = failures.map((e) => e.data.reason);
      assert.ok(reasons.includes('unknown_credential'), JSON.stringify(reasons));
      assert.ok(reasons.includes('user_mismatch'), JSON.stringify(reasons));
    });

    test('account sign-in: a passkey alone opens the account page (amr ["hwk","user"]), once per page', async () => {
      const browser = new TestBrowser();
      const page = await browser.navigate(`${op.issuer}/account/sign-in`, CALLBACK);
      assert.match(page.html, /<button type="submit">Sign in with a passkey<\/button>/);
      assert.match(page.html, /data-options="\/account\/sign-in\/passkey\/options"/);
      const { fields } = parseForm(page.html);
      const options = await optionsFor(browser, '/account/sign-in/passkey/options', fields);
      assert.equal(options.options.rpId, rpId());
      assert.equal((options.options.allowCredentials ?? []).length, 0, 'a discoverable credential');
      const assertion = assertionFor(alice, options);
      const post = (values: Record<string, string>) =>
        postForm(browser, '/account/sign-in/passkey', {
          interaction: fields.interaction!,
          csrf: fields.csrf!,
          ...values,
        });
      const signedIn = await post({ state: options.state, credential: JSON.stringify(assertion) });
      assert.equal(signedIn.status, 303);
      assert.equal(signedIn.headers.get('location'), '/account');
      const account = await browser.navigate(`${op.issuer}/account`, CALLBACK);
      assert.equal(account.status, 200);
      assert.match(account.html, /Signed in as <strong>alice@example\.com<\/strong>/);
      assert.match(account.html, /passkey, screen lock/, 'the session says how: hwk and user');
      assert.match(account.html, /Add a passkey/, 'a fresh sign-in');
      const replayed = await post({ state: options.state, credential: JSON.stringify(assertion) });
      assert.equal(replayed.status, 400, 'the page was used');

      // Another browser: no CSRF cookie of this page, so neither options nor a sign-in.
      const stranger = new TestBrowser();
      const refused = await postForm(stranger, '/account/sign-in/passkey/options', {
        interaction: fields.interaction!,
        csrf: fields.csrf!,
      });
      assert.equal(refused.status, 403);
    });

    test('reauth=1 before adding a passkey works with a passkey alone', async () => {
      const browser = new TestBrowser();
      const account = await signInToAccountWithPasskey(browser, ALICE, alice);
      op.clock.advance(6 * 60_000);
      const stale = await postForm(browser, '/account/passkeys/options', { csrf: csrfOf(account) });
      assert.equal(stale.status, 403, 'a stale sign-in cannot add a passkey');
      const reauth = await browser.navigate(`${op.issuer}/account/sign-in?reauth=1`, CALLBACK);
      assert.match(reauth.html, /value="alice@example\.com"/);
      const { fields } = parseForm(reauth.html);
      const options = await optionsFor(browser, '/account/sign-in/passkey/options', fields);
      const back = await postAssertion(
        browser,
        fields,
        options.state,
        assertionFor(alice, options),
        '/account/sign-in/passkey',
      );
      assert.equal(back.status, 200);
      assert.equal(new URL(back.url).pathname, '/account');
      const fresh = await postForm(browser, '/account/passkeys/options', { csrf: csrfOf(back) });
      assert.equal(fresh.status, 200, 'fresh again: the registration options are given');
    });

    test('RFC 8176: a password, then a passkey as the second factor: amr ["pwd","hwk","user","mfa"]; another user\'s passkey is refused', async () => {
      const browser = new TestBrowser();
      const request = await authorizationRequest(op.config, { acr_values: MFA });
      const login = await browser.navigate(request.url.href, CALLBACK);
      let step = await browser.submit(
        login,
        { username: ALICE.email, password: ALICE.password },
        CALLBACK,
      );
      // Alice has a passkey and no one-time codes: the passkey step, not a dead end.
      assert.match(
        step.html,
        /<button type="submit">Use a passkey<\/button>/,
        step.html.slice(0, 400),
      );
      assert.match(step.html, /data-options="\/login\/second-factor\/passkey\/options"/);
      assert.doesNotMatch(step.html, /name="code"/, 'no one-time codes to ask for');
      assert.doesNotMatch(step.html, /name="password"/, 'the password is not asked again');
      assert.match(step.headers!.get('content-security-policy')!, /\/assets\/passkeys\.js/);
      assert.equal(
        (await browser.request(`${op.issuer}/account`)).status,
        303,
        'no session before the second factor',
      );

      let fields = parseForm(step.html).fields;
      const first = await optionsFor(browser, '/login/second-factor/passkey/options', fields);
      assert.deepEqual(
        first.options.allowCredentials?.map((c) => c.id),
        [alice.id.toString('base64url')],
        "WebAuthn L3 5.5: only the user's own passkeys are allowed",
      );
      // Bob's passkey, over the right challenge: not Alice's second factor.
      step = await postAssertion(
        browser,
        fields,
        first.state,
        assertionFor(bob, first),
        '/login/second-factor/passkey',
      );
      assert.equal(step.status, 401);
      assert.equal(step.redirectedTo, undefined);
      assert.match(step.html, /That passkey could not be used/);
      const reasons = (await op.server.services.audit.recent({ type: 'login.failed' })).map(
        (e) => e.data.reason,
      );
      assert.ok(reasons.includes('other_user'), JSON.stringify(reasons));

      // The challenge is single-use: Alice's assertion over it, on the page asked again, fails.
      fields = parseForm(step.html).fields;
      step = await postAssertion(
        browser,
        fields,
        first.state,
        assertionFor(alice, first),
        '/login/second-factor/passkey',
      );
      assert.equal(step.status, 401);
      assert.equal(step.redirectedTo, undefined);
      // A challenge issued for the login page's passkey sign-in is not one for this step either.
      fields = parseForm(step.html).fields;
      const loginPage = await passkeyLoginPage(new TestBrowser());
      step = await postAssertion(
        browser,
        fields,
        loginPage.state,
        assertionFor(alice, loginPage),
        '/login/second-factor/passkey',
      );
      assert.equal(step.status, 401);

      fields = parseForm(step.html).fields;
      const options = await optionsFor(browser, '/login/second-factor/passkey/options', fields);
      let next = await postAssertion(
        browser,
        fields,
        options.state,
        assertionFor(alice, options),
        '/login/second-factor/passkey',
      );
      if (isConsentPage(next))
        next = await browser.submit(next, {}, CALLBACK, { name: 'decision', value: 'allow' });
      assert.ok(next.redirectedTo, `reached the client: ${next.status} ${next.html.slice(0, 300)}`);
      const claims = decodeJwt((await request.redeem(new URL(next.redirectedTo))).id_token!);
      assert.deepEqual(claims.amr, ['pwd', 'hwk', 'user', 'mfa']);
      assert.equal(claims.acr, MFA);
    });

    test('step-up via acr_values on a password session of a passkey user asks only for the passkey', async () => {
      const browser = new TestBrowser();
      const plain = await authorizationRequest(op.config);
      let next = await browser.submit(
        await browser.navigate(plain.url.href, CALLBACK),
        { username: ALICE.email, password: ALICE.password },
        CALLBACK,
      );
      if (isConsentPage(next))
        next = await browser.submit(next, {}, CALLBACK, { name: 'decision', value: 'allow' });
      assert.ok(next.redirectedTo, 'no second factor asked when none is needed');
      const one = decodeJwt((await plain.redeem(new URL(next.redirectedTo))).id_token!);
      assert.deepEqual(one.amr, ['pwd']);

      const stepUp = await authorizationRequest(op.config, { acr_values: MFA });
      const page = await browser.navigate(stepUp.url.href, CALLBACK);
      assert.match(page.html, /Use a passkey/);
      assert.doesNotMatch(page.html, /name="password"/);
      const { fields } = parseForm(page.html);
      const options = await optionsFor(browser, '/login/second-factor/passkey/options', fields);
      next = await postAssertion(
        browser,
        fields,
        options.state,
        assertionFor(alice, options),
        '/login/second-factor/passkey',
      );
      assert.ok(next.redirectedTo, `reached the client: ${next.status} ${next.html.slice(0, 300)}`);
      const claims = decodeJwt((await stepUp.redeem(new URL(next.redirectedTo))).id_token!);
      assert.deepEqual(claims.amr, ['pwd', 'hwk', 'user', 'mfa']);
      assert.equal(claims.acr, MFA);
      assert.equal(claims.sub, one.sub);
    });

    test('account sign-in: a passkey user’s password leads to the passkey step, not to /account; then amr ["pwd","hwk","user","mfa"]', async () => {
      op.clock.advance(1000);
      const since = op.clock.now();
      const browser = new TestBrowser();
      const login = await browser.navigate(`${op.issuer}/account`, CALLBACK);
      assert.match(login.url, /\/account\/sign-in$/);
      const step = await browser.submit(
        login,
        { username: ALICE.email, password: ALICE.password },
        CALLBACK,
      );
      assert.equal(step.status, 200);
      assert.equal(new URL(step.url).pathname, '/account/sign-in', 'not the account page');
      assert.doesNotMatch(step.html, /name="password"/, 'the password is not asked again');
      const between = await browser.request(`${op.issuer}/account`);
      assert.equal(between.status, 303, 'no session after the password alone');
      assert.equal(between.headers.get('location'), '/account/sign-in');

      // Bob's passkey, over the right challenge, is not Alice's second factor.
      const { fields } = parseForm(step.html);
      const options = await optionsFor(browser, '/account/sign-in/passkey/options', fields);
      const refused = await postAssertion(
        browser,
        fields,
        options.state,
        assertionFor(bob, options),
        '/account/sign-in/second-factor/passkey',
      );
      assert.equal(refused.status, 401);
      assert.match(refused.html, /That passkey could not be used/);
      assert.equal((await browser.request(`${op.issuer}/account`)).status, 303, 'still out');

      const account = await giveAccountPasskey(browser, refused, alice);
      assert.equal(account.status, 200);
      assert.equal(new URL(account.url).pathname, '/account');
      assert.match(account.html, /password, passkey, screen lock, two factors/);
      const events = await op.server.services.audit.recent({ type: 'login.succeeded', since });
      assert.deepEqual(
        events.map((e) => e.data.amr),
        [['pwd', 'hwk', 'user', 'mfa']],
        'RFC 8176 2: mfa',
      );
    });

    test('reauth=1 before adding a passkey: a passkey user’s password alone is not a fresh sign-in', async () => {
      const browser = new TestBrowser();
      const account = await signInToAccountWithPasskey(browser, ALICE, alice);
      const csrf = csrfOf(account);
      op.clock.advance(6 * 60_000);
      assert.equal((await postForm(browser, '/account/passkeys/options', { csrf })).status, 403);
      const reauth = await browser.navigate(`${op.issuer}/account/sign-in?reauth=1`, CALLBACK);
      assert.match(reauth.html, /value="alice@example\.com"/);
      const step = await browser.submit(reauth, { password: ALICE.password }, CALLBACK);
      assert.equal(new URL(step.url).pathname, '/account/sign-in');
      const still = await postForm(browser, '/account/passkeys/options', { csrf });
      assert.equal(still.status, 403, 'the password alone did not make the sign-in fresh');
      const back = await giveAccountPasskey(browser, step, alice);
      assert.equal(new URL(back.url).pathname, '/account');
      assert.match(back.html, /Add a passkey/);
      const fresh = await postForm(browser, '/account/passkeys/options', { csrf: csrfOf(back) });
      assert.equal(fresh.status, 200, 'fresh after the passkey: the registration options');
    });

    test('an application’s password-only sign-in does not open the account page of a passkey user', async () => {
      op.clock.advance(1000); // Alice's passkey is older than this sign-in.
      const browser = new TestBrowser();
      const plain = await authorizationRequest(op.config);
      const loginPage = await browser.navigate(plain.url.href, CALLBACK);
      const { csrf } = parseForm(loginPage.html).fields;
      let next = await browser.submit(
        loginPage,
        { username: ALICE.email, password: ALICE.password },
        CALLBACK,
      );
      if (isConsentPage(next))
        next = await browser.submit(next, {}, CALLBACK, { name: 'decision', value: 'allow' });
      assert.ok(next.redirectedTo, 'the application still takes a password alone');
      const claims = decodeJwt((await plain.redeem(new URL(next.redirectedTo))).id_token!);
      assert.deepEqual(claims.amr, ['pwd']);

      const account = await browser.request(`${op.issuer}/account`);
      assert.equal(account.status, 303);
      assert.equal(account.headers.get('location'), '/account/sign-in');
      const options = await postForm(browser, '/account/passkeys/options', { csrf: csrf! });
      assert.equal(options.status, 401, 'no passkey can be added');
      const password = await postForm(browser, '/account/password', {
        csrf: csrf!,
        current_password: ALICE.password,
        password: 'a new password nobody should set',
        password_confirmation: 'a new password nobody should set',
      });
      assert.equal(password.status, 303);
      assert.equal(password.headers.get('location'), '/account/sign-in');
      const remove = await postForm(browser, '/account/passkeys/remove', {
        csrf: csrf!,
        credential_id: alice.id.toString('base64url'),
      });
      assert.equal(remove.headers.get('location'), '/account/sign-in');
      assert.ok(await op.server.services.passkeys.find(alice.id.toString('base64url')));

      // The sign-in page knows who it is, and asks for the passkey after the (unchanged) password.
      const signIn = await browser.navigate(`${op.issuer}/account`, CALLBACK);
      assert.match(signIn.html, /value="alice@example\.com"/);
      const step = await browser.submit(signIn, { password: ALICE.password }, CALLBACK);
      const page = await giveAccountPasskey(browser, step, alice);
      assert.equal(new URL(page.url).pathname, '/account');
    });

    test('one-time codes: a passkey user confirms with the password and a passkey, not the password alone', async () => {
      const browser = new TestBrowser();
      const confirm = await browser.navigate(`${op.issuer}/account/one-time-codes`, CALLBACK);
      assert.match(confirm.html, /<h1>Confirm it&#39;s you<\/h1>/);
      const step = await browser.submit(
        confirm,
        { username: ALICE.email, password: ALICE.password },
        CALLBACK,
      );
      const between = await browser.navigate(`${op.issuer}/account/one-time-codes`, CALLBACK);
      assert.match(between.html, /<h1>Confirm it&#39;s you<\/h1>/, 'no enrolment yet');
      const settings = await giveAccountPasskey(browser, step, alice);
      assert.equal(new URL(settings.url).pathname, '/account/one-time-codes');
      assert.match(settings.html, /data:image\/svg\+xml/, 'the enrolment page with its QR code');
    });

    test("a passkey form posted without the login page's CSRF cookie is refused", async () => {
      const login = await passkeyLoginPage(new TestBrowser());
      const page = await postAssertion(
        new TestBrowser(),
        login.fields,
        login.state,
        signAssertion(bob, { challenge: login.options.challenge, origin: origin(), rpId: rpId() }),
      );
      assert.equal(page.status, 403, 'no CSRF cookie: refused before any passkey check');
    });

    test('adding a passkey needs a fresh sign-in: a stale one goes through sign-in again', async () => {
      const browser = new TestBrowser();
      const account = await signInToAccountWithPasskey(browser, ALICE, alice);
      const csrf = csrfOf(account);
      const response = await postForm(browser, '/account/passkeys/options', { csrf });
      const { options, state } = (await response.json()) as Options;
      op.clock.advance(6 * 60_000);
      {
        const refused = await postForm(browser, '/account/passkeys/options', { csrf });
        assert.equal(refused.status, 403);
        const { response: created } = createCredential(options as never, origin());
        const before = await op.server.services.passkeys.listForUser(
          (await op.server.services.users.findByEmail(ALICE.email))!.id,
        );
        const added = await postForm(browser, '/account/passkeys', {
          csrf,
          state,
          credential: JSON.stringify(created),
          name: 'Late',
        });
        assert.equal(added.status, 303);
        assert.equal(added.headers.get('location'), '/account/sign-in?reauth=1');
        const afterwards = await op.server.services.passkeys.listForUser(before[0]!.userId);
        assert.equal(afterwards.length, before.length, 'nothing added');
        const page = await browser.navigate(`${op.issuer}/account`, CALLBACK);
        assert.match(page.html, /Sign in again to add a passkey/);
        // Signing in again (prompt=login-like), password and passkey, makes it fresh.
        const again = await browser.navigate(`${op.issuer}/account/sign-in?reauth=1`, CALLBACK);
        assert.match(again.html, /name="password"/);
        const step = await browser.submit(again, { password: ALICE.password }, CALLBACK);
        const back = await giveAccountPasskey(browser, step, alice);
        assert.match(back.html, /Add a passkey/);
      }
    });

    test('rename and remove are POST forms with the CSRF token, on your own passkeys only', async () => {
      const browser = new TestBrowser();
      const account = await signInToAccountWithPasskey(browser, BOB, bob);
      const credentialId = bob.id.toString('base64url');
      const noCsrf = await postForm(browser, '/account/passkeys/remove', {
        credential_id: credentialId,
      });
      assert.equal(noCsrf.status, 403);
      const csrf = csrfOf(account);
      const foreign = await postForm(browser, '/account/passkeys/remove', {
        csrf,
        credential_id: alice.id.toString('base64url'),
      });
      assert.equal(foreign.headers.get('location'), '/account?problem=passkey-unknown#passkeys');
      const renamed = await postForm(browser, '/account/passkeys/rename', {
        csrf,
        credential_id: credentialId,
        name: '  Desk key\u0000 ',
      });
      assert.equal(renamed.headers.get('location'), '/account?done=passkey-renamed#passkeys');
      assert.equal((await op.server.services.passkeys.find(credentialId))?.name, 'Desk key');
      const removed = await postForm(browser, '/account/passkeys/remove', {
        csrf,
        credential_id: credentialId,
      });
      assert.equal(removed.headers.get('location'), '/account?done=passkey-removed#passkeys');
      assert.equal(await op.server.services.passkeys.find(credentialId), null);
      const events = await op.server.services.audit.recent({ type: 'passkey.removed' });
      assert.ok(events.some((e) => e.data.credentialId === credentialId));
    });
  });
}
