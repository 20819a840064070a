import assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { TestBrowser } from '../support/browser.js';
import { providers } from '../support/databases.js';
import {
  authorizeUrl,
  basic,
  loginTokens,
  pkce,
  tokenRequest,
  webRequest,
} from '../support/flow.js';
import { idp } from '../support/processes.js';
import {
  CALLBACK,
  startProvider,
  WEB_SECRET,
  type ProviderFixture,
} from '../support/provider-fixture.js';
import { waitFor } from '../support/wait-for.js';

/** How long a running server may take to see a client change made by the CLI (it polls each second). */
const NOTICED_WITHIN_MS = 10_000;

for (const provider of providers) {
  describe(`issue 29 item 17: clients list --json round-trips and clients update on ${provider}`, () => {
    let op: ProviderFixture;
    before(async () => {
      op = await startProvider(provider);
    });
    after(async () => op?.close());

    const exported = async () => {
      const listed = await idp(['clients', 'list', '--json'], op.env);
      assert.equal(listed.code, 0, listed.stderr);
      return listed.stdout;
    };
    const clientCredentials = (secret: string) =>
      tokenRequest(
        op.issuer,
        { grant_type: 'client_credentials', scope: 'reports.read' },
        { authorization: basic('service', secret) },
      );

    test('the export is a seed of RFC 7591 metadata without secrets; importing it back changes nothing and keeps every secret', async () => {
      const before = await exported();
      const document = JSON.parse(before) as { clients: Record<string, unknown>[] };
      assert.deepEqual(Object.keys(document), ['clients']);
      const web = document.clients.find((c) => c.client_id === 'web')!;
      assert.deepEqual(web, {
        client_id: 'web',
        client_name: 'Example Web App',
        token_endpoint_auth_method: 'client_secret_basic',
        redirect_uris: [CALLBACK],
        post_logout_redirect_uris: ['http://127.0.0.1:9/signed-out'],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        scope: 'openid profile email address phone offline_access',
        resources: [],
        first_party: false,
        require_pkce: true,
        id_token_signed_response_alg: 'RS256',
        require_pushed_authorization_requests: false,
        dpop_bound_access_tokens: false,
      });
      assert.doesNotMatch(before, /secret"|secretHash|client_secret"/i, 'no secret nor its hash');

      const seedFile = join(tmpdir(), `export-${process.pid}-${provider}.json`);
      await writeFile(seedFile, before);
      try {
        const imported = await idp(['import', seedFile], op.env);
        assert.equal(imported.code, 0, imported.stderr);
        assert.equal(imported.stderr, '', 'no member of the export is unknown to import');
        assert.match(imported.stdout, /clients: 0 created, 0 updated, 6 unchanged/);
        assert.doesNotMatch(
          imported.stdout,
          /client_secret for/,
          'no secret generated for an existing client',
        );
      } finally {
        await rm(seedFile, { force: true });
      }
      assert.equal(await exported(), before, 'unchanged');
      assert.equal(
        (await clientCredentials(`${WEB_SECRET}-svc`)).status,
        200,
        'the stored secret still works',
      );
    });

    test('update changes only the given metadata; the secret, consents and tokens keep working; unknown client exits 1', async () => {
      const browser = new TestBrowser();
      const tokens = await loginTokens(browser, op.issuer, {
        scope: 'openid profile offline_access',
      });
      const added = 'http://127.0.0.1:9/another-callback';
      const authorize = (redirectUri: string) =>
        browser.navigate(
          authorizeUrl(
            op.issuer,
            webRequest(pkce().challenge, {
              redirect_uri: redirectUri,
              scope: 'openid profile offline_access',
            }),
          ),
          'http://127.0.0.1:9/',
        );
      assert.equal((await authorize(added)).status, 400, 'not registered yet');

      const updated = await idp(
        [
          'clients',
          'update',
          'web',
          '--name',
          'Renamed App',
          '--redirect-uri',
          CALLBACK,
          '--redirect-uri',
          added,
        ],
        op.env,
      );
      assert.equal(updated.code, 0, updated.stderr);
      assert.match(updated.stdout, /updated client web: client_name, redirect_uris/);
      assert.doesNotMatch(updated.stdout, /client_secret/, 'the secret is kept, not replaced');

      const web = (
        JSON.parse(await exported()) as { clients: Record<string, unknown>[] }
      ).clients.find((c) => c.client_id === 'web')!;
      assert.equal(web.client_name, 'Renamed App');
      assert.deepEqual(web.redirect_uris, [CALLBACK, added], 'a list flag replaces the list');
      assert.deepEqual(
        web.grant_types,
        ['authorization_code', 'refresh_token'],
        'what was not given is kept',
      );
      assert.equal(web.scope, 'openid profile email address phone offline_access');

      // The running server sees the change (the change counter moved in the update's transaction).
      await waitFor(
        async () => (await authorize(added)).redirectedTo !== undefined,
        'the new redirect URI to be accepted',
        NOTICED_WITHIN_MS,
      );
      const silent = await authorize(added);
      assert.ok(
        new URL(silent.redirectedTo!).searchParams.get('code'),
        'session and consent kept: no login, no consent page',
      );
      const refreshed = await tokenRequest(op.issuer, {
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token!,
      });
      assert.equal(
        refreshed.status,
        200,
        `the token family and the secret survive: ${JSON.stringify(refreshed.body)}`,
      );

      const audit = JSON.parse(
        (await idp(['audit', 'list', '--type', 'client.updated', '--json'], op.env)).stdout,
      ) as { clientId: string; actor: string }[];
      assert.equal(audit.length, 1);
      assert.equal(audit[0]!.clientId, 'web');

      const unknown = await idp(['clients', 'update', 'no-such-client', '--name', 'x'], op.env);
      assert.equal(unknown.code, 1);
      assert.match(unknown.stderr, /no client with client_id no-such-client/);
      const invalid = await idp(
        ['clients', 'update', 'web', '--redirect-uri', 'not a url'],
        op.env,
      );
      assert.equal(invalid.code, 1);
      assert.match(
        invalid.stderr,
        /redirect_uris\[0\]: must be an absolute URL without a fragment/,
      );
      const nothing = await idp(['clients', 'update', 'web'], op.env);
      assert.equal(nothing.code, 2, 'nothing to change is a usage error');
    });

    test('update can make a public client confidential (a secret printed once) and turn first_party off', async () => {
      const confidential = await idp(
        ['clients', 'update', 'native', '--auth-method', 'client_secret_post'],
        op.env,
      );
      assert.equal(confidential.code, 0, confidential.stderr);
      assert.match(confidential.stdout, /client_secret: [A-Za-z0-9_-]{43}/);
      const on = await idp(['clients', 'update', 'web2', '--first-party'], op.env);
      assert.equal(on.code, 0, on.stderr);
      const off = await idp(['clients', 'update', 'web2', '--no-first-party'], op.env);
      assert.equal(off.code, 0, off.stderr);
      const web2 = (
        JSON.parse(await exported()) as { clients: Record<string, unknown>[] }
      ).clients.find((c) => c.client_id === 'web2')!;
      assert.equal(web2.first_party, false);
    });

    test('clients add takes --client-name and --token-endpoint-auth-method, the RFC 7591 names (DESIGN.md)', async () => {
      const added = await idp(
        [
          'clients',
          'add',
          'rfc-named',
          '--client-name',
          'RFC Named',
          '--token-endpoint-auth-method',
          'client_secret_post',
          '--redirect-uri',
          CALLBACK,
        ],
        op.env,
      );
      assert.equal(added.code, 0, added.stderr);
      const client = (
        JSON.parse(await exported()) as { clients: Record<string, unknown>[] }
      ).clients.find((c) => c.client_id === 'rfc-named')!;
      assert.equal(client.client_name, 'RFC Named');
      assert.equal(client.token_endpoint_auth_method, 'client_secret_post');
      const both = await idp(
        ['clients', 'update', 'rfc-named', '--name', 'A', '--client-name', 'B'],
        op.env,
      );
      assert.equal(both.code, 2, 'two values for one member is a usage error');
      assert.match(both.stderr, /--name and --client-name name the same member/);
    });

    test('RFC 7591 2.1: response_types follows grant_types in seeds, clients add and update; a code client without code is refused by name', async () => {
      const responseTypesOf = async (clientId: string) =>
        (JSON.parse(await exported()) as { clients: Record<string, unknown>[] }).clients.find(
          (c) => c.client_id === clientId,
        )?.response_types;
      assert.deepEqual(
        await responseTypesOf('service'),
        [],
        'a client_credentials-only seed client',
      );

      const added = await idp(
        [
          'clients',
          'add',
          'tv-app',
          '--public',
          '--grant-type',
          'urn:ietf:params:oauth:grant-type:device_code',
        ],
        op.env,
      );
      assert.equal(added.code, 0, added.stderr);
      assert.deepEqual(await responseTypesOf('tv-app'), [], 'a device-only client');

      const web = await idp(
        ['clients', 'add', 'to-service', '--redirect-uri', CALLBACK, '--scope', 'openid'],
        op.env,
      );
      assert.equal(web.code, 0, web.stderr);
      assert.deepEqual(await responseTypesOf('to-service'), ['code']);
      const updated = await idp(
        ['clients', 'update', 'to-service', '--grant-type', 'client_credentials'],
        op.env,
      );
      assert.equal(updated.code, 0, updated.stderr);
      assert.deepEqual(
        await responseTypesOf('to-service'),
        [],
        'new grants, response types to match',
      );

      const seedFile = join(tmpdir(), `response-types-${process.pid}-${provider}.json`);
      try {
        await writeFile(
          seedFile,
          JSON.stringify({
            clients: [
              { client_id: 'seeded-svc', grant_types: ['client_credentials'] },
              {
                client_id: 'contradicted',
                redirect_uris: [CALLBACK],
                response_types: [],
              },
            ],
          }),
        );
        const refused = await idp(['import', seedFile], op.env);
        assert.equal(refused.code, 1);
        assert.match(
          refused.stderr,
          /clients\[1\]\.response_types: must include code for the authorization_code grant/,
        );
        assert.equal(await responseTypesOf('seeded-svc'), undefined, 'nothing imported');

        await writeFile(
          seedFile,
          JSON.stringify({
            clients: [
              { client_id: 'seeded-svc', grant_types: ['client_credentials'] },
              // A seed template's `code` on a service: harmless, so kept as given.
              {
                client_id: 'templated-svc',
                grant_types: ['client_credentials'],
                response_types: ['code'],
              },
            ],
          }),
        );
        const imported = await idp(['import', seedFile], op.env);
        assert.equal(imported.code, 0, imported.stderr);
        assert.deepEqual(await responseTypesOf('seeded-svc'), []);
        assert.deepEqual(await responseTypesOf('templated-svc'), ['code']);
      } finally {
        await rm(seedFile, { force: true });
      }
    });

    test('update sets require_pkce only when told, and the export carries it', async () => {
      const optional = await idp(['clients', 'update', 'web2', '--no-require-pkce'], op.env);
      assert.equal(optional.code, 0, optional.stderr);
      const renamed = await idp(['clients', 'update', 'web2', '--name', 'Renamed'], op.env);
      assert.equal(renamed.code, 0, renamed.stderr);
      const web2 = (
        JSON.parse(await exported()) as { clients: Record<string, unknown>[] }
      ).clients.find((c) => c.client_id === 'web2')!;
      assert.equal(
        web2.require_pkce,
        false,
        'an update without the flag keeps require_pkce: false',
      );
      const publicClient = await idp(
        ['clients', 'update', 'native', '--public', '--no-require-pkce'],
        op.env,
      );
      assert.equal(publicClient.code, 1, 'a public client may not leave PKCE out');
      assert.match(publicClient.stderr, /require_pkce/);
    });
  });
}
