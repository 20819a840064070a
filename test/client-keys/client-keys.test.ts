import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT, type JWK } from 'jose';
import * as oauth from 'oauth4webapi';
import * as oidc from 'openid-client';
import { providers } from '../support/databases.js';
import { TestBrowser } from '../support/browser.js';
import { pkce, signIn } from '../support/flow.js';
import { idp } from '../support/processes.js';
import { CALLBACK, startProvider, type ProviderFixture } from '../support/provider-fixture.js';
import { waitFor } from '../support/wait-for.js';

// Clients that authenticate with keys (private_key_jwt: RFC 7523 3 as tightened by
// draft-ietf-oauth-rfc7523bis, OIDC Core 9) and sign their authorization requests (RFC 9101), driven
// by oauth4webapi and openid-client against the real server. One client registers an ES256 key by
// value (jwks), the other publishes an EdDSA key at a jwks_uri on 127.0.0.1, which the server may
// reach only because IDP_OUTBOUND_ALLOWED_HOSTS lists it. Negative tests are named after the FAPI 2.0
// conformance suite's modules they mirror.

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
interface ClientKey {
  readonly privateKey: PrivateKey;
  readonly jwk: JWK;
  readonly kid: string;
}

async function clientKey(alg: 'ES256' | 'EdDSA', kid: string): Promise<ClientKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { privateKey, kid, jwk: { ...(await exportJWK(publicKey)), kid, use: 'sig' } };
}

