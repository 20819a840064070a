import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import { TestBrowser } from '../support/browser.js';
import { basic, loginTokens, tokenRequest } from '../support/flow.js';
import { idp } from '../support/processes.js';
import { startProvider, WEB_SECRET, type ProviderFixture } from '../support/provider-fixture.js';

describe('userinfo (OIDC Core 5.3, RFC 6750)', () => {
  let op: ProviderFixture;
  before(async () => {
    op = await startProvider('sqlite');
  });
  after(async () => op?.close());

  const get = (headers: Record<string, string> = {}) => fetch(`${op.issuer}/userinfo`, { headers });

  test('oidcc-userinfo-get, oidcc-userinfo-post-body: GET with a Bearer header and POST with a form body give the same claims; sub equals the ID token sub', async () => {
    const tokens = await loginTokens(new TestBrowser(), op.issuer, {
      scope: 'openid profile email address',
    });
    const viaHeader = (await (
      await get({ authorization: `Bearer ${tokens.access_token}` })
    ).json()) as Record<string, unknown>;
    const viaBody = await fetch(`${op.issuer}/userinfo`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ access_token: tokens.access_token }).toString(),
    });
    assert.equal(viaBody.status, 200);
    assert.deepEqual(await viaBody.json(), viaHeader);
    assert.equal(viaHeader.sub, decodeJwt(tokens.id_token!).sub);
    assert.equal(viaHeader.name, 'Alice Example');
    assert.equal(viaHeader.email_verified, true);
  });

  test('RFC 6750 3.1: no token is 401 with a bare Bearer challenge', async () => {
    const response = await get();
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate')!, /^Bearer realm="/);
    assert.doesNotMatch(response.headers.get('www-authenticate')!, /error=/);
  });

  test('RFC 6750 3.1: a malformed, forged or foreign token is 401 invalid_token', async () => {
    const tokens = await loginTokens(new TestBrowser(), op.issuer);
    const [header, payload] = tokens.access_token.split('.');
    const tampered = `${header}.${payload}.${'A'.repeat(342)}`;
    for (const token of ['not-a-jwt', tampered, tokens.id_token!, tokens.refresh_token!]) {
      const response = await get({ authorization: `Bearer ${token}` });
      assert.equal(response.status, 401);
      assert.match(response.headers.get('www-authenticate')!, /error="invalid_token"/);
    }
  });

  test('RFC 6750 2: a token in both header and body is invalid_request', async () => {
    const tokens = await loginTokens(new TestBrowser(), op.issuer);
    const response = await fetch(`${op.issuer}/userinfo`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${tokens.access_token}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ access_token: tokens.access_token }).toString(),
    });
    assert.equal(response.status, 400);
    assert.match(response.headers.get('www-authenticate')!, /error="invalid_request"/);
  });

  test('a client_credentials token (no user, no openid scope) is refused with insufficient_scope', async () => {
    const result = await tokenRequest(
      op.issuer,
      { grant_type: 'client_credentials' },
      { authorization: basic('service', `${WEB_SECRET}-svc`) },
    );
    const response = await get({ authorization: `Bearer ${result.body.access_token as string}` });
    assert.ok([401, 403].includes(response.status));
  });

  test('a revoked token (user disabled: families revoked) is 401 invalid_token', async () => {
    const tokens = await loginTokens(new TestBrowser(), op.issuer, {});
    assert.equal((await get({ authorization: `Bearer ${tokens.access_token}` })).status, 200);
    const disabled = await idp(['users', 'disable', 'alice@example.com'], op.env);
    assert.equal(disabled.code, 0, disabled.stderr);
    const response = await get({ authorization: `Bearer ${tokens.access_token}` });
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate')!, /error="invalid_token"/);
    assert.equal((await idp(['users', 'enable', 'alice@example.com'], op.env)).code, 0);
  });
});
