import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { randomUUID } from 'node:crypto';
import { createRemoteJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { TestBrowser } from '../support/browser.js';
import { providers } from '../support/databases.js';
import {
  authorizeUrl,
  isConsentPage,
  isLoginPage,
  pkce,
  signIn,
  tokenRequest,
} from '../support/flow.js';
import { CALLBACK, startProvider, type ProviderFixture } from '../support/provider-fixture.js';

// Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document-02) against the real
// server: client_ids that are URLs of documents served by a small HTTP server on 127.0.0.1, which
// the server may reach only because IDP_OUTBOUND_ALLOWED_HOSTS lists it (plain http included).

interface DocumentServer {
  readonly base: string;
  hits(path: string): number;
  close(): Promise<void>;
}

/**
 * Serves one document per path; `base` is filled in so documents can name their own URL. A route
 * that answers null accepts the request and never answers it (a stalled document server).
 */
async function documentServer(
  routes: Record<
    string,
    (base: string) => { status?: number; headers?: object; body?: string } | null
  >,
): Promise<DocumentServer> {
  const hits = new Map<string, number>();
  let base = '';
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', base).pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const route = routes[path];
    if (!route) return response.writeHead(404).end();
    const answer = route(base);
    if (!answer) return;
    response
      .writeHead(answer.status ?? 200, {
        'content-type': 'application/json',
        ...(answer.headers as Record<string, string>),
      })
      .end(answer.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    hits: (path) => hits.get(path) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const document = (base: string, path: string, members: Record<string, unknown> = {}) =>
  JSON.stringify({
    client_id: `${base}${path}`,
    client_name: 'Metadata Document App',
    redirect_uris: [CALLBACK],
    grant_types: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_method: 'none',
    scope: 'openid profile',
    ...members,
  });

for (const provider of providers) {
  describe(`client ID metadata documents on ${provider}`, () => {
    let op: ProviderFixture;
    let docs: DocumentServer;
    let key: Awaited<ReturnType<typeof generateKeyPair>>;
    /** Whether /stalled.json holds its requests unanswered. */
    let stalled = true;

    before(async () => {
      key = await generateKeyPair('ES256', { extractable: true });
      const publicJwk = { ...(await exportJWK(key.publicKey)), kid: 'doc-key-1', use: 'sig' };
      docs = await documentServer({
        '/keyed.json': (base) => ({
          body: document(base, '/keyed.json', {
            token_endpoint_auth_method: 'private_key_jwt',
            jwks: { keys: [publicJwk] },
          }),
        }),
        '/good.json': (base) => ({
          headers: { 'cache-control': 'public, max-age=300' },
          body: document(base, '/good.json'),
        }),
        '/mismatch.json': (base) => ({ body: document(base, '/someone-else.json') }),
        '/secret.json': (base) => ({
          body: document(base, '/secret.json', {
            token_endpoint_auth_method: 'client_secret_basic',
            client_secret: 'x'.repeat(48),
          }),
        }),
        '/large.json': (base) => ({
          body: document(base, '/large.json', { padding: 'x'.repeat(6 * 1024) }),
        }),
        '/redirect.json': () => ({ status: 302, headers: { location: '/good.json' } }),
        '/stalled.json': (base) => (stalled ? null : { body: document(base, '/stalled.json') }),
      });
      op = await startProvider(provider, {
        IDP_CLIENT_METADATA_DOCUMENTS: 'true',
        IDP_OUTBOUND_ALLOWED_HOSTS: '127.0.0.1',
        IDP_REGISTRATION_RESOURCES: 'http://127.0.0.1:9/mcp,https://mcp.example.com/',
      });
    });
    after(async () => {
      await op?.close();
      await docs?.close();
    });

    /** GET /authorize for a URL client: the page or redirect it answers. */
    async function authorize(clientId: string, extra: Record<string, string> = {}) {
      const { challenge } = pkce();
      return new TestBrowser().navigate(
        authorizeUrl(op.issuer, {
          client_id: clientId,
          redirect_uri: CALLBACK,
          response_type: 'code',
          scope: 'openid profile',
          state: 'st',
          code_challenge: challenge,
          code_challenge_method: 'S256',
          ...extra,
        }),
        CALLBACK,
      );
    }

    test('discovery says client_id_metadata_document_supported (draft 6)', async () => {
      const response = await fetch(`${op.issuer}/.well-known/oauth-authorization-server`);
      const metadata = (await response.json()) as Record<string, unknown>;
      assert.equal(metadata.client_id_metadata_document_supported, true);
    });

    test('a public client named by its document URL signs in with PKCE and a resource; consent shows its host every time, the document is fetched once within its max-age', async () => {
      const clientId = `${docs.base}/good.json`;
      const resource = 'http://127.0.0.1:9/mcp';
      const browser = new TestBrowser();
      const jwks = createRemoteJWKSet(new URL(`${op.issuer}/.well-known/jwks.json`));
      for (const round of [1, 2]) {
        const { verifier, challenge } = pkce();
        const url = authorizeUrl(op.issuer, {
          client_id: clientId,
          redirect_uri: CALLBACK,
          response_type: 'code',
          scope: 'openid profile',
          state: `st-${round}`,
          code_challenge: challenge,
          code_challenge_method: 'S256',
          resource,
        });
        let page = await browser.navigate(url, CALLBACK);
        if (round === 1) {
          assert.match(page.html, /name="password"/, 'login first');
          page = await browser.submit(
            page,
            { username: 'alice@example.com', password: 'correct horse battery staple' },
            CALLBACK,
          );
        }
        assert.ok(isConsentPage(page), `round ${round}: consent is asked again (draft 8.4)`);
        const host = new URL(docs.base).host;
        assert.ok(
          page.html.includes(host),
          'the consent page shows the client_id host (draft 8.5)',
        );
        assert.ok(page.html.includes('127.0.0.1:9'), "and the resource's host");
        const done = await browser.submit(page, {}, CALLBACK, { name: 'decision', value: 'allow' });
        const callback = new URL(done.redirectedTo!);
        assert.equal(callback.searchParams.get('state'), `st-${round}`);
        const tokens = await tokenRequest(
          op.issuer,
          {
            grant_type: 'authorization_code',
            code: callback.searchParams.get('code')!,
            redirect_uri: CALLBACK,
            code_verifier: verifier,
            client_id: clientId,
          },
          {},
        );
        assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
        const { payload } = await jwtVerify(tokens.body.access_token as string, jwks, {
          issuer: op.issuer,
          audience: resource,
        });
        assert.equal(payload.client_id, clientId);
      }
      assert.equal(docs.hits('/good.json'), 1, 'cached for its Cache-Control max-age (draft 5.2)');
    });

    test('a document with private_key_jwt and jwks makes a confidential client: the code is redeemed only with an assertion signed by its key (draft 8.2: MUST require)', async () => {
      const clientId = `${docs.base}/keyed.json`;
      const { verifier, challenge } = pkce();
      const { callback, sawConsent } = await signIn(
        new TestBrowser(),
        authorizeUrl(op.issuer, {
          client_id: clientId,
          redirect_uri: CALLBACK,
          response_type: 'code',
          scope: 'openid profile',
          state: 'st-keyed',
          code_challenge: challenge,
          code_challenge_method: 'S256',
        }),
      );
      assert.equal(sawConsent, true);
      const code = callback.searchParams.get('code')!;
      const form = {
        grant_type: 'authorization_code',
        code,
        redirect_uri: CALLBACK,
        code_verifier: verifier,
      };
      const unauthenticated = await tokenRequest(op.issuer, { ...form, client_id: clientId }, {});
      assert.equal(unauthenticated.status, 401);
      assert.equal(unauthenticated.body.error, 'invalid_client');
      const now = Math.floor(Date.now() / 1000);
      const assertion = await new SignJWT({
        iss: clientId,
        sub: clientId,
        aud: op.issuer,
        jti: randomUUID(),
        iat: now,
        exp: now + 60,
      })
        .setProtectedHeader({ alg: 'ES256', kid: 'doc-key-1' })
        .sign(key.privateKey);
      const tokens = await tokenRequest(
        op.issuer,
        {
          ...form,
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: assertion,
        },
        {},
      );
      assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
      assert.ok(tokens.body.access_token);
    });

    test('a resource that is neither https nor loopback http is refused with invalid_target (RFC 8707 2)', async () => {
      const page = await authorize(`${docs.base}/good.json`, {
        resource: 'http://internal.example/api',
      });
      const callback = new URL(page.redirectedTo!);
      assert.equal(callback.searchParams.get('error'), 'invalid_target');
    });

    test('RFC 8707 2: an https resource outside IDP_REGISTRATION_RESOURCES is refused with invalid_target, one under its prefix is not', async () => {
      const refused = await authorize(`${docs.base}/good.json`, {
        resource: 'https://api.example.com/payments',
      });
      const callback = new URL(refused.redirectedTo!);
      assert.equal(callback.searchParams.get('error'), 'invalid_target');
      assert.match(callback.searchParams.get('error_description') ?? '', /not allowed/);
      // Within the policy the request goes on to the login page instead of back with an error.
      const admitted = await authorize(`${docs.base}/good.json`, {
        resource: 'https://mcp.example.com/tools',
      });
      assert.equal(admitted.redirectedTo, undefined);
      assert.ok(isLoginPage(admitted), 'the login page');
    });

    test('a document whose client_id differs from its URL is refused (draft 4: MUST match), on a page, not a redirect', async () => {
      const page = await authorize(`${docs.base}/mismatch.json`);
      assert.equal(page.status, 400);
      assert.equal(page.redirectedTo, undefined);
      assert.match(page.html, /must equal its URL/);
    });

    test('a document with a client secret is refused (draft 4.1: MUST NOT be used)', async () => {
      const page = await authorize(`${docs.base}/secret.json`);
      assert.equal(page.status, 400);
      assert.match(page.html, /client_secret/);
    });

    test('a document larger than 5 KB is refused (draft 8.7)', async () => {
      const page = await authorize(`${docs.base}/large.json`);
      assert.equal(page.status, 400);
      assert.match(page.html, /larger than 5120 bytes/);
    });

    test('a document answering with a redirect is refused, the redirect not followed (draft 5: MUST NOT)', async () => {
      const before = docs.hits('/good.json');
      const page = await authorize(`${docs.base}/redirect.json`);
      assert.equal(page.status, 400);
      assert.match(page.html, /redirects are not followed/);
      assert.equal(docs.hits('/good.json'), before, 'the target was never fetched');
    });

    test('documents on private or loopback addresses not allowed are never fetched (draft 8.6: MUST NOT)', async () => {
      const literal = await authorize('https://10.0.0.1/client.json');
      assert.equal(literal.status, 400);
      assert.match(literal.html, /not a public address/);
      // localhost is not in IDP_OUTBOUND_ALLOWED_HOSTS: refused after DNS resolution.
      const port = new URL(docs.base).port;
      const resolved = await authorize(`https://localhost:${port}/good.json`);
      assert.equal(resolved.status, 400);
      assert.match(resolved.html, /not a public address/);
      // Plain http only for the allowed host.
      const http = await authorize(`http://localhost:${port}/good.json`);
      assert.equal(http.status, 400);
      assert.match(http.html, /must use https/);
    });

    test('a document server that accepts and never answers: invalid_client on a page within the 5 s fetch deadline, and the client works once the server answers (draft 5.2: errors not cached)', async () => {
      const clientId = `${docs.base}/stalled.json`;
      const started = Date.now();
      const page = await authorize(clientId);
      const took = Date.now() - started;
      assert.equal(docs.hits('/stalled.json'), 1, 'the request reached the document server');
      assert.equal(page.status, 400);
      assert.equal(page.redirectedTo, undefined, 'a page: the redirect_uris are not known');
      assert.match(page.html, /invalid_client/);
      assert.match(page.html, /could not be fetched: no complete answer within 5000 ms/);
      assert.ok(took >= 4_500 && took < 8_000, `answered after ${took} ms`);

      stalled = false;
      const retried = await authorize(clientId);
      assert.equal(docs.hits('/stalled.json'), 2, 'fetched again: the failure was not cached');
      assert.ok(isLoginPage(retried), `the login page (status ${retried.status})`);
    });

    test('a client_id URL with dot segments is refused without a fetch (draft 3)', async () => {
      const page = await authorize(`${docs.base}/x/%2e%2e/good.json`);
      assert.equal(page.status, 400);
      assert.match(page.html, /path segments|canonical/);
    });
  });
}
