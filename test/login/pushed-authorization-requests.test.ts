import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as oauth from 'oauth4webapi';
import * as oidc from 'openid-client';
import { TestBrowser } from '../support/browser.js';
import { providers } from '../support/databases.js';
import { authorizeUrl, basic, isLoginPage, pkce, signIn, webRequest } from '../support/flow.js';
import { idp } from '../support/processes.js';
import {
  CALLBACK,
  startProvider,
  WEB_SECRET,
  type ProviderFixture,
} from '../support/provider-fixture.js';

/*
 * Pushed authorization requests (RFC 9126) with real client libraries, and the negative cases of
 * the OpenID conformance suite's FAPI 2.0 Security Profile PAR modules.
 */
const insecure = { [oauth.allowInsecureRequests]: true };

async function authorizationServer(issuer: string): Promise<oauth.AuthorizationServer> {
  const url = new URL(issuer);
  return oauth.processDiscoveryResponse(url, await oauth.discoveryRequest(url, insecure));
}

/** POST /par as `web` with a valid request; its JSON answer and status. */
async function push(
  issuer: string,
  form: Record<string, string | string[]>,
  authorization = basic('web', WEB_SECRET),
) {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(form))
    for (const each of ([] as string[]).concat(value)) body.append(name, each);
  const response = await fetch(`${issuer}/par`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization },
    body,
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    headers: response.headers,
  };
}

function pushedRequest(challenge: string) {
  // client_id comes from the client authentication.
  return Object.fromEntries(
    Object.entries(webRequest(challenge)).filter(
      (entry): entry is [string, string] => entry[0] !== 'client_id' && entry[1] !== undefined,
    ),
  );
}

