import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import {
  consentPage,
  contentSecurityPolicy,
  describeClaim,
  describeScope,
  errorPage,
  forgotPasswordPage,
  FORM_POST_SCRIPT_HASH,
  formPostPage,
  html,
  loginPage,
  messagePage,
  newPasswordPage,
  page,
  signUpPage,
  STYLE_HASH,
  verifyEmailPage,
} from '../src/views/index.js';
import { mailMessage } from '../src/email/messages.js';

const XSS = `"><script>alert('x')</script>&`;
const XSS_ESCAPED = '&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;';

type Attributes = Map<string, string | true>;

/** Every start tag `<name ...>` in document order, with its attributes (values as written). */
function tags(document: string, name: string): Attributes[] {
  return [...document.matchAll(new RegExp(`<${name}\\b([^>]*)>`, 'g'))].map(
    ([, attributes = '']) =>
      new Map(
        [...attributes.matchAll(/([\w-]+)(?:="([^"]*)")?/g)].map(([, key = '', value]) => [
          key,
          value ?? true,
        ]),
      ),
  );
}

function only(found: Attributes[], what: string): Attributes {
  assert.equal(found.length, 1, `exactly one ${what}`);
  return found[0] as Attributes;
}

function input(document: string, name: string): Attributes {
  return only(
    tags(document, 'input').filter((tag) => tag.get('name') === name),
    `input named ${name}`,
  );
}

