import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { providers, scratchDatabase } from '../support/databases.js';
import { isolatedEnvironment, keyEncryptionKey } from '../support/environment.js';
import { spawnServer, type SpawnedServer } from '../support/processes.js';

for (const provider of providers) {
  describe(`discovery on ${provider}`, () => {
    let server: SpawnedServer;
    let database: Awaited<ReturnType<typeof scratchDatabase>>;
    const issuer = 'http://127.0.0.1:1/tenant-a';

    before(async () => {
      database = await scratchDatabase(provider);
      server = await spawnServer(
        await isolatedEnvironment({
          DATABASE_URL: database.url,
          IDP_ISSUER: issuer,
          IDP_KEY_ENCRYPTION_KEY: keyEncryptionKey(),
        }),
      );
    });
    after(async () => {
      assert.equal(await server?.stop(), 0);
      await database?.drop();
    });

    for (const path of [
      '/.well-known/openid-configuration',
      '/.well-known/oauth-authorization-server',
    ]) {
      test(`oidcc-discovery-endpoint-verification: ${path}: issuer is exactly IDP_ISSUER (OIDC Discovery 4.3, RFC 8414 3.3)`, async () => {
        const response = await fetch(`${server.url}${path}`);
        assert.equal(response.status, 200);
        assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
        const doc = (await response.json()) as Record<string, unknown>;
        assert.equal(doc.issuer, issuer);
        assert.equal(doc.jwks_uri, `${issuer}/.well-known/jwks.json`);
        assert.deepEqual(doc.code_challenge_methods_supported, ['S256']);
        assert.ok((doc.id_token_signing_alg_values_supported as string[]).includes('RS256'));
        assert.deepEqual(doc.response_types_supported, ['code']);
        assert.deepEqual(doc.subject_types_supported, ['public']);
        assert.equal(doc.authorization_endpoint, `${issuer}/authorize`);
        assert.equal(doc.token_endpoint, `${issuer}/token`);
        assert.equal(doc.userinfo_endpoint, `${issuer}/userinfo`);
        assert.equal(doc.authorization_response_iss_parameter_supported, true, 'RFC 9207 3');
        assert.deepEqual(doc.grant_types_supported, [
          'authorization_code',
          'refresh_token',
          'client_credentials',
          'urn:ietf:params:oauth:grant-type:device_code',
          'urn:ietf:params:oauth:grant-type:token-exchange',
        ]);
        assert.equal(
          doc.device_authorization_endpoint,
          `${issuer}/device_authorization`,
          'RFC 8628 4',
        );
        assert.equal(doc.revocation_endpoint, `${issuer}/revoke`);
        assert.equal(doc.introspection_endpoint, `${issuer}/introspect`);
        assert.equal(doc.end_session_endpoint, `${issuer}/logout`);
        assert.deepEqual(doc.token_endpoint_auth_methods_supported, [
          'client_secret_basic',
          'client_secret_post',
          'private_key_jwt',
          'none',
        ]);
        assert.deepEqual(doc.response_modes_supported, ['query', 'fragment', 'form_post']);
        for (const scope of ['openid', 'profile', 'email', 'address', 'phone', 'offline_access']) {
          assert.ok((doc.scopes_supported as string[]).includes(scope), scope);
        }
        for (const claim of ['sub', 'name', 'email', 'email_verified', 'phone_number', 'address']) {
          assert.ok((doc.claims_supported as string[]).includes(claim), claim);
        }
        // What oidcc-discovery-endpoint-verification checks beyond the above: scope tokens
        // (RFC 6749 3.3), the claims parameter, and request_uri stated false, as it defaults to
        // true (OIDC Discovery 3) while only our own PAR request_uris are taken.
        for (const scope of doc.scopes_supported as string[])
          assert.match(scope, /^[\x21\x23-\x5b\x5d-\x7e]+$/, scope);
        assert.equal(doc.claims_parameter_supported, true);
        assert.equal(doc.request_parameter_supported, true);
        assert.equal(doc.request_uri_parameter_supported, false);
        for (const locale of doc.ui_locales_supported as string[])
          assert.match(locale, /^[a-z]{2,3}(-[A-Z]{2})?$/, locale);
      });
    }

    test('no advertised endpoint answers 404', async () => {
      const doc = (await (
        await fetch(`${server.url}/.well-known/openid-configuration`)
      ).json()) as Record<string, unknown>;
      const endpoints = Object.entries(doc).filter(
        ([name]) => name.endsWith('_endpoint') || name === 'jwks_uri',
      );
      assert.ok(endpoints.length >= 1);
      for (const [name, value] of endpoints) {
        // The issuer's host is not this test server's; follow the path on the real one.
        const path = new URL(value as string).pathname.replace(/^\/tenant-a/, '');
        const response = await fetch(`${server.url}${path}`);
        assert.notEqual(response.status, 404, `${name} ${path}`);
      }
    });

    test('the document is served with an ETag and answers 304 to If-None-Match', async () => {
      const first = await fetch(`${server.url}/.well-known/openid-configuration`);
      const etag = first.headers.get('etag');
      assert.ok(etag);
      const again = await fetch(`${server.url}/.well-known/openid-configuration`, {
        headers: { 'if-none-match': etag },
      });
      assert.equal(again.status, 304);
    });
  });
}
