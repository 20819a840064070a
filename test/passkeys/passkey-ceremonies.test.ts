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
  options: { challenge: string; rpId?: string; rp?: { id?: string }; user?: { id: string } };
  state: string;
}

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

    async function postAssertion(
      browser: TestBrowser,
      fields: Record<string, string>,
      state: string,
      assertion: object,
    ): Promise<Page> {
      return browser.navigate(`${op.issuer}/login/passkey`, CALLBACK, {
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

    let alice: SoftCredential;
    let bob: SoftCredential;

    test('a passkey added on the account page signs in alone: amr ["hwk","user"] (RFC 8176)', async () => {
      const browser = new TestBrowser();
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
      const account = await signInToAccount(browser, ALICE);
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
        // Signing in again (prompt=login-like) makes it fresh.
        const again = await browser.navigate(`${op.issuer}/account/sign-in?reauth=1`, CALLBACK);
        assert.match(again.html, /name="password"/);
        const back = await browser.submit(again, { password: ALICE.password }, CALLBACK);
        assert.match(back.html, /Add a passkey/);
      }
    });

    test('rename and remove are POST forms with the CSRF token, on your own passkeys only', async () => {
      const browser = new TestBrowser();
      const account = await signInToAccount(browser, BOB);
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
