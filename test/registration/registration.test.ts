import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { openDatabase } from '@idp/db';
import { decodeJwt } from 'jose';
import * as oauth from 'oauth4webapi';
import * as oidc from 'openid-client';
import { TestBrowser } from '../support/browser.js';
import { providers } from '../support/databases.js';
import { authorizeUrl, isLoginPage, pkce, signIn } from '../support/flow.js';
import { idp } from '../support/processes.js';
import {
  ALICE,
  CALLBACK,
  startProvider,
  type ProviderFixture,
} from '../support/provider-fixture.js';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const insecure = { execute: [oidc.allowInsecureRequests] };

interface Answer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

async function call(
  url: string,
  init: { method?: string; token?: string; json?: unknown } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, {
    method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
    headers,
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    headers: response.headers,
  };
}

/** Signs Alice in with a registered client through openid-client, PKCE and all; returns what the browser saw. */
async function loginWith(config: oidc.Configuration) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: CALLBACK,
    scope: 'openid profile email',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
  });
  const browser = new TestBrowser();
  const { callback, sawConsent } = await signIn(browser, url.href);
  const tokens = await oidc.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: verifier,
    expectedState: state,
    idTokenExpected: true,
  });
  return { tokens, sawConsent };
}

/** Audit events of a type, through the CLI as an operator reads them. */
async function auditEvents(op: ProviderFixture, type: string) {
  const listed = await idp(['audit', 'list', '--json', '--type', type, '--limit', '100'], op.env);
  assert.equal(listed.code, 0, listed.stderr);
  return JSON.parse(listed.stdout) as { clientId: string; actor: string; ip: string }[];
}

/** `idp clients initial-token` and the token on its last line. */
async function initialToken(op: ProviderFixture, ...args: string[]): Promise<string> {
  const issued = await idp(['clients', 'initial-token', ...args], op.env);
  assert.equal(issued.code, 0, issued.stderr);
  const lines = issued.stdout.trimEnd().split('\n');
  return lines[lines.length - 1]!;
}

const webMetadata = {
  client_name: 'Registered Web App',
  redirect_uris: [CALLBACK],
  grant_types: ['authorization_code', 'refresh_token'],
  scope: 'openid profile email',
};