/** A jwks_uri: a tiny HTTP server on 127.0.0.1 publishing one key set. */
async function jwksServer(jwks: {
  keys: JWK[];
}): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const server: Server = createServer((_request, response) => {
    hits += 1;
    response
      .writeHead(200, { 'content-type': 'application/jwk-set+json' })
      .end(JSON.stringify(jwks));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`,
    hits: () => hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const insecure = { [oauth.allowInsecureRequests]: true } as const;
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

for (const provider of providers) {
  describe(`private_key_jwt and signed request objects on ${provider}`, () => {
    let op: ProviderFixture;
    let es: ClientKey;
    let ed: ClientKey;
    let published: Awaited<ReturnType<typeof jwksServer>>;
    let as: oauth.AuthorizationServer;

    before(async () => {
      es = await clientKey('ES256', 'es-1');
      ed = await clientKey('EdDSA', 'ed-1');
      published = await jwksServer({ keys: [ed.jwk] });
      op = await startProvider(provider, {
        IDP_OUTBOUND_ALLOWED_HOSTS: '127.0.0.1',
        IDP_REGISTRATION: 'open',
      });
      // Registered through the CLI: keys by value and by reference, algorithms pinned.
      const common = [
        '--grant-type',
        'authorization_code',
        '--grant-type',
        'client_credentials',
        '--redirect-uri',
        CALLBACK,
        '--scope',
        'openid profile',
        '--auth-method',
        'private_key_jwt',
      ];
      const added = [
        await idp(
          [
            'clients',
            'add',
            'es-client',
            ...common,
            '--jwks',
            JSON.stringify({ keys: [es.jwk] }),
            '--token-endpoint-auth-signing-alg',
            'ES256',
            '--request-object-signing-alg',
            'ES256',
          ],
          op.env,
        ),
        await idp(
          [
            'clients',
            'add',
            'ed-client',
            ...common,
            '--jwks-uri',
            published.url,
            '--token-endpoint-auth-signing-alg',
            'EdDSA',
            '--request-object-signing-alg',
            'EdDSA',
          ],
          op.env,
        ),
      ];
      for (const result of added) assert.equal(result.code, 0, result.stderr);
      assert.doesNotMatch(
        added[0]!.stdout,
        /client_secret/,
        'a key-authenticated client gets no secret',
      );
      const issuer = new URL(op.issuer);
      as = await oauth.processDiscoveryResponse(
        issuer,
        await oauth.discoveryRequest(issuer, insecure),
      );
      // The running server learns of the new clients within its change poll.
      await waitFor(
        async () => (await clientCredentials('es-client', es)).ok,
        'the server to know the new clients',
      );
    });
    after(async () => {
      await op?.close();
      await published?.close();
    });

    async function clientCredentials(clientId: string, key: ClientKey) {
      const response = await oauth.clientCredentialsGrantRequest(
        as,
        { client_id: clientId },
        oauth.PrivateKeyJwt({ key: key.privateKey, kid: key.kid }),
        new URLSearchParams(),
        insecure,
      );
      return { ok: response.status === 200, response };
    }

    /** A client assertion signed by jose with chosen claims and header (RFC 7523 3). */
    async function assertion(
      key: ClientKey,
      claims: Record<string, unknown> = {},
      alg = 'ES256',
      clientId = 'es-client',
    ) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({
        iss: clientId,
        sub: clientId,
        aud: op.issuer,
        jti: randomUUID(),
        iat: now,
        exp: now + 60,
        ...claims,
      })
        .setProtectedHeader({ alg, kid: key.kid })
        .sign(key.privateKey);
    }

    async function tokenWith(clientAssertion: string, clientId = 'es-client') {
      const response = await fetch(`${op.issuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: clientId,
          client_assertion_type: ASSERTION_TYPE,
          client_assertion: clientAssertion,
        }),
      });
      return {
        status: response.status,
        body: (await response.json()) as Record<string, unknown>,
        challenge: response.headers.get('www-authenticate'),
      };
    }

    async function refusedAssertion(clientAssertion: string, clientId = 'es-client') {
      const result = await tokenWith(clientAssertion, clientId);
      assert.equal(result.status, 401, JSON.stringify(result.body));
      assert.equal(result.body.error, 'invalid_client');
      // RFC 6749 5.2: the challenge matches the scheme the client used; an assertion is no
      // HTTP authentication scheme, so no Basic challenge invites it to switch to a secret.
      assert.equal(result.challenge, null, 'no WWW-Authenticate: Basic for a client assertion');
    }

    test('discovery lists private_key_jwt, the accepted algorithms and request objects (RFC 8414 2, OIDC Discovery 3)', () => {
      assert.ok(as.token_endpoint_auth_methods_supported?.includes('private_key_jwt'));
      assert.ok(
        !as.token_endpoint_auth_methods_supported?.includes('client_secret_jwt'),
        'only what is implemented',
      );
      for (const alg of ['ES256', 'EdDSA', 'PS256', 'RS256'])
        assert.ok(as.token_endpoint_auth_signing_alg_values_supported?.includes(alg), alg);
      assert.ok(
        !as.token_endpoint_auth_signing_alg_values_supported?.some(
          (alg) => alg === 'none' || alg.startsWith('HS'),
        ),
      );
      assert.ok(as.introspection_endpoint_auth_methods_supported?.includes('private_key_jwt'));
      assert.ok(as.revocation_endpoint_auth_methods_supported?.includes('private_key_jwt'));
      assert.equal(as.request_parameter_supported, true);
      assert.equal(as.request_uri_parameter_supported, false);
      assert.ok(as.request_object_signing_alg_values_supported?.includes('ES256'));
    });

    test('oidcc-ensure-client-assertion-with-iss-aud-succeeds: oauth4webapi: client credentials with PrivateKeyJwt for the ES256 (jwks) and EdDSA (jwks_uri) clients, then introspection and revocation', async () => {
      for (const [clientId, key] of [
        ['es-client', es],
        ['ed-client', ed],
      ] as const) {
        const { response } = await clientCredentials(clientId, key);
        const tokens = await oauth.processClientCredentialsResponse(
          as,
          { client_id: clientId },
          response,
        );
        assert.equal(tokens.token_type.toLowerCase(), 'bearer');
        const auth = () => oauth.PrivateKeyJwt({ key: key.privateKey, kid: key.kid });
        const introspected = await oauth.processIntrospectionResponse(
          as,
          { client_id: clientId },
          await oauth.introspectionRequest(
            as,
            { client_id: clientId },
            auth(),
            tokens.access_token,
            insecure,
          ),
        );
        assert.equal(introspected.active, true);
        assert.equal(introspected.client_id, clientId);
        await oauth.processRevocationResponse(
          await oauth.revocationRequest(
            as,
            { client_id: clientId },
            auth(),
            tokens.access_token,
            insecure,
          ),
        );
        const after = await oauth.processIntrospectionResponse(
          as,
          { client_id: clientId },
          await oauth.introspectionRequest(
            as,
            { client_id: clientId },
            auth(),
            tokens.access_token,
            insecure,
          ),
        );
        assert.equal(after.active, false);
      }
      assert.ok(published.hits() >= 1, 'the EdDSA key came from the jwks_uri');
    });

    test('openid-client: PrivateKeyJwt client authentication for both clients', async () => {
      for (const [clientId, key] of [
        ['es-client', es],
        ['ed-client', ed],
      ] as const) {
        const config = await oidc.discovery(
          new URL(op.issuer),
          clientId,
          undefined,
          oidc.PrivateKeyJwt({ key: key.privateKey, kid: key.kid }),
          { execute: [oidc.allowInsecureRequests] },
        );
        const tokens = await oidc.clientCredentialsGrant(config);
        assert.ok(tokens.access_token);
      }
    });

    test('oauth4webapi: a signed request object by value at /authorize, then the code exchanged with PrivateKeyJwt (RFC 9101, RFC 7523)', async () => {
      for (const [clientId, key] of [
        ['es-client', es],
        ['ed-client', ed],
      ] as const) {
        const client = { client_id: clientId };
        const { verifier, challenge } = pkce();
        const state = oauth.generateRandomState();
        const request = await oauth.issueRequestObject(
          as,
          client,
          new URLSearchParams({
            response_type: 'code',
            redirect_uri: CALLBACK,
            scope: 'openid profile',
            state,
            nonce: 'n-1',
            code_challenge: challenge,
            code_challenge_method: 'S256',
          }),
          { key: key.privateKey, kid: key.kid },
        );
        // Outer parameters other than client_id are ignored (RFC 9101 5): this scope would be refused.
        const url = new URL(as.authorization_endpoint!);
        url.search = new URLSearchParams({
          client_id: clientId,
          request,
          scope: 'openid admin',
        }).toString();
        const { callback } = await signIn(new TestBrowser(), url.href);
        const params = oauth.validateAuthResponse(as, client, callback, state);
        const response = await oauth.authorizationCodeGrantRequest(
          as,
          client,
          oauth.PrivateKeyJwt({ key: key.privateKey, kid: key.kid }),
          params,
          CALLBACK,
          verifier,
          insecure,
        );
        const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, {
          expectedNonce: 'n-1',
          requireIdToken: true,
        });
        assert.equal(oauth.getValidatedIdTokenClaims(tokens)?.aud, clientId);
      }
    });

    test('oidcc-ensure-request-object-with-redirect-uri: the redirect_uri inside the request object wins over an unregistered one outside (OIDC Core 6.1, RFC 9101 5)', async () => {
      const client = { client_id: 'es-client' };
      const { challenge } = pkce();
      const state = oauth.generateRandomState();
      const request = await oauth.issueRequestObject(
        as,
        client,
        new URLSearchParams({
          response_type: 'code',
          redirect_uri: CALLBACK,
          scope: 'openid',
          state,
          code_challenge: challenge,
          code_challenge_method: 'S256',
        }),
        { key: es.privateKey, kid: es.kid },
      );
      const url = new URL(as.authorization_endpoint!);
      url.search = new URLSearchParams({
        client_id: 'es-client',
        request,
        response_type: 'code',
        redirect_uri: 'https://attacker.example/cb',
      }).toString();
      const browser = new TestBrowser();
      const { callback } = await signIn(browser, url.href);
      assert.equal(callback.origin + callback.pathname, CALLBACK);
      assert.ok(oauth.validateAuthResponse(as, client, callback, state).get('code'));
    });

    test('fapi2-security-profile-final-ensure-client-assertion-with-wrong-aud-fails: aud the token endpoint or an array is invalid_client (rfc7523bis, FAPI 2.0 SP 5.3.2.1-8)', async () => {
      await refusedAssertion(await assertion(es, { aud: `${op.issuer}/token` }));
      await refusedAssertion(await assertion(es, { aud: [op.issuer] }));
      await refusedAssertion(await assertion(es, { aud: [op.issuer, `${op.issuer}/token`] }));
    });

    test('fapi2-security-profile-final-ensure-client-assertion-with-exp-is-5-minutes-in-past-fails, and iat 70 s in the future (FAPI 2.0 SP 5.3.2.1)', async () => {
      const now = Math.floor(Date.now() / 1000);
      await refusedAssertion(await assertion(es, { iat: now - 360, exp: now - 300 }));
      await refusedAssertion(await assertion(es, { iat: now + 70, exp: now + 130 }));
      // Within the accepted skew it works.
      assert.equal(
        (await tokenWith(await assertion(es, { iat: now + 5, nbf: now + 5 }))).status,
        200,
      );
    });

    test('a replayed client assertion jti is invalid_client, cluster-wide through the database (RFC 7523 3 item 7)', async () => {
      const once = await assertion(es);
      assert.equal((await tokenWith(once)).status, 200);
      await refusedAssertion(once);
    });

    test('RFC 7523 3, RFC 7591 2: an assertion signed by another key, with alg none, with another alg than registered, or from a client of another method is invalid_client', async () => {
      const stranger = await clientKey('ES256', 'es-1');
      await refusedAssertion(await assertion(stranger));
      const now = Math.floor(Date.now() / 1000);
      await refusedAssertion(
        new UnsecuredJWT({
          iss: 'es-client',
          sub: 'es-client',
          aud: op.issuer,
          jti: randomUUID(),
          exp: now + 60,
        }).encode(),
      );
      // ed-client registered EdDSA: an ES256 assertion is refused even if the key were right.
      await refusedAssertion(
        await assertion(es, { iss: 'ed-client', sub: 'ed-client' }, 'ES256', 'ed-client'),
        'ed-client',
      );
      // The web client (client_secret_basic) may not switch to an assertion (RFC 7591 2).
      await refusedAssertion(
        await assertion(es, { iss: 'web', sub: 'web' }, 'ES256', 'web'),
        'web',
      );
    });

    /** GET /authorize with a request object; the redirect (or page) that comes back. */
    async function authorizeWith(params: Record<string, string>) {
      const url = new URL(`${op.issuer}/authorize`);
      url.search = new URLSearchParams(params).toString();
      const response = await fetch(url, { redirect: 'manual' });
      const location = response.headers.get('location');
      return {
        status: response.status,
        location: location ? new URL(location) : undefined,
        html: location ? '' : await response.text(),
      };
    }

    async function requestObject(key: ClientKey, claims: Record<string, unknown>, alg = 'ES256') {
      const now = Math.floor(Date.now() / 1000);
      const { challenge } = pkce();
      return new SignJWT({
        iss: 'es-client',
        aud: op.issuer,
        client_id: 'es-client',
        response_type: 'code',
        redirect_uri: CALLBACK,
        scope: 'openid',
        state: 's',
        code_challenge: challenge,
        code_challenge_method: 'S256',
        iat: now,
        nbf: now,
        exp: now + 60,
        ...claims,
      })
        .setProtectedHeader({ alg, kid: key.kid })
        .sign(key.privateKey);
    }

    async function refusedRequestObject(request: string, error = 'invalid_request_object') {
      const answer = await authorizeWith({
        client_id: 'es-client',
        redirect_uri: CALLBACK,
        request,
      });
      assert.equal(
        answer.location?.searchParams.get('error'),
        error,
        `${answer.status} ${answer.html.slice(0, 200)}`,
      );
      assert.equal(answer.location?.origin + answer.location!.pathname, CALLBACK);
    }

    test('fapi2-security-profile-final-ensure-request-object-signature-algorithm-is-not-none, oidcc-unsigned-request-object-supported-correctly-or-rejected-as-unsupported: an unsigned request object is refused (RFC 9101 10.2)', async () => {
      const now = Math.floor(Date.now() / 1000);
      await refusedRequestObject(
        new UnsecuredJWT({
          iss: 'es-client',
          aud: op.issuer,
          client_id: 'es-client',
          response_type: 'code',
          exp: now + 60,
        }).encode(),
      );
    });

    // Conformance: fapi2-security-profile-final-ensure-request-object-with-bad-aud-fails, fapi2-security-profile-final-ensure-expired-request-object-fails.
    test('fapi2-security-profile-final-ensure-request-object-with-bad-aud-fails, and an expired request object fails (RFC 9101 6.1, 6.3)', async () => {
      const now = Math.floor(Date.now() / 1000);
      await refusedRequestObject(
        await requestObject(es, { aud: 'https://another-issuer.example' }),
      );
      await refusedRequestObject(
        await requestObject(es, { iat: now - 120, nbf: now - 120, exp: now - 60 }),
      );
      await refusedRequestObject(await requestObject(es, { exp: undefined }));
    });

    test("fapi2-security-profile-final-ensure-matching-key-in-authorization-request: another client's request object is refused (RFC 9101 5)", async () => {
      // Signed by ed-client with its own key and naming itself: not es-client's.
      await refusedRequestObject(
        await requestObject(ed, { iss: 'ed-client', client_id: 'ed-client' }, 'EdDSA'),
      );
      // Naming es-client but signed with ed-client's key.
      await refusedRequestObject(await requestObject(ed, {}, 'EdDSA'));
    });

    test('oidcc-request-uri-unsigned-supported-correctly-or-rejected-as-unsupported: a request_uri that is not ours is request_uri_not_supported (RFC 9101 10.4.1)', async () => {
      const answer = await authorizeWith({
        client_id: 'es-client',
        redirect_uri: CALLBACK,
        request_uri: `${published.url}#request`,
      });
      assert.equal(answer.location?.searchParams.get('error'), 'request_uri_not_supported');
      const page = await authorizeWith({
        client_id: 'es-client',
        request_uri: 'https://attacker.example/request.jwt',
      });
      assert.equal(
        page.status,
        400,
        'without a registered redirect_uri the error is shown, not redirected',
      );
      assert.match(page.html, /request_uri_not_supported|pushed authorization request/);
    });

    test('oidcc-registration-jwks-uri: a client registered dynamically with a jwks_uri signs a user in with private_key_jwt (OIDC Registration 2, RFC 7591 2)', async () => {
      const key = await clientKey('ES256', 'registered-1');
      const keys = await jwksServer({ keys: [key.jwk] });
      try {
        const registration = await oauth.processDynamicClientRegistrationResponse(
          await oauth.dynamicClientRegistrationRequest(
            as,
            {
              redirect_uris: [CALLBACK],
              grant_types: ['authorization_code'],
              scope: 'openid profile',
              token_endpoint_auth_method: 'private_key_jwt',
              token_endpoint_auth_signing_alg: 'ES256',
              jwks_uri: keys.url,
            },
            insecure,
          ),
        );
        assert.equal(registration.jwks_uri, keys.url);
        assert.equal(
          registration.client_secret,
          undefined,
          'a key-authenticated client gets no secret',
        );
        const client = { client_id: registration.client_id };
        const { verifier, challenge } = pkce();
        const state = oauth.generateRandomState();
        const nonce = oauth.generateRandomNonce();
        const url = new URL(as.authorization_endpoint!);
        url.search = new URLSearchParams({
          client_id: client.client_id,
          response_type: 'code',
          redirect_uri: CALLBACK,
          scope: 'openid profile',
          state,
          nonce,
          code_challenge: challenge,
          code_challenge_method: 'S256',
        }).toString();
        const { callback } = await signIn(new TestBrowser(), url.href);
        const response = await oauth.authorizationCodeGrantRequest(
          as,
          client,
          oauth.PrivateKeyJwt({ key: key.privateKey, kid: key.kid }),
          oauth.validateAuthResponse(as, client, callback, state),
          CALLBACK,
          verifier,
          insecure,
        );
        const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, {
          expectedNonce: nonce,
          requireIdToken: true,
        });
        assert.equal(oauth.getValidatedIdTokenClaims(tokens)?.aud, client.client_id);
        assert.ok(keys.hits() >= 1, 'the key came from the jwks_uri');
      } finally {
        await keys.close();
      }
    });

    test('clients list --json carries the keys and algorithms and imports back unchanged', async () => {
      const listed = await idp(['clients', 'list', '--json'], op.env);
      assert.equal(listed.code, 0, listed.stderr);
      const document = JSON.parse(listed.stdout) as { clients: Array<Record<string, unknown>> };
      const esClient = document.clients.find((c) => c.client_id === 'es-client')!;
      assert.deepEqual(esClient.jwks, { keys: [es.jwk] });
      assert.equal(esClient.token_endpoint_auth_method, 'private_key_jwt');
      assert.equal(esClient.token_endpoint_auth_signing_alg, 'ES256');
      assert.equal(esClient.request_object_signing_alg, 'ES256');
      const edClient = document.clients.find((c) => c.client_id === 'ed-client')!;
      assert.equal(edClient.jwks_uri, published.url);
      assert.equal(edClient.jwks, undefined);

      // The export is a seed document: imported back, it changes nothing.
      const file = join(tmpdir(), `clients-${randomUUID()}.json`);
      await writeFile(file, listed.stdout);
      try {
        const imported = await idp(['import', file], op.env);
        assert.equal(imported.code, 0, imported.stderr);
        assert.doesNotMatch(
          imported.stdout,
          /client_secret for (es|ed)-client/,
          'key clients get no secret',
        );
        assert.equal((await idp(['clients', 'list', '--json'], op.env)).stdout, listed.stdout);
      } finally {
        await rm(file, { force: true });
      }

      // update: keys by value replace the jwks_uri (RFC 7591 2: one or the other); bad keys are refused by JSON path.
      const updated = await idp(
        ['clients', 'update', 'ed-client', '--jwks', JSON.stringify({ keys: [ed.jwk] })],
        op.env,
      );
      assert.equal(updated.code, 0, updated.stderr);
      const after = (
        JSON.parse((await idp(['clients', 'list', '--json'], op.env)).stdout) as typeof document
      ).clients.find((c) => c.client_id === 'ed-client')!;
      assert.deepEqual(after.jwks, { keys: [ed.jwk] });
      assert.equal(after.jwks_uri, undefined);
      const leaked = await idp(
        [
          'clients',
          'update',
          'ed-client',
          '--jwks',
          JSON.stringify({ keys: [{ ...ed.jwk, d: 'private' }] }),
        ],
        op.env,
      );
      assert.notEqual(leaked.code, 0);
      assert.match(leaked.stderr, /jwks\.keys\[0\]\.d: is private key material/);
    });
  });
}

