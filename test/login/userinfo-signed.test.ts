import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { TestBrowser } from '../support/browser.js';
import { providers } from '../support/databases.js';
import { signIn } from '../support/flow.js';
import { idp } from '../support/processes.js';
import { CALLBACK, startProvider, type ProviderFixture } from '../support/provider-fixture.js';

/*
 * Signed UserInfo responses (OIDC Core 5.3.2): a client that registered
 * `userinfo_signed_response_alg` (OIDC Registration 2) gets its UserInfo claims as a JWT signed
 * with that algorithm's current key, with `iss` and `aud`; other clients keep getting JSON.
 */
const ADMIN_TOKEN = 'admin-token-for-signed-userinfo-tests-0123456789';
const ALGORITHMS = ['RS256', 'ES256'];

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

for (const provider of providers) {
  describe(`signed UserInfo responses on ${provider}`, () => {
    let op: ProviderFixture;
    let jwks: ReturnType<typeof createRemoteJWKSet>;
    let rsSecret: string;

    before(async () => {
      op = await startProvider(provider, {
        IDP_SIGNING_ALGORITHMS: ALGORITHMS.join(','),
        IDP_REGISTRATION: 'open',
        IDP_ADMIN_TOKEN: ADMIN_TOKEN,
      });
      const added = await idp(
        [
          'clients',
          'add',
          'rs-userinfo',
          '--redirect-uri',
          CALLBACK,
          '--scope',
          'openid profile email',
          '--userinfo-signed-response-alg',
          'RS256',
        ],
        op.env,
      );
      assert.equal(added.code, 0, added.stderr);
      rsSecret = /client_secret: (\S+)/.exec(added.stdout)![1]!;
      jwks = createRemoteJWKSet(new URL(`${op.issuer}/.well-known/jwks.json`));
    });
    after(async () => op?.close());

    /** An openid-client login with PKCE and nonce; the metadata is what the client registered. */
    async function login(clientId: string, secret: string, metadata: Partial<oidc.ClientMetadata>) {
      const config = await oidc.discovery(
        new URL(op.issuer),
        clientId,
        metadata,
        oidc.ClientSecretBasic(secret),
        // Non-repudiation checks make fetchUserInfo verify a JWT response against the JWKS.
        { execute: [oidc.allowInsecureRequests, oidc.enableNonRepudiationChecks] },
      );
      const verifier = oidc.randomPKCECodeVerifier();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: CALLBACK,
        scope: 'openid profile email',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        nonce,
      });
      const { callback } = await signIn(new TestBrowser(), url.href);
      const tokens = await oidc.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: verifier,
        expectedNonce: nonce,
        idTokenExpected: true,
      });
      return { config, tokens, sub: tokens.claims()!.sub };
    }

    const rawUserinfo = (accessToken: string) =>
      fetch(`${op.issuer}/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } });

    /** The API under /admin/api/v1 with the bootstrap token. */
    async function admin(method: string, path: string, body?: unknown) {
      const response = await fetch(`${op.issuer}/admin/api/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${ADMIN_TOKEN}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: (await response.json()) as Json };
    }

    const register = async (metadata: Json) => {
      const response = await fetch(`${op.issuer}/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(metadata),
      });
      return { status: response.status, body: (await response.json()) as Json };
    };

    test('OIDC Discovery 3: userinfo_signing_alg_values_supported lists the signing algorithms the server has keys for', async () => {
      const discovery = (await (
        await fetch(`${op.issuer}/.well-known/openid-configuration`)
      ).json()) as Json;
      assert.deepEqual(discovery.userinfo_signing_alg_values_supported, ALGORITHMS);
    });

    test('oidcc-userinfo-rs256: a client registered with userinfo_signed_response_alg RS256 gets an application/jwt UserInfo response that openid-client and jose verify against the JWKS, with iss, aud and kid (OIDC Core 5.3.2)', async () => {
      const { config, tokens, sub } = await login('rs-userinfo', rsSecret, {
        userinfo_signed_response_alg: 'RS256',
      });
      const claims = await oidc.fetchUserInfo(config, tokens.access_token, sub);
      assert.equal(claims.sub, sub);
      assert.equal(claims.name, 'Alice Example');
      assert.equal(claims.email, 'alice@example.com');

      const response = await rawUserinfo(tokens.access_token);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type')?.split(';')[0], 'application/jwt');
      const jwt = await response.text();
      const header = decodeProtectedHeader(jwt);
      assert.equal(header.alg, 'RS256');
      assert.ok(header.kid, 'the header names the key (kid)');
      const { payload } = await jwtVerify(jwt, jwks, {
        issuer: op.issuer,
        audience: 'rs-userinfo',
        algorithms: ['RS256'],
      });
      assert.equal(payload.sub, sub);
      assert.equal(payload.email, 'alice@example.com');
    });

    test('OIDC Core 5.3.2: a client without userinfo_signed_response_alg still gets JSON', async () => {
      const { config, tokens, sub } = await login(
        'web',
        'web-client-secret-with-plenty-of-entropy-0123456789',
        {},
      );
      const response = await rawUserinfo(tokens.access_token);
      assert.equal(response.headers.get('content-type')?.split(';')[0], 'application/json');
      assert.equal(((await response.json()) as Json).sub, sub);
      assert.equal((await oidc.fetchUserInfo(config, tokens.access_token, sub)).sub, sub);
    });

    test('OIDC Registration 2: dynamic registration takes and echoes userinfo_signed_response_alg ES256, and that client gets ES256-signed UserInfo', async () => {
      const registered = await register({
        redirect_uris: [CALLBACK],
        scope: 'openid profile email',
        userinfo_signed_response_alg: 'ES256',
      });
      assert.equal(registered.status, 201, JSON.stringify(registered.body));
      assert.equal(registered.body.userinfo_signed_response_alg, 'ES256');
      const { client_id: clientId, client_secret: secret } = registered.body;
      const { config, tokens, sub } = await login(clientId, secret, {
        userinfo_signed_response_alg: 'ES256',
      });
      assert.equal((await oidc.fetchUserInfo(config, tokens.access_token, sub)).sub, sub);
      const jwt = await (await rawUserinfo(tokens.access_token)).text();
      assert.equal(decodeProtectedHeader(jwt).alg, 'ES256');
      const { payload } = await jwtVerify(jwt, jwks, { issuer: op.issuer, audience: clientId });
      assert.equal(payload.sub, sub);
    });

    test('OIDC Registration 2: an algorithm the server has no key for, and encrypted UserInfo, are refused as invalid_client_metadata naming the member', async () => {
      const keyless = await register({
        redirect_uris: [CALLBACK],
        userinfo_signed_response_alg: 'PS256',
      });
      assert.equal(keyless.status, 400);
      assert.equal(keyless.body.error, 'invalid_client_metadata');
      assert.match(keyless.body.error_description, /^userinfo_signed_response_alg: .*PS256/);
      const unknown = await register({
        redirect_uris: [CALLBACK],
        userinfo_signed_response_alg: 'HS256',
      });
      assert.equal(unknown.status, 400);
      assert.match(unknown.body.error_description, /^userinfo_signed_response_alg: must be one of/);
      const encrypted = await register({
        redirect_uris: [CALLBACK],
        userinfo_signed_response_alg: 'RS256',
        userinfo_encrypted_response_alg: 'RSA-OAEP-256',
      });
      assert.equal(encrypted.status, 400);
      assert.equal(encrypted.body.error, 'invalid_client_metadata');
      assert.match(encrypted.body.error_description, /^userinfo_encrypted_response_alg: /);

      const cli = await idp(
        [
          'clients',
          'add',
          'ps-app',
          '--redirect-uri',
          CALLBACK,
          '--userinfo-signed-response-alg',
          'PS256',
        ],
        op.env,
      );
      assert.notEqual(cli.code, 0);
      assert.match(
        cli.stderr,
        /userinfo_signed_response_alg: this server has no PS256 signing key; use one of RS256, ES256/,
      );
      const api = await admin('PATCH', '/clients/web2', { userinfo_signed_response_alg: 'PS256' });
      assert.equal(api.status, 400);
      assert.equal(api.body.error, 'invalid_client_metadata');
      assert.equal(api.body.problems[0].path, 'userinfo_signed_response_alg');
    });

    test('a CLI update and an admin API update set userinfo_signed_response_alg; the next UserInfo call answers a JWT, and taking it away brings JSON back', async () => {
      const documentOf = async (clientId: string) => {
        const listed = await idp(['clients', 'list', '--json'], op.env);
        assert.equal(listed.code, 0, listed.stderr);
        return (JSON.parse(listed.stdout) as { clients: Json[] }).clients.find(
          (c) => c.client_id === clientId,
        )!;
      };
      const updated = await idp(
        ['clients', 'update', 'web2', '--userinfo-signed-response-alg', 'ES256'],
        op.env,
      );
      assert.equal(updated.code, 0, updated.stderr);
      assert.equal((await documentOf('web2')).userinfo_signed_response_alg, 'ES256');
      const cleared = await idp(
        ['clients', 'update', 'web2', '--no-userinfo-signed-response-alg'],
        op.env,
      );
      assert.equal(cleared.code, 0, cleared.stderr);
      assert.equal('userinfo_signed_response_alg' in (await documentOf('web2')), false);

      const patched = await admin('PATCH', '/clients/web2', {
        userinfo_signed_response_alg: 'RS256',
      });
      assert.equal(patched.status, 200, JSON.stringify(patched.body));
      assert.equal(patched.body.client.userinfo_signed_response_alg, 'RS256');
      assert.equal(
        (await admin('GET', '/clients/web2')).body.userinfo_signed_response_alg,
        'RS256',
      );
      const secret = 'web-client-secret-with-plenty-of-entropy-0123456789-2';
      const { config, tokens, sub } = await login('web2', secret, {
        userinfo_signed_response_alg: 'RS256',
      });
      assert.equal((await oidc.fetchUserInfo(config, tokens.access_token, sub)).sub, sub);
      const signed = await rawUserinfo(tokens.access_token);
      assert.equal(signed.headers.get('content-type')?.split(';')[0], 'application/jwt');

      const reset = await admin('PATCH', '/clients/web2', { userinfo_signed_response_alg: null });
      assert.equal(reset.status, 200, JSON.stringify(reset.body));
      const plain = await rawUserinfo(tokens.access_token);
      assert.equal(plain.headers.get('content-type')?.split(';')[0], 'application/json');
    });
  });
}
