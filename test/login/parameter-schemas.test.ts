import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { providers } from '../support/databases.js';
import { authorizeUrl, basic, pkce, webRequest } from '../support/flow.js';
import { startProvider, WEB_SECRET, type ProviderFixture } from '../support/provider-fixture.js';

// The routes' schemas refuse malformed parameters before any handler runs; each refusal must
// still be the RFC error that endpoint answers with, naming the parameter.
for (const provider of providers) {
  describe(`parameter schemas on ${provider}`, () => {
    let op: ProviderFixture;
    before(async () => {
      op = await startProvider(provider);
    });
    after(async () => op?.close());

    const form = (path: string, body: string, headers: Record<string, string> = {}) =>
      fetch(`${op.issuer}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body,
        redirect: 'manual',
      });

    test('RFC 6749 3.2, 5.2: a repeated token request parameter is invalid_request naming it, never cached', async () => {
      for (const body of [
        'grant_type=client_credentials&grant_type=client_credentials',
        'grant_type=client_credentials&extension=a&extension=b',
      ]) {
        const response = await form('/token', body, {
          authorization: basic('service', `${WEB_SECRET}-svc`),
        });
        assert.equal(response.status, 400, body);
        const json = (await response.json()) as { error: string; error_description: string };
        assert.equal(json.error, 'invalid_request', body);
        assert.match(
          json.error_description,
          body.includes('extension')
            ? /^extension must not be repeated$/
            : /^grant_type must not be repeated$/,
        );
        assert.equal(response.headers.get('cache-control'), 'no-store');
        assert.equal(response.headers.get('pragma'), 'no-cache');
      }
    });

    test('RFC 7009 2.1, RFC 7662 2.1: a repeated token at revocation and introspection is invalid_request', async () => {
      for (const path of ['/revoke', '/introspect']) {
        const response = await form(path, 'token=a&token=b', {
          authorization: basic('web', WEB_SECRET),
        });
        assert.equal(response.status, 400, path);
        const json = (await response.json()) as { error: string; error_description: string };
        assert.equal(json.error, 'invalid_request', path);
        assert.equal(json.error_description, 'token must not be repeated', path);
        assert.equal(response.headers.get('cache-control'), 'no-store', path);
      }
    });

    test('RFC 6750 2.2, 3.1: an access_token repeated in a userinfo form is a Bearer invalid_request challenge', async () => {
      const response = await form('/userinfo', 'access_token=a&access_token=b');
      assert.equal(response.status, 400);
      assert.match(
        response.headers.get('www-authenticate')!,
        /^Bearer realm="[^"]+", error="invalid_request", error_description="access_token must not be repeated"$/,
      );
      assert.equal(((await response.json()) as { error: string }).error, 'invalid_request');
    });

    test('RFC 6749 4.1.2.1: a malformed parameter is redirected only for a registered client and redirect_uri', async () => {
      const repeated = (params: Record<string, string>, name: string) => {
        const url = new URL(authorizeUrl(op.issuer, params));
        url.searchParams.append(name, params[name] ?? 'x');
        return url.href;
      };
      const valid = webRequest(pkce().challenge, { state: 'kept' });
      // A trusted client and redirect_uri: the error goes back to the client with the state and iss.
      const redirected = await fetch(repeated(valid, 'scope'), { redirect: 'manual' });
      assert.equal(redirected.status, 302);
      const params = new URL(redirected.headers.get('location')!).searchParams;
      assert.equal(params.get('error'), 'invalid_request');
      assert.equal(params.get('error_description'), 'scope must not be repeated');
      assert.equal(params.get('state'), 'kept');
      assert.equal(params.get('iss'), op.issuer);
      const tooLong = await fetch(authorizeUrl(op.issuer, { ...valid, nonce: 'n'.repeat(4097) }), {
        redirect: 'manual',
      });
      assert.equal(
        new URL(tooLong.headers.get('location')!).searchParams.get('error_description'),
        'nonce is too long',
      );

      // Not trusted (unknown client, repeated client_id or redirect_uri): a page, never a redirect.
      for (const href of [
        repeated({ ...valid, client_id: 'nobody' }, 'scope'),
        repeated(valid, 'client_id'),
        repeated(valid, 'redirect_uri'),
        repeated({ ...valid, redirect_uri: 'https://evil.example/callback' }, 'scope'),
      ]) {
        const response = await fetch(href, { redirect: 'manual' });
        assert.equal(response.status, 400, href);
        assert.equal(response.headers.get('location'), null, href);
        assert.match(response.headers.get('content-type')!, /text\/html/, href);
      }

      // RFC 8707 2: resource may be repeated; unknown parameters are ignored, repeated or not.
      const url = new URL(repeated({ ...valid, extension: 'a' }, 'extension'));
      const ignored = await fetch(url.href, { redirect: 'manual' });
      assert.equal(ignored.status, 200, 'the login page: nothing wrong with the request');
    });

    test('RP-Initiated Logout 1.0 2: a repeated logout parameter gets the error page', async () => {
      for (const method of ['GET', 'POST']) {
        const body = 'client_id=web&client_id=web';
        const response =
          method === 'GET'
            ? await fetch(`${op.issuer}/logout?${body}`, { redirect: 'manual' })
            : await form('/logout', body);
        assert.equal(response.status, 400, method);
        assert.equal(response.headers.get('location'), null, method);
        assert.match(await response.text(), /This sign-out link is not valid/, method);
      }
    });
  });
}
