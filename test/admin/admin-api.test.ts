import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as oidc from 'openid-client';
import { TestBrowser } from '../support/browser.js';
import { providers } from '../support/databases.js';
import {
  authorizeUrl,
  basic,
  loginTokens,
  pkce,
  signIn,
  tokenRequest,
  webRequest,
} from '../support/flow.js';
import {
  ALICE,
  CALLBACK,
  startProvider,
  WEB_SECRET,
  type ProviderFixture,
} from '../support/provider-fixture.js';

/**
 * Issue 34 item 1: the admin API under /admin/api/v1, over a real server on both databases, with
 * an admin client's client-credentials token obtained by openid-client, and refresh tokens
 * obtained by a browser login and refreshed by openid-client.
 */
const BOOTSTRAP = 'admin-api-bootstrap-token-0123456789abcdef';
const API = '/admin/api/v1';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Every route of the API, as the OpenAPI document must list it. */
const ROUTES = [
  ['get', '/clients'],
  ['post', '/clients'],
  ['get', '/clients/{client_id}'],
  ['patch', '/clients/{client_id}'],
  ['delete', '/clients/{client_id}'],
  ['post', '/clients/{client_id}/rotate-secret'],
  ['get', '/users'],
  ['post', '/users'],
  ['get', '/users/{sub}'],
  ['patch', '/users/{sub}'],
  ['post', '/users/{sub}/disable'],
  ['post', '/users/{sub}/enable'],
  ['post', '/users/{sub}/unlock'],
  ['post', '/users/{sub}/reset-factors'],
  ['get', '/users/{sub}/sessions'],
  ['delete', '/users/{sub}/sessions'],
  ['delete', '/users/{sub}/sessions/{session_id}'],
  ['get', '/users/{sub}/consents'],
  ['delete', '/users/{sub}/consents/{client_id}'],
  ['get', '/sessions'],
  ['delete', '/sessions/{session_id}'],
  ['get', '/keys'],
  ['post', '/keys/rotate'],
  ['post', '/keys/{kid}/retire'],
  ['post', '/keys/{kid}/revoke'],
  ['get', '/audit-events'],
] as const;

