import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startProvider, type ProviderFixture } from '../support/provider-fixture.js';

const ORIGIN = 'http://127.0.0.1:9';

/** The CORS response headers present on a response, by lower-case name. */
function corsHeaders(response: Response): Record<string, string> {
  return Object.fromEntries(
    [...response.headers].filter(([name]) => name.startsWith('access-control-')),
  );
}

function preflight(url: string, method: string, requestHeaders = 'authorization, content-type') {
  return fetch(url, {
    method: 'OPTIONS',
    headers: {
      origin: ORIGIN,
      'access-control-request-method': method,
      'access-control-request-headers': requestHeaders,
    },
  });
}

describe('CORS on the endpoints a browser application calls', () => {
  let op: ProviderFixture;

  before(async () => {
    op = await startProvider('sqlite');
  });
  after(async () => op?.close());

  test('a preflight to /token is answered 204 with the CORS headers, without credentials', async () => {
    const response = await preflight(`${op.issuer}/token`, 'POST');
    assert.equal(response.status, 204);
    const headers = corsHeaders(response);
    assert.equal(headers['access-control-allow-origin'], '*');
    assert.deepEqual(headers['access-control-allow-methods']?.split(/,\s*/), ['GET', 'POST']);
    // RFC 9449 4.1: a browser app sends its DPoP proof in the DPoP header.
    assert.deepEqual(headers['access-control-allow-headers']?.toLowerCase().split(/,\s*/), [
      'authorization',
      'content-type',
      'dpop',
    ]);
    assert.equal(headers['access-control-max-age'], '600');
    assert.equal(headers['access-control-allow-credentials'], undefined);
  });

  test('a preflight to /userinfo for a bearer GET is allowed', async () => {
    const response = await preflight(`${op.issuer}/userinfo`, 'GET', 'authorization');
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
  });

  test('actual responses carry Access-Control-Allow-Origin, errors included', async () => {
    for (const path of [
      '/.well-known/openid-configuration',
      '/.well-known/oauth-authorization-server',
      '/.well-known/jwks.json',
    ]) {
      const response = await fetch(`${op.issuer}${path}`, { headers: { origin: ORIGIN } });
      assert.equal(response.status, 200, path);
      assert.equal(response.headers.get('access-control-allow-origin'), '*', path);
      assert.equal(response.headers.get('access-control-allow-credentials'), null, path);
    }
    // A browser must be able to read the token endpoint's error body, and userinfo's challenge.
    const token = await fetch(`${op.issuer}/token`, {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=authorization_code&code=nope&client_id=native&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb&code_verifier=x',
    });
    assert.equal(token.status, 400);
    assert.equal(token.headers.get('access-control-allow-origin'), '*');
    const userinfo = await fetch(`${op.issuer}/userinfo`, { headers: { origin: ORIGIN } });
    assert.equal(userinfo.status, 401);
    assert.equal(userinfo.headers.get('access-control-allow-origin'), '*');
    // RFC 9449 8, 9: the nonce to use next, and the challenge, are readable by the script.
    for (const response of [token, userinfo]) {
      assert.deepEqual(response.headers.get('access-control-expose-headers')?.split(/,\s*/), [
        'DPoP-Nonce',
        'WWW-Authenticate',
      ]);
    }
  });

  test('/login, /consent, /authorize and /admin get no CORS headers, and their preflights are refused', async () => {
    for (const path of [
      '/login',
      '/consent',
      '/authorize',
      '/admin/keys',
      '/introspect',
      '/logout',
    ]) {
      const response = await preflight(`${op.issuer}${path}`, 'POST');
      // A preflight succeeds only with a 2xx that grants the method and headers; these are refused.
      assert.equal(response.status, 404, path);
      assert.equal(response.headers.get('access-control-allow-methods'), null, path);
      assert.equal(response.headers.get('access-control-allow-headers'), null, path);
      await response.arrayBuffer();
    }
    const login = await fetch(`${op.issuer}/login`, {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=a&password=b',
    });
    assert.deepEqual(corsHeaders(login), {});
    const authorize = await fetch(`${op.issuer}/authorize?client_id=native`, {
      headers: { origin: ORIGIN },
      redirect: 'manual',
    });
    assert.deepEqual(corsHeaders(authorize), {});
  });
});
