import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { PASSKEY_SCRIPTS, passkeyScriptUrls } from '../src/passkeys/passkey-assets.js';
import { relyingPartyOf } from '../src/passkeys/relying-party.js';
import { accountPage } from '../src/views/account/account-layout.js';
import { passkeysSection } from '../src/views/account/passkeys-section.js';
import { PASSKEY_PAGE_SCRIPTS } from '../src/views/passkey-form.js';
import { contentSecurityPolicy, loginPage, oneTimeCodePage } from '../src/views/index.js';

const XSS = `"><script>alert('x')</script>&`;

const PATHS = {
  options: '/account/passkeys/options',
  add: '/account/passkeys',
  rename: '/account/passkeys/rename',
  remove: '/account/passkeys/remove',
  reauth: { action: '/account/sign-in', fields: { reauth: '1' } },
};

describe('passkey pages', () => {
  test('the login page offers "Sign in with a passkey" in a form hidden until the script runs', () => {
    const document = loginPage({
      clientName: 'App',
      interaction: 'sealed',
      csrf: 'token',
      action: '/login',
      passkey: { optionsUrl: '/login/passkey/options', action: '/login/passkey' },
    });
    // The page contract (DESIGN.md) keeps autocomplete="username"; the script adds "webauthn".
    assert.match(document, /<input name="username" autocomplete="username" /);
    const form = /<form method="post" action="\/login\/passkey"[^>]*>/.exec(document)?.[0];
    assert.ok(form, 'a passkey form');
    assert.match(form, /data-passkey="authentication"/);
    assert.match(form, /data-options="\/login\/passkey\/options"/);
    assert.match(form, /data-autofill="true"/);
    assert.match(form, / hidden>$/);
    assert.match(document, /<button type="submit">Sign in with a passkey<\/button>/);
    // The password form comes first (black-box tests and password managers fill the first form).
    assert.ok(document.indexOf('action="/login"') < document.indexOf('action="/login/passkey"'));
    for (const script of PASSKEY_SCRIPTS)
      assert.ok(
        document.includes(`<script src="${script.path}" integrity="${script.integrity}" defer>`),
      );
  });

  test('the second-factor page: codes and "Use a passkey", the passkey alone, or codes alone', () => {
    const base = {
      clientName: 'App',
      interaction: 'sealed',
      csrf: 'token',
      action: '/login/one-time-code',
    };
    const passkey = {
      optionsUrl: '/login/second-factor/passkey/options',
      action: '/login/second-factor/passkey',
    };
    const both = oneTimeCodePage({ ...base, passkey });
    assert.match(both, /<input name="code" /);
    const form = /<form method="post" action="\/login\/second-factor\/passkey"[^>]*>/.exec(
      both,
    )?.[0];
    assert.ok(form, 'a passkey form');
    assert.match(form, /data-options="\/login\/second-factor\/passkey\/options"/);
    assert.match(form, /data-autofill="false"/, 'no conditional UI on the second step');
    assert.match(both, /<button type="submit">Use a passkey<\/button>/);
    assert.ok(both.indexOf('name="code"') < both.indexOf('Use a passkey'), 'the code form first');
    assert.match(both, /<script src="\/assets\/passkeys\.js"/);

    const alone = oneTimeCodePage({ ...base, codes: false, passkey, locale: 'de' });
    assert.doesNotMatch(alone, /name="code"/);
    assert.match(alone, /<h1>Mit einem Passkey bestätigen<\/h1>/);
    assert.match(alone, /<button type="submit">Einen Passkey verwenden<\/button>/);

    const codes = oneTimeCodePage(base);
    assert.doesNotMatch(codes, /passkey/i);
    assert.doesNotMatch(codes, /<script/);
  });

  test('without passkeys the login page has no script and the plain username autocomplete', () => {
    const document = loginPage({
      clientName: 'App',
      interaction: 'i',
      csrf: 'c',
      action: '/login',
    });
    assert.doesNotMatch(document, /<script/);
    assert.match(document, /autocomplete="username" /);
  });

  test('SRI values are the SHA-384 of the served bytes', () => {
    for (const script of PASSKEY_SCRIPTS) {
      const digest = createHash('sha384').update(script.body).digest('base64');
      assert.equal(script.integrity, `sha384-${digest}`);
    }
    assert.match(PASSKEY_SCRIPTS[0]!.body, /SimpleWebAuthnBrowser/);
  });

  test('the CSP names the script files by exact URL and allows fetching from self, nothing inline', () => {
    const csp = contentSecurityPolicy({ scriptUrls: passkeyScriptUrls('https://id.example/') });
    assert.match(
      csp,
      /script-src https:\/\/id\.example\/assets\/simplewebauthn-browser\.js https:\/\/id\.example\/assets\/passkeys\.js;/,
    );
    assert.match(csp, /connect-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.doesNotMatch(contentSecurityPolicy(), /connect-src/);
  });

  test('WebAuthn L3 5.1.2: the RP id is the issuer host, the origin its origin', () => {
    assert.deepEqual(relyingPartyOf('https://login.example.com:8443/tenant'), {
      id: 'login.example.com',
      origin: 'https://login.example.com:8443',
      name: 'login.example.com',
    });
  });

  test('the passkeys section escapes names and offers "Add a passkey" only after a fresh sign-in', () => {
    const passkey = {
      credentialId: 'Y3JlZA',
      userId: 'u1',
      publicKey: 'pk',
      counter: 0,
      transports: ['internal'],
      deviceType: 'multiDevice' as const,
      backedUp: true,
      name: XSS,
      createdAt: Date.UTC(2026, 0, 2),
      lastUsedAt: null,
    };
    const fresh = passkeysSection({
      locale: 'en',
      passkeys: [passkey],
      csrf: 'tok',
      canAdd: true,
      paths: PATHS,
    });
    const document = accountPage({
      email: 'a@example.com',
      sections: [{ id: 'passkeys', title: 'Passkeys', html: fresh }],
      scripts: PASSKEY_PAGE_SCRIPTS,
    });
    assert.match(document, /<section class="card-section" id="passkeys"/);
    assert.match(document, /<a href="#passkeys">Passkeys<\/a>/);
    for (const script of PASSKEY_PAGE_SCRIPTS) assert.ok(document.includes(`src="${script.path}"`));
    assert.ok(!document.includes(XSS), 'the name is escaped');
    assert.match(document, /<button type="submit">Add a passkey<\/button>/);
    // DESIGN.md: the one button whose name contains "passkey" is the one that adds one.
    const named = [...document.matchAll(/<button\b([^>]*)>([^<]*)<\/button>/g)].filter(
      ([, attributes, text]) => /passkey/.test(`${attributes} ${text}`),
    );
    assert.equal(named.length, 1);
    assert.match(document, /data-passkey="registration"/);
    assert.match(document, /Added 2026-01-02, never used, synced/);
    assert.match(document, /<input type="hidden" name="credential_id" value="Y3JlZA">/);
    const stale = passkeysSection({
      locale: 'en',
      passkeys: [],
      csrf: 'tok',
      canAdd: false,
      paths: PATHS,
    });
    const staleDocument = stale.toString();
    assert.doesNotMatch(staleDocument, /data-passkey=/);
    assert.match(staleDocument, /<form method="get" action="\/account\/sign-in">/);
    assert.match(staleDocument, /name="reauth" value="1"/);
    assert.match(staleDocument, /Sign in again to add a passkey/);
    assert.match(staleDocument, /You have no passkeys yet/);
  });
});