for (const provider of providers) {
  describe(`dynamic client registration, IDP_REGISTRATION=open, on ${provider}`, () => {
    let op: ProviderFixture;
    let endpoint: string;

    before(async () => {
      // More registrations than the default hourly limit per address: the limit has its own test.
      op = await startProvider(provider, {
        IDP_REGISTRATION: 'open',
        IDP_REGISTRATION_RATE_LIMIT: '100',
      });
      endpoint = `${op.issuer}/register`;
    });
    after(async () => op?.close());

    test('RFC 8414 2: discovery lists registration_endpoint', async () => {
      const { body } = await call(`${op.issuer}/.well-known/openid-configuration`);
      assert.equal(body.registration_endpoint, endpoint);
    });

    test('by default (IDP_REGISTRATION_GRANT_TYPES and _RESOURCES unset) a registered machine client gets a token for its resource (RFC 7591, RFC 8707)', async () => {
      const config = await oidc.dynamicClientRegistration(
        new URL(op.issuer),
        {
          client_name: 'Registered machine client',
          grant_types: ['client_credentials'],
          resources: ['https://api.example.com/orders'],
          redirect_uris: [],
        },
        oidc.ClientSecretBasic(),
        insecure,
      );
      const tokens = await oidc.clientCredentialsGrant(config, {
        resource: 'https://api.example.com/orders',
      });
      assert.equal(decodeJwt(tokens.access_token).aud, 'https://api.example.com/orders');
    });

    test('RFC 7591 2.1: a client without the authorization_code grant is registered with no response_types', async () => {
      const cases: [Partial<oidc.ClientMetadata>, oidc.ClientAuth][] = [
        [{ grant_types: ['client_credentials'] }, oidc.ClientSecretBasic()],
        [
          {
            grant_types: ['urn:ietf:params:oauth:grant-type:device_code'],
            token_endpoint_auth_method: 'none',
          },
          oidc.None(),
        ],
      ];
      for (const [metadata, auth] of cases) {
        const config = await oidc.dynamicClientRegistration(
          new URL(op.issuer),
          { client_name: 'No authorization endpoint', ...metadata },
          auth,
          insecure,
        );
        const registered = config.clientMetadata();
        assert.deepEqual(registered.response_types, [], JSON.stringify(metadata));
        // What the client reads back (RFC 7592 2.1) says the same.
        const read = await call(String(registered.registration_client_uri), {
          token: String(registered.registration_access_token),
        });
        assert.deepEqual(read.body.response_types, []);
      }
      const web = await oidc.dynamicClientRegistration(
        new URL(op.issuer),
        webMetadata,
        oidc.ClientSecretBasic(),
        insecure,
      );
      assert.deepEqual(web.clientMetadata().response_types, ['code'], 'RFC 7591 2.1 default');
    });

    test("oidcc-server (dynamic): openid-client's dynamicClientRegistration registers a confidential client that then signs a user in (consent shown)", async () => {
      const config = await oidc.dynamicClientRegistration(
        new URL(op.issuer),
        webMetadata,
        oidc.ClientSecretBasic(),
        insecure,
      );
      const metadata = config.clientMetadata();
      assert.equal(metadata.token_endpoint_auth_method, 'client_secret_basic', 'the default');
      assert.equal(typeof metadata.client_secret, 'string');
      assert.equal(metadata.client_secret_expires_at, 0, 'RFC 7591 3.2.1: REQUIRED with a secret');
      assert.equal(typeof metadata.client_id_issued_at, 'number');
      assert.equal(metadata.require_pkce, true, 'PKCE required by default');
      assert.equal(metadata.first_party, false);
      assert.match(String(metadata.registration_access_token), /^[A-Za-z0-9_-]{43}$/);
      assert.equal(
        metadata.registration_client_uri,
        `${endpoint}/${encodeURIComponent(metadata.client_id)}`,
      );

      const { tokens, sawConsent } = await loginWith(config);
      assert.equal(sawConsent, true, 'a registered client is third-party: consent is asked');
      const claims = tokens.claims()!;
      assert.equal(claims.aud, metadata.client_id);
      assert.equal(claims.iss, op.issuer);
      assert.ok(tokens.refresh_token);

      // Stored hashed (DESIGN.md): the database holds SHA-256 of the secret and of the token only.
      const db = await openDatabase(op.databaseUrl);
      try {
        const client = await db.prisma.client.findUnique({ where: { id: metadata.client_id } });
        assert.equal(client?.secretHash, sha256(String(metadata.client_secret)));
        assert.equal(client?.firstParty, false);
        const registration = await db.prisma.clientRegistration.findUnique({
          where: { clientId: metadata.client_id },
        });
        assert.equal(registration?.tokenHash, sha256(String(metadata.registration_access_token)));
      } finally {
        await db.close();
      }
      // pino redaction: neither credential reaches the server's log.
      for (const secret of [metadata.client_secret, metadata.registration_access_token])
        assert.equal(op.server.output().includes(String(secret)), false);
      const [event] = (await auditEvents(op, 'client.registered')).filter(
        (e) => e.clientId === metadata.client_id,
      );
      assert.ok(event, 'the registration is audited');
      assert.equal(event.actor, 'registration');
      assert.equal(event.ip, '127.0.0.1');
    });

    test('oidcc-redirect-uri-query-OK, oidcc-redirect-uri-query-mismatch: a registered redirect URI with a query is matched exactly and its query kept (RFC 6749 3.1.2, OIDC Core 3.1.2.1)', async () => {
      const registered = `${CALLBACK}?foo=bar`;
      const config = await oidc.dynamicClientRegistration(
        new URL(op.issuer),
        { ...webMetadata, redirect_uris: [registered] },
        oidc.ClientSecretBasic(),
        insecure,
      );
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const request = {
        redirect_uri: registered,
        scope: 'openid',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
      };
      const { callback } = await signIn(
        new TestBrowser(),
        oidc.buildAuthorizationUrl(config, request).href,
      );
      assert.equal(
        callback.searchParams.get('foo'),
        'bar',
        'the query of the registered URI stays',
      );
      // oauth4webapi for the exchange: openid-client derives redirect_uri from the callback URL
      // without its query, which a registered query would not match.
      const metadata = config.clientMetadata();
      const as = config.serverMetadata();
      const client = { client_id: metadata.client_id };
      const response = await oauth.authorizationCodeGrantRequest(
        as,
        client,
        oauth.ClientSecretBasic(String(metadata.client_secret)),
        oauth.validateAuthResponse(as, client, callback, state),
        registered,
        verifier,
        { [oauth.allowInsecureRequests]: true },
      );
      const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, {
        requireIdToken: true,
      });
      assert.equal(oauth.getValidatedIdTokenClaims(tokens)?.aud, metadata.client_id);

      for (const redirectUri of [`${CALLBACK}?foo=baz`, `${CALLBACK}?foo=bar&more=1`, CALLBACK]) {
        const response = await fetch(
          oidc.buildAuthorizationUrl(config, { ...request, redirect_uri: redirectUri }),
          { redirect: 'manual' },
        );
        assert.equal(response.status, 400, redirectUri);
        assert.equal(response.headers.get('location'), null, `${redirectUri}: never redirected`);
      }
    });

    test('a public client (token_endpoint_auth_method none) gets no secret and signs in with PKCE', async () => {
      const config = await oidc.dynamicClientRegistration(
        new URL(op.issuer),
        { ...webMetadata, token_endpoint_auth_method: 'none' },
        oidc.None(),
        insecure,
      );
      const metadata = config.clientMetadata();
      assert.equal(metadata.client_secret, undefined);
      assert.equal(metadata.client_secret_expires_at, undefined);
      const { tokens } = await loginWith(config);
      assert.equal(tokens.claims()?.aud, metadata.client_id);
    });

    test('issue 32: /register answers a CORS preflight and its responses carry CORS headers (RFC 7591 for browser-based clients)', async () => {
      const origin = 'http://127.0.0.1:9';
      const preflight = (url: string, method: string) =>
        fetch(url, {
          method: 'OPTIONS',
          headers: {
            origin,
            'access-control-request-method': method,
            'access-control-request-headers': 'authorization, content-type',
          },
        });
      const toRegister = await preflight(endpoint, 'POST');
      assert.equal(toRegister.status, 204);
      assert.equal(toRegister.headers.get('access-control-allow-origin'), '*');
      assert.equal(toRegister.headers.get('access-control-allow-methods'), 'POST');
      assert.match(toRegister.headers.get('access-control-allow-headers') ?? '', /Content-Type/);
      assert.equal(toRegister.headers.get('access-control-allow-credentials'), null);
      // RFC 7592 2: the configuration endpoint is read, updated and deleted with a bearer token.
      const toConfigure = await preflight(`${endpoint}/some-client`, 'PUT');
      assert.equal(toConfigure.status, 204);
      assert.deepEqual(toConfigure.headers.get('access-control-allow-methods')?.split(/,\s*/), [
        'GET',
        'PUT',
        'DELETE',
      ]);
      assert.match(toConfigure.headers.get('access-control-allow-headers') ?? '', /Authorization/);

      // The answers themselves, success and error, are readable by the script.
      const registered = await fetch(endpoint, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/json' },
        body: JSON.stringify({ ...webMetadata, token_endpoint_auth_method: 'none' }),
      });
      assert.equal(registered.status, 201);
      assert.equal(registered.headers.get('access-control-allow-origin'), '*');
      const { registration_client_uri: uri } = (await registered.json()) as Record<string, string>;
      const refused = await fetch(uri!, { headers: { origin, authorization: 'Bearer wrong' } });
      assert.equal(refused.status, 401);
      assert.equal(refused.headers.get('access-control-allow-origin'), '*');
      assert.match(refused.headers.get('access-control-expose-headers') ?? '', /WWW-Authenticate/);
    });

    test('oidcc-redirect-uri-regfrag: RFC 7591 3.2.2: a redirect URI with a fragment is invalid_redirect_uri', async () => {
      const answer = await call(endpoint, {
        json: { redirect_uris: ['https://rp.example/cb#fragment'] },
      });
      assert.equal(answer.status, 400);
      assert.equal(answer.body.error, 'invalid_redirect_uri');
      assert.match(String(answer.body.error_description), /^redirect_uris\[0\]: .*fragment/);
    });

    test('RFC 7591 3.2.2: an http redirect URI on a host that is not loopback is invalid_redirect_uri', async () => {
      const answer = await call(endpoint, {
        json: { redirect_uris: ['https://rp.example/cb', 'http://rp.example/cb'] },
      });
      assert.equal(answer.status, 400);
      assert.equal(answer.body.error, 'invalid_redirect_uri');
      assert.match(String(answer.body.error_description), /^redirect_uris\[1\]: must use https/);
    });

    test('RFC 7591 3.2.2: invalid metadata is invalid_client_metadata naming the member', async () => {
      for (const [json, member] of [
        [{ ...webMetadata, grant_types: ['password'] }, /^grant_types\[0\]: /],
        [
          { ...webMetadata, token_endpoint_auth_method: 'client_secret_jwt' },
          /^token_endpoint_auth_method: /,
        ],
        [
          { ...webMetadata, token_endpoint_auth_method: 'none', require_pkce: false },
          /^require_pkce: /,
        ],
        [{ ...webMetadata, first_party: true }, /^first_party: /],
        // RFC 7591 2.1: the two members must agree.
        [
          { grant_types: ['client_credentials'], response_types: ['code'] },
          /^response_types: must not include code/,
        ],
        [{ ...webMetadata, response_types: [] }, /^response_types: must include code/],
        [
          { ...webMetadata, id_token_signed_response_alg: 'ES256' },
          /^id_token_signed_response_alg: /,
        ],
        // oidcc-idtoken-unsigned: ID tokens are always signed; alg none is not offered.
        [
          { ...webMetadata, id_token_signed_response_alg: 'none' },
          /^id_token_signed_response_alg: /,
        ],
        [['not', 'an', 'object'], /JSON object/],
      ] as const) {
        const answer = await call(endpoint, { json });
        assert.equal(answer.status, 400, JSON.stringify(json));
        assert.equal(answer.body.error, 'invalid_client_metadata', JSON.stringify(answer.body));
        assert.match(String(answer.body.error_description), member);
      }
    });

    test("RFC 7592 2: read, update and delete with the registration access token; another client's token is refused", async () => {
      const mine = (await call(endpoint, { json: webMetadata })).body;
      const theirs = (await call(endpoint, { json: webMetadata })).body;
      const uri = String(mine.registration_client_uri);
      const token = String(mine.registration_access_token);
      const other = String(theirs.registration_access_token);

      // RFC 7592 2.1 / RFC 6750 3.1: 401 invalid_token with a Bearer challenge.
      for (const method of ['GET', 'PUT', 'DELETE']) {
        const refused = await call(uri, {
          method,
          token: other,
          ...(method === 'PUT' ? { json: { ...webMetadata, client_id: mine.client_id } } : {}),
        });
        assert.equal(refused.status, 401, method);
        assert.equal(refused.body.error, 'invalid_token', method);
        assert.match(
          refused.headers.get('www-authenticate') ?? '',
          /^Bearer error="invalid_token"/,
        );
      }
      assert.equal((await call(uri)).status, 401, 'no token at all');

      const read = await call(uri, { token });
      assert.equal(read.status, 200);
      assert.equal(read.headers.get('cache-control'), 'no-store');
      assert.equal(read.body.client_id, mine.client_id);
      assert.deepEqual(read.body.redirect_uris, [CALLBACK]);
      assert.equal(read.body.client_id_issued_at, mine.client_id_issued_at);
      assert.equal(
        read.body.client_secret,
        undefined,
        'the secret is stored hashed: never read back',
      );

      // The authorization endpoint's view of the client (cached by the server once it is used).
      const authorize = async (redirectUri: string) =>
        (
          await new TestBrowser().navigate(
            authorizeUrl(op.issuer, {
              client_id: String(mine.client_id),
              redirect_uri: redirectUri,
              response_type: 'code',
              scope: 'openid',
              code_challenge: pkce().challenge,
              code_challenge_method: 'S256',
            }),
            'http://127.0.0.1:9/',
          )
        ).html;
      assert.ok(isLoginPage({ html: await authorize(CALLBACK) } as never));

      // RFC 7592 2.2: the document read, less the members the server sets, is a valid update.
      const echoed: Record<string, unknown> = { ...read.body, client_name: 'Echoed' };
      for (const member of [
        'registration_access_token',
        'registration_client_uri',
        'client_secret_expires_at',
        'client_id_issued_at',
      ])
        delete echoed[member];
      const echo = await call(uri, { method: 'PUT', token, json: echoed });
      assert.equal(echo.status, 200, JSON.stringify(echo.body));
      assert.equal(echo.body.client_name, 'Echoed');
      assert.deepEqual(echo.body.grant_types, webMetadata.grant_types);

      // RFC 7592 2.2: the request replaces the metadata; members left out take their defaults.
      const updated = await call(uri, {
        method: 'PUT',
        token,
        json: {
          client_id: mine.client_id,
          client_secret: mine.client_secret,
          client_name: 'Renamed',
          redirect_uris: ['http://127.0.0.1:9/other'],
        },
      });
      assert.equal(updated.status, 200, JSON.stringify(updated.body));
      assert.equal(updated.body.client_name, 'Renamed');
      assert.deepEqual(updated.body.redirect_uris, ['http://127.0.0.1:9/other']);
      assert.deepEqual(updated.body.grant_types, ['authorization_code']);
      assert.equal(updated.body.client_secret, undefined, 'the secret is kept, not reissued');
      // The new metadata applies at once: the new redirect URI is accepted, the old one is not.
      assert.ok(isLoginPage({ html: await authorize('http://127.0.0.1:9/other') } as never));
      assert.ok(!isLoginPage({ html: await authorize(CALLBACK) } as never));

      const mismatched = await call(uri, {
        method: 'PUT',
        token,
        json: { ...webMetadata, client_id: theirs.client_id },
      });
      assert.equal(mismatched.status, 400, 'RFC 7592 2.2: client_id must match');
      const chosenSecret = await call(uri, {
        method: 'PUT',
        token,
        json: { ...webMetadata, client_id: mine.client_id, client_secret: 'x'.repeat(43) },
      });
      assert.equal(chosenSecret.status, 400, 'RFC 7592 2.2: a client cannot choose its secret');
      assert.equal(chosenSecret.body.error, 'invalid_client_metadata');
      const badUri = await call(uri, {
        method: 'PUT',
        token,
        json: { client_id: mine.client_id, redirect_uris: ['https://rp.example/#x'] },
      });
      assert.equal(badUri.body.error, 'invalid_redirect_uri');

      const deleted = await fetch(uri, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(deleted.status, 204);
      assert.equal((await call(uri, { token })).status, 401, 'gone: the token names no client');
      const stillThere = await call(String(theirs.registration_client_uri), { token: other });
      assert.equal(stillThere.status, 200, 'the other client is untouched');

      // Issue 32: like the registration itself, with the address the request came from.
      const updates = await auditEvents(op, 'client.updated');
      const update = updates.find((e) => e.clientId === mine.client_id);
      assert.equal(update?.actor, 'registration');
      assert.equal(update?.ip, '127.0.0.1');
      const removals = await auditEvents(op, 'client.removed');
      const removal = removals.find((e) => e.clientId === mine.client_id);
      assert.equal(removal?.actor, 'registration');
      assert.equal(removal?.ip, '127.0.0.1');
    });

    test('deleting a registered client ends its grants: its refresh token stops working', async () => {
      const config = await oidc.dynamicClientRegistration(
        new URL(op.issuer),
        { ...webMetadata, scope: 'openid profile email offline_access' },
        oidc.ClientSecretBasic(),
        insecure,
      );
      const { tokens } = await loginWith(config);
      const metadata = config.clientMetadata();
      const deleted = await fetch(String(metadata.registration_client_uri), {
        method: 'DELETE',
        headers: { authorization: `Bearer ${String(metadata.registration_access_token)}` },
      });
      assert.equal(deleted.status, 204);
      // The client is gone: its credentials no longer authenticate (RFC 6749 5.2).
      const error = await oidc.refreshTokenGrant(config, tokens.refresh_token!).then(
        () => assert.fail('the refresh token of a deleted client still works'),
        (rejection: unknown) => rejection,
      );
      assert.ok(error instanceof oidc.WWWAuthenticateChallengeError, String(error));
      assert.equal(error.status, 401);
      assert.equal(((await error.response.json()) as { error: string }).error, 'invalid_client');
    });
  });

  describe(`dynamic client registration, IDP_REGISTRATION=token, on ${provider}`, () => {
    let op: ProviderFixture;
    let endpoint: string;
    const LIMIT = 10;

    before(async () => {
      op = await startProvider(provider, {
        IDP_REGISTRATION: 'token',
        IDP_REGISTRATION_RATE_LIMIT: String(LIMIT),
      });
      endpoint = `${op.issuer}/register`;
    });
    after(async () => op?.close());

    test('`idp clients initial-token` prints the token alone on its last line; bad options exit 2', async () => {
      const issued = await idp(
        ['clients', 'initial-token', '--uses', '3', '--expires', '2h'],
        op.env,
      );
      assert.equal(issued.code, 0, issued.stderr);
      const lines = issued.stdout.trimEnd().split('\n');
      assert.ok(lines.length > 1);
      assert.match(lines[lines.length - 1]!, /^[A-Za-z0-9_-]{43}$/);
      assert.match(issued.stdout, /3 registrations, valid 2h/);
      for (const args of [
        ['--uses', '0'],
        ['--uses', 'x'],
        ['--expires', 'soon'],
        ['--expires', '31d'],
      ]) {
        const refused = await idp(['clients', 'initial-token', ...args], op.env);
        assert.equal(refused.code, 2, args.join(' '));
      }
      assert.equal((await auditEvents(op, 'registration.initial_token_issued')).length, 1);
    });

    test('RFC 7591 3: without an initial access token registration is refused with 401 invalid_token', async () => {
      const answer = await call(endpoint, { json: webMetadata });
      assert.equal(answer.status, 401);
      assert.equal(answer.body.error, 'invalid_token');
      assert.match(answer.headers.get('www-authenticate') ?? '', /^Bearer/);
    });

    test('openid-client registers with a single-use initial access token; reusing it is 401 invalid_token', async () => {
      const initialAccessToken = await initialToken(op);
      const config = await oidc.dynamicClientRegistration(
        new URL(op.issuer),
        webMetadata,
        oidc.ClientSecretBasic(),
        { ...insecure, initialAccessToken },
      );
      const { tokens } = await loginWith(config);
      assert.equal(tokens.claims()?.aud, config.clientMetadata().client_id);

      const reused = await call(endpoint, { token: initialAccessToken, json: webMetadata });
      assert.equal(reused.status, 401);
      assert.equal(reused.body.error, 'invalid_token');
    });

    test('a token issued with --uses 2 registers two clients, then no more', async () => {
      const token = await initialToken(op, '--uses', '2');
      assert.equal((await call(endpoint, { token, json: webMetadata })).status, 201);
      // Invalid metadata does not spend a use.
      const invalid = await call(endpoint, { token, json: { redirect_uris: ['https://x/#f'] } });
      assert.equal(invalid.body.error, 'invalid_redirect_uri');
      assert.equal((await call(endpoint, { token, json: webMetadata })).status, 201);
      assert.equal(
        (await call(endpoint, { token, json: webMetadata })).body.error,
        'invalid_token',
      );
    });

    test('an expired initial access token is 401 invalid_token', async () => {
      const token = await initialToken(op, '--expires', '1s');
      await sleep(1_100);
      const answer = await call(endpoint, { token, json: webMetadata });
      assert.equal(answer.status, 401);
      assert.equal(answer.body.error, 'invalid_token');
    });

    test('registration requests are rate-limited per client IP (429 with Retry-After)', async () => {
      let limited: Answer | undefined;
      for (let i = 0; i < LIMIT + 1 && !limited; i += 1) {
        const answer = await call(endpoint, { json: webMetadata });
        if (answer.status === 429) limited = answer;
        else assert.equal(answer.status, 401);
      }
      assert.ok(limited, `a 429 within ${LIMIT + 1} requests`);
      assert.ok(Number(limited.headers.get('retry-after')) > 0);
      assert.equal(limited.body.error, 'temporarily_unavailable');
    });
  });

  describe(`dynamic client registration closed (the default) on ${provider}`, () => {
    let op: ProviderFixture;
    before(async () => {
      op = await startProvider(provider);
    });
    after(async () => op?.close());

    test('no registration_endpoint in discovery and no /register', async () => {
      const { body } = await call(`${op.issuer}/.well-known/openid-configuration`);
      assert.equal(body.registration_endpoint, undefined);
      assert.equal((await call(`${op.issuer}/register`, { json: webMetadata })).status, 404);
      // No preflight is granted for an endpoint that is not there.
      const preflight = await fetch(`${op.issuer}/register`, {
        method: 'OPTIONS',
        headers: { origin: 'http://127.0.0.1:9', 'access-control-request-method': 'POST' },
      });
      assert.equal(preflight.status, 404);
      assert.equal(preflight.headers.get('access-control-allow-methods'), null);
      const issued = await idp(['clients', 'initial-token'], op.env);
      assert.equal(issued.code, 0);
      assert.match(issued.stderr, /IDP_REGISTRATION is closed/);
    });
  });
}

void ALICE;
