import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  auth,
  UnauthorizedError,
  type OAuthClientProvider,
} from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { TestBrowser } from '../support/browser.js';
import { providers } from '../support/databases.js';
import { signIn } from '../support/flow.js';
import { CALLBACK, startProvider, type ProviderFixture } from '../support/provider-fixture.js';

// The MCP TypeScript SDK's client completes its OAuth flow against this server as the
// authorization server of a small MCP server (the SDK's server side behind a bearer check that
// verifies our access tokens with jose against our JWKS, audience = the MCP server's URL).
//
// The SDK uses a Client ID Metadata Document when discovery says
// client_id_metadata_document_supported and the provider has a clientMetadataUrl, which it
// requires to be https with a path (`isHttpsUrl` in client/auth.js). So the document is served
// over TLS on 127.0.0.1 with a certificate made for this run (openssl), which the server under test
// trusts through Node's standard NODE_EXTRA_CA_CERTS; IDP_OUTBOUND_ALLOWED_HOSTS=127.0.0.1 lets it
// reach the loopback address. Nothing in the server is relaxed for the test beyond those two.

const run = promisify(execFile);

/** A self-signed certificate for 127.0.0.1, valid one day. */
async function loopbackCertificate(
  dir: string,
): Promise<{ key: Buffer; cert: Buffer; certPath: string }> {
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    keyPath,
    '-out',
    certPath,
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
  ]);
  return { key: await readFile(keyPath), cert: await readFile(certPath), certPath };
}

const listen = (server: Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
const close = (server: Server | undefined) =>
  new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));

/** An OAuthClientProvider kept in memory; the authorization URL is captured, not opened. */
class TestOAuthProvider implements OAuthClientProvider {
  authorizationUrl: URL | undefined;
  #client: OAuthClientInformationMixed | undefined;
  #tokens: OAuthTokens | undefined;
  #verifier = '';

  /** Without a metadata document URL the SDK registers itself (RFC 7591). */
  constructor(readonly clientMetadataUrl?: string) {}

  get redirectUrl() {
    return CALLBACK;
  }
  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'MCP SDK test client',
      redirect_uris: [CALLBACK],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }
  clientInformation() {
    return this.#client;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.#client = info;
  }
  tokens() {
    return this.#tokens;
  }
  saveTokens(tokens: OAuthTokens) {
    this.#tokens = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string) {
    this.#verifier = verifier;
  }
  codeVerifier() {
    return this.#verifier;
  }
}

