import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TestBrowser } from '../support/browser.js';
import { authorizeUrl, basic, pkce, webRequest } from '../support/flow.js';
import { idp } from '../support/processes.js';
import {
  ALICE,
  CALLBACK,
  startProvider,
  WEB_SECRET,
  type ProviderFixture,
} from '../support/provider-fixture.js';

const HUGE = 'x'.repeat(100_000);
const NASTY = [
  '',
  ' ',
  '%',
  '%ZZ',
  '%C0%AF',
  '\u0000',
  '"><script>alert(1)</script>',
  '{"a":',
  '[]',
  'x'.repeat(5000),
  '😀'.repeat(100),
  '../../etc/passwd',
];

describe('no 5xx for anything a client can send', () => {
  let op: ProviderFixture;
  before(async () => {
    op = await startProvider('sqlite', { IDP_LOGIN_FAILURES_PER_ACCOUNT: '3' });
  });
  after(async () => op?.close());

  async function assertNo5xx(response: Response, what: string) {
    const text = await response.text();
    assert.ok(response.status < 500, `${what}: ${response.status} ${text.slice(0, 200)}`);
    assert.doesNotMatch(
      text,
      /at [\w.<>]+ \(.*:\d+:\d+\)|node_modules|TypeError|ReferenceError/,
      `${what}: stack trace or internals leaked`,
    );
  }

  test('authorization endpoint: every parameter malformed, repeated, or huge', async () => {
    const base = webRequest(pkce().challenge);
    for (const name of Object.keys(base).concat([
      'prompt',
      'max_age',
      'claims',
      'id_token_hint',
      'response_mode',
      'resource',
      'request',
    ])) {
      for (const value of NASTY) {
        const url = new URL(authorizeUrl(op.issuer, base));
        url.searchParams.set(name, value);
        await assertNo5xx(
          await fetch(url, { redirect: 'manual' }),
          `GET ${name}=${value.slice(0, 20)}`,
        );
      }
      const raw = `${authorizeUrl(op.issuer, base)}&${name}=%E0%A4%A`;
      await assertNo5xx(
        await fetch(raw, { redirect: 'manual' }),
        `GET broken percent-encoding in ${name}`,
      );
    }
    await assertNo5xx(
      await fetch(`${op.issuer}/authorize?client_id=${HUGE}`, { redirect: 'manual' }),
      'GET huge client_id',
    );
    for (const [type, body] of [
      ['application/json', '{"client_id":"web"}'],
      ['application/x-www-form-urlencoded', HUGE],
      ['text/plain', 'hello'],
      ['application/x-www-form-urlencoded', 'a=%ZZ&&&='],
    ]) {
      await assertNo5xx(
        await fetch(`${op.issuer}/authorize`, {
          method: 'POST',
          headers: { 'content-type': type! },
          body,
          redirect: 'manual',
        }),
        `POST ${type}`,
      );
    }
  });

  test('token endpoint: garbage forms, credentials and bodies', async () => {
    const post = (body: string, headers: Record<string, string> = {}) =>
      fetch(`${op.issuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body,
      });
    for (const value of NASTY) {
      for (const name of [
        'grant_type',
        'code',
        'redirect_uri',
        'code_verifier',
        'client_id',
        'client_secret',
        'scope',
        'resource',
      ]) {
        await assertNo5xx(
          await post(
            new URLSearchParams({ grant_type: 'authorization_code', [name]: value }).toString(),
            { authorization: basic('web', WEB_SECRET) },
          ),
          `token ${name}`,
        );
      }
      // fetch itself refuses header values with control or non-ASCII characters.
      if ([...value].every((c) => c >= ' ' && c <= '~')) {
        await assertNo5xx(
          await post('grant_type=client_credentials', { authorization: `Basic ${value}` }),
          `Basic ${value.slice(0, 10)}`,
        );
      }
      await assertNo5xx(
        await post('grant_type=client_credentials', { authorization: basic(value, value) }),
        'basic garbage',
      );
    }
    await assertNo5xx(await post(`grant_type=authorization_code&code=${HUGE}`), 'huge body');
    await assertNo5xx(await post('grant_type=a&grant_type=b'), 'repeated');
    await assertNo5xx(
      await fetch(`${op.issuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{',
      }),
      'broken JSON',
    );
    await assertNo5xx(await fetch(`${op.issuer}/token`, { method: 'POST' }), 'no body');
    await assertNo5xx(await fetch(`${op.issuer}/token`), 'GET');
  });

  test('userinfo, login, consent, discovery and JWKS with garbage', async () => {
    for (const value of NASTY) {
      await assertNo5xx(
        await fetch(`${op.issuer}/userinfo`, {
          headers: { authorization: `Bearer ${encodeURIComponent(value)}` },
        }),
        'userinfo bearer',
      );
      for (const path of ['/login', '/consent']) {
        const body = new URLSearchParams({
          username: value,
          password: value,
          interaction: value,
          csrf: value,
          decision: value,
        }).toString();
        await assertNo5xx(
          await fetch(`${op.issuer}${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body,
          }),
          `${path} ${value.slice(0, 10)}`,
        );
      }
    }
    await assertNo5xx(
      await fetch(`${op.issuer}/userinfo`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'access_token=a&access_token=b',
      }),
      'userinfo repeated',
    );
    await assertNo5xx(
      await fetch(`${op.issuer}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"username":1}',
      }),
      'login JSON',
    );
    await assertNo5xx(
      await fetch(`${op.issuer}/.well-known/jwks.json`, {
        headers: { 'if-none-match': HUGE.slice(0, 8000) },
      }),
      'jwks if-none-match',
    );
    await assertNo5xx(
      await fetch(`${op.issuer}/.well-known/openid-configuration`, { method: 'POST' }),
      'discovery POST',
    );
    await assertNo5xx(await fetch(`${op.issuer}/admin/keys`), 'admin API disabled');
  });

  test('failed logins per account are limited: a 429 plain-words page, and audit events', async () => {
    const browser = new TestBrowser();
    const loginPage = () =>
      browser.navigate(authorizeUrl(op.issuer, webRequest(pkce().challenge)), CALLBACK);
    // Each login page can be sent once: every try goes through the page the last failure showed.
    let page = await loginPage();
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const failed = await browser.submit(
        page,
        { username: 'bob@example.com', password: 'wrong password' },
        CALLBACK,
      );
      assert.equal(failed.status, 401);
      page = failed;
    }
    const blocked = await browser.submit(
      page,
      { username: 'bob@example.com', password: 'bob has a long password' },
      CALLBACK,
    );
    assert.equal(blocked.status, 429);
    assert.match(blocked.html, /Too many/);
    const other = await browser.submit(
      await loginPage(),
      { username: ALICE.email, password: ALICE.password },
      CALLBACK,
    );
    assert.notEqual(other.status, 429, 'other accounts are not affected');

    const audit = await idp(['audit', 'list', '--json', '--limit', '100'], op.env);
    const types = (JSON.parse(audit.stdout) as { type: string }[]).map((e) => e.type);
    assert.ok(types.includes('login.failed'));
    assert.ok(types.includes('login.throttled'));
    assert.ok(types.includes('login.succeeded'));
  });
});