/** The text of the one `<name>` element. */
function elementText(document: string, name: string): string {
  const matches = [...document.matchAll(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`, 'g'))];
  assert.equal(matches.length, 1, `exactly one <${name}>`);
  return matches[0]?.[1] ?? '';
}

function assertIncludes(document: string, fragment: string): void {
  assert.ok(document.includes(fragment), `expected ${fragment}`);
}

function sha256Source(text: string): string {
  return `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
}

function assertLabelled(document: string, field: Attributes): void {
  const id = field.get('id');
  assert.equal(typeof id, 'string');
  assert.equal(
    tags(document, 'label').filter((label) => label.get('for') === id).length,
    1,
    `one label for #${String(id)}`,
  );
}

const login = {
  clientName: 'Acme Photos',
  interaction: 'int-1',
  csrf: 'csrf-1',
  action: '/interaction/int-1/login',
};
const consent = {
  clientName: 'Acme Photos',
  userEmail: 'ada@example.com',
  scopes: ['openid', 'email', 'offline_access'],
  interaction: 'int-2',
  csrf: 'csrf-2',
  action: '/interaction/int-2/consent',
};

describe('html', () => {
  test('escapes & < > " and \' in text and in attributes', () => {
    assert.equal(
      html`<p title="${XSS}">${XSS}</p>`.toString(),
      `<p title="${XSS_ESCAPED}">${XSS_ESCAPED}</p>`,
    );
    assert.equal(
      html`<p title='${"' onmouseover='x"}'></p>`.toString(),
      `<p title='&#39; onmouseover=&#39;x'></p>`,
    );
  });

  test('nests fragments and arrays of fragments without escaping them twice', () => {
    const items = ['a&b', 'c'].map((item) => html`<li>${item}</li>`);
    assert.equal(html`<ul>${items}</ul>`.toString(), '<ul><li>a&amp;b</li><li>c</li></ul>');
    assert.equal(html`${html`<b>${'<i>'}</b>`}`.toString(), '<b>&lt;i&gt;</b>');
    assert.equal(html`${42}`.toString(), '42');
  });

  test('a look-alike of SafeHtml is text, not markup', () => {
    const forged = { toString: () => '<script>' } as unknown as string;
    assert.equal(html`${forged}`.toString(), '&lt;script&gt;');
    assert.equal(html`${[forged] as never}`.toString(), '&lt;script&gt;');
  });
});

describe('layout', () => {
  const document = page({ title: XSS, body: html`<p>hello</p>`, locale: 'de' });

  test('is a whole HTML5 document with one main landmark', () => {
    assert.match(document, /^<!doctype html>\n<html lang="de">/);
    assert.match(document, /<meta charset="utf-8">/);
    assert.match(document, /<meta name="viewport" content="width=device-width, initial-scale=1">/);
    assert.equal(elementText(document, 'title'), XSS_ESCAPED);
    assert.match(elementText(document, 'main'), /<p>hello<\/p>/);
    assert.match(page({ title: 't', body: html`` }), /<html lang="en">/);
  });

  test('STYLE_HASH is the sha256 of the one inline style element', () => {
    assert.equal(STYLE_HASH, sha256Source(elementText(document, 'style')));
    assert.match(elementText(document, 'style'), /prefers-color-scheme: dark/);
  });

  test('the CSP allows only the hashed style, forms to self, and no framing', () => {
    const csp = contentSecurityPolicy();
    assert.equal(
      csp,
      `default-src 'none'; style-src ${STYLE_HASH}; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
    );
    assert.match(csp, /frame-ancestors 'none'/);
  });

  test('the CSP adds form targets as origins (or a native app scheme) and a script hash', () => {
    const csp = contentSecurityPolicy({
      formActions: [
        'https://app.example/cb?x=1',
        'http://127.0.0.1:5173/cb',
        'com.example.app:/oauth',
        'https://app.example/other',
      ],
      scriptHash: FORM_POST_SCRIPT_HASH,
    });
    assert.match(
      csp,
      /; form-action 'self' https:\/\/app\.example http:\/\/127\.0\.0\.1:5173 com\.example\.app:; /,
    );
    assertIncludes(csp, `; script-src ${FORM_POST_SCRIPT_HASH}; `);
    assert.match(csp, /frame-ancestors 'none'/);
  });

  test('the CSP refuses targets and hashes that could widen or break the header', () => {
    assert.throws(() => contentSecurityPolicy({ formActions: ['javascript:alert(1)'] }), TypeError);
    assert.throws(() => contentSecurityPolicy({ formActions: ['data:text/html,x'] }), TypeError);
    assert.throws(
      () =>
        contentSecurityPolicy({ formActions: ["https://a.example; script-src 'unsafe-inline'"] }),
      TypeError,
    );
    assert.throws(() => contentSecurityPolicy({ formActions: ['not a url'] }), TypeError);
    assert.throws(() => contentSecurityPolicy({ scriptHash: "'unsafe-inline'" }), TypeError);
  });
});

describe('login page', () => {
  test('has the contract fields, labelled, in a POST form to the action', () => {
    const document = loginPage(login);
    const form = only(tags(document, 'form'), 'form');
    assert.equal(form.get('method'), 'post');
    assert.equal(form.get('action'), login.action);

    const username = input(document, 'username');
    assert.match(document, /<input name="username" autocomplete="username"/);
    assert.equal(username.get('type'), 'text');
    assert.equal(username.get('inputmode'), 'email');
    assert.equal(username.get('autocapitalize'), 'none');
    assert.equal(username.get('spellcheck'), 'false');
    assert.equal(username.get('required'), true);
    assert.equal(username.get('autofocus'), true);
    assertLabelled(document, username);

    const password = input(document, 'password');
    assert.match(
      document,
      /<input type="password" name="password" autocomplete="current-password" required/,
    );
    assert.equal(password.has('autofocus'), false);
    assertLabelled(document, password);

    assert.match(document, /<input type="hidden" name="interaction" value="int-1">/);
    assert.match(document, /<input type="hidden" name="csrf" value="csrf-1">/);
    assert.match(document, /<button type="submit">Sign in<\/button>/);
    assert.match(document, /<h1>Sign in<\/h1>/);
    assert.match(document, /to continue to <strong>Acme Photos<\/strong>/);
    assert.doesNotMatch(document, /role="alert"/);
    assert.equal(username.has('aria-invalid') || password.has('aria-invalid'), false);
  });

  test('prefills the login hint and focuses the password instead', () => {
    const document = loginPage({ ...login, loginHint: 'ada@example.com' });
    assert.equal(input(document, 'username').get('value'), 'ada@example.com');
    assert.equal(input(document, 'username').has('autofocus'), false);
    assert.equal(input(document, 'password').get('autofocus'), true);
  });

  test('shows the error in an alert that describes both fields, which are marked invalid', () => {
    const document = loginPage({ ...login, error: 'That email and password do not match.' });
    const alert = only(
      tags(document, 'p').filter((tag) => tag.get('role') === 'alert'),
      'alert',
    );
    assert.match(document, /role="alert" id="login-error">That email and password do not match\.</);
    assert.ok(
      document.indexOf('role="alert"') < document.indexOf('<form'),
      'the error is above the form',
    );
    for (const name of ['username', 'password']) {
      assert.equal(input(document, name).get('aria-invalid'), 'true');
      assert.equal(input(document, name).get('aria-describedby'), alert.get('id'));
    }
  });

  test('escapes the client name, login hint, error and form values', () => {
    const document = loginPage({
      clientName: XSS,
      loginHint: XSS,
      error: XSS,
      interaction: XSS,
      csrf: XSS,
      action: XSS,
    });
    assert.doesNotMatch(document, /<script/);
    assertIncludes(document, `<strong>${XSS_ESCAPED}</strong>`);
    assert.equal(input(document, 'username').get('value'), XSS_ESCAPED);
    assert.equal(input(document, 'csrf').get('value'), XSS_ESCAPED);
    assertIncludes(document, `role="alert" id="login-error">${XSS_ESCAPED}<`);
  });
});

describe('consent page', () => {
  test('has one form with the decision buttons, Allow first, and the hidden fields', () => {
    const document = consentPage(consent);
    const form = only(tags(document, 'form'), 'form');
    assert.equal(form.get('method'), 'post');
    assert.equal(form.get('action'), consent.action);
    const allow = document.indexOf(
      '<button type="submit" name="decision" value="allow">Allow</button>',
    );
    const deny = document.indexOf(
      '<button type="submit" name="decision" value="deny">Deny</button>',
    );
    assert.ok(allow > 0 && deny > allow, 'Allow, then Deny');
    assert.equal(tags(document, 'button').length, 2);
    assert.equal(input(document, 'interaction').get('value'), 'int-2');
    assert.equal(input(document, 'csrf').get('value'), 'csrf-2');
  });

  test('names the client, the account and each scope in plain words', () => {
    const document = consentPage({
      ...consent,
      scopes: ['openid', 'email', 'offline_access', 'email', 'photos:read'],
    });
    assert.match(document, /<h1>Acme Photos wants to access your account<\/h1>/);
    assert.match(document, /Signed in as <strong>ada@example\.com<\/strong>/);
    const items = [...document.matchAll(/<li>([^<]*)<\/li>/g)].map(([, text]) => text);
    assert.deepEqual(items, [
      describeScope('openid'),
      describeScope('email'),
      describeScope('offline_access'),
      'photos:read',
    ]);
  });

  test('issue 29 item 1: lists the claims requested beyond the scopes, after them, in plain words', () => {
    const document = consentPage({
      ...consent,
      scopes: ['openid'],
      claims: ['email', 'name', 'email'],
    });
    const items = [...document.matchAll(/<li>([^<]*)<\/li>/g)].map(([, text]) => text);
    assert.deepEqual(items, [
      describeScope('openid'),
      describeClaim('email'),
      describeClaim('name'),
    ]);
    assert.equal(describeClaim('email'), 'See your email address');
    assert.equal(describeClaim('name'), 'See your full name');
  });

  test('escapes the client name, the email and unknown scopes', () => {
    const document = consentPage({ ...consent, clientName: XSS, userEmail: XSS, scopes: [XSS] });
    assert.doesNotMatch(document, /<script/);
    assertIncludes(document, `<li>${XSS_ESCAPED}</li>`);
    assertIncludes(document, `<strong>${XSS_ESCAPED}</strong>`);
  });
});

test('describeScope: standard scopes in plain words, anything else as itself', () => {
  assert.match(describeScope('openid'), /who you are/);
  assert.match(describeScope('profile'), /name, picture/);
  assert.match(describeScope('email'), /email address/);
  assert.match(describeScope('address'), /address/);
  assert.match(describeScope('phone'), /phone number/);
  assert.match(describeScope('offline_access'), /^Stay signed in/);
  assert.equal(describeScope('photos:read'), 'photos:read');
  assert.equal(describeScope('constructor'), 'constructor');
});

describe('error and message pages', () => {
  test('the error page shows title, message and the detail line, all escaped', () => {
    const document = errorPage({
      title: 'This sign-in link is not valid',
      message: XSS,
      detail: XSS,
    });
    assert.match(document, /<title>This sign-in link is not valid<\/title>/);
    assert.match(document, /<h1>This sign-in link is not valid<\/h1>/);
    assertIncludes(document, `<p class="lead">${XSS_ESCAPED}</p>`);
    assertIncludes(document, `<p class="muted">${XSS_ESCAPED}</p>`);
    assert.doesNotMatch(errorPage({ title: 't', message: 'm' }), /class="muted"/);
  });

  test('the message page shows title and message, escaped', () => {
    const document = messagePage({ title: 'You are signed out', message: XSS });
    assert.match(document, /<h1>You are signed out<\/h1>/);
    assertIncludes(document, `<p class="lead">${XSS_ESCAPED}</p>`);
  });
});

describe('form_post page', () => {
  const params = { code: 'c0de', state: XSS, iss: 'https://idp.example' };
  const document = formPostPage({ action: 'https://app.example/cb', params });

  test('posts one hidden input per parameter to the redirect_uri', () => {
    const form = only(tags(document, 'form'), 'form');
    assert.equal(form.get('method'), 'post');
    assert.equal(form.get('action'), 'https://app.example/cb');
    assert.deepEqual(
      tags(document, 'input').map((tag) => [tag.get('type'), tag.get('name'), tag.get('value')]),
      [
        ['hidden', 'code', 'c0de'],
        ['hidden', 'state', XSS_ESCAPED],
        ['hidden', 'iss', 'https://idp.example'],
      ],
    );
  });

  test('submits itself with the hashed script, or by a visible Continue button', () => {
    assert.equal(tags(document, 'script').length, 1);
    assert.equal(FORM_POST_SCRIPT_HASH, sha256Source(elementText(document, 'script')));
    assert.match(elementText(document, 'noscript'), /Continue/);
    assert.match(document, /<button type="submit">Continue<\/button>/);
  });

  test('refuses an action that is not an http(s) URL', () => {
    assert.throws(() => formPostPage({ action: 'javascript:alert(1)', params }), TypeError);
    assert.throws(() => formPostPage({ action: '/relative', params }), TypeError);
  });
});

test('no page carries what the CSP would block: style attributes or unhashed scripts', () => {
  const pages = [
    loginPage({ ...login, error: 'e', loginHint: 'h' }),
    consentPage(consent),
    errorPage({ title: 't', message: 'm', detail: 'd' }),
    messagePage({ title: 't', message: 'm' }),
  ];
  for (const document of pages) {
    assert.doesNotMatch(document, /\sstyle=|<script|\son\w+=/);
    assert.equal(tags(document, 'style').length, 1);
    assert.equal(tags(document, 'main').length, 1);
  }
});

describe('e-mail pages', () => {
  test('the login page links to the reset page ("Forgot") and, when given, to sign-up', () => {
    const withLinks = loginPage({
      ...login,
      forgotPasswordHref: '/password/forgot?resume=a&b',
      signUpHref: '/signup?resume=c',
    });
    assertIncludes(
      withLinks,
      '<a href="/password/forgot?resume=a&amp;b">Forgot your password?</a>',
    );
    assertIncludes(withLinks, '<a href="/signup?resume=c">Create an account</a>');
    assert.doesNotMatch(loginPage(login), /<a /, 'no links unless given');
  });

  test('every field of the forgot, new-password and sign-up forms is labelled; values escaped', () => {
    const forgot = forgotPasswordPage({
      csrf: 'c',
      action: '/password/forgot',
      email: XSS,
      error: XSS,
    });
    assertLabelled(forgot, input(forgot, 'email'));
    assertIncludes(forgot, XSS_ESCAPED);
    assert.ok(!forgot.includes(XSS));

    const reset = newPasswordPage({ email: XSS, token: 't', csrf: 'c', action: '/password/reset' });
    for (const name of ['password', 'password_confirmation']) {
      const field = input(reset, name);
      assertLabelled(reset, field);
      assert.equal(field.get('autocomplete'), 'new-password');
    }
    assert.equal(input(reset, 'token').get('type'), 'hidden');
    assert.ok(!reset.includes(XSS));

    const signUp = signUpPage({ csrf: 'c', action: '/signup', name: XSS, error: 'bad' });
    for (const name of ['email', 'name', 'password', 'password_confirmation'])
      assertLabelled(signUp, input(signUp, name));
    assert.ok(!signUp.includes(XSS));

    const verify = verifyEmailPage({ email: XSS, token: 't', csrf: 'c', action: '/email/verify' });
    assert.equal(tags(verify, 'button').length, 1);
    assert.ok(!verify.includes(XSS));
  });

  test('a mail has the same link in its text and HTML parts, escaped in the HTML', () => {
    const link = 'https://id.example.com/password/reset?token=abc&x=<y>';
    const mail = mailMessage('passwordReset', {
      to: 'ada@example.com',
      link,
      site: 'id.example.com',
      lifetimeMinutes: 30,
    });
    assert.equal(mail.subject, 'Reset your password');
    assert.ok(mail.text.includes(link));
    assert.ok(mail.text.includes('30 minutes'));
    assert.ok(
      mail.html.includes('href="https://id.example.com/password/reset?token=abc&amp;x=&lt;y&gt;"'),
    );
    assert.ok(!mail.html.includes('<y>'));
  });
});