for (const provider of providers) {
  describe(`pushed authorization requests (RFC 9126) on ${provider}`, () => {
    let op: ProviderFixture;
    before(async () => {
      op = await startProvider(provider);
    });
    after(async () => op?.close());

    test('RFC 9126 5: discovery names the endpoint; PAR is not required server-wide by default', async () => {
      const as = await authorizationServer(op.issuer);
      assert.equal(as.pushed_authorization_request_endpoint, `${op.issuer}/par`);
      assert.equal(as.require_pushed_authorization_requests, false);
    });

    test('issue 31 item 2 (fapi2-security-profile-final-par-without-duplicate-parameters): oauth4webapi pushedAuthorizationRequest, login and code exchange', async () => {
      const as = await authorizationServer(op.issuer);
      const client: oauth.Client = { client_id: 'web' };
      const clientAuth = oauth.ClientSecretBasic(WEB_SECRET);
      const verifier = oauth.generateRandomCodeVerifier();
      const nonce = oauth.generateRandomNonce();
      const state = oauth.generateRandomState();
      const params = new URLSearchParams({
        redirect_uri: CALLBACK,
        response_type: 'code',
        scope: 'openid email',
        code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        nonce,
        state,
      });
      const pushed = await oauth.processPushedAuthorizationResponse(
        as,
        client,
        await oauth.pushedAuthorizationRequest(as, client, clientAuth, params, insecure),
      );
      assert.match(pushed.request_uri, /^urn:ietf:params:oauth:request_uri:[A-Za-z0-9_-]{40,}$/);
      assert.equal(pushed.expires_in, 60);

      const url = new URL(as.authorization_endpoint!);
      url.searchParams.set('client_id', 'web');
      url.searchParams.set('request_uri', pushed.request_uri);
      const { callback } = await signIn(new TestBrowser(), url.href);
      const callbackParams = oauth.validateAuthResponse(as, client, callback, state);
      const response = await oauth.authorizationCodeGrantRequest(
        as,
        client,
        clientAuth,
        callbackParams,
        CALLBACK,
        verifier,
        insecure,
      );
      const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, {
        expectedNonce: nonce,
        requireIdToken: true,
      });
      assert.equal(tokens.token_type.toLowerCase(), 'bearer');
      assert.equal(oauth.getValidatedIdTokenClaims(tokens)!.aud, 'web');
    });

    test('issue 31 item 2: openid-client buildAuthorizationUrlWithPAR, login and code exchange', async () => {
      const config = await oidc.discovery(
        new URL(op.issuer),
        'web',
        undefined,
        oidc.ClientSecretBasic(WEB_SECRET),
        { execute: [oidc.allowInsecureRequests] },
      );
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const url = await oidc.buildAuthorizationUrlWithPAR(config, {
        redirect_uri: CALLBACK,
        scope: 'openid profile',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
      });
      assert.deepEqual([...url.searchParams.keys()].sort(), ['client_id', 'request_uri']);
      const { callback } = await signIn(new TestBrowser(), url.href);
      const tokens = await oidc.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: verifier,
        expectedState: state,
        idTokenExpected: true,
      });
      assert.equal(tokens.claims()!.name, 'Alice Example');
    });

    test('RFC 9126 4: a reload of the login page works; after the code the request_uri is used up (fapi2-security-profile-final-par-attempt-reuse-request_uri, -par-ensure-reused-request-uri-prior-to-auth-completion-succeeds)', async () => {
      const { challenge } = pkce();
      const pushed = await push(op.issuer, pushedRequest(challenge));
      assert.equal(pushed.status, 201);
      assert.equal(pushed.headers.get('cache-control'), 'no-store');
      const url = authorizeUrl(op.issuer, {
        client_id: 'web',
        request_uri: pushed.body.request_uri as string,
      });
      const browser = new TestBrowser();
      assert.ok(isLoginPage(await browser.navigate(url, CALLBACK)));
      assert.ok(
        isLoginPage(await browser.navigate(url, CALLBACK)),
        'the reload shows the login page again',
      );
      const { callback } = await signIn(browser, url);
      assert.ok(callback.searchParams.get('code'));
      const reused = await browser.navigate(url, CALLBACK);
      assert.equal(reused.redirectedTo, undefined, 'shown, not redirected');
      assert.equal(reused.status, 400);
      assert.match(reused.html, /invalid_request_uri/);
    });

    test("RFC 9126 4: another client's request_uri is refused (fapi2-security-profile-final-par-attempt-to-use-request_uri-for-different-client)", async () => {
      const pushed = await push(op.issuer, pushedRequest(pkce().challenge));
      const page = await new TestBrowser().navigate(
        authorizeUrl(op.issuer, {
          client_id: 'web2',
          request_uri: pushed.body.request_uri as string,
        }),
        CALLBACK,
      );
      assert.equal(page.redirectedTo, undefined);
      assert.equal(page.status, 400);
      assert.match(page.html, /invalid_request_uri/);
    });

    test('RFC 9126 2.1: a request_uri parameter at /par is refused (fapi2-security-profile-final-par-authorization-request-containing-request_uri-form-param)', async () => {
      const pushed = await push(op.issuer, {
        ...pushedRequest(pkce().challenge),
        request_uri: 'urn:ietf:params:oauth:request_uri:abc',
      });
      assert.equal(pushed.status, 400);
      assert.equal(pushed.body.error, 'invalid_request');
    });

    test("RFC 9126 2.3: client authentication is required at /par; bad requests get the authorization endpoint's codes as JSON", async () => {
      const unauthenticated = await push(
        op.issuer,
        pushedRequest(pkce().challenge),
        basic('web', 'wrong-secret'),
      );
      assert.equal(unauthenticated.status, 401);
      assert.equal(unauthenticated.body.error, 'invalid_client');
      assert.match(unauthenticated.headers.get('www-authenticate') ?? '', /^Basic/);
      const badScope = await push(op.issuer, {
        ...pushedRequest(pkce().challenge),
        scope: 'openid admin',
      });
      assert.deepEqual([badScope.status, badScope.body.error], [400, 'invalid_scope']);
      const plainPkce = await push(op.issuer, {
        ...pushedRequest(pkce().challenge),
        code_challenge_method: 'plain',
      });
      assert.deepEqual([plainPkce.status, plainPkce.body.error], [400, 'invalid_request']);
      const get = await fetch(`${op.issuer}/par`);
      assert.equal(get.status, 405);
    });

    test('fapi2-security-profile-final-par-attempt-invalid-http-method: RFC 9126 2.3: any method but POST at /par is 405 with Allow: POST; the token endpoint answers alike', async () => {
      for (const path of ['/par', '/token']) {
        for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
          const response = await fetch(`${op.issuer}${path}`, {
            method,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body:
              method === 'GET' ? undefined : new URLSearchParams(pushedRequest(pkce().challenge)),
          });
          assert.equal(response.status, 405, `${method} ${path}`);
          assert.equal(response.headers.get('allow'), 'POST', `${method} ${path}`);
          const body = (await response.json()) as Record<string, unknown>;
          assert.equal(body.error, 'invalid_request', `${method} ${path}`);
        }
      }
      // The method is refused before the body is read: a type no parser takes is 405, not 415.
      const xml = await fetch(`${op.issuer}/par`, {
        method: 'PUT',
        headers: { 'content-type': 'application/xml' },
        body: '<request/>',
      });
      assert.deepEqual([xml.status, xml.headers.get('allow')], [405, 'POST']);
    });

    test('issue 31 item 7: require_pushed_authorization_requests per client, from the CLI and in clients list --json', async () => {
      const added = await idp(
        [
          'clients',
          'add',
          'par-only',
          '--redirect-uri',
          CALLBACK,
          '--require-pushed-authorization-requests',
        ],
        op.env,
      );
      assert.equal(added.code, 0, added.stderr);
      const secret = /client_secret: (\S+)/.exec(added.stdout)![1]!;
      const listed = JSON.parse((await idp(['clients', 'list', '--json'], op.env)).stdout) as {
        clients: Record<string, unknown>[];
      };
      const document = listed.clients.find((c) => c.client_id === 'par-only')!;
      assert.equal(document.require_pushed_authorization_requests, true);
      assert.equal(document.dpop_bound_access_tokens, false);

      const { challenge } = pkce();
      const plain = await new TestBrowser().navigate(
        authorizeUrl(op.issuer, webRequest(challenge, { client_id: 'par-only', state: 'plain' })),
        CALLBACK,
      );
      const error = new URL(plain.redirectedTo!).searchParams;
      assert.equal(
        error.get('error'),
        'invalid_request',
        'RFC 9126 5 (like fapi2-security-profile-final-ensure-unsigned-authorization-request-without-using-par-fails)',
      );
      assert.equal(error.get('state'), 'plain');

      const pushed = await push(op.issuer, pushedRequest(challenge), basic('par-only', secret));
      assert.equal(pushed.status, 201);
      const { callback } = await signIn(
        new TestBrowser(),
        authorizeUrl(op.issuer, {
          client_id: 'par-only',
          request_uri: pushed.body.request_uri as string,
        }),
      );
      assert.ok(callback.searchParams.get('code'));

      const updated = await idp(
        ['clients', 'update', 'par-only', '--no-require-pushed-authorization-requests'],
        op.env,
      );
      assert.equal(updated.code, 0, updated.stderr);
      const listedAgain = JSON.parse((await idp(['clients', 'list', '--json'], op.env)).stdout) as {
        clients: Record<string, unknown>[];
      };
      assert.equal(
        listedAgain.clients.find((c) => c.client_id === 'par-only')!
          .require_pushed_authorization_requests,
        false,
      );
    });
  });

  describe(`PAR required server-wide, short lifetime, on ${provider}`, () => {
    let op: ProviderFixture;
    before(async () => {
      op = await startProvider(provider, {
        IDP_REQUIRE_PUSHED_AUTHORIZATION_REQUESTS: 'true',
        IDP_PAR_LIFETIME: '5s',
      });
    });
    after(async () => op?.close());

    test('RFC 9126 5: with IDP_REQUIRE_PUSHED_AUTHORIZATION_REQUESTS discovery says so and plain requests are refused', async () => {
      const as = await authorizationServer(op.issuer);
      assert.equal(as.require_pushed_authorization_requests, true);
      const page = await new TestBrowser().navigate(
        authorizeUrl(op.issuer, webRequest(pkce().challenge)),
        CALLBACK,
      );
      assert.equal(new URL(page.redirectedTo!).searchParams.get('error'), 'invalid_request');
    });

    test('RFC 9126 2.2: an expired request_uri is refused (fapi2-security-profile-final-par-attempt-to-use-expired-request_uri)', async () => {
      const pushed = await push(op.issuer, pushedRequest(pkce().challenge));
      assert.equal(pushed.body.expires_in, 5);
      await new Promise((resolve) => setTimeout(resolve, 5_200));
      const page = await new TestBrowser().navigate(
        authorizeUrl(op.issuer, {
          client_id: 'web',
          request_uri: pushed.body.request_uri as string,
        }),
        CALLBACK,
      );
      assert.equal(page.status, 400);
      assert.match(page.html, /invalid_request_uri/);
      assert.match(page.html, /expired/);
    });
  });
}