for (const provider of providers) {
  describe(`admin API v1 on ${provider}`, () => {
    let op: ProviderFixture;
    let adminToken: string;
    let adminSecret: string;

    /** A call to the API; `token` defaults to the admin client's access token. */
    async function call(
      method: string,
      path: string,
      body?: unknown,
      token: string | null = adminToken,
    ): Promise<{ status: number; body: Json; headers: Headers }> {
      const response = await fetch(`${op.issuer}${API}${path}`, {
        method,
        headers: {
          ...(token === null ? {} : { authorization: `Bearer ${token}` }),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return {
        status: response.status,
        body: text ? (JSON.parse(text) as Json) : {},
        headers: response.headers,
      };
    }

    async function clientCredentials(clientId: string, secret: string, scope: string) {
      const config = await oidc.discovery(
        new URL(op.issuer),
        clientId,
        undefined,
        oidc.ClientSecretBasic(secret),
        { execute: [oidc.allowInsecureRequests] },
      );
      return oidc.clientCredentialsGrant(config, { scope });
    }

    async function refreshWithOpenidClient(refreshToken: string) {
      const config = await oidc.discovery(
        new URL(op.issuer),
        'web',
        undefined,
        oidc.ClientSecretBasic(WEB_SECRET),
        { execute: [oidc.allowInsecureRequests] },
      );
      return oidc.refreshTokenGrant(config, refreshToken);
    }

    const refreshRefused = async (refreshToken: string) => {
      const result = await tokenRequest(op.issuer, {
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
      });
      assert.equal(result.status, 400, JSON.stringify(result.body));
      assert.equal(result.body.error, 'invalid_grant');
    };

    const alice = async () =>
      (await call('GET', `/users?search=${encodeURIComponent(ALICE.email)}`)).body.items[0] as Json;

    before(async () => {
      op = await startProvider(provider, { IDP_ADMIN_TOKEN: BOOTSTRAP });
      // Bootstrap: the static token registers the automation client that holds the admin scope.
      const created = await call(
        'POST',
        '/clients',
        {
          client_id: 'ops-bot',
          client_name: 'Operations bot',
          grant_types: ['client_credentials'],
          scope: 'idp:admin',
        },
        BOOTSTRAP,
      );
      assert.equal(created.status, 201, JSON.stringify(created.body));
      adminSecret = created.body.client_secret as string;
      adminToken = (await clientCredentials('ops-bot', adminSecret, 'idp:admin')).access_token;
    });
    after(async () => op?.close());

    test('the OpenAPI 3 document is served, parses, and lists every route with its responses', async () => {
      const response = await fetch(`${op.issuer}${API}/openapi.json`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /application\/json/);
      const document = (await response.json()) as Json;
      assert.match(document.openapi, /^3\.\d+\.\d+$/);
      assert.equal(typeof document.info?.title, 'string');
      assert.deepEqual(document.components?.securitySchemes?.bearer, {
        type: 'http',
        scheme: 'bearer',
      });
      for (const [method, path] of ROUTES) {
        const operation = document.paths?.[`${API}${path}`]?.[method] as Json | undefined;
        assert.ok(operation, `${method.toUpperCase()} ${path} is documented`);
        assert.ok(Object.keys(operation.responses ?? {}).length > 0, `${path} has responses`);
        for (const name of path.match(/\{(\w+)\}/g) ?? []) {
          const parameter = (operation.parameters ?? []).find(
            (p: Json) => p.in === 'path' && `{${p.name}}` === name,
          );
          assert.ok(parameter?.required, `${method} ${path} declares ${name}`);
        }
        if (method === 'post' && path === '/clients') {
          const schema = operation.requestBody?.content?.['application/json']?.schema as Json;
          assert.ok(schema?.properties?.redirect_uris, 'the body schema names the metadata');
        }
      }
      const documented = Object.entries(document.paths as Json).flatMap(([path, item]) =>
        Object.keys(item as Json).map((method) => `${method} ${path}`),
      );
      assert.equal(documented.length, ROUTES.length, `nothing else: ${documented.join(', ')}`);
    });

    test('refused: no token, a foreign token, a token without idp:admin, a user token (401/403 JSON)', async () => {
      const none = await call('GET', '/clients', undefined, null);
      assert.equal(none.status, 401);
      assert.equal(none.body.error, 'invalid_token');
      assert.equal(typeof none.body.error_description, 'string');
      assert.match(none.headers.get('www-authenticate') ?? '', /^Bearer realm="admin"/);
      assert.equal((await call('GET', '/clients', undefined, 'not-a-token')).status, 401);

      // `service` registers a resource: its tokens are for that API, not for this server.
      const service = await clientCredentials('service', `${WEB_SECRET}-svc`, 'reports.read');
      const elsewhere = await call('GET', '/users', undefined, service.access_token);
      assert.equal(elsewhere.status, 401);
      assert.match(elsewhere.body.error_description, /aud/);

      const plain = await call('POST', '/clients', {
        client_id: 'plain-bot',
        grant_types: ['client_credentials'],
        scope: 'reports.read',
      });
      const plainToken = (
        await clientCredentials('plain-bot', plain.body.client_secret, 'reports.read')
      ).access_token;
      const notAdmin = await call('GET', '/users', undefined, plainToken);
      assert.equal(notAdmin.status, 403);
      assert.equal(notAdmin.body.error, 'insufficient_scope');
      assert.match(notAdmin.headers.get('www-authenticate') ?? '', /scope="idp:admin"/);
      // A client may not ask for a scope it is not registered with (RFC 6749 4.4.2, 3.3).
      await assert.rejects(clientCredentials('plain-bot', plain.body.client_secret, 'idp:admin'));

      const user = await loginTokens(new TestBrowser(), op.issuer);
      const person = await call('GET', '/users', undefined, user.access_token);
      assert.equal(person.status, 403, 'a person signed in to an app is no admin');

      // A refused call changed nothing and was answered as JSON, never a page or a 500.
      assert.equal((await call('DELETE', '/clients/web', undefined, plainToken)).status, 403);
      assert.equal((await call('GET', '/clients/web')).status, 200);
    });

    test('an admin token stops working when revoked (RFC 7009) or when its client loses idp:admin', async () => {
      const token = (await clientCredentials('ops-bot', adminSecret, 'idp:admin')).access_token;
      assert.equal((await call('GET', '/keys', undefined, token)).status, 200);
      const revoked = await fetch(`${op.issuer}/revoke`, {
        method: 'POST',
        headers: {
          authorization: basic('ops-bot', adminSecret),
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ token }).toString(),
      });
      assert.equal(revoked.status, 200);
      assert.equal((await call('GET', '/keys', undefined, token)).status, 401);

      await call('POST', '/clients', {
        client_id: 'temp-bot',
        grant_types: ['client_credentials'],
        scope: 'idp:admin',
      });
      const temp = await call('POST', '/clients/temp-bot/rotate-secret');
      const tempToken = (await clientCredentials('temp-bot', temp.body.client_secret, 'idp:admin'))
        .access_token;
      assert.equal((await call('GET', '/keys', undefined, tempToken)).status, 200);
      assert.equal(
        (await call('PATCH', '/clients/temp-bot', { scope: 'reports.read' })).status,
        200,
      );
      assert.equal((await call('GET', '/keys', undefined, tempToken)).status, 403);
      assert.equal((await call('DELETE', '/clients/temp-bot')).status, 204);
    });

    test('clients: create (secret once), read, list with paging and search, rotate secret, delete', async () => {
      const created = await call('POST', '/clients', {
        client_id: 'api-made',
        client_name: 'Made By The API',
        grant_types: ['client_credentials'],
        scope: 'reports.read',
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal(created.headers.get('cache-control'), 'no-store');
      assert.match(created.body.client_secret, /^[A-Za-z0-9_-]{43,}$/);
      assert.equal(created.body.client.client_id, 'api-made');
      const read = await call('GET', '/clients/api-made');
      assert.equal(read.status, 200);
      assert.equal(read.body.client_name, 'Made By The API');
      assert.equal(read.body.client_secret, undefined, 'a secret is never read back');
      assert.equal(
        (
          await clientCredentials('api-made', created.body.client_secret, 'reports.read')
        ).token_type.toLowerCase(),
        'bearer',
      );

      const conflict = await call('POST', '/clients', {
        client_id: 'api-made',
        grant_types: ['client_credentials'],
      });
      assert.equal(conflict.status, 409);
      assert.equal(conflict.body.error, 'conflict');

      // Paging: two at a time until next_cursor is null, every client once, by client_id.
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await call('GET', `/clients?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        assert.equal(page.status, 200);
        assert.ok(page.body.items.length <= 2);
        seen.push(...page.body.items.map((c: Json) => c.client_id));
        cursor = page.body.next_cursor;
      } while (cursor);
      assert.deepEqual(seen, [...seen].sort());
      assert.equal(new Set(seen).size, seen.length);
      assert.ok(seen.includes('api-made') && seen.includes('web') && seen.includes('ops-bot'));
      const found = await call('GET', '/clients?search=MADE%20by');
      assert.deepEqual(
        found.body.items.map((c: Json) => c.client_id),
        ['api-made'],
      );
      const bad = await call('GET', '/clients?limit=0');
      assert.equal(bad.status, 400);
      assert.match(bad.body.error_description, /^limit: /);
      assert.equal((await call('GET', '/clients?cursor=nonsense')).status, 400);

      const rotated = await call('POST', '/clients/api-made/rotate-secret');
      assert.equal(rotated.status, 200);
      assert.notEqual(rotated.body.client_secret, created.body.client_secret);
      await assert.rejects(
        clientCredentials('api-made', created.body.client_secret, 'reports.read'),
      );
      await clientCredentials('api-made', rotated.body.client_secret, 'reports.read');
      const publicClient = await call('POST', '/clients/native/rotate-secret');
      assert.equal(publicClient.status, 409, 'a public client has no secret to rotate');

      assert.equal((await call('DELETE', '/clients/api-made')).status, 204);
      const gone = await call('GET', '/clients/api-made');
      assert.equal(gone.status, 404);
      assert.equal(gone.body.error, 'not_found');
      assert.equal((await call('DELETE', '/clients/api-made')).status, 404);
      assert.equal((await call('POST', '/clients/api-made/rotate-secret')).status, 404);
      assert.equal((await call('PATCH', '/clients/api-made', { client_name: 'x' })).status, 404);
    });

    test('clients: invalid metadata is 400 invalid_client_metadata naming the JSON path', async () => {
      const cases: [unknown, string][] = [
        [
          { client_id: 'bad', redirect_uris: ['https://ok.example/cb', 'not a url'] },
          'redirect_uris[1]',
        ],
        [{ client_id: 'bad', grant_types: ['implicit'] }, 'grant_types[0]'],
        [{ client_id: 'bad', redirect_uri: 'https://typo.example/cb' }, 'redirect_uri'],
        [{ client_id: 'bad' }, 'redirect_uris'],
        [
          { client_id: 'bad', token_endpoint_auth_method: 'none', require_pkce: 'no' },
          'require_pkce',
        ],
        [
          {
            client_id: 'bad',
            grant_types: ['client_credentials'],
            id_token_signed_response_alg: 'ES256',
          },
          'id_token_signed_response_alg',
        ],
        [{ client_id: 'b a d' }, 'client_id'],
      ];
      for (const [body, path] of cases) {
        const response = await call('POST', '/clients', body);
        assert.equal(response.status, 400, `${path}: ${JSON.stringify(response.body)}`);
        assert.equal(response.body.error, 'invalid_client_metadata');
        assert.ok(
          response.body.problems.some((p: Json) => p.path === path),
          `${path} named in ${JSON.stringify(response.body.problems)}`,
        );
        assert.match(response.body.error_description, new RegExp(path.replace(/[[\]]/g, '\\$&')));
      }
      for (const body of [[], 'text', null]) {
        const response = await call('POST', '/clients', body);
        assert.equal(response.status, 400, JSON.stringify(body));
      }
      const patch = await call('PATCH', '/clients/web', {
        post_logout_redirect_uris: ['javascript:alert(1)'],
      });
      assert.equal(patch.status, 400);
      assert.equal(patch.body.problems[0].path, 'post_logout_redirect_uris[0]');
      const secret = await call('PATCH', '/clients/web', { client_secret: 'x'.repeat(40) });
      assert.equal(secret.status, 400);
      assert.equal(secret.body.problems[0].path, 'client_secret');
      assert.equal((await call('GET', '/clients/bad')).status, 404, 'nothing was created');
    });

    test('RFC 7591 2.1: response_types follows grant_types on create and on a grants change; a code client without code is 400 invalid_client_metadata', async () => {
      const service = await call('POST', '/clients', {
        client_id: 'rt-service',
        grant_types: ['client_credentials'],
        scope: 'reports.read',
      });
      assert.equal(service.status, 201, JSON.stringify(service.body));
      assert.deepEqual(service.body.client.response_types, []);
      assert.deepEqual((await call('GET', '/clients/rt-service')).body.response_types, []);

      const contradicted = await call('POST', '/clients', {
        client_id: 'rt-contradicted',
        redirect_uris: [CALLBACK],
        response_types: [],
      });
      assert.equal(contradicted.status, 400, JSON.stringify(contradicted.body));
      assert.equal(contradicted.body.error, 'invalid_client_metadata');
      assert.deepEqual(contradicted.body.problems, [
        {
          path: 'response_types',
          message: 'must include code for the authorization_code grant (RFC 7591 2.1)',
        },
      ]);
      assert.equal((await call('GET', '/clients/rt-contradicted')).status, 404);

      const web = await call('POST', '/clients', {
        client_id: 'rt-web',
        redirect_uris: [CALLBACK],
      });
      assert.equal(web.status, 201, JSON.stringify(web.body));
      assert.deepEqual(web.body.client.response_types, ['code']);
      const patched = await call('PATCH', '/clients/rt-web', {
        grant_types: ['client_credentials'],
      });
      assert.equal(patched.status, 200, JSON.stringify(patched.body));
      assert.deepEqual((await call('GET', '/clients/rt-web')).body.response_types, []);
      const emptied = await call('PATCH', '/clients/rt-web', {
        grant_types: ['authorization_code'],
        response_types: [],
      });
      assert.equal(emptied.status, 400, JSON.stringify(emptied.body));
      assert.equal(emptied.body.problems[0].path, 'response_types');
    });

    test('NUL characters, which PostgreSQL cannot store, are 400 naming the field, never a 500', async () => {
      const client = await call('PATCH', '/clients/web', { client_name: 'a\u0000b' });
      assert.equal(client.status, 400);
      assert.equal(client.body.problems[0].path, 'client_name');
      const sub = (await alice()).sub as string;
      const user = await call('PATCH', `/users/${sub}`, { claims: { name: 'x\u0000' } });
      assert.equal(user.status, 400);
      assert.equal(user.body.problems[0].path, 'claims.name');
      assert.equal((await call('GET', '/clients?search=a%00b')).status, 400);
      const deep = `{"client_id":"deep","jwks":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`;
      const nested = await fetch(`${op.issuer}${API}/clients`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: deep,
      }).then(async (response) => ({
        status: response.status,
        body: (await response.json()) as Json,
      }));
      assert.equal(nested.status, 400);
      assert.match(nested.body.error_description, /nested more than/);
      assert.equal((await call('GET', '/users/%00')).status, 404);
      assert.equal((await call('DELETE', `/users/${sub}/sessions/%00`)).status, 404);
    });

    test('a partial update keeps the secret, consents and refresh tokens working', async () => {
      const tokens = await loginTokens(new TestBrowser(), op.issuer, {
        scope: 'openid profile offline_access',
      });
      const before = (await call('GET', '/clients/web')).body;
      const updated = await call('PATCH', '/clients/web', {
        client_name: 'Renamed Web App',
        redirect_uris: [CALLBACK, 'http://127.0.0.1:9/second-callback'],
      });
      assert.equal(updated.status, 200, JSON.stringify(updated.body));
      assert.equal(updated.body.client_secret, undefined, 'the secret stays, so none is shown');
      assert.equal(updated.body.client.client_name, 'Renamed Web App');
      assert.deepEqual(updated.body.client.grant_types, before.grant_types, 'the rest stays');
      assert.equal(updated.body.client.scope, before.scope);
      const refreshed = await refreshWithOpenidClient(tokens.refresh_token!);
      assert.ok(refreshed.access_token && refreshed.refresh_token);
      const sub = (await alice()).sub as string;
      const consents = (await call('GET', `/users/${sub}/consents`)).body.consents as Json[];
      assert.ok(consents.some((c) => c.client_id === 'web' && c.scopes.includes('offline_access')));
      // null restores a member's default (JSON merge patch).
      const restored = await call('PATCH', '/clients/web', { client_name: null });
      assert.equal(restored.body.client.client_name, 'web');
      await call('PATCH', '/clients/web', {
        client_name: before.client_name,
        redirect_uris: before.redirect_uris,
      });
    });

    test('users: create, read, update claims, disable and enable, list and search; refusals', async () => {
      const created = await call('POST', '/users', {
        email: 'Carol@Example.com',
        password: 'carol has a long password',
        claims: { name: 'Carol', locale: 'en', email_verified: true },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal(created.body.email, 'carol@example.com');
      assert.equal(created.body.password, undefined);
      assert.equal(created.body.password_hash, undefined);
      const sub = created.body.sub as string;
      assert.deepEqual((await call('GET', `/users/${sub}`)).body.claims, {
        name: 'Carol',
        locale: 'en',
        email_verified: true,
      });
      const patched = await call('PATCH', `/users/${sub}`, {
        claims: { name: 'Carol C.', locale: null, given_name: 'Carol' },
      });
      assert.equal(patched.status, 200, JSON.stringify(patched.body));
      assert.deepEqual(patched.body.claims, {
        name: 'Carol C.',
        given_name: 'Carol',
        email_verified: true,
      });
      assert.equal((await call('POST', `/users/${sub}/disable`)).body.disabled, true);
      assert.equal((await call('POST', `/users/${sub}/enable`)).body.disabled, false);
      assert.equal((await call('POST', `/users/${sub}/unlock`)).status, 204);

      const listed = await call('GET', '/users?search=CAROL');
      assert.deepEqual(
        listed.body.items.map((u: Json) => u.email),
        ['carol@example.com'],
      );
      assert.deepEqual(
        (await call('GET', `/users?search=${sub}`)).body.items.map((u: Json) => u.sub),
        [sub],
      );
      const first = await call('GET', '/users?limit=1');
      assert.equal(first.body.items.length, 1);
      const second = await call('GET', `/users?limit=1&cursor=${first.body.next_cursor}`);
      assert.notEqual(second.body.items[0].sub, first.body.items[0].sub);

      const refusals: [unknown, string][] = [
        [{ email: 'not-an-email', password: 'long enough password' }, 'email'],
        [{ email: 'dave@example.com', password: 'short' }, 'password'],
        [
          { email: 'dave@example.com', password: 'long enough password', claims: { shoe_size: 9 } },
          'claims.shoe_size',
        ],
        [
          {
            email: 'dave@example.com',
            password: 'long enough password',
            claims: { website: 'nope' },
          },
          'claims.website',
        ],
        [{ email: 'dave@example.com', password: 'long enough password', admin: true }, 'admin'],
      ];
      for (const [body, path] of refusals) {
        const response = await call('POST', '/users', body);
        assert.equal(response.status, 400, `${path}: ${JSON.stringify(response.body)}`);
        assert.equal(response.body.error, 'invalid_request');
        assert.ok(
          response.body.problems.some((p: Json) => p.path === path),
          `${path} named`,
        );
      }
      const taken = await call('POST', '/users', {
        email: 'carol@example.com',
        password: 'long enough password',
      });
      assert.equal(taken.status, 409);
      const badPatch = await call('PATCH', `/users/${sub}`, { claims: { birthdate: 'yesterday' } });
      assert.equal(badPatch.status, 400);
      assert.equal(badPatch.body.problems[0].path, 'claims.birthdate');
      for (const [method, path] of [
        ['GET', '/users/no-such-sub'],
        ['PATCH', '/users/no-such-sub'],
        ['POST', '/users/no-such-sub/disable'],
        ['GET', '/users/no-such-sub/sessions'],
        ['DELETE', '/users/no-such-sub/sessions'],
        ['GET', '/users/no-such-sub/consents'],
      ] as const) {
        const response = await call(method, path, method === 'PATCH' ? { claims: {} } : undefined);
        assert.equal(response.status, 404, `${method} ${path}`);
        assert.equal(response.body.error, 'not_found');
      }
    });

    test("sessions and consents: list a user's, revoke one, revoke all; their refresh tokens are refused", async () => {
      const sub = (await alice()).sub as string;
      const one = await loginTokens(new TestBrowser(), op.issuer, { scope: 'openid profile' });
      const sessions = (await call('GET', `/users/${sub}/sessions`)).body.sessions as Json[];
      assert.ok(sessions.length >= 1);
      assert.ok(sessions[0]!.id && sessions[0]!.signed_in_at && sessions[0]!.expires_at);
      const ended = await call('DELETE', `/users/${sub}/sessions/${sessions[0]!.id}`);
      assert.equal(ended.status, 200, JSON.stringify(ended.body));
      assert.equal(ended.body.revoked_families, 1);
      await refreshRefused(one.refresh_token!);
      assert.ok(
        !(await call('GET', `/users/${sub}/sessions`)).body.sessions.some(
          (s: Json) => s.id === sessions[0]!.id,
        ),
      );
      assert.equal((await call('DELETE', `/users/${sub}/sessions/${sessions[0]!.id}`)).status, 404);

      // Revoking all: every session and every family, offline ones too.
      const offline = await loginTokens(new TestBrowser(), op.issuer, {
        scope: 'openid offline_access',
      });
      assert.equal((await call('DELETE', `/users/${sub}/sessions`)).status, 204);
      assert.deepEqual((await call('GET', `/users/${sub}/sessions`)).body.sessions, []);
      await refreshRefused(offline.refresh_token!);

      // Consents: revoking one takes back its tokens; an unknown one is 404.
      const again = await loginTokens(new TestBrowser(), op.issuer, {
        scope: 'openid offline_access',
      });
      const consents = (await call('GET', `/users/${sub}/consents`)).body.consents as Json[];
      assert.ok(consents.some((c) => c.client_id === 'web'));
      const revoked = await call('DELETE', `/users/${sub}/consents/web`);
      assert.equal(revoked.status, 200);
      assert.ok(revoked.body.revoked_families >= 1);
      await refreshRefused(again.refresh_token!);
      assert.ok(
        !(await call('GET', `/users/${sub}/consents`)).body.consents.some(
          (c: Json) => c.client_id === 'web',
        ),
      );
      assert.equal((await call('DELETE', `/users/${sub}/consents/web`)).status, 404);
      assert.equal((await call('DELETE', `/users/${sub}/consents/%00x`)).status, 404);
    });

    test('sessions of every user: newest first, filtered by user and client, paged; ending one refuses its refresh token', async () => {
      const bob = { email: `bob-${Date.now()}@example.com`, password: 'bob has a long password' };
      const added = await call('POST', '/users', { email: bob.email, password: bob.password });
      assert.equal(added.status, 201, JSON.stringify(added.body));
      const bobSub = added.body.sub as string;
      const aliceSub = (await alice()).sub as string;
      const aliceTokens = await loginTokens(new TestBrowser(), op.issuer, {
        scope: 'openid offline_access',
      });
      // Bob signs in with the same client: a second session, started after Alice's.
      const { verifier, challenge } = pkce();
      const { callback } = await signIn(
        new TestBrowser(),
        authorizeUrl(op.issuer, webRequest(challenge, { scope: 'openid' })),
        { user: bob },
      );
      const bobTokens = await tokenRequest(op.issuer, {
        grant_type: 'authorization_code',
        code: callback.searchParams.get('code')!,
        redirect_uri: CALLBACK,
        code_verifier: verifier,
      });
      assert.equal(bobTokens.status, 200, JSON.stringify(bobTokens.body));

      const all = await call('GET', '/sessions');
      assert.equal(all.status, 200, JSON.stringify(all.body));
      const items = all.body.items as Json[];
      assert.equal(items[0]!.email, bob.email, 'newest first');
      assert.equal(items[0]!.sub, bobSub);
      assert.deepEqual(items[0]!.client_ids, ['web']);
      assert.ok(Date.parse(items[0]!.last_seen_at) >= Date.parse(items[0]!.started_at));
      for (let i = 1; i < items.length; i += 1)
        assert.ok(Date.parse(items[i - 1]!.started_at) >= Date.parse(items[i]!.started_at));
      assert.ok(items.some((s) => s.sub === aliceSub));

      const bobs = (await call('GET', `/sessions?user=${bobSub}`)).body.items as Json[];
      assert.deepEqual(
        bobs.map((s) => s.sub),
        [bobSub],
      );
      const first = await call('GET', '/sessions?limit=1');
      assert.equal(first.body.items.length, 1);
      assert.equal(typeof first.body.next_cursor, 'string');
      const second = await call(
        'GET',
        `/sessions?limit=1&cursor=${encodeURIComponent(first.body.next_cursor)}`,
      );
      assert.equal(second.body.items[0]?.id, items[1]!.id, 'the next page goes on where it ended');
      assert.ok((await call('GET', '/sessions?client=web')).body.items.length >= 2);
      assert.deepEqual((await call('GET', '/sessions?client=ops-bot')).body.items, []);
      for (const [query, path] of [
        ['limit=0', 'limit'],
        ['cursor=not-ours', 'cursor'],
        ['user=%00', 'user'],
        ['colour=blue', 'colour'],
      ] as const) {
        const refused = await call('GET', `/sessions?${query}`);
        assert.equal(refused.status, 400, query);
        assert.equal(refused.body.problems?.[0]?.path, path, JSON.stringify(refused.body));
      }

      const ended = await call('DELETE', `/sessions/${bobs[0]!.id}`);
      assert.equal(ended.status, 200, JSON.stringify(ended.body));
      assert.equal(ended.body.revoked_families, 1, "the family born in Bob's session");
      if (bobTokens.body.refresh_token)
        await refreshRefused(bobTokens.body.refresh_token as string);
      assert.deepEqual((await call('GET', `/sessions?user=${bobSub}`)).body.items, []);
      assert.equal((await call('DELETE', `/sessions/${bobs[0]!.id}`)).status, 404);
      assert.equal((await call('DELETE', '/sessions/%00')).status, 404);
      const trail = await call('GET', `/audit-events?type=session.ended&user=${bobSub}`);
      assert.equal(trail.body.items[0]?.actor, 'client:ops-bot');

      const aliceSession = (
        (await call('GET', `/sessions?user=${aliceSub}`)).body.items as Json[]
      )[0]!;
      const aliceEnded = await call('DELETE', `/sessions/${aliceSession.id}`);
      assert.equal(aliceEnded.status, 200);
      // offline_access outlives the browser session (OIDC Core 11): its refresh token still works.
      const refreshed = await refreshWithOpenidClient(aliceTokens.refresh_token!);
      assert.ok(refreshed.access_token);
    });

    test('reset-factors on a user without factors removes nothing and says so; unknown users and bodies are refused', async () => {
      const sub = (await alice()).sub as string;
      const reset = await call('POST', `/users/${sub}/reset-factors`);
      assert.equal(reset.status, 200, JSON.stringify(reset.body));
      assert.deepEqual(reset.body, { one_time_codes: false, passkeys: 0 });
      assert.equal((await call('POST', '/users/nobody/reset-factors')).status, 404);
      assert.equal((await call('POST', `/users/${sub}/reset-factors`, { x: 1 })).status, 400);
    });

    test('keys: the timeline, rotate per algorithm into the JWKS, retire and revoke; refusals', async () => {
      const listed = await call('GET', '/keys');
      assert.equal(listed.status, 200);
      const key = listed.body.keys[0] as Json;
      for (const field of [
        'kid',
        'alg',
        'state',
        'published_at',
        'signs_from',
        'retires_at',
        'leaves_jwks_at',
      ])
        assert.ok(field in key, `${field} in the timeline`);
      const rotated = await call('POST', '/keys/rotate', { alg: 'RS256' });
      assert.equal(rotated.status, 201, JSON.stringify(rotated.body));
      const jwks = (await (await fetch(`${op.issuer}/.well-known/jwks.json`)).json()) as Json;
      assert.ok(
        jwks.keys.some((k: Json) => k.kid === rotated.body.kid),
        'published before it signs',
      );
      const pending = (await call('GET', '/keys')).body.keys.find(
        (k: Json) => k.kid === rotated.body.kid,
      );
      assert.equal(pending.state, 'pending');
      assert.ok(Date.parse(pending.signs_from) > Date.now() - 1000);
      const revoked = await call('POST', `/keys/${rotated.body.kid}/revoke`);
      assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
      const after = (await call('GET', '/keys')).body.keys.find(
        (k: Json) => k.kid === rotated.body.kid,
      );
      assert.equal(after.state, 'revoked');
      assert.ok(after.leaves_jwks_at);
      const badAlg = await call('POST', '/keys/rotate', { alg: 'HS256' });
      assert.equal(badAlg.status, 400);
      assert.match(badAlg.body.error_description, /^alg: /);
      assert.equal((await call('POST', '/keys/no-such-kid/retire')).status, 404);
      assert.equal((await call('POST', '/keys/no-such-kid/revoke')).status, 404);
    });

    test('every call is audited with its actor; audit events filter by type, actor, client, time and page', async () => {
      const start = new Date().toISOString();
      await call('PATCH', '/clients/web2', { client_name: 'Second Web App, audited' });
      const mine = await call('GET', `/audit-events?actor=client:ops-bot&since=${start}`);
      assert.equal(mine.status, 200);
      const types = (mine.body.items as Json[]).map((e) => e.type);
      assert.ok(types.includes('client.updated'), types.join());
      assert.ok(types.includes('admin.request'), 'reads and writes leave an admin.request event');
      const request = (mine.body.items as Json[]).find(
        (e) => e.type === 'admin.request' && e.data.method === 'PATCH',
      );
      assert.deepEqual(request?.data, {
        method: 'PATCH',
        route: `${API}/clients/:client_id`,
        status: 200,
      });
      const updates = await call(
        'GET',
        `/audit-events?type=client.updated&client=web2&since=${start}`,
      );
      assert.deepEqual(
        (updates.body.items as Json[]).map((e) => [e.type, e.client_id, e.actor]),
        [['client.updated', 'web2', 'client:ops-bot']],
      );
      assert.equal(
        (await call('GET', `/audit-events?since=${new Date(Date.now() + 3_600_000).toISOString()}`))
          .body.items.length,
        0,
      );
      const bootstrap = await call('GET', '/audit-events?actor=admin-token&type=client.created');
      assert.ok(
        (bootstrap.body.items as Json[]).some((e) => e.client_id === 'ops-bot'),
        'the bootstrap token is named too',
      );

      const ids: string[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 3; page += 1) {
        const result = await call(
          'GET',
          `/audit-events?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        );
        ids.push(...(result.body.items as Json[]).map((e) => e.id));
        cursor = result.body.next_cursor;
        assert.ok(cursor);
      }
      assert.equal(new Set(ids).size, 9, 'pages do not overlap');
      const nulCursor = Buffer.from(JSON.stringify({ at: 1, id: 'x\u0000' })).toString('base64url');
      const farCursor = Buffer.from(JSON.stringify({ at: 1e300, id: 'x' })).toString('base64url');
      for (const query of [
        'since=yesterday',
        'limit=501',
        'cursor=%7B%7D',
        `cursor=${nulCursor}`,
        `cursor=${farCursor}`,
        'colour=red',
        'type=a%00b',
      ]) {
        const refused = await call('GET', `/audit-events?${query}`);
        assert.equal(refused.status, 400, query);
        assert.match(refused.body.error_description, new RegExp(`^${query.split('=')[0]}: `));
      }
    });
  });
}