describe('a jwks_uri on a loopback address without IDP_OUTBOUND_ALLOWED_HOSTS', () => {
  let op: ProviderFixture;
  let published: Awaited<ReturnType<typeof jwksServer>>;
  let ed: ClientKey;
  before(async () => {
    ed = await clientKey('EdDSA', 'ed-1');
    published = await jwksServer({ keys: [ed.jwk] });
    op = await startProvider('sqlite');
    const added = await idp(
      [
        'clients',
        'add',
        'ed-client',
        '--grant-type',
        'client_credentials',
        '--auth-method',
        'private_key_jwt',
        '--jwks-uri',
        published.url,
      ],
      op.env,
    );
    assert.equal(added.code, 0, added.stderr);
  });
  after(async () => {
    await op?.close();
    await published?.close();
  });

  test('is never fetched: the client cannot authenticate (SSRF defence, DESIGN.md IDP_OUTBOUND_ALLOWED_HOSTS)', async () => {
    const issuer = new URL(op.issuer);
    const as = await oauth.processDiscoveryResponse(
      issuer,
      await oauth.discoveryRequest(issuer, insecure),
    );
    const attempt = async () =>
      (
        await oauth.clientCredentialsGrantRequest(
          as,
          { client_id: 'ed-client' },
          oauth.PrivateKeyJwt({ key: ed.privateKey, kid: ed.kid }),
          new URLSearchParams(),
          insecure,
        )
      ).status;
    // Until the server knows the client the answer is 401 too; the log tells the two apart.
    await waitFor(async () => {
      assert.equal(await attempt(), 401);
      return op.server.output().includes('only https URLs are fetched');
    }, 'the refusal to fetch the jwks_uri');
    assert.equal(published.hits(), 0, 'no request reached the loopback server');
  });
});