for (const provider of providers) {
  describe(`the MCP SDK client, by metadata document or registration, on ${provider}`, () => {
    let dir: string;
    let op: ProviderFixture;
    let documentServer: Server;
    let mcpServer: Server;
    let clientMetadataUrl: string;
    let mcpUrl: string;
    let jwks: ReturnType<typeof createRemoteJWKSet>;
    const registrations: string[] = [];

    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'mcp-cimd-'));
      const tls = await loopbackCertificate(dir);

      // The client's metadata document, over https (draft-ietf-oauth-client-id-metadata-document 4).
      documentServer = createHttpsServer({ key: tls.key, cert: tls.cert }, (_request, response) => {
        response
          .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=300' })
          .end(
            JSON.stringify({
              client_id: clientMetadataUrl,
              client_name: 'MCP SDK test client',
              redirect_uris: [CALLBACK],
              grant_types: ['authorization_code', 'refresh_token'],
              response_types: ['code'],
              token_endpoint_auth_method: 'none',
              scope: 'openid profile',
            }),
          );
      });
      clientMetadataUrl = `https://127.0.0.1:${await listen(documentServer)}/mcp-client.json`;

      // The MCP server: protected resource metadata (RFC 9728), a bearer check, the SDK's server.
      // It listens first: the provider is told its URL as the resource MCP clients may name.
      mcpServer = createHttpServer((request, response) => {
        void (async () => {
          const path = new URL(request.url ?? '/', mcpUrl).pathname;
          const metadataUrl = `${new URL(mcpUrl).origin}/.well-known/oauth-protected-resource/mcp`;
          if (path.startsWith('/.well-known/oauth-protected-resource')) {
            return response.writeHead(200, { 'content-type': 'application/json' }).end(
              JSON.stringify({
                resource: mcpUrl,
                authorization_servers: [op.issuer],
                scopes_supported: ['openid', 'profile'],
                bearer_methods_supported: ['header'],
              }),
            );
          }
          if (path.startsWith('/register')) registrations.push(path);
          if (path !== '/mcp') return response.writeHead(404).end();
          const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
          let auth: AuthInfo | undefined;
          if (token) {
            try {
              const { payload } = await jwtVerify(token, jwks, {
                issuer: op.issuer,
                audience: mcpUrl,
                typ: 'at+jwt',
              });
              auth = {
                token,
                clientId: String(payload.client_id),
                scopes: String(payload.scope ?? '').split(' '),
                extra: { sub: payload.sub },
              };
            } catch {
              auth = undefined;
            }
          }
          if (!auth) {
            return response
              .writeHead(401, {
                'www-authenticate': `Bearer resource_metadata="${metadataUrl}"`,
                'content-type': 'application/json',
              })
              .end(JSON.stringify({ error: 'invalid_token' }));
          }
          const server = new McpServer({ name: 'test-mcp-server', version: '1.0.0' });
          server.registerTool('whoami', { description: 'who the caller is' }, (extra) => ({
            content: [
              {
                type: 'text',
                text: JSON.stringify({
                  sub: extra.authInfo?.extra?.sub,
                  client_id: extra.authInfo?.clientId,
                }),
              },
            ],
          }));
          const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
          response.on('close', () => void transport.close());
          await server.connect(transport);
          await transport.handleRequest(
            Object.assign(request, { auth }) as IncomingMessage & { auth: AuthInfo },
            response,
          );
        })().catch((error: unknown) => {
          if (!response.headersSent) response.writeHead(500).end(String(error));
        });
      });
      mcpUrl = `http://127.0.0.1:${await listen(mcpServer)}/mcp`;
      op = await startProvider(provider, {
        IDP_CLIENT_METADATA_DOCUMENTS: 'true',
        IDP_REGISTRATION: 'open',
        IDP_OUTBOUND_ALLOWED_HOSTS: '127.0.0.1',
        NODE_EXTRA_CA_CERTS: tls.certPath,
      });
      jwks = createRemoteJWKSet(new URL(`${op.issuer}/.well-known/jwks.json`));
    });
    after(async () => {
      await op?.close();
      await close(mcpServer);
      await close(documentServer);
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    test('auth() uses the metadata document URL as client_id, with PKCE S256 and resource = the MCP server (RFC 8707), and the tool call carries a token for that audience', async () => {
      const authProvider = new TestOAuthProvider(clientMetadataUrl);
      const first = new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider });
      await assert.rejects(
        new Client({ name: 'mcp-test', version: '1.0.0' }).connect(first),
        UnauthorizedError,
        'the MCP server asks for a token; the SDK starts the authorization',
      );
      const authorization = authProvider.authorizationUrl;
      assert.ok(authorization, 'the SDK produced an authorization URL');
      assert.equal(authorization.origin + authorization.pathname, `${op.issuer}/authorize`);
      assert.equal(authorization.searchParams.get('client_id'), clientMetadataUrl);
      assert.equal(authorization.searchParams.get('code_challenge_method'), 'S256');
      assert.ok(authorization.searchParams.get('code_challenge'));
      assert.equal(authorization.searchParams.get('resource'), mcpUrl);
      assert.deepEqual(registrations, [], 'no dynamic registration was attempted');

      const { callback, sawConsent } = await signIn(new TestBrowser(), authorization.href);
      assert.equal(sawConsent, true, 'a metadata document client always gets the consent page');
      await first.finishAuth(callback.searchParams.get('code')!);

      const tokens = await authProvider.tokens();
      assert.ok(tokens?.access_token);
      const jwks = createRemoteJWKSet(new URL(`${op.issuer}/.well-known/jwks.json`));
      const { payload } = await jwtVerify(tokens.access_token, jwks, {
        issuer: op.issuer,
        audience: mcpUrl,
      });
      assert.equal(payload.client_id, clientMetadataUrl);

      const client = new Client({ name: 'mcp-test', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider }));
      const result = await client.callTool({ name: 'whoami', arguments: {} });
      const content = result.content as Array<{ type: string; text: string }>;
      const seen = JSON.parse(content[0]!.text) as { sub: string; client_id: string };
      assert.equal(seen.client_id, clientMetadataUrl);
      assert.equal(seen.sub, payload.sub);
      await client.close();

      // The SDK refreshes with the same resource (RFC 8707 2.2): the new access token is still
      // for the MCP server, as the login granted.
      assert.ok(tokens.refresh_token, 'a refresh token was issued');
      assert.equal(await auth(authProvider, { serverUrl: mcpUrl }), 'AUTHORIZED');
      const refreshed = await authProvider.tokens();
      assert.notEqual(refreshed?.access_token, tokens.access_token);
      const again = await jwtVerify(refreshed!.access_token, jwks, {
        issuer: op.issuer,
        audience: mcpUrl,
      });
      assert.equal(again.payload.client_id, clientMetadataUrl);
    });

    test('without a metadata document the SDK registers itself (RFC 7591) with no resources, names the MCP server at /authorize (RFC 8707), and its token is for that audience', async () => {
      const authProvider = new TestOAuthProvider();
      const first = new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider });
      await assert.rejects(
        new Client({ name: 'mcp-test', version: '1.0.0' }).connect(first),
        UnauthorizedError,
      );
      const authorization = authProvider.authorizationUrl;
      assert.ok(authorization, 'the SDK registered and produced an authorization URL');
      const clientId = authorization.searchParams.get('client_id');
      assert.ok(
        clientId && !clientId.startsWith('https://'),
        `a registered client_id: ${clientId}`,
      );
      assert.equal(authorization.searchParams.get('resource'), mcpUrl);

      const { callback, sawConsent } = await signIn(new TestBrowser(), authorization.href);
      assert.equal(sawConsent, true, 'a self-registered client gets the consent page');
      await first.finishAuth(callback.searchParams.get('code')!);
      const tokens = await authProvider.tokens();
      assert.ok(tokens?.access_token);
      const { payload } = await jwtVerify(tokens.access_token, jwks, {
        issuer: op.issuer,
        audience: mcpUrl,
      });
      assert.equal(payload.client_id, clientId);

      const client = new Client({ name: 'mcp-test', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider }));
      const result = await client.callTool({ name: 'whoami', arguments: {} });
      const content = result.content as Array<{ type: string; text: string }>;
      assert.equal((JSON.parse(content[0]!.text) as { client_id: string }).client_id, clientId);
      await client.close();
    });
  });
}
