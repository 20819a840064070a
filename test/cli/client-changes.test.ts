import assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { providers } from '../support/databases.js';
import { authorizeUrl, basic, pkce, tokenRequest, webRequest } from '../support/flow.js';
import {
  CALLBACK,
  seed,
  startProvider,
  WEB_SECRET,
  type ProviderFixture,
} from '../support/provider-fixture.js';
import { idp } from '../support/processes.js';
import { waitFor } from '../support/wait-for.js';

/**
 * A running server keeps registered clients in memory; a change made with the CLI (another
 * process) must still reach it. The server re-reads a client on its own only after a minute, so
 * each wait below, bounded at 10 s, passes only if the change was noticed as a change.
 */
const NOTICED_WITHIN_MS = 10_000;

for (const provider of providers) {
  describe(`client changes made with the CLI reach a running server (${provider})`, () => {
    let op: ProviderFixture;
    before(async () => {
      op = await startProvider(provider);
    });
    after(() => op?.close());

    const clientCredentials = (secret: string) =>
      tokenRequest(
        op.issuer,
        { grant_type: 'client_credentials', scope: 'reports.read' },
        { authorization: basic('service', secret) },
      );

    test('a rotated secret replaces the old one, and a removed client is refused (RFC 6749 5.2 invalid_client)', async () => {
      const oldSecret = `${WEB_SECRET}-svc`;
      assert.equal((await clientCredentials(oldSecret)).status, 200, 'the client is now cached');

      const rotated = await idp(['clients', 'rotate-secret', 'service'], op.env);
      assert.equal(rotated.code, 0, rotated.stderr);
      const newSecret = /client_secret: (\S+)/.exec(rotated.stdout)?.[1];
      assert.ok(newSecret);
      await waitFor(
        async () => (await clientCredentials(oldSecret)).status === 401,
        'the old secret to be refused',
        NOTICED_WITHIN_MS,
      );
      assert.equal((await clientCredentials(oldSecret)).body.error, 'invalid_client');
      assert.equal((await clientCredentials(newSecret)).status, 200);

      assert.equal((await idp(['clients', 'remove', 'service'], op.env)).code, 0);
      await waitFor(
        async () => (await clientCredentials(newSecret)).status === 401,
        'the removed client to be refused',
        NOTICED_WITHIN_MS,
      );
    });

    test('a redirect URI added by re-importing the seed is accepted at /authorize', async () => {
      const added = 'http://127.0.0.1:9/another-callback';
      const authorize = (redirectUri: string) =>
        fetch(
          authorizeUrl(
            op.issuer,
            webRequest(pkce().challenge, { redirect_uri: redirectUri, scope: 'openid' }),
          ),
          { redirect: 'manual' },
        );
      assert.equal(
        (await authorize(CALLBACK)).status,
        200,
        'the login page: the client is now cached',
      );
      const unregistered = await authorize(added);
      assert.equal(
        unregistered.status,
        400,
        'an unregistered redirect_uri gets an error page, never a redirect',
      );

      const seedFile = join(tmpdir(), `seed-redirect-${process.pid}-${provider}.json`);
      const clients = seed.clients.map((client) =>
        client.client_id === 'web'
          ? { ...client, redirect_uris: [...(client.redirect_uris ?? []), added] }
          : client,
      );
      await writeFile(seedFile, JSON.stringify({ clients, users: [] }));
      try {
        const imported = await idp(['import', seedFile], op.env);
        assert.equal(imported.code, 0, imported.stderr);
      } finally {
        await rm(seedFile, { force: true });
      }
      await waitFor(
        async () => (await authorize(added)).status === 200,
        'the new redirect URI to be accepted',
        NOTICED_WITHIN_MS,
      );
    });
  });
}
